// What a person does in the web app, as reusable steps for the browser tests.
import { join } from "node:path";

export const WAIT = { timeout: 20_000 };

export async function signIn(page, server, phone) {
  await page.goto(server.url + "/");
  await page.getByLabel("Phone number").fill(phone);
  await page.getByRole("button", { name: "Send code" }).click();
  await page.getByLabel("Code").waitFor(WAIT);
  await page.getByLabel("Code").fill(server.code(phone));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "New group" }).waitFor(WAIT);
  await page.getByRole("status").filter({ hasText: "Online" }).waitFor(WAIT);
}

export function composer(page) {
  return page.getByRole("textbox", { name: "Message", exact: true });
}

export async function send(page, text) {
  await composer(page).fill(text);
  await composer(page).press("Enter");
  await message(page, text).waitFor(WAIT);
}

export function message(page, text) {
  return page.locator("article.message", { hasText: text });
}

export async function shot(page, dir, name) {
  await page.screenshot({ path: join(dir, name + ".png") });
}

export function check(condition, what) {
  if (!condition) throw new Error("expected: " + what);
}

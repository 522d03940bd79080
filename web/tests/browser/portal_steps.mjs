// Steps in the management portal shared by the portal's browser tests.
import { ADMIN_PHONE } from "./parleyd.mjs";
import { WAIT, signIn } from "./steps.mjs";

export async function openPortal(browser, server, { phone = ADMIN_PHONE, width = 1280 } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await signIn(page, server, phone);
  await page.getByRole("link", { name: "Portal" }).click();
  return { context, page };
}

export function tab(page, name) {
  return page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name, exact: true });
}

// Creates an organization group from the Groups screen and waits for its page.
export async function createGroup(page, name, { kind = "Flat", members = "" } = {}) {
  await tab(page, "Groups").click();
  await page.getByRole("heading", { name: "Create a group" }).waitFor(WAIT);
  await page.getByLabel("Group name").fill(name);
  await page.getByRole("radio", { name: new RegExp("^" + kind + ":") }).check();
  if (members) await page.getByLabel(/First members' phone numbers/).fill(members);
  await page.getByRole("button", { name: "Create group" }).click();
  await page.getByRole("heading", { name, exact: true }).waitFor(WAIT);
}

export async function openGroup(page, name) {
  await tab(page, "Groups").click();
  await page.getByRole("list", { name: "Groups" }).getByRole("link", { name, exact: true }).click();
  await page.getByRole("heading", { name, exact: true }).waitFor(WAIT);
}

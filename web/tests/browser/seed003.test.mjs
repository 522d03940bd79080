// Seed 003's story: someone in the office creates a group for the field team and writes in it;
// a field worker on a phone, in another browser, sees the group and every message arrive live,
// replies, and after losing the network catches up without reloading the page.
import { ADMIN_PHONE } from "./parleyd.mjs";
import { WAIT, check, composer, message, send, shot, signIn } from "./steps.mjs";

const FIELD_PHONE = "+6591000002";

export async function seed003Story({ browser, server, screenshots }) {
  const office = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const field = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  try {
    const a = await office.newPage();
    const b = await field.newPage();
    await a.goto(server.url + "/");
    await shot(a, screenshots, "sign-in");
    await signIn(a, server, ADMIN_PHONE);
    await signIn(b, server, FIELD_PHONE);

    // The office creates the group with the field worker in it.
    await a.getByRole("link", { name: "New group" }).click();
    await a.getByLabel("Group name").fill("Field team");
    await a.getByLabel("Members' phone numbers").fill(FIELD_PHONE);
    await a.getByRole("button", { name: "Create group" }).click();
    await a.getByRole("heading", { name: "Field team" }).waitFor(WAIT);

    // It appears on the phone without a reload, with its unread messages counted; the field
    // worker opens it and reads them.
    const entry = b.getByRole("link", { name: /Field team/ });
    await entry.waitFor(WAIT);
    await send(a, "Welcome to the field team");
    await entry.locator(".unread").waitFor(WAIT);
    await shot(b, screenshots, "chat-list-unread-phone");
    await entry.click();
    await b.getByRole("heading", { name: "Field team" }).waitFor(WAIT);
    await message(b, "Welcome to the field team").waitFor(WAIT);
    await b.locator(".conversation .unread").waitFor({ ...WAIT, state: "detached" });

    // A message from the office arrives live, and its read receipt comes back.
    await send(a, "Hello from the office");
    await message(b, "Hello from the office").waitFor(WAIT);
    await message(a, "Hello from the office").locator(".receipt", { hasText: "Read by 1 of 1" }).waitFor(WAIT);

    // The field worker replies to it; the office sees the reply with its quote.
    await message(b, "Hello from the office").getByRole("button", { name: "Reply" }).click();
    await send(b, "On my way");
    await message(a, "On my way").locator("blockquote", { hasText: "Hello from the office" }).waitFor(WAIT);

    // An edit and a delete reach the phone live.
    await message(a, "Hello from the office").getByRole("button", { name: "Edit" }).click();
    await composer(a).fill("Hello from the office, all of you");
    await composer(a).press("Enter");
    await message(b, "Hello from the office, all of you").locator("footer", { hasText: "edited" }).waitFor(WAIT);
    await send(a, "Wrong group, sorry");
    await message(b, "Wrong group, sorry").waitFor(WAIT);
    a.once("dialog", (dialog) => void dialog.accept());
    await message(a, "Wrong group, sorry").getByRole("button", { name: "Delete" }).click();
    await b.locator("article.message .deleted").waitFor(WAIT);
    check((await message(b, "Wrong group, sorry").count()) === 0, "the deleted text is gone from the phone");

    // The phone loses the network; what is sent meanwhile arrives after it comes back, by the
    // stream's resume, without reloading the page.
    const marker = await b.evaluate(() => ((window).__sameDocument = true));
    await field.setOffline(true);
    await b.getByRole("status").filter({ hasText: "Offline" }).waitFor(WAIT);
    await send(a, "Sent while you were offline (1)");
    await send(a, "Sent while you were offline (2)");
    await field.setOffline(false);
    await message(b, "Sent while you were offline (1)").waitFor(WAIT);
    await message(b, "Sent while you were offline (2)").waitFor(WAIT);
    await b.getByRole("status").filter({ hasText: "Online" }).waitFor(WAIT);
    check(marker && (await b.evaluate(() => (window).__sameDocument === true)), "the phone did not reload");
    check((await message(b, "Sent while you were offline (1)").count()) === 1, "no duplicate after the resume");

    // Live again after the reconnect.
    await send(a, "Back online");
    await message(b, "Back online").waitFor(WAIT);

    await shot(a, screenshots, "chat-desktop");
    await shot(b, screenshots, "chat-phone");
    await b.getByRole("link", { name: "Back to conversations" }).click();
    await b.getByRole("link", { name: /Field team/ }).waitFor(WAIT);
    await shot(b, screenshots, "chat-list-phone");
  } finally {
    await office.close();
    await field.close();
  }
}

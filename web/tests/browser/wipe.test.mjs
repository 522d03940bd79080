// "The wipe on removal": a member has an organization group and a private chat, both kept in
// the browser's storage (the app opens from it before the network answers). The organization
// admin removes them from the organization; the organization's conversation disappears from
// the screen and from storage, the private chat stays in both. Signing out clears the rest.
import { ADMIN_PHONE } from "./parleyd.mjs";
import { WAIT, check, message, signIn } from "./steps.mjs";
import { conversationLink, ok, openConversation, organizationWithMember, storedEntries } from "./chat_steps.mjs";

const MEMBER_PHONE = "+6591000004";

export async function wipeOnRemoval({ browser, server }) {
  const office = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const field = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const a = await office.newPage();
    const m = await field.newPage();
    await signIn(a, server, ADMIN_PHONE);
    const org = await organizationWithMember(server, a, MEMBER_PHONE, "Max Member");
    const ops = await ok(server, a, "POST", `/api/v1/organizations/${org}/groups`, { name: "Night shift", members: [MEMBER_PHONE] });
    const chat = await ok(server, a, "POST", "/api/v1/chats", { phone: MEMBER_PHONE });
    await ok(server, a, "POST", `/api/v1/conversations/${ops.id}/messages`, { text: "Shift notes, organization only" });
    await ok(server, a, "POST", `/api/v1/conversations/${chat.id}/messages`, { text: "Private hello" });

    await signIn(m, server, MEMBER_PHONE);
    const privateLink = conversationLink(m, /\+6591000001/);
    await openConversation(m, /\+6591000001/);
    await message(m, "Private hello").waitFor(WAIT);
    await openConversation(m, /Night shift/);
    await message(m, "Shift notes, organization only").waitFor(WAIT);
    await m.waitForFunction(
      ([opsId, chatId]) => {
        const values = Object.keys(localStorage).filter((k) => k.startsWith("parley.cache.")).map((k) => localStorage.getItem(k));
        return values.some((v) => v.includes(opsId) && v.includes("Shift notes")) && values.some((v) => v.includes(chatId) && v.includes("Private hello"));
      },
      [ops.id, chat.id],
      WAIT,
    );

    // Reopened, the app shows what it kept before the server has answered the list.
    let release;
    let held = 0;
    const gate = new Promise((resolve) => (release = resolve));
    await m.route("**/api/v1/conversations", async (route) => {
      held++;
      await gate;
      await route.continue();
    });
    await m.reload();
    await conversationLink(m, /Night shift/).waitFor(WAIT);
    await privateLink.waitFor(WAIT);
    await message(m, "Shift notes, organization only").waitFor(WAIT);
    check(held > 0, "the conversation list request was held back while the cached list showed");
    release();
    await m.getByRole("status").filter({ hasText: "Online" }).waitFor(WAIT);
    await m.unroute("**/api/v1/conversations");

    // The admin removes the member from the organization while its group is open. The
    // conversation list is held back meanwhile, so what changes comes from the wipe frame.
    const member = await ok(server, m, "GET", "/api/v1/me");
    let releaseList;
    const listGate = new Promise((resolve) => (releaseList = resolve));
    await m.route("**/api/v1/conversations", async (route) => {
      await listGate;
      await route.continue().catch(() => {}); // unroute() may have let it through already
    });
    await ok(server, a, "DELETE", `/api/v1/organizations/${org}/people/${member.id}`);
    await conversationLink(m, /Night shift/).waitFor({ ...WAIT, state: "detached" });
    await m.getByRole("heading", { name: /Night shift/ }).waitFor({ ...WAIT, state: "detached" });
    check((await message(m, "Shift notes, organization only").count()) === 0, "the organization's messages are off the screen");
    await m.waitForFunction(
      ([opsId, orgId]) =>
        !Object.keys(localStorage).some((k) => k.includes(opsId) || k.includes("org:" + orgId) || (localStorage.getItem(k) ?? "").includes(opsId)),
      [ops.id, org],
      WAIT,
    );
    releaseList();
    await m.unroute("**/api/v1/conversations");
    const stored = await storedEntries(m);
    check(!stored.some((e) => e.includes(ops.id) || e.includes("Shift notes")), "nothing of the organization group is stored: " + stored.join("\n"));
    check(stored.some((e) => e.includes(chat.id) && e.includes("Private hello")), "the private chat is still stored");
    await privateLink.waitFor(WAIT);
    await privateLink.click();
    await message(m, "Private hello").waitFor(WAIT);

    // Signing out leaves nothing of the chat in the browser.
    await m.getByRole("button", { name: "Sign out" }).click();
    await m.getByLabel("Phone number").waitFor(WAIT);
    const left = await storedEntries(m);
    check(!left.some((e) => e.startsWith("parley.")), "nothing stored after signing out: " + left.join("\n"));
  } finally {
    await office.close();
    await field.close();
  }
}

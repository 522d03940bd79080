// "A policy that blocks forwarding": an organization admin restricts forwarding and copying in
// an organization group. A member who has the forward dialog open when it happens gets the
// server's refusal; afterwards the group's forward and copy actions are disabled with a notice,
// and text there cannot be selected or copied. Forwarding from a private group still works and
// the copy arrives in the target conversation.
import { ADMIN_PHONE } from "./parleyd.mjs";
import { WAIT, check, message, shot, signIn } from "./steps.mjs";
import { call, ok, openConversation, organizationWithMember } from "./chat_steps.mjs";

const MEMBER_PHONE = "+6591000003";

export async function forwardBlockedByPolicy({ browser, server, screenshots }) {
  const office = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const field = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  try {
    const a = await office.newPage();
    const m = await field.newPage();
    await signIn(a, server, ADMIN_PHONE);
    await signIn(m, server, MEMBER_PHONE);

    const org = await organizationWithMember(server, a, MEMBER_PHONE, "Mia Member");
    const ops = await ok(server, a, "POST", `/api/v1/organizations/${org}/groups`, { name: "Ops room", members: [MEMBER_PHONE] });
    const friends = await ok(server, a, "POST", "/api/v1/groups", { name: "Friends", members: [MEMBER_PHONE] });
    const opsId = ops.group?.id ?? ops.id;
    await ok(server, a, "POST", `/api/v1/conversations/${opsId}/messages`, { text: "Ops plan for Monday" });
    await ok(server, a, "POST", `/api/v1/conversations/${friends.id}/messages`, { text: "Lunch at noon?" });

    // The member opens the forward dialog in the organization group while forwarding is allowed…
    await openConversation(m, /Ops room/);
    const plan = message(m, "Ops plan for Monday");
    await plan.waitFor(WAIT);
    await plan.getByRole("button", { name: "Forward" }).click();
    const dialog = m.getByRole("dialog", { name: "Forward message" });
    await dialog.waitFor(WAIT);

    // …and the organization admin restricts forwarding and copying meanwhile.
    await ok(server, a, "PATCH", `/api/v1/groups/${opsId}`, { policies: { restrict_forward: true, restrict_copy: true } });
    await m.locator("#policy-notice", { hasText: "forwarding" }).waitFor({ ...WAIT, state: "attached" });
    await dialog.getByRole("button", { name: /Friends/ }).click();
    const refusal = dialog.getByRole("alert");
    await refusal.waitFor(WAIT);
    check(/forward/i.test(await refusal.innerText()), "the server's refusal is shown: " + (await refusal.innerText()));
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ ...WAIT, state: "detached" });

    // Now the group's actions say no, and its text cannot be selected or copied.
    check(await plan.getByRole("button", { name: "Forward" }).isDisabled(), "Forward is disabled in the restricted group");
    check(await plan.getByRole("button", { name: "Copy" }).isDisabled(), "Copy is disabled in the restricted group");
    await m.getByText("This conversation's policies restrict copying and forwarding of its messages.").waitFor(WAIT);
    const guarded = await plan.locator(".text").evaluate((el) => {
      const copy = new Event("copy", { bubbles: true, cancelable: true });
      el.dispatchEvent(copy);
      const menu = new MouseEvent("contextmenu", { bubbles: true, cancelable: true });
      el.dispatchEvent(menu);
      return { select: getComputedStyle(el).userSelect, copyBlocked: copy.defaultPrevented, menuBlocked: menu.defaultPrevented };
    });
    check(guarded.select === "none" && guarded.copyBlocked && guarded.menuBlocked, "no selection, copy or context menu: " + JSON.stringify(guarded));
    check((await call(server, m, "POST", `/api/v1/conversations/${friends.id}/messages`, {
      forward_of: { conversation_id: opsId, message_id: (await ok(server, m, "GET", `/api/v1/conversations/${opsId}/messages?limit=50`)).messages.find((x) => x.text === "Ops plan for Monday").id },
    })).status === 403, "the server refuses the forward too");

    // The group info shows the policies the server reports.
    await m.getByRole("button", { name: "Group info" }).click();
    await m.locator('[data-policy="restrict_forward"]', { hasText: "Forwarding messages is restricted" }).waitFor(WAIT);
    await m.locator('[data-policy="restrict_copy"]', { hasText: "Copying messages is restricted" }).waitFor(WAIT);
    await m.getByRole("button", { name: "Close info" }).click();

    // From the private group forwarding works, and the copy arrives in the target for both.
    await openConversation(m, /Friends/);
    const lunch = message(m, "Lunch at noon?");
    await lunch.waitFor(WAIT);
    check(!(await lunch.getByRole("button", { name: "Copy" }).isDisabled()), "Copy is allowed in the private group");
    await lunch.getByRole("button", { name: "Forward" }).click();
    await dialog.waitFor(WAIT);
    await shot(m, screenshots, "forward-dialog");
    await dialog.getByRole("button", { name: /Ops room/ }).click();
    await dialog.getByRole("status").filter({ hasText: "Forwarded to Ops room" }).waitFor(WAIT);
    await dialog.getByRole("button", { name: "Done" }).click();

    await openConversation(a, /Ops room/);
    await message(a, "Lunch at noon?").locator("footer", { hasText: "Forwarded" }).waitFor(WAIT);
    await openConversation(m, /Ops room/);
    await message(m, "Lunch at noon?").locator("footer", { hasText: "Forwarded" }).waitFor(WAIT);

    // The admin's view of the group: members with the admin marked, and what admins can do.
    await a.getByRole("button", { name: "Group info" }).click();
    await a.locator(".member", { hasText: "(you)" }).locator(".badge", { hasText: "Admin" }).waitFor(WAIT);
    await a.getByRole("button", { name: "Create invite link" }).waitFor(WAIT);
    await shot(a, screenshots, "group-info");
  } finally {
    await office.close();
    await field.close();
  }
}

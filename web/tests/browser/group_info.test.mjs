// The group info panel: members with their admins, making and unmaking an admin, an invite
// link created, copied, used by someone new and revoked, a private group handed to the
// organization after a confirmation, a 1:1 chat's contact info, and leaving a group.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ADMIN_PHONE } from "./parleyd.mjs";
import { WAIT, check, shot, signIn } from "./steps.mjs";
import { call, conversationLink, ok, openConversation } from "./chat_steps.mjs";

const BEA = "+6591000006";
const CAI = "+6591000007";

// Links the admin's work account the way a person does: the directory lists their work
// e-mail, a code goes there (the dev outbox), and they confirm it.
async function linkWorkAccount(server, page, org) {
  const me = await ok(server, page, "GET", "/api/v1/me");
  const email = "boss@contoso.test";
  await ok(server, page, "PATCH", `/api/v1/organizations/${org}/people/${me.id}`, { email });
  await ok(server, page, "POST", "/api/v1/me/work-account", { email });
  const lines = readFileSync(join(server.dataDir, "dev-outbox.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const code = lines.reverse().find((l) => l.email === email).code;
  await ok(server, page, "PUT", "/api/v1/me/work-account", { code });
}

export async function groupInfoPanel({ browser, server, screenshots }) {
  const office = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  await office.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  const second = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const third = await browser.newContext({ viewport: { width: 1024, height: 760 } });
  try {
    const a = await office.newPage();
    const b = await second.newPage();
    const c = await third.newPage();
    await signIn(a, server, ADMIN_PHONE);
    await signIn(b, server, BEA);
    await signIn(c, server, CAI);
    const me = await ok(server, a, "GET", "/api/v1/me");
    const org = me.organizations[0].id;
    const group = await ok(server, a, "POST", "/api/v1/groups", { name: "Project Falcon", members: [BEA] });

    // Members, with the admin marked; the admin makes Bea an admin and takes it back.
    await openConversation(a, /Project Falcon/);
    await a.getByRole("button", { name: "Group info" }).click();
    const panel = a.getByRole("region", { name: "Group info" });
    await panel.getByText("Private group").waitFor(WAIT);
    const bea = panel.locator(".member", { hasText: BEA });
    await bea.getByRole("button", { name: "Make admin" }).click();
    await bea.locator(".badge", { hasText: "Admin" }).waitFor(WAIT);
    await bea.getByRole("button", { name: "Remove admin" }).click();
    await bea.locator(".badge").waitFor({ ...WAIT, state: "detached" });

    // An invite link: created, copied, opened by Cai, who joins; then revoked.
    await panel.getByRole("button", { name: "Create invite link" }).click();
    const url = await panel.getByLabel("New link (shown once)").inputValue();
    check(url.startsWith(server.url + "/join/"), "an invite link into the app: " + url);
    await panel.getByRole("button", { name: "Copy link" }).click();
    await panel.getByRole("status").filter({ hasText: "Link copied." }).waitFor(WAIT);
    check((await a.evaluate(() => navigator.clipboard.readText())) === url, "the link is on the clipboard");
    await c.goto(url);
    await c.getByRole("heading", { name: "Join a group" }).waitFor(WAIT);
    await c.getByText("Project Falcon").waitFor(WAIT);
    await c.getByRole("button", { name: "Join group" }).click();
    await c.getByRole("heading", { name: /Project Falcon/ }).waitFor(WAIT);
    await panel.locator(".member", { hasText: CAI }).waitFor(WAIT);
    await panel.locator("[data-invite]").getByRole("button", { name: "Revoke" }).click();
    await panel.getByRole("status").filter({ hasText: "Link revoked." }).waitFor(WAIT);
    const token = decodeURIComponent(url.split("/join/")[1]);
    check((await ok(server, c, "GET", `/api/v1/invites/${encodeURIComponent(token)}`)).revoked === true, "the server says the link is revoked");

    // Handed to the organization, after a confirmation that says what changes.
    await linkWorkAccount(server, a, org);
    await panel.getByRole("button", { name: "Add to Contoso…" }).click();
    const confirm = a.getByRole("dialog", { name: "Add Project Falcon to Contoso?" });
    await confirm.getByText("Earlier messages stay private.", { exact: false }).waitFor(WAIT);
    await confirm.getByText("owns this group and every message sent in it", { exact: false }).waitFor(WAIT);
    await shot(a, screenshots, "add-to-organization");
    await confirm.getByRole("button", { name: "Add to Contoso" }).click();
    await confirm.waitFor({ ...WAIT, state: "detached" });
    await panel.locator(".owner-line", { hasText: "Owned by Contoso" }).waitFor(WAIT);
    await conversationLink(a, /Project Falcon/).getByRole("img", { name: "Organization: Contoso" }).waitFor(WAIT);
    const owner = await ok(server, a, "GET", `/api/v1/groups/${group.id}/organization`);
    check(owner.owner.type === "organization" && owner.owner.organization_id === org, "the server has the organization as owner");
    await panel.locator('[data-policy="restrict_forward"]').waitFor(WAIT);

    // A 1:1 chat shows the other person.
    await ok(server, b, "POST", "/api/v1/chats", { phone: ADMIN_PHONE });
    await openConversation(b, /\+6591000001/);
    await b.getByRole("button", { name: "Contact info" }).click();
    await b.getByRole("region", { name: "Contact info" }).getByText(ADMIN_PHONE).waitFor(WAIT);
    await shot(b, screenshots, "contact-info-phone");

    // Bea leaves the group; it goes from her list, and the admin sees her gone.
    await b.getByRole("link", { name: "Back to conversations" }).click();
    await openConversation(b, /Project Falcon/);
    await b.getByRole("button", { name: "Group info" }).click();
    b.once("dialog", (d) => void d.accept());
    await b.getByRole("button", { name: "Leave group" }).click();
    await conversationLink(b, /Project Falcon/).waitFor({ ...WAIT, state: "detached" });
    await panel.locator(".member", { hasText: BEA }).waitFor({ ...WAIT, state: "detached" });
    check((await call(server, b, "GET", `/api/v1/conversations/${group.id}`)).status === 404, "Bea is no longer in the group");
  } finally {
    await office.close();
    await second.close();
    await third.close();
  }
}

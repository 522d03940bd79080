// "A policy that blocks forwarding": an organization admin restricts forwarding and copying in
// an organization group. A member who has the forward dialog open when it happens gets the
// server's refusal; afterwards the group's forward and copy actions are disabled with a notice,
// and text there cannot be selected or copied. Forwarding from a private group still works and
// the copy arrives in the target conversation.
//
// "A policy that restricts sharing": a member is offered downloads of a group's files while
// sharing is allowed; once the admin restricts it, the same document, picture and recording
// still show and play in the page, but no download, save or context menu is offered, and the
// document says why. A survey's picture answer shows in its results the same way.
import { ADMIN_PHONE } from "./parleyd.mjs";
import { WAIT, check, message, shot, signIn } from "./steps.mjs";
import { call, ok, openConversation, organizationWithMember, token } from "./chat_steps.mjs";

const MEMBER_PHONE = "+6591000003";

// The organization's admin (page a) and a member of its directory (page m), each signed in in a
// browser of their own; close() closes both.
async function adminAndMember(browser, server) {
  const office = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const field = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const close = async () => {
    await office.close();
    await field.close();
  };
  try {
    const a = await office.newPage();
    const m = await field.newPage();
    await signIn(a, server, ADMIN_PHONE);
    await signIn(m, server, MEMBER_PHONE);
    const org = await organizationWithMember(server, a, MEMBER_PHONE, "Mia Member");
    return { a, m, org, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export async function forwardBlockedByPolicy({ browser, server, screenshots }) {
  const { a, m, org, close } = await adminAndMember(browser, server);
  try {
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
    await close();
  }
}

// One file to the conversation as the page's user, then a message carrying the files.
// Uploads a file to the conversation as the page's user; returns the upload's id.
async function upload(server, page, conversationId, file) {
  const response = await fetch(`${server.url}/api/v1/conversations/${conversationId}/attachments?filename=${encodeURIComponent(file.name)}`, {
    method: "POST",
    headers: { Authorization: "Bearer " + (await token(page)), "Content-Type": "application/octet-stream" },
    body: file.buffer,
  });
  if (!response.ok) throw new Error(`upload ${file.name}: ${response.status} ${await response.text()}`);
  return (await response.json()).id;
}

async function sendFiles(server, page, conversationId, files, text) {
  const ids = [];
  for (const f of files) ids.push(await upload(server, page, conversationId, f));
  await ok(server, page, "POST", `/api/v1/conversations/${conversationId}/messages`, { text, attachments: ids });
}

// Half a second of a 440 Hz tone as 8 kHz 16-bit mono PCM WAV.
function tone() {
  const rate = 8000;
  const samples = rate / 2;
  const b = Buffer.alloc(44 + samples * 2);
  b.write("RIFF", 0);
  b.writeUInt32LE(36 + samples * 2, 4);
  b.write("WAVEfmt ", 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write("data", 36);
  b.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) b.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + 2 * i);
  return b;
}

// Whether the element's context menu and dragging are stopped by the page.
async function guarded(locator) {
  return locator.evaluate((el) => {
    const menu = new MouseEvent("contextmenu", { bubbles: true, cancelable: true });
    el.dispatchEvent(menu);
    const drag = new DragEvent("dragstart", { bubbles: true, cancelable: true });
    el.dispatchEvent(drag);
    return menu.defaultPrevented && drag.defaultPrevented;
  });
}

export async function shareRestrictedAttachments({ browser, server, screenshots }) {
  const { a, m, org, close } = await adminAndMember(browser, server);
  try {
    const site = await ok(server, a, "POST", `/api/v1/organizations/${org}/groups`, { name: "Site room", members: [MEMBER_PHONE] });
    const siteId = site.group?.id ?? site.id;
    const png = await a.screenshot({ clip: { x: 0, y: 0, width: 400, height: 240 } });
    await sendFiles(server, a, siteId, [{ name: "notes.txt", buffer: Buffer.from("Pump 3 needs a new seal.\n") }], "Inspection notes");
    await sendFiles(server, a, siteId, [{ name: "site.png", buffer: png }], "Site photo");
    await sendFiles(server, a, siteId, [{ name: "briefing.wav", buffer: tone() }], "Voice briefing");

    // Sharing allowed: the document, the picture and the recording can be downloaded.
    await openConversation(m, /Site room/);
    const notes = message(m, "Inspection notes");
    await notes.getByRole("button", { name: "Download notes.txt" }).waitFor(WAIT);
    const photo = message(m, "Site photo");
    await photo.getByRole("button", { name: "Open picture site.png" }).click();
    const full = m.getByRole("dialog", { name: "site.png" });
    await full.getByRole("button", { name: "Download" }).waitFor(WAIT);
    check(!(await guarded(full.locator("img"))), "the picture's context menu is the browser's while sharing is allowed");
    await full.getByRole("button", { name: "Close" }).click();
    await full.waitFor({ ...WAIT, state: "detached" });
    const briefing = message(m, "Voice briefing");
    await briefing.getByRole("button", { name: "Download briefing.wav" }).waitFor(WAIT);
    await briefing.getByRole("button", { name: "Play briefing.wav" }).click();
    const player = briefing.locator("audio");
    await player.waitFor(WAIT);
    check(!(await player.evaluate((el) => el.controlsList.contains("nodownload"))), "the player offers its download while sharing is allowed");

    // The admin restricts sharing; the member's open conversation follows.
    await ok(server, a, "PATCH", `/api/v1/groups/${siteId}`, { policies: { restrict_share: true } });
    await m.getByText("This conversation's policies restrict sharing of its messages.").waitFor(WAIT);

    // The document says sharing is restricted instead of offering its download.
    await notes.locator(".file-chip", { hasText: "notes.txt" }).getByText("Sharing is restricted in this conversation.").waitFor(WAIT);
    check((await notes.getByRole("button", { name: /download/i }).count()) === 0, "no download for the document");

    // The picture still shows, thumbnail and full size, with no download and no context menu.
    const thumb = photo.locator(".thumb img");
    await m.waitForFunction((img) => img.complete && img.naturalWidth > 0, await thumb.elementHandle(), WAIT);
    check(await guarded(thumb), "no context menu or dragging on the thumbnail");
    await photo.getByRole("button", { name: "Open picture site.png" }).click();
    await m.waitForFunction((img) => img?.complete && img.naturalWidth === 400, await full.locator("img").elementHandle(), WAIT);
    await full.getByText("Sharing is restricted in this conversation.").waitFor(WAIT);
    check((await full.getByRole("button", { name: /download/i }).count()) === 0, "no download in the full-size view");
    check(await guarded(full.locator("img")), "no context menu or dragging on the full-size picture");
    await shot(m, screenshots, "share-restricted-picture");
    await full.getByRole("button", { name: "Close" }).click();
    await full.waitFor({ ...WAIT, state: "detached" });

    // The recording still plays, from a player that offers no download and no context menu.
    check((await briefing.getByRole("button", { name: /download/i }).count()) === 0, "no download for the recording");
    await briefing.getByText("Sharing is restricted in this conversation.").waitFor(WAIT);
    await m.waitForFunction((el) => el.readyState >= 1 && el.duration > 0, await player.elementHandle(), WAIT);
    check(await player.evaluate((el) => el.controlsList.contains("nodownload")), "the player offers no download");
    check(await guarded(player), "no context menu or dragging on the player");
    check((await m.getByRole("log", { name: "Messages" }).locator("a[download], a[target=_blank]").count()) === 0, "no download or new-tab links");

    // A survey's file answer shows in its results the way a message's file does: the picture
    // in the page, with no download.
    const posted = await ok(server, a, "POST", `/api/v1/conversations/${siteId}/cards`, {
      type: "survey",
      spec: { title: "Shelf check", questions: [{ title: "Photo of the shelf", type: "attachment" }] },
    });
    const shelf = await upload(server, m, siteId, { name: "shelf.png", buffer: png });
    await ok(server, m, "POST", `/api/v1/cards/${posted.id}/responses`, { answers: [shelf] });
    await openConversation(a, /Site room/);
    const results = a.locator("article.card-message", { hasText: "Shelf check" });
    const answer = results.locator(".card-texts li", { hasText: "Mia Member" });
    await answer.getByRole("button", { name: "Open picture shelf.png" }).waitFor(WAIT);
    await a.waitForFunction((img) => img.complete && img.naturalWidth > 0, await answer.locator(".thumb img").elementHandle(), WAIT);
    check(await guarded(answer.locator(".thumb img")), "no context menu or dragging on the answer's picture");
    check((await answer.getByRole("button", { name: /download/i }).count()) === 0, "no download of the answer");
    await results.scrollIntoViewIfNeeded();
    await shot(a, screenshots, "share-restricted-survey-answer");
    // The member's form shows which file their response answers with, the same way.
    const form = m.locator("article.card-message", { hasText: "Shelf check" }).locator("form.card-respond");
    await form.getByRole("button", { name: "Open picture shelf.png" }).waitFor(WAIT);
    check((await form.getByRole("button", { name: /download/i }).count()) === 0, "no download of one's own answer either");
  } finally {
    await close();
  }
}

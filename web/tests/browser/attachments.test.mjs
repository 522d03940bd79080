// Attachments: a picture with a caption arrives live as a thumbnail on the other side and opens
// full size; a document arrives as a named chip with its size; a file whose name does not
// match its content is refused with the server's message. Likes and comments on the picture
// reach the sender live.
import { ADMIN_PHONE } from "./parleyd.mjs";
import { WAIT, check, message, shot, signIn } from "./steps.mjs";
import { ok, openConversation } from "./chat_steps.mjs";

const PEER_PHONE = "+6591000005";

async function attach(page, files, caption) {
  await page.locator("#composer-files").setInputFiles(files);
  for (const f of files) await page.getByRole("list", { name: "Files to send" }).getByText(f.name).waitFor(WAIT);
  await page.getByRole("textbox", { name: "Message", exact: true }).fill(caption);
  await page.getByRole("button", { name: "Send" }).click();
}

export async function attachmentsLive({ browser, server, screenshots }) {
  const office = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  try {
    const a = await office.newPage();
    const b = await phone.newPage();
    await signIn(a, server, ADMIN_PHONE);
    await signIn(b, server, PEER_PHONE);
    await ok(server, a, "POST", "/api/v1/chats", { phone: PEER_PHONE });
    await openConversation(a, /\+6591000005/);
    await openConversation(b, /\+6591000001/);

    // A real PNG: a piece of the page itself.
    const png = await a.screenshot({ clip: { x: 0, y: 0, width: 480, height: 300 } });
    await attach(a, [{ name: "site.png", mimeType: "image/png", buffer: png }], "Site photo");
    await message(a, "Site photo").locator(".thumb img").waitFor(WAIT);

    // The other person sees the thumbnail arrive live, loaded, and opens it full size.
    const picture = message(b, "Site photo").locator(".thumb img");
    await picture.waitFor(WAIT);
    await b.waitForFunction((img) => img.complete && img.naturalWidth > 0, await picture.elementHandle(), WAIT);
    await message(b, "Site photo").getByRole("button", { name: "Open picture site.png" }).click();
    const full = b.getByRole("dialog", { name: "site.png" });
    await full.locator("img").waitFor(WAIT);
    await b.waitForFunction((img) => img.complete && img.naturalWidth === 480, await full.locator("img").elementHandle(), WAIT);
    await shot(b, screenshots, "attachment-preview");
    await full.getByRole("button", { name: "Close" }).click();
    await full.waitFor({ ...WAIT, state: "detached" });

    // Two files in one message: a picture and a document, the document as a chip with its size.
    const notes = Buffer.from("Pump 3 needs a new seal.\n");
    await attach(
      a,
      [
        { name: "notes.txt", mimeType: "text/plain", buffer: notes },
        { name: "second.png", mimeType: "image/png", buffer: png },
      ],
      "Report and photo",
    );
    const chip = message(b, "Report and photo").locator(".file-chip", { hasText: "notes.txt" });
    await chip.waitFor(WAIT);
    check((await chip.innerText()).includes(`${notes.length} B`), "the chip shows the size: " + (await chip.innerText()));
    await message(b, "Report and photo").getByRole("button", { name: "Download notes.txt" }).waitFor(WAIT);
    await message(b, "Report and photo").locator(".thumb img").waitFor(WAIT);
    await shot(b, screenshots, "attachments-phone");

    // A file whose content is not what its name says is refused, with the server's words.
    await attach(a, [{ name: "fake.png", mimeType: "image/png", buffer: Buffer.from("not a picture at all") }], "Broken");
    const refusal = a.getByRole("alert");
    await refusal.filter({ hasText: "fake.png:" }).waitFor(WAIT);
    check((await message(b, "Broken").count()) === 0, "nothing was sent with the refused file");

    // A file over the server's limit (this server's is 256 KiB) is refused with its words too.
    await a.getByRole("button", { name: "Remove fake.png" }).click();
    await attach(a, [{ name: "survey.txt", mimeType: "text/plain", buffer: Buffer.alloc(400 * 1024, "a") }], "Too big");
    await refusal.filter({ hasText: "survey.txt:" }).filter({ hasText: /larger than/i }).waitFor(WAIT);
    check((await message(b, "Too big").count()) === 0, "nothing was sent with the file over the limit");

    // A like and a comment on the picture reach the sender live.
    await message(b, "Site photo").getByRole("button", { name: "♡ Like" }).click();
    await message(b, "Site photo").getByRole("button", { name: "♥ Liked" }).waitFor(WAIT);
    await message(a, "Site photo").getByRole("button", { name: "1 like" }).waitFor(WAIT);
    await message(b, "Site photo").getByRole("button", { name: "Comment" }).click();
    const thread = message(b, "Site photo").getByRole("region", { name: "Comments" });
    await thread.getByRole("textbox", { name: "Comment" }).fill("Looks good");
    await thread.getByRole("button", { name: "Comment", exact: true }).click();
    await thread.getByText("Looks good").waitFor(WAIT);
    const original = a.locator("article.message", { has: a.locator(".thumb") }).filter({ hasText: "Site photo" }).first();
    await original.getByRole("button", { name: "1 comment" }).waitFor(WAIT);
    await original.getByRole("button", { name: "1 like" }).click();
    await original.getByRole("list", { name: "People who like this" }).locator("li").first().waitFor(WAIT);
    await original.getByRole("button", { name: "1 comment" }).click();
    await original.getByRole("region", { name: "Comments" }).getByText("Looks good").waitFor(WAIT);
  } finally {
    await office.close();
    await phone.close();
  }
}
// A low attachment limit, so a file over it stays small.
attachmentsLive.parleydArgs = ["--max-attachment-bytes", String(256 * 1024)];

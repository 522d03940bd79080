// An org admin uploads people from a CSV file with one bad row: a dry run first, then for real,
// following the progress bar; downloads the error log, and finds the new people in the
// directory.
import { readFileSync } from "node:fs";
import { ADMIN_PHONE } from "./parleyd.mjs";
import { WAIT, check, shot, signIn } from "./steps.mjs";

const CSV = "Phone Number,Name,Role\n+6591000101,Ana Field,Member\n+6591000102,Ben Field,Member\nnot-a-phone,Broken Row,Member\n";

async function upload(page, dryRun) {
  const previous = (await page.locator(".job").count()) ? await page.locator(".job").getAttribute("data-job") : null;
  await page.getByLabel("What the file holds").selectOption("users");
  await page.getByLabel("CSV file").setInputFiles({ name: "people.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });
  const box = page.getByLabel(/Dry run/);
  if ((await box.isChecked()) !== dryRun) await box.click();
  await page.getByRole("button", { name: "Upload" }).click();
  const job = page.locator(`.job[data-status="completed"]${previous ? `:not([data-job="${previous}"])` : ""}`);
  await job.waitFor(WAIT);
  return job.innerText();
}

export async function bulkUploadWithErrorLog({ browser, server, screenshots }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  try {
    const page = await context.newPage();
    await signIn(page, server, ADMIN_PHONE);
    await page.getByRole("link", { name: "Portal" }).click();
    await page.getByRole("heading", { name: "People" }).waitFor(WAIT);
    await page.getByRole("link", { name: "Bulk upload" }).click();

    const dry = await upload(page, true);
    check(/2 would apply/.test(dry) && /1 failed/.test(dry), "the dry run reports 2 rows to apply and 1 failing: " + dry);
    const real = await upload(page, false);
    check(/2 applied/.test(real) && /1 failed/.test(real), "the upload applied 2 rows and failed 1: " + real);
    await page.locator("table.history tbody tr").nth(1).waitFor(WAIT);
    await shot(page, screenshots, "portal-bulk-upload");

    // The newest job's error log names the bad row and why.
    const [download] = await Promise.all([
      page.waitForEvent("download", WAIT),
      page.locator("table.history tbody tr").first().getByRole("button", { name: /Error log/ }).click(),
    ]);
    const log = readFileSync(await download.path(), "utf8");
    check(log.startsWith("Row,Column,Value,Error,Message"), "an error log with its header: " + log);
    check(/not-a-phone/.test(log) && /invalid_phone/.test(log), "the bad row in the error log: " + log);

    // The two good rows are in the directory.
    await page.getByRole("link", { name: "People", exact: true }).click();
    await page.getByLabel("Search").fill("Field");
    await page.getByRole("link", { name: "Ben Field" }).waitFor(WAIT);
    check((await page.locator("tbody tr").count()) === 2, "two people match 'Field'");
    await shot(page, screenshots, "portal-people");
    await page.getByRole("link", { name: "Ana Field" }).click();
    await page.getByRole("heading", { name: "Ana Field" }).waitFor(WAIT);
    await page.getByText("+6591000101").waitFor(WAIT);
    // Imported, so never signed in, and in none of the organization's groups yet.
    await page.getByText("Never signed in").waitFor(WAIT);
    await page.getByText("Not in any of the organization's groups.").waitFor(WAIT);
    await shot(page, screenshots, "portal-person");

    // Removed from the directory, then restored.
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Remove from organization" }).click();
    await page.getByRole("heading", { name: "Removed people" }).waitFor(WAIT);
    const removed = page.locator(".rows li", { hasText: "Ana Field" });
    await removed.getByRole("button", { name: "Restore" }).click();
    await page.getByRole("status").filter({ hasText: "Ana Field is back in the directory." }).waitFor(WAIT);
    await removed.waitFor({ ...WAIT, state: "detached" });

    // A group the organization owns carries its mark in the chat list (seed 000).
    await page.getByRole("link", { name: "Chats" }).click();
    await page.getByRole("link", { name: "New group" }).click();
    await page.getByLabel("Group name").fill("Field staff");
    await page.getByLabel("Members' phone numbers").fill("+6591000101");
    await page.getByLabel("Owner").selectOption({ label: "Contoso" });
    await page.getByText("Contoso will own this group and its messages.").waitFor(WAIT);
    await page.getByRole("button", { name: "Create group" }).click();
    await page.getByRole("heading", { name: "Field staff" }).waitFor(WAIT);
    await page.getByRole("link", { name: /Field staff/ }).getByRole("img", { name: "Organization: Contoso" }).waitFor(WAIT);
    await shot(page, screenshots, "chat-organization-group");
  } finally {
    await context.close();
  }
}

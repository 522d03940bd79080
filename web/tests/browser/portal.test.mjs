// The management portal (issue 6, seed 004): attributes, adding people by numbers, a person's
// attribute values, groups and their hierarchy, tenant and group policies, exports, and what a
// group admin sees.
import { readFileSync } from "node:fs";
import { ADMIN_PHONE } from "./parleyd.mjs";
import { WAIT, check, shot } from "./steps.mjs";
import { ok } from "./chat_steps.mjs";
import { createGroup, openGroup, openPortal, tab } from "./portal_steps.mjs";

// An admin defines two attributes (a suggested one and a custom one), is told on the field when
// a name is taken, sees them as columns of the people list, and adds people by their numbers.
export async function portalAttributesAndPeople({ browser, server, screenshots }) {
  const { context, page } = await openPortal(browser, server);
  try {
    await tab(page, "Attributes").click();
    await page.getByRole("heading", { name: "Attributes" }).waitFor(WAIT);
    await page.getByText("No attributes yet.").waitFor(WAIT);
    await page.getByRole("button", { name: "+ Department" }).click();
    await page.getByRole("button", { name: "+ Custom attribute" }).click();
    const custom = page.getByRole("group", { name: "New attribute 2" });
    await custom.getByLabel("Name").fill("Shift Lead");
    await custom.getByLabel("Type").selectOption({ label: "Yes/No" });
    await custom.getByLabel("Shown to all members").check();
    await page.getByRole("button", { name: "Save attributes" }).click();
    await page.getByRole("status").filter({ hasText: "Added Department, Shift Lead." }).waitFor(WAIT);
    const table = page.locator("table");
    await table.getByRole("cell", { name: "Shift Lead", exact: true }).waitFor(WAIT);
    check((await table.locator("tbody tr").count()) === 2, "two attributes listed");
    check((await table.locator("tr", { hasText: "Shift Lead" }).innerText()).includes("Yes/No"), "Shift Lead is a yes/no attribute");
    // Department is suggested no more once it exists.
    check((await page.getByRole("button", { name: "+ Department" }).count()) === 0, "the suggestion is gone");

    // A taken name: the server's refusal is shown on that field, nothing is added.
    await page.getByRole("button", { name: "+ Custom attribute" }).click();
    const again = page.getByRole("group", { name: "New attribute 1" });
    await again.getByLabel("Name").fill("department");
    await page.getByRole("button", { name: "Save attributes" }).click();
    await again.getByRole("alert").filter({ hasText: 'already has an attribute "Department"' }).waitFor(WAIT);
    check((await again.getByLabel("Name").getAttribute("aria-invalid")) === "true", "the name field is marked invalid");
    await shot(page, screenshots, "portal-attributes");
    await page.getByRole("button", { name: "Remove new attribute 1" }).click();
    check((await table.locator("tbody tr").count()) === 2, "still two attributes");

    // Add people: a full number, a local one read in the region picked, a bad one, and the
    // admin, who is in the directory already.
    await tab(page, "Add people").click();
    await page.getByLabel("Region of local numbers").selectOption("SG");
    await page.getByLabel("Phone numbers (comma-separated)").fill(`+6591000201, 9100 0202, 12, ${ADMIN_PHONE}`);
    await page.getByRole("button", { name: "Add people" }).click();
    const results = page.getByRole("table", { name: "Results" });
    await results.waitFor(WAIT);
    const row = (text) => results.locator("tbody tr", { hasText: text });
    check((await row("+6591000201").getAttribute("data-result")) === "added", "+6591000201 added");
    check((await row("+6591000202").getAttribute("data-result")) === "added", "the local number read as +6591000202 and added");
    check((await row(ADMIN_PHONE).innerText()).includes("Already in the directory"), "the admin reported as already a member: " + (await results.innerText()));
    const bad = results.locator('tbody tr[data-phone="12"]');
    check((await bad.getAttribute("data-result")) === "invalid", "12 reported invalid");
    check((await bad.innerText()).length > 10, "with the server's message: " + (await bad.innerText()));
    await shot(page, screenshots, "portal-add-people");

    // Both attributes become columns of the people list.
    await tab(page, "People").click();
    await page.getByRole("checkbox", { name: "Department" }).check();
    await page.getByRole("checkbox", { name: "Shift Lead" }).check();
    await page.getByRole("columnheader", { name: "Department" }).waitFor(WAIT);
    await page.getByRole("columnheader", { name: "Shift Lead" }).waitFor(WAIT);
    await page.getByRole("cell", { name: "+6591000202" }).waitFor(WAIT);
    check((await page.locator("tbody tr").count()) === 3, "the admin and the two people added");
    await shot(page, screenshots, "portal-people-columns");

    // Both removed at once, after a confirmation, values and all.
    await tab(page, "Attributes").click();
    await page.getByRole("checkbox", { name: "Select Department" }).check();
    await page.getByRole("checkbox", { name: "Select Shift Lead" }).check();
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Remove selected (2)" }).click();
    await page.getByRole("status").filter({ hasText: "Removed Department, Shift Lead." }).waitFor(WAIT);
    await page.getByText("No attributes yet.").waitFor(WAIT);
    await page.getByRole("button", { name: "+ Department" }).waitFor(WAIT);
  } finally {
    await context.close();
  }
}

// An admin edits a person's attribute values on their page: a number, a yes/no and a date are
// saved and still there after a reload, the number as the server stored it; a number given as
// words is refused with the server's message on its field; a mandatory value cannot be cleared.
export async function portalPersonAttributes({ browser, server, screenshots }) {
  const { context, page } = await openPortal(browser, server);
  try {
    const org = (await ok(server, page, "GET", "/api/v1/me")).organizations[0].id;
    const attribute = (name, type, mandatory = false) => ({ name, type, mandatory, self_editable: false, visible_to_members: false });
    await ok(server, page, "POST", `/api/v1/organizations/${org}/attributes`, {
      attributes: [attribute("Employee ID", "string", true), attribute("Headcount", "number"), attribute("First aider", "boolean"), attribute("Start date", "date_time")],
    });
    await ok(server, page, "POST", `/api/v1/organizations/${org}/people`, { phone: "+6591000601", name: "Pat Field", attributes: { "Employee ID": "E-100" } });

    // Found by a search (the list may have loaded before Pat was added).
    await tab(page, "People").click();
    await page.getByLabel("Search").fill("Pat");
    await page.getByRole("link", { name: "Pat Field" }).click();
    await page.getByRole("heading", { name: "Pat Field" }).waitFor(WAIT);
    const form = page.getByRole("form", { name: "Attributes" });
    const field = (name) => form.getByLabel(name);
    await field("Employee ID").waitFor(WAIT);
    check((await field("Employee ID").inputValue()) === "E-100", "the mandatory value is shown");
    check((await field("Headcount").inputValue()) === "", "no headcount yet");
    check((await field("First aider").inputValue()) === "", "first aider not set");

    // A number written with an exponent, a yes and a start date; the number comes back as stored.
    await field("Headcount").fill("1.2e1");
    await field("First aider").selectOption({ label: "Yes" });
    await field("Start date").fill("2026-03-01T08:30");
    await form.getByRole("button", { name: "Save attributes" }).click();
    await form.getByRole("status").filter({ hasText: "Saved Headcount, First aider, Start date." }).waitFor(WAIT);
    check((await field("Headcount").inputValue()) === "12", "the number as stored: " + (await field("Headcount").inputValue()));
    check(await form.getByRole("button", { name: "Save attributes" }).isDisabled(), "nothing left to save");
    await page.reload();
    await field("Headcount").waitFor(WAIT);
    check((await field("Headcount").inputValue()) === "12", "headcount saved");
    check((await field("First aider").inputValue()) === "true", "first aider saved");
    check((await field("Start date").inputValue()) === "2026-03-01T08:30", "start date saved: " + (await field("Start date").inputValue()));
    const personPath = `/api/v1/organizations/${org}/people/${page.url().split("/").pop()}`;
    const stored = await ok(server, page, "GET", personPath);
    check(stored.attributes.Headcount === "12" && stored.attributes["First aider"] === "true", "the server has them: " + JSON.stringify(stored.attributes));

    // Words for a number: the server refuses and says why on the field; nothing is changed.
    await field("Headcount").fill("twelve");
    await field("First aider").selectOption({ label: "No" });
    await form.getByRole("button", { name: "Save attributes" }).click();
    const refusal = form.getByRole("alert").filter({ hasText: '"Headcount" must be a number' });
    await refusal.waitFor(WAIT);
    check((await field("Headcount").getAttribute("aria-invalid")) === "true", "the headcount field is marked invalid");
    await shot(page, screenshots, "portal-person-attributes");
    const after = await ok(server, page, "GET", personPath);
    check(after.attributes.Headcount === "12" && after.attributes["First aider"] === "true", "all or nothing: " + JSON.stringify(after.attributes));

    // The mandatory value cannot be cleared: the form will not send it empty.
    await field("Headcount").fill("12");
    await field("First aider").selectOption({ label: "Yes" });
    await field("Employee ID").fill("");
    await form.getByRole("button", { name: "Save attributes" }).click();
    check(await field("Employee ID").evaluate((el) => el.validity.valueMissing), "the empty mandatory field is refused");
    check((await form.getByRole("status").count()) === 0, "nothing saved");
    await page.reload();
    await field("Employee ID").waitFor(WAIT);
    check((await field("Employee ID").inputValue()) === "E-100", "the mandatory value stayed");
  } finally {
    await context.close();
  }
}

// A two-level hierarchy built from the group pages, seen as a tree, and a cycle refused.
export async function portalGroupHierarchy({ browser, server, screenshots }) {
  const { context, page } = await openPortal(browser, server);
  try {
    await createGroup(page, "Region", { kind: "Hierarchical" });
    await createGroup(page, "North");
    await createGroup(page, "North Depot");
    // Depot below North, from the depot's page.
    await page.getByLabel("Parent group").selectOption({ label: "North" });
    await page.getByRole("button", { name: "Set parent" }).click();
    await page.getByRole("status").filter({ hasText: "North Depot is now below North." }).waitFor(WAIT);
    // North below Region, as a child added from Region's page.
    await openGroup(page, "Region");
    await page.getByLabel("Child group").selectOption({ label: "North" });
    await page.getByRole("button", { name: "Add child group" }).click();
    await page.getByRole("status").filter({ hasText: "North is now below Region." }).waitFor(WAIT);
    await page.getByTestId("group-type").filter({ hasText: "Hierarchical" }).waitFor(WAIT);
    const tree = page.getByRole("list", { name: "Hierarchy" });
    await tree.getByRole("button", { name: "Expand North" }).click();
    await tree.getByRole("link", { name: "North Depot" }).waitFor(WAIT);

    // Region below its own grandchild: refused with the server's reason.
    await page.getByLabel("Parent group").selectOption({ label: "North Depot" });
    await page.getByRole("button", { name: "Set parent" }).click();
    await page.getByRole("alert").filter({ hasText: /cycle/ }).waitFor(WAIT);
    check((await page.getByText("Parent group: ").count()) === 0, "Region still has no parent");

    // The groups list expands into the same tree.
    await tab(page, "Groups").click();
    const list = page.getByRole("list", { name: "Groups" });
    await list.getByRole("button", { name: "Expand Region" }).click();
    const region = list.locator(":scope > li", { hasText: "Region" }).first();
    await region.getByRole("button", { name: "Expand North" }).click();
    await region.getByRole("link", { name: "North Depot" }).waitFor(WAIT);
    await shot(page, screenshots, "portal-groups-tree");

    // The depot's page shows its branch from the root.
    await region.getByRole("link", { name: "North Depot" }).click();
    await page.getByRole("heading", { name: "North Depot" }).waitFor(WAIT);
    await page.getByText("Parent group: North").waitFor(WAIT);
    const branch = page.getByRole("list", { name: "Hierarchy" });
    check((await branch.getByRole("link", { name: "Region" }).count()) === 1, "the root is shown above");
    await page.getByRole("button", { name: "Remove from parent" }).click();
    await page.getByRole("status").filter({ hasText: "North Depot is no longer below North." }).waitFor(WAIT);
    await page.getByRole("button", { name: "Set parent" }).waitFor(WAIT);
  } finally {
    await context.close();
  }
}

// A tenant policy set on the Policies page is what a group follows; turning Parley off asks
// first; a group admin tightens a group on top.
export async function portalPolicies({ browser, server, screenshots }) {
  const { context, page } = await openPortal(browser, server);
  try {
    await createGroup(page, "Ops");
    const forwarding = page.locator('tr[data-policy="restrict_forward"]');
    check((await forwarding.locator(".in-force").innerText()) === "Off", "forwarding is not restricted yet");

    await tab(page, "Policies").click();
    await page.getByRole("heading", { name: "Policies" }).waitFor(WAIT);
    await page.getByLabel("Restrict forwarding", { exact: true }).check();
    await page.getByRole("button", { name: "Save policies" }).click();
    await page.getByRole("status").filter({ hasText: "Policies saved." }).waitFor(WAIT);

    // Turning Parley off is confirmed first; cancelling saves nothing.
    await page.getByRole("checkbox", { name: /^Parley enabled for the organization/ }).uncheck();
    await page.getByRole("button", { name: "Save policies" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Turn Parley off for the organization?" });
    await confirm.waitFor(WAIT);
    await shot(page, screenshots, "portal-policies");
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await page.reload();
    await page.getByRole("checkbox", { name: /^Parley enabled for the organization/ }).waitFor(WAIT);
    check(await page.getByRole("checkbox", { name: /^Parley enabled for the organization/ }).isChecked(), "Parley is still on");
    check(await page.getByLabel("Restrict forwarding", { exact: true }).isChecked(), "the saved policy stayed");

    // The group follows the tenant, and sets one of its own.
    await openGroup(page, "Ops");
    await forwarding.locator(".in-force").filter({ hasText: "On" }).waitFor(WAIT);
    check((await forwarding.getByRole("combobox").inputValue()) === "inherit", "Ops follows the organization");
    check((await forwarding.getByRole("option", { name: "Organization default (On)" }).count()) === 1, "the default shown as On");
    const invites = page.locator('tr[data-policy="invite_links"]');
    await invites.getByRole("combobox").selectOption("off");
    await page.getByRole("button", { name: "Save group policies" }).click();
    await page.getByRole("status").filter({ hasText: "Policies saved." }).waitFor(WAIT);
    await invites.locator(".in-force").filter({ hasText: "Off" }).waitFor(WAIT);
    await shot(page, screenshots, "portal-group-policies");
  } finally {
    await context.close();
  }
}

async function downloadRow(page, row) {
  await row.waitFor(WAIT);
  const [download] = await Promise.all([page.waitForEvent("download", WAIT), row.getByRole("button", { name: /^Download/ }).click()]);
  return readFileSync(await download.path(), "utf8");
}

// Exports of the people and of a group's members: progress followed until completed, the files
// downloaded and read.
export async function portalExports({ browser, server, screenshots }) {
  const { context, page } = await openPortal(browser, server);
  try {
    await tab(page, "Add people").click();
    await page.getByLabel("Phone numbers (comma-separated)").fill("+6591000401, +6591000402");
    await page.getByRole("button", { name: "Add people" }).click();
    await page.getByRole("table", { name: "Results" }).waitFor(WAIT);
    await createGroup(page, "Crew", { members: "+6591000401" });

    await tab(page, "Exports").click();
    await page.getByText("No exports yet.").waitFor(WAIT);
    await page.getByRole("button", { name: "Export people" }).click();
    const people = await downloadRow(page, page.locator('table.exports tbody tr[data-status="completed"]', { hasText: "people" }));
    check(people.charCodeAt(0) === 0xfeff, "a UTF-8 BOM");
    const lines = people.slice(1).split("\r\n").filter(Boolean);
    check(lines[0].startsWith("Phone Number,Name,Email,Role,Work Account,Added"), "the people header: " + lines[0]);
    check(lines.length === 4, "a line per person: " + JSON.stringify(lines));
    check(lines.some((l) => l.startsWith(ADMIN_PHONE + ",") && l.includes("Admin")), "the admin");
    check(lines.some((l) => l.startsWith("+6591000401,") && l.includes("Crew (Member)")), "a member with their group: " + people);

    await page.getByLabel("Group").selectOption({ label: "Crew" });
    await page.getByRole("button", { name: "Export group members" }).click();
    const crew = await downloadRow(page, page.locator('table.exports tbody tr[data-status="completed"]', { hasText: "Crew" }));
    const crewLines = crew.slice(1).split("\r\n").filter(Boolean);
    check(crewLines[0].startsWith("Group Name,Phone Number,Name,User Type"), "the group header: " + crewLines[0]);
    check(crewLines.some((l) => l.startsWith("Crew,+6591000401,")), "the member: " + crew);
    check(crewLines.some((l) => l.startsWith(`Crew,${ADMIN_PHONE},`) && l.includes("Admin")), "the creator as admin: " + crew);
    const history = page.locator("table.exports tbody tr");
    check((await history.count()) === 2, "two exports in the history");
    check((await history.first().innerText()).includes(ADMIN_PHONE), "exported by the admin");
    await shot(page, screenshots, "portal-exports");
  } finally {
    await context.close();
  }
}

// Seed 004: a group admin who is not an organization admin gets the portal for their groups
// only: no directory, no tenant policies; they manage their group's members.
export async function portalGroupAdminView({ browser, server, screenshots }) {
  const lead = "+6591000501";
  const admin = await openPortal(browser, server);
  let leadContext = null;
  try {
    const a = admin.page;
    await tab(a, "Add people").click();
    await a.getByLabel("Phone numbers (comma-separated)").fill(lead);
    await a.getByRole("button", { name: "Add people" }).click();
    await a.getByRole("table", { name: "Results" }).waitFor(WAIT);
    await createGroup(a, "Site A", { members: lead });
    await a.getByRole("button", { name: `Make ${lead} an admin` }).click();
    await a.locator(`li[data-member="${lead}"]`, { hasText: "Admin" }).waitFor(WAIT);
    await createGroup(a, "Head office");

    const opened = await openPortal(browser, server, { phone: lead, width: 360 });
    leadContext = opened.context;
    const b = opened.page;
    await b.getByRole("heading", { name: "Groups" }).waitFor(WAIT);
    const nav = b.getByRole("navigation", { name: "Portal" });
    check((await nav.getByRole("link").allInnerTexts()).join(",") === "Groups,Exports,Reports", "only Groups, Exports and Reports");
    const list = b.getByRole("list", { name: "Groups" });
    await list.getByRole("link", { name: "Site A" }).waitFor(WAIT);
    check((await list.getByRole("link", { name: "Head office" }).count()) === 0, "groups they are not in stay hidden");
    check((await b.getByRole("heading", { name: "Create a group" }).count()) === 0, "no group creation");
    await list.getByRole("link", { name: "Site A" }).click();
    await b.getByRole("heading", { name: "Site A" }).waitFor(WAIT);
    await b.getByLabel("Add people by phone number (comma-separated)").fill("+6591000502");
    await b.getByRole("button", { name: "Add to group" }).click();
    await b.getByRole("status", { name: "Added" }).filter({ hasText: "+6591000502: added" }).waitFor(WAIT);
    await b.locator('li[data-member="+6591000502"]').waitFor(WAIT);
    await shot(b, screenshots, "portal-group-admin-phone");
    // Their report has their group only; the organization admin's has every group.
    await nav.getByRole("link", { name: "Reports" }).click();
    const theirs = b.getByRole("table").locator("tbody tr");
    await theirs.filter({ hasText: "Site A" }).waitFor(WAIT);
    check((await theirs.count()) === 1, "a group admin's report has their groups only");
    await b.getByText("Activity in the groups you administer.").waitFor(WAIT);
    await tab(a, "Reports").click();
    const all = a.getByRole("table").locator("tbody tr");
    await all.filter({ hasText: "Head office" }).waitFor(WAIT);
    // Site A: the admin, the lead and the member the lead added.
    const siteA = all.filter({ hasText: "Site A" });
    check((await siteA.locator("td").first().innerText()) === "3", "Site A has three members: " + (await siteA.innerText()));
    await a.getByLabel("Period").selectOption("7");
    await a.getByText(/2 groups · \d+ messages/).waitFor(WAIT);
    const [file] = await Promise.all([a.waitForEvent("download", WAIT), a.getByRole("button", { name: "Download CSV" }).click()]);
    check(/^group-activity-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/.test(file.suggestedFilename()), "the CSV is named by its period: " + file.suggestedFilename());
    await shot(a, screenshots, "portal-reports");
    // The directory is not theirs: the address is answered with their groups instead.
    await b.goto(server.url + b.url().replace(/^https?:\/\/[^/]+/, "").replace(/reports$/, "people"));
    await b.getByRole("heading", { name: "Groups" }).waitFor(WAIT);
  } finally {
    await admin.context.close();
    if (leadContext) await leadContext.close();
  }
}

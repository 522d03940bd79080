// Action cards in the web chat (issue 6). An admin posts a poll from the composer's "New card"
// menu in an organization group of three; the three answer it in their own browsers while the
// admin's open page shows the counts change live to the final result, with no reload. The admin
// closes it and a responder sees it closed. Then, briefly: an announcement acknowledged by one
// member (the sender sees who has and who has not, reminds the others, and is told when it is
// too soon to remind again), a checklist ticked by a member, a job its assignee marks done,
// and a survey answered.
import { ADMIN_PHONE } from "./parleyd.mjs";
import { WAIT, check, shot, signIn } from "./steps.mjs";

const MEMBERS = [
  { phone: "+6591000011", name: "Mei Tan" },
  { phone: "+6591000012", name: "Raj Kumar" },
  { phone: "+6591000013", name: "Siti Noor" },
];

async function call(server, token, method, path, body) {
  const response = await fetch(server.url + path, {
    method,
    headers: { Authorization: "Bearer " + token, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = response.status === 204 ? null : await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

const token = (page) => page.evaluate(() => localStorage.getItem("parley.token"));
const card = (page, title) => page.locator("article.card-message", { hasText: title });

async function openGroup(page, name) {
  await page.getByRole("link", { name: new RegExp(name) }).click();
  await page.getByRole("heading", { name }).waitFor(WAIT);
}

async function newCard(page, type) {
  await page.getByRole("button", { name: "New card" }).click();
  await page.getByRole("group", { name: "Card types" }).getByRole("button", { name: type, exact: true }).click();
  await page.getByRole("heading", { name: "New " + type.toLowerCase() }).waitFor(WAIT);
}

async function vote(page, title, choice) {
  const poll = card(page, title);
  await poll.waitFor(WAIT);
  await poll.getByRole("radio", { name: choice }).check();
  await poll.getByRole("button", { name: "Vote" }).click();
  await poll.getByText("Change vote").waitFor(WAIT);
}

// The count the creator's page shows for a choice, as its accessible label says it.
async function waitForCount(page, title, choice, count, percent) {
  await card(page, title).getByLabel(`${choice}: ${count} (${percent}%)`).waitFor(WAIT);
}

export async function cardsLiveResults({ browser, server, screenshots }) {
  const contexts = [];
  const context = async (viewport) => {
    const c = await browser.newContext({ viewport, acceptDownloads: true });
    contexts.push(c);
    return c.newPage();
  };
  try {
    const admin = await context({ width: 1280, height: 900 });
    const members = [await context({ width: 360, height: 740 }), await context({ width: 1024, height: 800 }), await context({ width: 1024, height: 800 })];
    await signIn(admin, server, ADMIN_PHONE);
    for (const [i, page] of members.entries()) {
      await signIn(page, server, MEMBERS[i].phone);
      await call(server, await token(page), "PATCH", "/api/v1/me", { name: MEMBERS[i].name });
    }

    // Setup through the API: an organization group of the admin and the three.
    const adminToken = await token(admin);
    const me = await call(server, adminToken, "GET", "/api/v1/me");
    await call(server, adminToken, "POST", `/api/v1/organizations/${me.organizations[0].id}/groups`, {
      name: "Site team",
      members: MEMBERS.map((m) => m.phone),
    });
    await openGroup(admin, "Site team");
    for (const page of members) await openGroup(page, "Site team");
    await admin.evaluate(() => (window.__sameDocument = true));

    // The creation form checks before it sends, then posts the poll.
    await newCard(admin, "Poll");
    await admin.getByLabel("Question").fill("Lunch on Friday?");
    await admin.getByRole("button", { name: "Post poll" }).click();
    await admin.getByRole("dialog").getByRole("alert").filter({ hasText: "at least two choices" }).waitFor(WAIT);
    await admin.getByLabel("Choice 1", { exact: true }).fill("Rice");
    await admin.getByLabel("Choice 2", { exact: true }).fill("Noodles");
    await admin.getByRole("button", { name: "Add a choice" }).click();
    await admin.getByLabel("Choice 3", { exact: true }).fill("Salad");
    await shot(admin, screenshots, "card-create-poll");
    await admin.getByRole("button", { name: "Post poll" }).click();
    const poll = card(admin, "Lunch on Friday?");
    await poll.getByText("0 of 4 responded").waitFor(WAIT);

    // Three people answer in their own browsers; the creator's page follows live.
    await vote(members[0], "Lunch on Friday?", "Rice");
    await poll.getByText("1 of 4 responded").waitFor(WAIT);
    await waitForCount(admin, "Lunch on Friday?", "Rice", 1, 100);
    await vote(members[1], "Lunch on Friday?", "Noodles");
    await poll.getByText("2 of 4 responded").waitFor(WAIT);
    await waitForCount(admin, "Lunch on Friday?", "Noodles", 1, 50);
    await vote(members[2], "Lunch on Friday?", "Rice");
    await poll.getByText("3 of 4 responded").waitFor(WAIT);
    await waitForCount(admin, "Lunch on Friday?", "Rice", 2, 67);
    await waitForCount(admin, "Lunch on Friday?", "Noodles", 1, 33);
    await waitForCount(admin, "Lunch on Friday?", "Salad", 0, 0);
    for (const m of MEMBERS) await poll.locator(".card-people li", { hasText: m.name }).waitFor(WAIT);
    // A responder changes their mind: the counts follow, the participation does not grow.
    await card(members[2], "Lunch on Friday?").getByRole("radio", { name: "Salad" }).check();
    await card(members[2], "Lunch on Friday?").getByRole("button", { name: "Change vote" }).click();
    await waitForCount(admin, "Lunch on Friday?", "Salad", 1, 33);
    await waitForCount(admin, "Lunch on Friday?", "Rice", 1, 33);
    await poll.getByText("3 of 4 responded").waitFor(WAIT);
    check(await admin.evaluate(() => window.__sameDocument === true), "the creator's page was never reloaded");
    await poll.scrollIntoViewIfNeeded();
    await shot(admin, screenshots, "card-poll-results");

    // The creator closes it; a responder sees it closed and can no longer vote.
    admin.once("dialog", (dialog) => void dialog.accept());
    await poll.getByRole("button", { name: "Close" }).click();
    await admin.locator('article.card-message[data-state="closed"]', { hasText: "Lunch on Friday?" }).waitFor(WAIT);
    const closed = members[0].locator('article.card-message[data-state="closed"]', { hasText: "Lunch on Friday?" });
    await closed.waitFor(WAIT);
    await closed.getByText("You chose: Rice").waitFor(WAIT);
    check((await closed.getByRole("button", { name: /Vote/ }).count()) === 0, "a closed poll takes no votes");
    const [csv] = await Promise.all([admin.waitForEvent("download", WAIT), poll.getByRole("button", { name: "Download results (CSV)" }).click()]);
    check(/\.csv$/.test(csv.suggestedFilename()), "the results download as CSV: " + csv.suggestedFilename());

    // An announcement: one acknowledges; the sender sees who has and has not, and reminds.
    await newCard(admin, "Announcement");
    await admin.getByLabel("Title", { exact: true }).fill("Safety audit");
    await admin.getByLabel("Announcement", { exact: true }).fill("Friday 9:00, hard hats on.");
    await admin.getByRole("button", { name: "Post announcement" }).click();
    const notice = card(admin, "Safety audit");
    await notice.getByText("Not yet acknowledged (3)").waitFor(WAIT);
    await card(members[0], "Safety audit").getByRole("button", { name: "Acknowledge" }).click();
    await card(members[0], "Safety audit").getByText(/You acknowledged this/).waitFor(WAIT);
    await notice.getByText("Acknowledged (1)").waitFor(WAIT);
    await notice.locator(".card-people", { hasText: "Acknowledged (1)" }).getByText(MEMBERS[0].name).waitFor(WAIT);
    await notice.getByText("Not yet acknowledged (2)").waitFor(WAIT);
    check((await card(members[1], "Safety audit").getByText("Acknowledged (").count()) === 0, "only the sender sees who acknowledged");
    await notice.getByRole("button", { name: "Remind" }).click();
    await notice.getByText("Reminded 2 people.").waitFor(WAIT);
    await card(members[1], "Safety audit").getByText("reminded you to respond").waitFor(WAIT);
    await notice.getByRole("button", { name: "Remind" }).click();
    await notice.getByRole("alert").filter({ hasText: /remind/i }).waitFor(WAIT);
    await shot(admin, screenshots, "card-announcement");

    // A checklist: anyone ticks its items, and everyone sees who did and when.
    await newCard(admin, "Checklist");
    await admin.getByLabel("Title", { exact: true }).fill("Closing up");
    await admin.getByLabel("Items (one per line)").fill("Lights off\nTill counted");
    await admin.getByRole("button", { name: "Post checklist" }).click();
    await card(members[1], "Closing up").getByRole("checkbox", { name: "Lights off" }).check();
    await card(admin, "Closing up").getByText(`Ticked by ${MEMBERS[1].name}`).waitFor(WAIT);
    await card(admin, "Closing up").getByText("1 of 2 done").waitFor(WAIT);
    check(await card(admin, "Closing up").getByRole("checkbox", { name: "Lights off" }).isChecked(), "the tick shows on the sender's page");

    // A job: its assignee marks it done; the sender sees it.
    await newCard(admin, "Job");
    await admin.getByLabel("Title", { exact: true }).fill("Fix the gate");
    await admin.getByRole("dialog").getByRole("checkbox", { name: MEMBERS[0].name }).check();
    await admin.getByRole("button", { name: "Post job" }).click();
    check((await card(members[1], "Fix the gate").getByRole("button", { name: "Mark done" }).count()) === 0, "only assignees mark a job done");
    await card(members[0], "Fix the gate").getByRole("button", { name: "Mark done" }).click();
    await card(members[0], "Fix the gate").getByRole("button", { name: "Mark not done" }).waitFor(WAIT);
    await card(admin, "Fix the gate").locator(".card-people", { hasText: "Done (1)" }).getByText(MEMBERS[0].name).waitFor(WAIT);

    // A survey with a choice and a number question, answered by one member.
    await newCard(admin, "Survey");
    await admin.getByLabel("Title", { exact: true }).fill("Site visit");
    await admin.getByLabel("Question 1 title").fill("Shift");
    await admin.getByLabel("Question 1 choices (one per line)").fill("Day\nNight");
    await admin.getByRole("button", { name: "Add a question" }).click();
    await admin.getByLabel("Question 2 title").fill("Hours on site");
    await admin.getByLabel("Question 2 type").selectOption("number");
    await shot(admin, screenshots, "card-create-survey");
    await admin.getByRole("button", { name: "Post survey" }).click();
    const survey = card(members[2], "Site visit");
    await survey.getByRole("button", { name: "Submit response" }).click();
    await survey.getByRole("alert").filter({ hasText: '"Shift" needs an answer.' }).waitFor(WAIT);
    await survey.getByRole("radio", { name: "Night" }).check();
    await survey.getByLabel("Hours on site").fill("7.5");
    await survey.getByRole("button", { name: "Submit response" }).click();
    await survey.getByRole("button", { name: "Update response" }).waitFor(WAIT);
    await card(admin, "Site visit").getByLabel("Night: 1 (100%)").waitFor(WAIT);
    await card(admin, "Site visit").getByText(/1 answered · total 7.5/).waitFor(WAIT);
    await card(admin, "Site visit").scrollIntoViewIfNeeded();
    await shot(admin, screenshots, "card-survey");
  } finally {
    for (const c of contexts) await c.close();
  }
}

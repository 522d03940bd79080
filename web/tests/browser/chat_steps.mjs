// Steps the chat-feature browser tests share: calling the API as a signed-in page's user (to
// set up what an admin does elsewhere), and reading what the page keeps in the browser.
import { WAIT } from "./steps.mjs";

export async function token(page) {
  return page.evaluate(() => localStorage.getItem("parley.token"));
}

// Calls the API with the page's session; returns { status, body }.
export async function call(server, page, method, path, body) {
  const response = await fetch(server.url + path, {
    method,
    headers: { Authorization: "Bearer " + (await token(page)), ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

// Like call(), but any answer other than 2xx fails the test.
export async function ok(server, page, method, path, body) {
  const r = await call(server, page, method, path, body);
  if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

// An organization group with `memberPhone` in it, the member first added to the directory.
export async function organizationWithMember(server, admin, memberPhone, memberName) {
  const me = await ok(server, admin, "GET", "/api/v1/me");
  const org = me.organizations[0].id;
  await ok(server, admin, "POST", `/api/v1/organizations/${org}/people`, { phone: memberPhone, name: memberName });
  return org;
}

export function conversationLink(page, name) {
  return page.getByRole("navigation", { name: "Conversations" }).getByRole("link", { name });
}

export async function openConversation(page, name) {
  await conversationLink(page, name).waitFor(WAIT);
  await conversationLink(page, name).click();
  await page.getByRole("heading", { name }).waitFor(WAIT);
}

// Everything the page keeps in localStorage and IndexedDB, as one string per entry.
export async function storedEntries(page) {
  return page.evaluate(async () => {
    const entries = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      entries.push(key + "=" + localStorage.getItem(key));
    }
    const databases = (await indexedDB.databases?.()) ?? [];
    for (const d of databases) entries.push("indexeddb:" + d.name);
    return entries;
  });
}

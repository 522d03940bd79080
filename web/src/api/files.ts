// Files fetched with the bearer token and shown through blob: URLs (an <img> cannot send the
// token). Kept per conversation for the page's lifetime, so a wipe or a sign-out can revoke
// exactly the files of the conversations it erases.
import { request } from "./client";

const byPath = new Map<string, { conversationId: string; url: Promise<string> }>();

export function fileUrl(path: string, conversationId: string): Promise<string> {
  let entry = byPath.get(path);
  if (!entry) {
    const url = request("GET", path).then(async (r) => URL.createObjectURL(await r.blob()));
    url.catch(() => byPath.delete(path)); // a failure may be retried later
    entry = { conversationId, url };
    byPath.set(path, entry);
  }
  return entry.url;
}

// Forgets (and frees) the files of these conversations, or of all with no argument.
export function forgetFiles(conversationIds?: Set<string>) {
  for (const [path, entry] of byPath) {
    if (conversationIds && !conversationIds.has(entry.conversationId)) continue;
    byPath.delete(path);
    entry.url.then(URL.revokeObjectURL, () => {});
  }
}

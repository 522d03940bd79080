// The device's copy of the chat (localStorage), so the app opens at once from what it showed
// last and then syncs. Every conversation is its own entry whose key names its owner:
//   parley.cache.me                              the profile
//   parley.cache.conv.private.<conversation>     a privately owned conversation
//   parley.cache.conv.org:<organization>.<conv>  one an organization owns
// so a `wipe` for an organization erases exactly its entries by key, without reading them, and
// signing out erases every parley.cache.* entry.
import type { ConversationSummary, ConversationView, Message, Owner, Profile } from "./types";

const ROOT = "parley.cache.";
const ME = ROOT + "me";
const CONV = ROOT + "conv.";
const RECENT = 50; // messages kept per conversation

export interface CachedConversation {
  summary: ConversationSummary;
  view: ConversationView | null;
  messages: Message[];
}

function ownerKey(owner: Owner): string {
  return owner.type === "organization" ? "org:" + owner.organization_id : "private";
}

export function conversationKey(summary: ConversationSummary): string {
  return CONV + ownerKey(summary.owner) + "." + summary.id;
}

function keys(prefix: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key?.startsWith(prefix)) found.push(key);
  }
  return found;
}

function read<T>(key: string): T | null {
  try {
    const text = localStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    localStorage.removeItem(key); // unreadable: drop it rather than fail to start
    return null;
  }
}

// What was last written per key, so an unchanged conversation is not rewritten.
const written = new Map<string, string>();

function write(key: string, text: string) {
  if (written.get(key) === text) return;
  try {
    localStorage.setItem(key, text);
    written.set(key, text);
  } catch {
    // Storage full or disabled: the app still works, it only opens from the network.
  }
}

export const cache = {
  load(): { me: Profile | null; conversations: CachedConversation[] } {
    const conversations = keys(CONV)
      .map((k) => read<CachedConversation>(k))
      .filter((c): c is CachedConversation => !!c?.summary?.id);
    return { me: read<Profile>(ME), conversations };
  },

  // Writes the current state and removes entries for conversations no longer in it (left,
  // removed, or now under another owner's key).
  save(me: Profile | null, conversations: CachedConversation[]) {
    if (me) write(ME, JSON.stringify(me));
    const live = new Set<string>();
    for (const c of conversations) {
      const key = conversationKey(c.summary);
      live.add(key);
      write(key, JSON.stringify({ ...c, messages: c.messages.slice(-RECENT) }));
    }
    for (const key of keys(CONV)) {
      if (!live.has(key)) {
        localStorage.removeItem(key);
        written.delete(key);
      }
    }
  },

  // The organization removed this person: erase all it owns from the device.
  wipeOrganization(organizationId: string) {
    for (const key of keys(CONV + "org:" + organizationId + ".")) {
      localStorage.removeItem(key);
      written.delete(key);
    }
  },

  clear() {
    for (const key of keys(ROOT)) localStorage.removeItem(key);
    written.clear();
  },
};

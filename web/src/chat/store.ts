// The chat state of the signed-in user: profile, conversations with unread counts, loaded
// message pages and members' read markers, kept current by the stream. Messages are keyed by
// (conversation, seq), so the stream's resume and live events may overlap without duplicates.
import { api, enc } from "../api/client";
import { cache } from "../api/cache";
import { forgetFiles } from "../api/files";
import { session } from "../api/session";
import { Stream, type StreamEvent, type StreamStatus } from "../api/stream";
import type { ConversationSummary, ConversationView, HistoryPage, Message, Profile, ReactionSummary } from "../api/types";
import { Observable } from "../ui/observable";
import { cards } from "./cards/cardStore";

const PAGE = 30;

export interface Thread {
  messages: Message[]; // ascending by seq, no duplicates
  hasOlder: boolean;
  view: ConversationView | null; // members with their read markers
}

export function newClientId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class ChatStore extends Observable {
  me: Profile | null = null;
  conversations: ConversationSummary[] = [];
  threads = new Map<string, Thread>();
  status: StreamStatus = "connecting";
  openId: string | null = null;
  error: string | null = null;
  private stream: Stream | null = null;
  private generation = 0; // bumped by stop(): a start() still loading then gives up
  // Cached threads shown at start-up until the server's newest page replaces them on open.
  private stale = new Set<string>();
  private synced: Promise<void> = Promise.resolve();
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private wipes = 0; // bumped by every wipe: a conversation list asked for before it is stale
  // Conversations erased by a wipe, so an open pane can leave them.
  removed = new Set<string>();

  constructor() {
    super();
    // Signed out (or the session ended): nothing of the chat stays in memory either.
    session.subscribe(() => {
      if (session.token()) return;
      this.stop();
      this.me = null;
      this.conversations = [];
      this.threads.clear();
      this.stale.clear();
      this.openId = null;
      forgetFiles();
      super.changed();
    });
  }

  async start() {
    this.stop();
    this.me = null;
    this.conversations = [];
    this.threads.clear();
    this.openId = null;
    this.error = null;
    this.removed.clear();
    const generation = this.generation;
    this.restore();
    let done = () => {};
    this.synced = new Promise((resolve) => (done = resolve));
    try {
      const me = await api<Profile>("GET", "/api/v1/me");
      if (generation !== this.generation) return;
      const kept = this.me as Profile | null; // restore() set it
      if (kept && kept.id !== me.id) {
        // Another person's copy (never signed out): not theirs to see.
        cache.clear();
        this.conversations = [];
        this.threads.clear();
      }
      this.me = me;
      await this.refreshConversations();
      done();
    } catch (e) {
      done();
      this.error = (e as Error).message;
      this.changed();
      return;
    }
    if (generation !== this.generation) return;
    this.stream = new Stream({
      cursors: () => Object.fromEntries(this.conversations.map((c) => [c.id, c.last_seq])),
      event: (event) => this.apply(event),
      resumed: () => {
        void this.refreshConversations();
        cards.refreshAll(); // card.updated events missed while offline are not resumed
      },
      status: (status) => {
        this.status = status;
        this.changed();
      },
    });
    this.stream.start();
  }

  stop() {
    this.generation++;
    this.stream?.stop();
    this.stream = null;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
  }

  // Shows what the device kept (the conversation list and recent messages) before the network
  // answers; the threads are marked stale and replaced by the server's pages on open.
  private restore() {
    const kept = cache.load();
    this.stale.clear();
    this.me = kept.me;
    this.conversations = kept.conversations.map((c) => c.summary);
    this.conversations.sort((a, b) => b.last_activity_at.localeCompare(a.last_activity_at));
    for (const c of kept.conversations) {
      this.threads.set(c.summary.id, { messages: c.messages, hasOlder: true, view: c.view });
      this.stale.add(c.summary.id);
    }
    if (kept.conversations.length) super.changed();
  }

  // Every change is written to the device's cache shortly after (one write for a burst).
  protected changed() {
    super.changed();
    if (this.saveTimer || !this.me) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      if (!session.token()) return;
      cache.save(
        this.me,
        this.conversations.map((summary) => {
          const thread = this.threads.get(summary.id);
          return { summary, view: thread?.view ?? null, messages: thread?.messages ?? [] };
        }),
      );
    }, 300);
  }

  organizationName(id: string): string {
    return this.me?.organizations.find((o) => o.id === id)?.name ?? "an organization";
  }

  conversation(id: string): ConversationSummary | undefined {
    return this.conversations.find((c) => c.id === id);
  }

  async refreshConversations(): Promise<void> {
    const wipes = this.wipes;
    const list = await api<{ conversations: ConversationSummary[] }>("GET", "/api/v1/conversations");
    if (wipes !== this.wipes) return this.refreshConversations(); // may hold wiped ones
    const ids = new Set(list.conversations.map((c) => c.id));
    for (const id of ids) this.removed.delete(id); // back again (restored to the organization)
    for (const id of this.threads.keys()) if (!ids.has(id)) this.threads.delete(id);
    this.conversations = list.conversations.sort((a, b) => b.last_activity_at.localeCompare(a.last_activity_at));
    this.changed();
  }

  // Opens a conversation: its newest page and members on first open. Before the conversation
  // list has it (a link followed at start-up) there is nothing to page from yet: the pane calls
  // again once it arrives.
  async open(id: string) {
    this.openId = id;
    this.changed();
    if (this.stale.has(id)) await this.synced;
    const summary = this.conversation(id);
    if (!summary) return;
    if (!this.threads.has(id) || this.stale.has(id)) {
      const before = summary.last_seq + 1;
      const [page, view] = await Promise.all([
        api<HistoryPage>("GET", `/api/v1/conversations/${enc(id)}/messages?before=${before}&limit=${PAGE}`),
        api<ConversationView>("GET", `/api/v1/conversations/${enc(id)}`),
      ]);
      if (this.removed.has(id)) return; // wiped meanwhile
      const thread = this.thread(id);
      if (this.stale.delete(id)) thread.messages = []; // the cached copy may have gaps
      thread.view = view;
      thread.hasOlder = page.has_more;
      this.merge(id, page.messages);
    }
    await this.markRead(id);
  }

  close(id: string) {
    if (this.openId === id) this.openId = null;
  }

  async loadOlder(id: string) {
    const thread = this.thread(id);
    const first = thread.messages[0]?.seq;
    if (!thread.hasOlder || first === undefined) return;
    const page = await api<HistoryPage>("GET", `/api/v1/conversations/${enc(id)}/messages?before=${first}&limit=${PAGE}`);
    thread.hasOlder = page.has_more;
    this.merge(id, page.messages);
  }

  async send(id: string, text: string, replyTo?: string) {
    const body: Record<string, string> = { text, client_id: newClientId() };
    if (replyTo) body.reply_to = replyTo;
    const sent = await api<Message>("POST", `/api/v1/conversations/${enc(id)}/messages`, body);
    this.merge(id, [sent]);
    const summary = this.conversation(id);
    if (summary) summary.read_seq = Math.max(summary.read_seq, sent.seq);
    this.changed();
  }

  // A message the caller posted some other way (a card): shown at once, before its stream echo.
  posted(id: string, message: Message) {
    this.merge(id, [message]);
  }

  async edit(message: Message, text: string) {
    const edited = await api<Message>("PATCH", `/api/v1/conversations/${enc(message.conversation_id)}/messages/${enc(message.id)}`, { text });
    this.merge(message.conversation_id, [edited], true);
  }

  async remove(message: Message) {
    const tombstone = await api<Message>("DELETE", `/api/v1/conversations/${enc(message.conversation_id)}/messages/${enc(message.id)}`);
    this.merge(message.conversation_id, [tombstone], true);
  }

  async markRead(id: string) {
    const summary = this.conversation(id);
    if (!summary || summary.read_seq >= summary.last_seq) return;
    const marker = await api<{ read_seq: number }>("POST", `/api/v1/conversations/${enc(id)}/read`, { seq: summary.last_seq });
    summary.read_seq = marker.read_seq;
    summary.unread = Math.max(0, summary.last_seq - marker.read_seq);
    this.changed();
  }

  // How many of the other members have read up to `seq` (read receipts).
  readers(id: string, seq: number): { read: number; of: number } {
    const members = this.threads.get(id)?.view?.members ?? [];
    const others = members.filter((m) => m.user_id !== this.me?.id);
    return { read: others.filter((m) => m.read_seq >= seq).length, of: others.length };
  }

  thread(id: string): Thread {
    let thread = this.threads.get(id);
    if (!thread) {
      thread = { messages: [], hasOlder: false, view: null };
      this.threads.set(id, thread);
    }
    return thread;
  }

  // A message this client sent or changed itself (a forward, a send with attachments).
  accept(id: string, message: Message) {
    if (this.threads.has(id)) this.merge(id, [message], true);
    else void this.refreshConversations();
  }

  // A message's likes and comment count changed. `mine` is only known from our own calls and
  // history: a stream event (no `mine`) keeps what we knew.
  reacted(summary: Omit<ReactionSummary, "reactions"> & { reactions?: ReactionSummary["reactions"] }) {
    const thread = this.threads.get(summary.conversation_id);
    const index = thread?.messages.findIndex((m) => m.id === summary.message_id) ?? -1;
    if (!thread || index < 0) return;
    const old = thread.messages[index];
    const like = summary.reactions?.like;
    const mine = like && "mine" in like ? like.mine : old.reactions?.like.mine;
    thread.messages = thread.messages.slice();
    thread.messages[index] = {
      ...old,
      reactions: like ? { like: { count: like.count, mine } } : old.reactions,
      comment_count: summary.comment_count ?? old.comment_count,
    };
    this.changed();
  }

  private merge(id: string, incoming: Message[], replace = false) {
    const thread = this.thread(id);
    const bySeq = new Map(thread.messages.map((m) => [m.seq, m]));
    for (const m of incoming) {
      const old = bySeq.get(m.seq);
      if (old && !replace && !m.edited_at && !m.deleted) continue;
      // Live frames carry no `mine` for likes: keep what this reader knew.
      const like = m.reactions?.like;
      if (like && like.mine === undefined && old?.reactions?.like.mine !== undefined) {
        bySeq.set(m.seq, { ...m, reactions: { like: { ...like, mine: old.reactions.like.mine } } });
      } else bySeq.set(m.seq, m);
    }
    thread.messages = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    const summary = this.conversation(id);
    const newest = thread.messages[thread.messages.length - 1];
    if (summary && newest && newest.seq > summary.last_seq) {
      summary.last_seq = newest.seq;
      summary.last_activity_at = newest.created_at;
    }
    this.changed();
  }

  private apply(event: StreamEvent) {
    const id = event.conversation_id;
    switch (event.type) {
      case "message.created":
      case "message.edited":
      case "message.deleted":
        return this.onMessage(id!, event.message as Message, event.type !== "message.created");
      case "reaction.updated":
        return this.reacted({
          conversation_id: id!,
          message_id: event.message_id as string,
          reactions: event.reactions as ReactionSummary["reactions"],
          comment_count: event.comment_count as number,
        });
      case "read.updated":
        return this.onRead(id!, event.user_id as string, event.read_seq as number);
      case "member.added":
      case "member.removed":
      case "conversation.updated":
        if (id) this.threads.get(id) && void this.reloadView(id);
        return void this.refreshConversations();
      case "card.updated":
      case "card.reminder":
        return cards.onEvent(event.type, event.card as { id?: string });
      case "resume.truncated":
        // More was missed than the resume carries: drop the cached pages, reload on open.
        if (id) this.threads.delete(id);
        return void this.refreshConversations();
      case "wipe":
        return this.wipe(event.organization_id as string);
      case "person.updated":
        return void api<Profile>("GET", "/api/v1/me").then((me) => {
          this.me = me;
          this.changed();
        });
      case "session.revoked":
        this.stop();
        return session.expire();
    }
  }

  private onMessage(id: string, message: Message, replace: boolean) {
    const summary = this.conversation(id);
    if (!summary) return void this.refreshConversations();
    const known = this.threads.get(id)?.messages.some((m) => m.seq === message.seq);
    if (!replace && !known && message.seq > summary.read_seq && message.sender_id !== this.me?.id) {
      summary.unread += 1;
    }
    if (this.threads.has(id)) this.merge(id, [message], replace);
    else if (message.seq > summary.last_seq) {
      summary.last_seq = message.seq;
      summary.last_activity_at = message.created_at;
    }
    if (message.sender_id === this.me?.id) summary.read_seq = Math.max(summary.read_seq, message.seq);
    this.conversations.sort((a, b) => b.last_activity_at.localeCompare(a.last_activity_at));
    this.changed();
    if (this.openId === id && document.visibilityState === "visible") void this.markRead(id);
  }

  private onRead(id: string, userId: string, readSeq: number) {
    const summary = this.conversation(id);
    if (summary && userId === this.me?.id) {
      summary.read_seq = Math.max(summary.read_seq, readSeq);
      summary.unread = Math.min(summary.unread, Math.max(0, summary.last_seq - summary.read_seq));
    }
    const member = this.threads.get(id)?.view?.members.find((m) => m.user_id === userId);
    if (member) member.read_seq = Math.max(member.read_seq, readSeq);
    this.changed();
  }

  async reloadView(id: string) {
    try {
      const view = await api<ConversationView>("GET", `/api/v1/conversations/${enc(id)}`);
      if (this.removed.has(id)) return; // wiped meanwhile
      this.thread(id).view = view;
    } catch {
      this.threads.delete(id);
    }
    this.changed();
  }

  // The organization removed this person: forget everything of its conversations.
  private wipe(organizationId: string) {
    this.wipes++;
    const owned = this.conversations.filter((c) => c.owner.type === "organization" && c.owner.organization_id === organizationId);
    for (const c of owned) {
      this.threads.delete(c.id);
      this.stale.delete(c.id);
      this.removed.add(c.id);
    }
    this.conversations = this.conversations.filter((c) => !owned.includes(c));
    if (this.me) this.me = { ...this.me, organizations: this.me.organizations.filter((o) => o.id !== organizationId) };
    if (this.openId && owned.some((c) => c.id === this.openId)) this.openId = null;
    cache.wipeOrganization(organizationId);
    forgetFiles(new Set(owned.map((c) => c.id)));
    this.changed();
  }
}

export const chat = new ChatStore();

import type { Member, Message } from "../api/types";
import { AttachmentList } from "./Attachments";
import { MessageExtras } from "./MessageExtras";
import { policiesOf } from "./Restrictions";
import { CardMessage } from "./cards/CardMessage";

interface Props {
  message: Message;
  mine: boolean;
  kind: "chat" | "group";
  sender?: Member;
  replied?: Message;
  receipt?: { read: number; of: number };
  canDelete: boolean;
  onReply(): void;
  onEdit(): void;
  onDelete(): void;
}

function time(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function receiptText(kind: "chat" | "group", r: { read: number; of: number }): string {
  if (kind === "chat") return r.read > 0 ? "Read" : "Sent";
  return r.read === 0 ? "Sent" : `Read by ${r.read} of ${r.of}`;
}

export function MessageItem(p: Props) {
  const m = p.message;
  if (m.kind === "system") {
    return (
      <p class="system" data-seq={m.seq}>
        {m.text}
      </p>
    );
  }
  if (m.kind === "card" && m.card && !m.deleted) return <CardMessage {...p} />;
  return (
    <article class={"message" + (p.mine ? " mine" : "")} data-seq={m.seq} aria-label={`Message ${m.seq}`}>
      {!p.mine && p.kind === "group" && <span class="sender">{p.sender?.name || p.sender?.phone || "Someone"}</span>}
      {p.replied && (
        <blockquote class="quote" aria-label="In reply to">
          {p.replied.deleted ? "Deleted message" : p.replied.text}
        </blockquote>
      )}
      {m.deleted ? <p class="text deleted">This message was deleted.</p> : m.text && <p class="text">{m.text}</p>}
      {!m.deleted && !!m.attachments?.length && <AttachmentList attachments={m.attachments} restricted={!!policiesOf(m.conversation_id)?.restrict_share} />}
      <footer>
        {m.forwarded && <span>Forwarded · </span>}
        <time dateTime={m.created_at}>{time(m.created_at)}</time>
        {m.edited_at && !m.deleted && <span> · edited</span>}
        {p.receipt && !m.deleted && <span class="receipt"> · {receiptText(p.kind, p.receipt)}</span>}
      </footer>
      {!m.deleted && (
        <div class="actions">
          <button type="button" class="link" onClick={p.onReply}>
            Reply
          </button>
          {p.mine && (
            <button type="button" class="link" onClick={p.onEdit}>
              Edit
            </button>
          )}
          {p.canDelete && (
            <button type="button" class="link" onClick={p.onDelete}>
              Delete
            </button>
          )}
        </div>
      )}
      <MessageExtras message={m} />
    </article>
  );
}

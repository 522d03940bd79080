import type { Message } from "../api/types";
import { MessageExtras } from "./MessageExtras";
import { MessageActions, MessageAttachments, MessageTime, SenderName, type MessageProps } from "./MessageParts";
import { CardMessage } from "./cards/CardMessage";

interface Props extends MessageProps {
  replied?: Message;
  receipt?: { read: number; of: number };
  onEdit(): void;
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
      <SenderName {...p} />
      {p.replied && (
        <blockquote class="quote" aria-label="In reply to">
          {p.replied.deleted ? "Deleted message" : p.replied.text}
        </blockquote>
      )}
      {m.deleted ? <p class="text deleted">This message was deleted.</p> : m.text && <p class="text">{m.text}</p>}
      {!m.deleted && <MessageAttachments message={m} />}
      <footer>
        {m.forwarded && <span>Forwarded · </span>}
        <MessageTime message={m} />
        {m.edited_at && !m.deleted && <span> · edited</span>}
        {p.receipt && !m.deleted && <span class="receipt"> · {receiptText(p.kind, p.receipt)}</span>}
      </footer>
      {!m.deleted && (
        <MessageActions {...p}>
          {p.mine && (
            <button type="button" class="link" onClick={p.onEdit}>
              Edit
            </button>
          )}
        </MessageActions>
      )}
      <MessageExtras message={m} />
    </article>
  );
}

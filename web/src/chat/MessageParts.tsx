// What every message in the list shows the same way, whatever its kind (text or card): who sent
// it, its files, when, and its actions: Reply first, then those of its kind, then Delete where
// allowed.
import type { ComponentChildren } from "preact";
import type { Member, Message } from "../api/types";
import { AttachmentList } from "./Attachments";
import { policiesOf } from "./Restrictions";

// What the conversation gives each message it lists.
export interface MessageProps {
  message: Message;
  mine: boolean;
  kind: "chat" | "group";
  sender?: Member;
  canDelete: boolean;
  onReply(): void;
  onDelete(): void;
}

// The sender's name above others' messages in groups (a chat has one other person).
export function SenderName({ mine, kind, sender }: Pick<MessageProps, "mine" | "kind" | "sender">) {
  if (mine || kind !== "group") return null;
  return <span class="sender">{sender?.name || sender?.phone || "Someone"}</span>;
}

// The files, offered for download unless the conversation restricts sharing.
export function MessageAttachments({ message }: { message: Message }) {
  if (!message.attachments?.length) return null;
  return <AttachmentList attachments={message.attachments} restricted={!!policiesOf(message.conversation_id)?.restrict_share} />;
}

export function MessageTime({ message }: { message: Message }) {
  return <time dateTime={message.created_at}>{new Date(message.created_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}</time>;
}

// `children`: the actions of the message's kind, between Reply and Delete.
export function MessageActions({ canDelete, onReply, onDelete, children }: Pick<MessageProps, "canDelete" | "onReply" | "onDelete"> & { children?: ComponentChildren }) {
  return (
    <div class="actions">
      <button type="button" class="link" onClick={onReply}>
        Reply
      </button>
      {children}
      {canDelete && (
        <button type="button" class="link" onClick={onDelete}>
          Delete
        </button>
      )}
    </div>
  );
}

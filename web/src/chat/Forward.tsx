// Forwarding a message (with its attachments) to another conversation picked from the list.
// Where the source conversation's policies restrict forwarding the action is disabled and says
// why; should the server still refuse (the policy changed meanwhile), its message is shown.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { Message } from "../api/types";
import { chat, newClientId } from "./store";
import { title } from "./ConversationList";
import { OrgMark } from "../ui/OrgMark";
import { navigate } from "../ui/router";

export const FORWARD_RESTRICTED = "Forwarding is restricted in this conversation.";

function ForwardDialog({ message, onClose }: { message: Message; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [filter, setFilter] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ id: string; name: string } | null>(null);
  useEffect(() => dialog.current?.showModal(), []);

  const targets = chat.conversations.filter(
    (c) => c.id !== message.conversation_id && !c.inherited && title(c).toLowerCase().includes(filter.trim().toLowerCase()),
  );

  async function forward(id: string, name: string) {
    setBusy(true);
    setError(null);
    try {
      const sent = await api<Message>("POST", `/api/v1/conversations/${enc(id)}/messages`, {
        forward_of: { conversation_id: message.conversation_id, message_id: message.id },
        client_id: newClientId(),
      });
      chat.accept(id, sent);
      setDone({ id, name });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={dialog} class="dialog forward-dialog" aria-labelledby="forward-title" onClose={onClose}>
      <h2 id="forward-title">Forward message</h2>
      <blockquote class="quote">{message.text || (message.attachments?.length ? `${message.attachments.length} file(s)` : "")}</blockquote>
      {done ? (
        <p role="status">
          Forwarded to {done.name}.{" "}
          <button
            type="button"
            class="link"
            onClick={() => {
              onClose();
              navigate("/chats/" + encodeURIComponent(done.id));
            }}
          >
            Open {done.name}
          </button>
        </p>
      ) : (
        <>
          <label for="forward-filter">Forward to</label>
          <input id="forward-filter" type="search" value={filter} placeholder="Search conversations" onInput={(e) => setFilter(e.currentTarget.value)} />
          <ul class="forward-targets" aria-label="Conversations">
            {targets.map((c) => (
              <li key={c.id}>
                <button type="button" class="target" disabled={busy} onClick={() => void forward(c.id, title(c))}>
                  {title(c)}
                  {c.owner.type === "organization" && <OrgMark name={chat.organizationName(c.owner.organization_id)} />}
                </button>
              </li>
            ))}
            {targets.length === 0 && <li class="muted">No other conversation matches.</li>}
          </ul>
        </>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="dialog-actions">
        <button type="button" onClick={onClose}>
          {done ? "Done" : "Cancel"}
        </button>
      </div>
    </dialog>
  );
}

export function ForwardButton({ message, restricted }: { message: Message; restricted: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        class="link"
        disabled={restricted}
        title={restricted ? FORWARD_RESTRICTED : undefined}
        aria-describedby={restricted ? "policy-notice" : undefined}
        onClick={() => setOpen(true)}
      >
        Forward
      </button>
      {open && <ForwardDialog message={message} onClose={() => setOpen(false)} />}
    </>
  );
}

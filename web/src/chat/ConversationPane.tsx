// One conversation: its history (older pages on demand), live messages, and the composer.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { chat } from "./store";
import { title } from "./ConversationList";
import { MessageItem } from "./MessageItem";
import { Composer, type Draft } from "./Composer";
import { NewCardMenu } from "./cards/NewCardMenu";
import { OrgMark } from "../ui/OrgMark";
import { ErrorText } from "../ui/ErrorText";
import { onLinkClick } from "../ui/router";
import { useObservable } from "../ui/observable";

export function ConversationPane({ id }: { id: string }) {
  const store = useObservable(chat);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>({ mode: "new" });
  const scroller = useRef<HTMLDivElement>(null);
  const summary = store.conversation(id);
  const thread = store.threads.get(id);
  const count = thread?.messages.length ?? 0;
  const newest = thread?.messages[count - 1]?.seq;

  useEffect(() => {
    store.open(id).catch((e) => setError((e as Error).message));
    return () => store.close(id);
  }, [id, summary !== undefined]);

  // Follow new messages at the bottom.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [newest]);

  const run = (action: Promise<unknown>) => {
    setError(null);
    return action.catch((e) => setError((e as Error).message));
  };
  const mine = (senderId: string | null) => senderId === store.me?.id;
  const admin = thread?.view?.my_role === "admin";
  const members = thread?.view?.members ?? [];

  return (
    <section class="conversation-pane" aria-label={summary ? title(summary) : "Conversation"}>
      <header class="pane-header">
        <a href="/chats" onClick={onLinkClick} class="back" aria-label="Back to conversations">
          ‹
        </a>
        <h2>
          {summary ? title(summary) : "…"}
          {summary?.owner.type === "organization" && <OrgMark name={store.organizationName(summary.owner.organization_id)} />}
        </h2>
        {thread?.view && <span class="members">{thread.view.member_count} members</span>}
      </header>
      <div class="messages" ref={scroller} role="log" aria-live="polite" aria-label="Messages">
        {thread?.hasOlder && (
          <button type="button" class="link older" onClick={() => void run(store.loadOlder(id))}>
            Load older messages
          </button>
        )}
        {thread?.messages.map((m) => (
          <MessageItem
            key={m.seq}
            message={m}
            mine={mine(m.sender_id)}
            kind={summary?.kind ?? "group"}
            sender={members.find((p) => p.user_id === m.sender_id)}
            replied={m.reply_to ? thread.messages.find((r) => r.id === m.reply_to) : undefined}
            receipt={mine(m.sender_id) ? store.readers(id, m.seq) : undefined}
            canDelete={mine(m.sender_id) || admin}
            onReply={() => setDraft({ mode: "reply", message: m })}
            onEdit={() => setDraft({ mode: "edit", message: m })}
            onDelete={() => {
              if (confirm("Delete this message for everyone?")) void run(store.remove(m));
            }}
          />
        ))}
      </div>
      <ErrorText error={error} />
      {summary?.inherited ? (
        <p class="hint">You read this group through one of its child groups and cannot post here.</p>
      ) : (
        <Composer
          draft={draft}
          onCancel={() => setDraft({ mode: "new" })}
          onSubmit={async (text) => {
            if (draft.mode === "edit") await store.edit(draft.message, text);
            else await store.send(id, text, draft.mode === "reply" ? draft.message.id : undefined);
            setDraft({ mode: "new" });
          }}
          onError={setError}
          tools={<NewCardMenu conversationId={id} />}
        />
      )}
    </section>
  );
}

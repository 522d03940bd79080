// One conversation: its history (older pages on demand), live messages, and the composer.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { chat, newClientId } from "./store";
import { lazy } from "../ui/lazy";
import { sendFiles } from "./Attachments";
import { PolicyNotice, copyGuard, policiesOf } from "./Restrictions";
import { title } from "./ConversationList";
import { MessageItem } from "./MessageItem";
import { Composer, type Draft } from "./Composer";
import { NewCardMenu } from "./cards/NewCardMenu";
import { OrgMark } from "../ui/OrgMark";
import { ErrorText } from "../ui/ErrorText";
import { navigate, onLinkClick } from "../ui/router";
import { useObservable } from "../ui/observable";

const GroupInfo = lazy(() => import("./GroupInfo").then((m) => m.GroupInfo));

export function ConversationPane({ id }: { id: string }) {
  const store = useObservable(chat);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>({ mode: "new" });
  const [info, setInfo] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const summary = store.conversation(id);
  const thread = store.threads.get(id);
  const count = thread?.messages.length ?? 0;
  const newest = thread?.messages[count - 1]?.seq;

  useEffect(() => {
    store.open(id).catch((e) => setError((e as Error).message));
    return () => store.close(id);
  }, [id, summary !== undefined]);

  // Wiped from this device (removed from its organization): nothing left to show.
  const wiped = store.removed.has(id);
  useEffect(() => {
    if (wiped) navigate("/chats", true);
  }, [wiped]);

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
  const policies = policiesOf(id);
  const noCopy = !!policies?.restrict_copy;

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
        <button type="button" class="link info-toggle" aria-expanded={info} onClick={() => setInfo(!info)}>
          {info ? "Close info" : summary?.kind === "chat" ? "Contact info" : "Group info"}
        </button>
      </header>
      {info && <GroupInfo id={id} onClose={() => setInfo(false)} />}
      {!info && <PolicyNotice policies={policies} />}
      <div
        class={"messages" + (noCopy ? " no-copy" : "")}
        ref={scroller}
        role="log"
        aria-live="polite"
        aria-label="Messages"
        hidden={info}
        {...(noCopy ? copyGuard : {})}
      >
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
      {info ? null : summary?.inherited ? (
        <p class="hint">You read this group through one of its child groups and cannot post here.</p>
      ) : (
        <Composer
          draft={draft}
          onCancel={() => setDraft({ mode: "new" })}
          onSubmit={async (text, files, onProgress) => {
            if (files.length) store.accept(id, await sendFiles(id, files, text, newClientId(), onProgress));
            else if (draft.mode === "edit") await store.edit(draft.message, text);
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

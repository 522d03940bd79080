import { chat } from "./store";
import { OrgMark } from "../ui/OrgMark";
import { onLinkClick } from "../ui/router";
import { useObservable } from "../ui/observable";
import type { ConversationSummary } from "../api/types";

export function title(c: ConversationSummary): string {
  if (c.kind === "chat") return c.peer?.name || c.peer?.phone || c.name || "Chat";
  return c.name;
}

export function ConversationList({ openId }: { openId: string | null }) {
  const store = useObservable(chat);
  return (
    <nav class="list" aria-label="Conversations">
      <div class="list-actions">
        <a class="button" href="/chats/new-chat" onClick={onLinkClick}>
          New chat
        </a>
        <a class="button" href="/chats/new-group" onClick={onLinkClick}>
          New group
        </a>
      </div>
      {store.error && <p class="error">{store.error}</p>}
      <ul>
        {store.conversations.map((c) => (
          <li key={c.id}>
            <a
              href={"/chats/" + encodeURIComponent(c.id)}
              onClick={onLinkClick}
              class="conversation"
              aria-current={c.id === openId ? "page" : undefined}
              data-conversation={c.id}
            >
              <span class="name">
                {title(c)}
                {c.owner.type === "organization" && <OrgMark name={store.organizationName(c.owner.organization_id)} />}
              </span>
              {c.unread > 0 && (
                <span class="unread" aria-label={`${c.unread} unread`}>
                  {c.unread}
                </span>
              )}
            </a>
          </li>
        ))}
      </ul>
      {store.conversations.length === 0 && !store.error && <p class="hint">No conversations yet.</p>}
    </nav>
  );
}

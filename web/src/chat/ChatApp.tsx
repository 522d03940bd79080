// The chat: the conversation list beside the open conversation (one at a time on a phone).
import { ConversationList } from "./ConversationList";
import { ConversationPane } from "./ConversationPane";
import { NewChat } from "./NewChat";
import { NewGroup } from "./NewGroup";
import { lazy } from "../ui/lazy";
import { match } from "../ui/router";

const JoinInvite = lazy(() => import("./JoinInvite").then((m) => m.JoinInvite));

export function ChatApp({ path }: { path: string }) {
  const open = match("/chats/:id", path)?.id;
  const invite = match("/join/:token", path)?.token;
  const pane = invite ? (
    <JoinInvite token={invite} />
  ) : open === "new-chat" ? <NewChat /> : open === "new-group" ? <NewGroup /> : open ? <ConversationPane key={open} id={open} /> : null;
  return (
    <div class={"chat" + (pane ? " has-pane" : "")}>
      <ConversationList openId={open ?? null} />
      <main class="pane">{pane ?? <p class="hint">Choose a conversation, or start a new one.</p>}</main>
    </div>
  );
}

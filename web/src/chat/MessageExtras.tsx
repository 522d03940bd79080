// What a message offers besides reply/edit/delete: likes and comments, copy and forward, each
// as the conversation's policies allow. One component so MessageItem needs one line for it.
import type { Message } from "../api/types";
import { chat } from "./store";
import { ReactionBar } from "./Reactions";
import { ForwardButton } from "./Forward";
import { CopyButton, policiesOf } from "./Restrictions";

export function MessageExtras({ message }: { message: Message }) {
  if (message.deleted || message.kind === "system") return null;
  const policies = policiesOf(message.conversation_id);
  const summary = chat.conversation(message.conversation_id);
  return (
    <div class="extras">
      <CopyButton message={message} restricted={!!policies?.restrict_copy} />
      <ForwardButton message={message} restricted={!!policies?.restrict_forward} />
      <ReactionBar message={message} canComment={!summary?.inherited} />
    </div>
  );
}

// Honouring a conversation's copy, share and forward restrictions (the server enforces
// forwarding; copying and saving files out of the page happen only in the client): the policies
// in force, a notice saying what is restricted, handlers that stop copying from the message list
// and saving its files, and the Copy action.
import { useState } from "preact/hooks";
import type { Message, Policies } from "../api/types";
import { chat } from "./store";

// The policies in force: the conversation view's when loaded, else the list's.
export function policiesOf(id: string): Policies | undefined {
  return chat.threads.get(id)?.view?.policies ?? chat.conversation(id)?.policies;
}

export function PolicyNotice({ policies }: { policies?: Policies }) {
  if (!policies || (!policies.restrict_copy && !policies.restrict_forward && !policies.restrict_share)) return null;
  const what = [policies.restrict_copy && "copying", policies.restrict_share && "sharing", policies.restrict_forward && "forwarding"].filter(Boolean);
  const list = what.length > 1 ? what.slice(0, -1).join(", ") + " and " + what[what.length - 1] : what[0];
  return (
    <p class="policy-notice" id="policy-notice">
      This conversation's policies restrict {list} of its messages.
    </p>
  );
}

// Spread on the message list where copying is restricted (with the no-copy class, whose CSS
// turns text selection off): copy, cut, drag and the context menu do nothing.
export const copyGuard = {
  onCopy: (e: Event) => e.preventDefault(),
  onCut: (e: Event) => e.preventDefault(),
  onDragStart: (e: Event) => e.preventDefault(),
  onContextMenu: (e: Event) => e.preventDefault(),
};

// Spread on pictures and players where sharing is restricted (with the no-share class, whose CSS
// turns the touch callout off): no context menu (save as, open in a new tab) and no dragging the
// file out of the page. The files still show and play in it.
export const shareGuard = {
  onContextMenu: (e: Event) => e.preventDefault(),
  onDragStart: (e: Event) => e.preventDefault(),
};

// Said in place of a file's Download action where sharing is restricted.
export function ShareRestricted() {
  return (
    <span class="share-restricted">
      Sharing is restricted in this conversation.
    </span>
  );
}

export function CopyButton({ message, restricted }: { message: Message; restricted: boolean }) {
  const [copied, setCopied] = useState(false);
  if (!message.text) return null;
  return (
    <button
      type="button"
      class="link"
      disabled={restricted}
      title={restricted ? "Copying is restricted in this conversation." : undefined}
      aria-describedby={restricted ? "policy-notice" : undefined}
      onClick={() =>
        navigator.clipboard?.writeText(message.text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        })
      }
    >
      {copied ? "Copied" : "Copy"}
    </button>
  );
}

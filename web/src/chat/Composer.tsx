// Writes a new message, a reply or an edit, with files attached to a new message (the text is
// then their caption). Enter sends; Shift+Enter starts a new line.
import { useEffect, useRef, useState } from "preact/hooks";
import type { ComponentChildren } from "preact";
import type { Message } from "../api/types";
import { AttachmentPicker, type Progress } from "./Attachments";

export type Draft = { mode: "new" } | { mode: "reply"; message: Message } | { mode: "edit"; message: Message };

interface Props {
  draft: Draft;
  onSubmit(text: string, files: File[], onProgress: (p: Progress) => void): Promise<void>;
  onCancel(): void;
  onError(message: string | null): void;
  tools?: ComponentChildren; // more ways to post (new card), shown beside the text box
}

export function Composer({ draft, onSubmit, onCancel, onError, tools }: Props) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [progress, setProgress] = useState<Progress | null>(null);
  const canAttach = draft.mode === "new";
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    setText(draft.mode === "edit" ? draft.message.text : "");
    input.current?.focus();
  }, [draft]);

  async function submit(e?: Event) {
    e?.preventDefault();
    const attached = canAttach ? files : [];
    if ((!text.trim() && attached.length === 0) || busy) return;
    setBusy(true);
    onError(null);
    try {
      await onSubmit(text, attached, setProgress);
      setText("");
      setFiles([]);
    } catch (err) {
      onError((err as Error).message);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  }

  return (
    <form class="composer" onSubmit={submit}>
      {draft.mode !== "new" && (
        <div class="draft-context">
          <span>
            {draft.mode === "reply" ? "Replying to: " : "Editing: "}
            {draft.message.text.slice(0, 80)}
          </span>
          <button type="button" class="link" onClick={onCancel}>
            Cancel
          </button>
        </div>
      )}
      {canAttach && <AttachmentPicker files={files} onChange={setFiles} progress={progress} />}
      {tools && <div class="composer-tools">{tools}</div>}
      <label for="composer-text" class="visually-hidden">
        Message
      </label>
      <textarea
        id="composer-text"
        ref={input}
        rows={2}
        maxLength={4000}
        value={text}
        placeholder={files.length && canAttach ? "Add a caption (optional)" : "Write a message"}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey) void submit(e);
          if (e.key === "Escape" && draft.mode !== "new") onCancel();
        }}
      />
      <button type="submit" disabled={busy || (!text.trim() && !(canAttach && files.length))}>
        {draft.mode === "edit" ? "Save" : "Send"}
      </button>
    </form>
  );
}

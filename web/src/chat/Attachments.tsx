// Files in messages: uploading them (each file streamed as the request body, then one message
// carrying them with the caption), and showing them: picture thumbnails that open full size,
// documents as a named chip with size and download, audio and video playable in the page.
// Files need the bearer token, so they are fetched and shown through blob: URLs. Where the
// conversation restricts sharing, files still show and play but are offered for no download or
// saving (see Restrictions).
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, download, enc, request } from "../api/client";
import { fileUrl } from "../api/files";
import type { Attachment, Message } from "../api/types";
import { ShareRestricted, shareGuard } from "./Restrictions";

export const MAX_FILES = 10; // per message (the server's limit)

export interface Progress {
  sent: number; // bytes of the files uploaded so far
  total: number;
  current: string; // the file on its way
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// One file to the conversation as an unsent upload, for a message or a card to claim.
export async function upload(conversationId: string, file: File): Promise<Attachment> {
  try {
    const response = await request("POST", `/api/v1/conversations/${enc(conversationId)}/attachments?filename=${enc(file.name)}`, undefined, {
      body: file, // streamed from disk by the browser, never read into memory here
      headers: { "Content-Type": "application/octet-stream" },
    });
    return (await response.json()) as Attachment;
  } catch (e) {
    // Name the file: "photo.png: The file is larger than …" says which one to fix.
    if (e instanceof ApiError) throw new ApiError(e.status, e.code, `${file.name}: ${e.message}`);
    throw e;
  }
}

// Uploads the files one after the other (progress advances per finished file: fetch reports
// no upload progress), then sends one message carrying them with the caption.
export async function sendFiles(
  conversationId: string,
  files: File[],
  caption: string,
  clientId: string,
  onProgress: (p: Progress) => void,
): Promise<Message> {
  const total = files.reduce((sum, f) => sum + f.size, 0);
  let sent = 0;
  const ids: string[] = [];
  for (const file of files) {
    onProgress({ sent, total, current: file.name });
    ids.push((await upload(conversationId, file)).id);
    sent += file.size;
  }
  onProgress({ sent, total, current: "" });
  const body: Record<string, unknown> = { attachments: ids, client_id: clientId };
  if (caption.trim()) body.text = caption;
  const response = await request("POST", `/api/v1/conversations/${enc(conversationId)}/messages`, body);
  return (await response.json()) as Message;
}

// The files chosen for the next message, each removable before sending.
export function AttachmentPicker({ files, onChange, progress }: { files: File[]; onChange(files: File[]): void; progress: Progress | null }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <div class="attach">
      <input
        ref={input}
        id="composer-files"
        type="file"
        multiple
        class="visually-hidden"
        onChange={(e) => {
          const chosen = Array.from(e.currentTarget.files ?? []);
          onChange([...files, ...chosen].slice(0, MAX_FILES));
          e.currentTarget.value = "";
        }}
      />
      <button type="button" class="link" onClick={() => input.current?.click()} aria-label="Attach files" title="Attach files">
        <svg class="attach-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <path d="M11 4v7a3 3 0 0 1-6 0V3.5a2 2 0 0 1 4 0V11a1 1 0 0 1-2 0V4.5" fill="none" stroke="currentColor" stroke-width="1.4" />
        </svg>
        Attach
      </button>
      {files.length > 0 && (
        <ul class="chosen" aria-label="Files to send">
          {files.map((f, i) => (
            <li key={f.name + i} class="chip">
              <span>{f.name}</span> <small>{formatSize(f.size)}</small>
              <button type="button" class="link" aria-label={"Remove " + f.name} onClick={() => onChange(files.filter((_, j) => j !== i))} disabled={!!progress}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {progress && (
        <label class="upload-progress">
          {progress.current ? `Uploading ${progress.current}…` : "Sending…"}
          <progress max={progress.total || 1} value={progress.sent} />
        </label>
      )}
    </div>
  );
}

function useBlob(path: string | null, conversationId: string): { url: string | null; error: string | null } {
  const [state, setState] = useState<{ url: string | null; error: string | null }>({ url: null, error: null });
  useEffect(() => {
    if (!path) return;
    let live = true;
    fileUrl(path, conversationId).then(
      (url) => live && setState({ url, error: null }),
      (e) => live && setState({ url: null, error: (e as Error).message }),
    );
    return () => void (live = false);
  }, [path]);
  return state;
}

// What each file's view needs: the file, and whether sharing out of the conversation is restricted.
interface FileProps {
  a: Attachment;
  restricted: boolean;
}

function Picture({ a, restricted }: FileProps) {
  const thumb = useBlob(a.thumbnail_url ?? `/api/v1/attachments/${enc(a.id)}/thumbnail`, a.conversation_id);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" class="thumb" onClick={() => setOpen(true)} aria-label={`Open picture ${a.name}`}>
        {thumb.url ? (
          <img src={thumb.url} alt={a.name} {...(restricted ? shareGuard : {})} />
        ) : (
          <span class="thumb-wait">{thumb.error ?? "Loading picture…"}</span>
        )}
      </button>
      {open && <FullPicture a={a} restricted={restricted} onClose={() => setOpen(false)} />}
    </>
  );
}

function FullPicture({ a, restricted, onClose }: FileProps & { onClose(): void }) {
  const full = useBlob(`/api/v1/attachments/${enc(a.id)}?inline=1`, a.conversation_id);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => dialog.current?.showModal(), []);
  return (
    <dialog ref={dialog} class="lightbox" aria-label={a.name} onClose={onClose} onClick={(e) => e.target === dialog.current && onClose()}>
      {full.url ? <img src={full.url} alt={a.name} {...(restricted ? shareGuard : {})} /> : <p>{full.error ?? "Loading…"}</p>}
      <div class="lightbox-actions">
        <span>{a.name}</span>
        {restricted ? (
          <ShareRestricted />
        ) : (
          <button type="button" onClick={() => void download(a.url, a.name)}>
            Download
          </button>
        )}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}

// Audio and video play in the page once asked for (the file is fetched then, not before).
// Where sharing is restricted, the players offer no download and no context menu.
function Player({ a, restricted }: FileProps) {
  const [play, setPlay] = useState(false);
  const media = useBlob(play ? a.url : null, a.conversation_id);
  const [failed, setFailed] = useState(false);
  const playable = typeof document !== "undefined" && (document.createElement(a.kind) as HTMLMediaElement).canPlayType(a.content_type) !== "";
  if (!playable) return null;
  if (!play) {
    return (
      <button type="button" class="link" onClick={() => setPlay(true)} aria-label={`Play ${a.name}`}>
        ▶ Play
      </button>
    );
  }
  if (failed || media.error) return <span class="error">This file cannot be played here{restricted ? "." : "; download it instead."}</span>;
  if (!media.url) return <span>Loading…</span>;
  const shared = restricted ? { controlsList: "nodownload", ...shareGuard } : {};
  return a.kind === "audio" ? (
    <audio src={media.url} controls autoPlay aria-label={a.name} onError={() => setFailed(true)} {...shared} />
  ) : (
    <video src={media.url} controls autoPlay aria-label={a.name} onError={() => setFailed(true)} {...shared} />
  );
}

function FileChip({ a, restricted }: FileProps) {
  const [error, setError] = useState<string | null>(null);
  return (
    <div class="file-chip" data-kind={a.kind}>
      <span class="file-name">{a.name}</span>
      <small>
        {formatSize(a.size)}
        {a.duration_ms ? ` · ${Math.round(a.duration_ms / 1000)} s` : ""}
      </small>
      {restricted ? (
        <ShareRestricted />
      ) : (
        <button type="button" class="link" onClick={() => download(a.url, a.name).catch((e) => setError((e as Error).message))} aria-label={"Download " + a.name}>
          Download
        </button>
      )}
      {(a.kind === "audio" || a.kind === "video") && <Player a={a} restricted={restricted} />}
      {error && <span class="error">{error}</span>}
    </div>
  );
}

// `restricted`: the conversation's restrict_share policy is on.
export function AttachmentList({ attachments, restricted }: { attachments: Attachment[]; restricted: boolean }) {
  return (
    <div class={"attachments" + (restricted ? " no-share" : "")}>
      {attachments.map((a) =>
        a.kind === "picture" && a.has_thumbnail ? <Picture key={a.id} a={a} restricted={restricted} /> : <FileChip key={a.id} a={a} restricted={restricted} />,
      )}
    </div>
  );
}

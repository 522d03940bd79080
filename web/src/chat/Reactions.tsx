// Likes and comments under a message (text or card): like/unlike with the count, who likes it,
// and its comments (replies) as a thread. Counts stay current through `reaction.updated`.
import { useEffect, useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { CommentsPage, LikersPage, Message, ReactionSummary } from "../api/types";
import { chat } from "./store";

function base(m: Message): string {
  return `/api/v1/conversations/${enc(m.conversation_id)}/messages/${enc(m.id)}`;
}

function Likers({ message }: { message: Message }) {
  const [page, setPage] = useState<LikersPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const count = message.reactions?.like.count ?? 0;
  useEffect(() => {
    api<LikersPage>("GET", base(message) + "/reactions?limit=200").then(setPage, (e) => setError((e as Error).message));
  }, [message.id, count]);
  if (error) return <p class="error">{error}</p>;
  if (!page) return <p class="muted">Loading…</p>;
  return (
    <ul class="likers" aria-label="People who like this">
      {page.likes.map((l) => (
        <li key={l.user_id}>{l.name || "Someone"}</li>
      ))}
      {page.likes_partial && <li class="muted">and others</li>}
      {page.likes.length === 0 && <li class="muted">Nobody yet.</li>}
    </ul>
  );
}

function Comments({ message, canComment }: { message: Message; canComment: boolean }) {
  const [page, setPage] = useState<CommentsPage | null>(null);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const load = () => api<CommentsPage>("GET", base(message) + "/comments?limit=200").then(setPage, (e) => setError((e as Error).message));
  useEffect(() => void load(), [message.id, message.comment_count]);
  const members = chat.threads.get(message.conversation_id)?.view?.members ?? [];
  const name = (id: string | null) => (id === chat.me?.id ? "You" : members.find((p) => p.user_id === id)?.name || "Someone");

  async function submit(e: Event) {
    e.preventDefault();
    if (!text.trim()) return;
    setError(null);
    try {
      await chat.send(message.conversation_id, text, message.id);
      setText("");
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <section class="comments" aria-label="Comments">
      {page?.comments.map((c) => (
        <p key={c.id} class="comment">
          <strong>{name(c.sender_id)}:</strong> {c.text}
        </p>
      ))}
      {page && page.comments.length === 0 && <p class="muted">No comments yet.</p>}
      {canComment && (
        <form onSubmit={submit} class="comment-form">
          <label for={"comment-" + message.id} class="visually-hidden">
            Comment
          </label>
          <input id={"comment-" + message.id} value={text} maxLength={4000} placeholder="Write a comment" onInput={(e) => setText(e.currentTarget.value)} />
          <button type="submit" disabled={!text.trim()}>
            Comment
          </button>
        </form>
      )}
      {error && <p class="error">{error}</p>}
    </section>
  );
}

export function ReactionBar({ message, canComment }: { message: Message; canComment: boolean }) {
  const [open, setOpen] = useState<"likers" | "comments" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const count = message.reactions?.like.count ?? 0;
  const mine = message.reactions?.like.mine === true;
  const comments = message.comment_count ?? 0;
  const toggle = (what: "likers" | "comments") => setOpen(open === what ? null : what);

  async function like() {
    setError(null);
    try {
      const summary = await api<ReactionSummary>(mine ? "DELETE" : "PUT", base(message) + "/reactions/like");
      chat.reacted(summary);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <div class="reactions">
      <button type="button" class={"link like" + (mine ? " liked" : "")} aria-pressed={mine} onClick={() => void like()}>
        {mine ? "♥ Liked" : "♡ Like"}
      </button>
      {count > 0 && (
        <button type="button" class="link" aria-expanded={open === "likers"} onClick={() => toggle("likers")}>
          {count === 1 ? "1 like" : `${count} likes`}
        </button>
      )}
      <button type="button" class="link" aria-expanded={open === "comments"} onClick={() => toggle("comments")}>
        {comments === 1 ? "1 comment" : comments > 0 ? `${comments} comments` : "Comment"}
      </button>
      {error && <span class="error">{error}</span>}
      {open === "likers" && <Likers message={message} />}
      {open === "comments" && <Comments message={message} canComment={canComment} />}
    </div>
  );
}

// What a member does with a card: vote, answer a survey (or update an earlier answer),
// acknowledge an announcement, mark a job done, tick checklist items. Every action goes to
// POST /api/v1/cards/{id}/responses; the server's refusal (closed, expired, an answer that does
// not fit) is shown as it says it.
import { useEffect, useState } from "preact/hooks";
import { api, enc } from "../../api/client";
import type { CardView, SurveyQuestion } from "../../api/types";
import { chat } from "../store";
import { cards } from "./cardStore";
import { effectiveState, personName, when } from "./format";
import { SurveyAnswer, toAnswer, toDraft, type Draft } from "./SurveyAnswer";

interface Props {
  view: CardView;
  onError(message: string | null): void;
}

async function respond(view: CardView, body: Record<string, unknown>) {
  await api("POST", `/api/v1/cards/${enc(view.id)}/responses`, body);
  await cards.refresh(view.id);
}

function useAction(onError: (m: string | null) => void) {
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    onError(null);
    try {
      await action();
    } catch (e) {
      onError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return [busy, run] as const;
}

export function CardRespond(p: Props) {
  switch (p.view.type) {
    case "poll":
      return <PollVote {...p} />;
    case "survey":
      return <SurveyForm {...p} />;
    case "announcement":
      return <Acknowledge {...p} />;
    case "job":
      return <JobDone {...p} />;
    case "checklist":
      return <ChecklistItems {...p} />;
  }
}

function open(view: CardView): boolean {
  return view.can_respond && effectiveState(view) === "active";
}

function PollVote({ view, onError }: Props) {
  const previous = (view.my_responses[0]?.answers.answers as number[] | undefined)?.[0];
  const [choice, setChoice] = useState<number | undefined>(previous);
  const [busy, run] = useAction(onError);
  useEffect(() => setChoice(previous), [previous]);
  const choices = view.spec.choices ?? [];
  const active = open(view);
  if (!active) {
    return previous !== undefined ? <p class="card-mine">You chose: {choices[previous]}</p> : null;
  }
  return (
    <form
      class="card-respond"
      onSubmit={(e) => {
        e.preventDefault();
        if (choice !== undefined) void run(() => respond(view, { answers: [choice] }));
      }}
    >
      <fieldset disabled={busy}>
        <legend class="visually-hidden">{view.spec.question}</legend>
        {choices.map((c, i) => (
          <label class="check" key={i}>
            <input type="radio" name={"poll-" + view.id} checked={choice === i} onChange={() => setChoice(i)} />
            {c}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={busy || choice === undefined || choice === previous}>
        {previous === undefined ? "Vote" : "Change vote"}
      </button>
    </form>
  );
}

function SurveyForm({ view, onError }: Props) {
  const questions = view.spec.questions ?? [];
  const mine = view.my_responses;
  // Which of my responses the form edits: the only one, or (several allowed) the one picked.
  const [target, setTarget] = useState<string>(view.allow_multiple ? "" : (mine[0]?.id ?? ""));
  const editing = mine.find((r) => r.id === target);
  const fill = () => questions.map((q: SurveyQuestion, i) => toDraft(q, (editing?.answers.answers as unknown[] | undefined)?.[i]));
  const [drafts, setDrafts] = useState<Draft[]>(fill);
  const [busy, run] = useAction(onError);
  const [sent, setSent] = useState(false);
  useEffect(() => setDrafts(fill()), [target, editing?.updated_at]);
  useEffect(() => {
    if (!view.allow_multiple && !target && mine[0]) setTarget(mine[0].id);
  }, [mine[0]?.id]);

  if (!open(view)) {
    return mine.length ? <p class="card-mine">You responded {mine.length === 1 ? "once" : mine.length + " times"}.</p> : null;
  }
  async function submit(e: Event) {
    e.preventDefault();
    setSent(false);
    await run(async () => {
      const answers = questions.map((q, i) => toAnswer(q, drafts[i]));
      const missing = questions.findIndex((q, i) => q.mandatory && answers[i] === null);
      if (missing >= 0) throw new Error(`"${questions[missing].title}" needs an answer.`);
      const body: Record<string, unknown> = { answers };
      if (target) body.response_id = target;
      await respond(view, body);
      setSent(true);
      if (view.allow_multiple && !target) setDrafts(questions.map(() => null));
    });
  }
  return (
    <form class="card-respond" onSubmit={submit} aria-label={"Answer " + (view.spec.title ?? "the survey")}>
      {view.allow_multiple && mine.length > 0 && (
        <label>
          Response
          <select value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
            <option value="">A new response</option>
            {mine.map((r, i) => (
              <option value={r.id} key={r.id}>
                Update my response {i + 1} ({when(r.updated_at)})
              </option>
            ))}
          </select>
        </label>
      )}
      {questions.map((q, i) => (
        <SurveyAnswer
          key={i}
          question={q}
          index={i}
          idPrefix={"survey-" + view.id}
          conversationId={view.conversation_id}
          value={drafts[i]}
          files={view.my_attachments}
          disabled={busy}
          onChange={(v) => setDrafts((d) => d.map((x, j) => (j === i ? v : x)))}
        />
      ))}
      <button type="submit" disabled={busy}>
        {target ? "Update response" : "Submit response"}
      </button>
      {sent && <p class="hint-inline" role="status">Response saved.</p>}
    </form>
  );
}

function Acknowledge({ view, onError }: Props) {
  const [busy, run] = useAction(onError);
  const mine = view.my_responses[0];
  if (mine) return <p class="card-mine">You acknowledged this {when(mine.created_at)}.</p>;
  if (!open(view)) return null;
  return (
    <button type="button" disabled={busy} onClick={() => void run(() => respond(view, { acknowledged: true }))}>
      Acknowledge
    </button>
  );
}

function JobDone({ view, onError }: Props) {
  const [busy, run] = useAction(onError);
  const me = chat.me?.id;
  const assigned = !!me && (view.spec.assignees ?? []).includes(me);
  const done = view.my_responses[0]?.answers.done === true;
  if (!assigned) return null;
  if (!open(view)) return <p class="card-mine">{done ? "You marked this done." : "You did not mark this done."}</p>;
  return (
    <button type="button" disabled={busy} onClick={() => void run(() => respond(view, { done: !done }))}>
      {done ? "Mark not done" : "Mark done"}
    </button>
  );
}

function ChecklistItems({ view, onError }: Props) {
  const [busy, run] = useAction(onError);
  const [newItem, setNewItem] = useState("");
  // A tick shows at once; the server's answer (or its refusal) then replaces it.
  const [pending, setPending] = useState<Map<number, boolean>>(new Map());
  const items = view.spec.items ?? [];
  const states = view.summary?.items ?? [];
  const active = open(view);
  const creator = view.created_by === chat.me?.id;
  return (
    <div class="card-respond">
      <ul class="card-checklist">
        {items.map((item, i) => {
          const s = states[i];
          return (
            <li key={i}>
              <label class="check">
                <input
                  type="checkbox"
                  checked={pending.get(i) ?? !!s?.ticked}
                  disabled={!active || busy}
                  onChange={(e) => {
                    const ticked = e.currentTarget.checked;
                    setPending(new Map(pending).set(i, ticked));
                    void run(() => respond(view, { item: i, ticked })).then(() => setPending(new Map()));
                  }}
                />
                {item}
              </label>
              {s?.by && s.at && (
                <span class="card-by">
                  {s.ticked ? "Ticked" : "Unticked"} by {personName(view.conversation_id, s.by)} {when(s.at)}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {creator && active && (
        <form
          class="card-inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const text = newItem.trim();
            if (!text) return;
            void run(async () => {
              const updated = await api<CardView>("POST", `/api/v1/cards/${enc(view.id)}/items`, { items: [text] });
              cards.put(updated);
              setNewItem("");
            });
          }}
        >
          <label for={"add-item-" + view.id} class="visually-hidden">
            New item
          </label>
          <input id={"add-item-" + view.id} placeholder="Add an item" maxLength={200} value={newItem} onInput={(e) => setNewItem(e.currentTarget.value)} />
          <button type="submit" disabled={busy || !newItem.trim()}>
            Add
          </button>
        </form>
      )}
    </div>
  );
}

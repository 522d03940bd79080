// The creation form of each card type (loaded on demand: see NewCardMenu). Checks what it can
// before sending (titles, at least two choices, assignees, a due time in the future) and shows
// the server's own message for anything else it refuses (card_spec_invalid names the field).
import { useState } from "preact/hooks";
import { api, enc } from "../../api/client";
import type { Card, CardType, Message, QuestionType, SurveyQuestion } from "../../api/types";
import { ErrorText } from "../../ui/ErrorText";
import { upload } from "../Attachments";
import { chat } from "../store";
import { TYPE_NAMES } from "./format";

interface Props {
  conversationId: string;
  type: CardType;
  onDone(): void;
  onCancel(): void;
}

const QUESTION_TYPES: [QuestionType, string][] = [
  ["single_choice", "Single choice"],
  ["multiple_choice", "Multiple choice"],
  ["text", "Text"],
  ["number", "Number"],
  ["date_time", "Date and time"],
  ["location", "Location"],
  ["attachment", "Attachment"],
];

interface QuestionDraft {
  title: string;
  type: QuestionType;
  mandatory: boolean;
  choices: string; // one per line
}

const lines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

const isChoice = (t: QuestionType) => t === "single_choice" || t === "multiple_choice";

class Invalid extends Error {}
function need(condition: boolean, message: string) {
  if (!condition) throw new Invalid(message);
}

export function CardForm({ conversationId, type, onDone, onCancel }: Props) {
  const [title, setTitle] = useState("");
  const [text, setText] = useState("");
  const [choices, setChoices] = useState<string[]>(["", ""]);
  const [items, setItems] = useState("");
  const [questions, setQuestions] = useState<QuestionDraft[]>([{ title: "", type: "single_choice", mandatory: true, choices: "" }]);
  const [assignees, setAssignees] = useState<string[]>([]);
  const [anonymous, setAnonymous] = useState(false);
  const [allowMultiple, setAllowMultiple] = useState(false);
  const [senderOnly, setSenderOnly] = useState(type === "announcement" || type === "job");
  const [due, setDue] = useState("");
  const [media, setMedia] = useState<File[]>([]); // an announcement's pictures, documents, audio, video
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const members = chat.threads.get(conversationId)?.view?.members ?? [];
  const answers = type === "poll" || type === "survey";
  const id = (name: string) => `card-${type}-${name}`;

  function spec(): Record<string, unknown> {
    need(title.trim() !== "", type === "poll" ? "Write the question." : "Give the card a title.");
    switch (type) {
      case "poll": {
        const list = choices.map((c) => c.trim()).filter(Boolean);
        need(list.length >= 2, "A poll needs at least two choices.");
        need(new Set(list).size === list.length, "Each choice must be different.");
        return { question: title.trim(), choices: list };
      }
      case "survey": {
        need(questions.length > 0, "A survey needs at least one question.");
        const out: SurveyQuestion[] = questions.map((q, i) => {
          need(q.title.trim() !== "", `Question ${i + 1} needs a title.`);
          const question: SurveyQuestion = { title: q.title.trim(), type: q.type, mandatory: q.mandatory };
          if (isChoice(q.type)) {
            question.choices = lines(q.choices);
            need(question.choices.length >= 2, `Question ${i + 1} needs at least two choices, one per line.`);
          }
          return question;
        });
        return { title: title.trim(), questions: out };
      }
      case "announcement":
        need(text.trim() !== "", "Write the announcement.");
        return { title: title.trim(), text: text.trim() };
      case "job":
        need(assignees.length > 0, "Assign the job to at least one member.");
        return text.trim() ? { title: title.trim(), text: text.trim(), assignees } : { title: title.trim(), assignees };
      case "checklist":
        need(lines(items).length > 0, "A checklist needs at least one item, one per line.");
        return { title: title.trim(), items: lines(items) };
    }
  }

  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    let body: Record<string, unknown>;
    try {
      body = { type, spec: spec() };
      if (due) {
        const at = new Date(due);
        need(!Number.isNaN(at.getTime()) && at.getTime() > Date.now(), "The due time must be in the future.");
        body.due_at = at.toISOString();
      }
    } catch (err) {
      setError((err as Error).message);
      return;
    }
    if (answers && anonymous) body.anonymous = true;
    if (type === "survey" && allowMultiple) body.allow_multiple = true;
    if (type !== "checklist") body.results_visibility = senderOnly ? "sender" : "all";
    setBusy(true);
    try {
      if (type === "announcement" && media.length > 0) {
        const ids: string[] = [];
        for (const file of media) ids.push((await upload(conversationId, file)).id);
        body.attachments = ids;
      }
      const created = await api<Card & { message: Message }>("POST", `/api/v1/conversations/${enc(conversationId)}/cards`, body);
      const { message, ...card } = created;
      chat.posted(conversationId, { ...message, card });
      onDone();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const setQuestion = (i: number, patch: Partial<QuestionDraft>) => setQuestions((qs) => qs.map((q, j) => (j === i ? { ...q, ...patch } : q)));

  return (
    <form class="card-form" onSubmit={submit} aria-labelledby={id("heading")} noValidate>
      <h2 id={id("heading")}>New {TYPE_NAMES[type].toLowerCase()}</h2>
      <label for={id("title")}>{type === "poll" ? "Question" : "Title"}</label>
      <input id={id("title")} maxLength={500} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />

      {(type === "announcement" || type === "job") && (
        <>
          <label for={id("text")}>{type === "job" ? "Details (optional)" : "Announcement"}</label>
          <textarea id={id("text")} rows={3} maxLength={4000} value={text} onInput={(e) => setText(e.currentTarget.value)} />
          {type === "announcement" && (
            <>
              <label for={id("media")}>Pictures, documents, audio or video (optional, up to 10)</label>
              <input id={id("media")} type="file" multiple onChange={(e) => setMedia(Array.from(e.currentTarget.files ?? []).slice(0, 10))} />
            </>
          )}
        </>
      )}

      {type === "poll" && (
        <fieldset>
          <legend>Choices</legend>
          {choices.map((c, i) => (
            <div class="card-form-row" key={i}>
              <label for={id("choice-" + i)} class="visually-hidden">
                Choice {i + 1}
              </label>
              <input id={id("choice-" + i)} placeholder={`Choice ${i + 1}`} maxLength={500} value={c} onInput={(e) => setChoices(choices.map((x, j) => (j === i ? e.currentTarget.value : x)))} />
              {choices.length > 2 && (
                <button type="button" class="link" aria-label={`Remove choice ${i + 1}`} onClick={() => setChoices(choices.filter((_, j) => j !== i))}>
                  Remove
                </button>
              )}
            </div>
          ))}
          {choices.length < 20 && (
            <button type="button" class="link" onClick={() => setChoices([...choices, ""])}>
              Add a choice
            </button>
          )}
        </fieldset>
      )}

      {type === "survey" && (
        <>
          {questions.map((q, i) => (
            <fieldset key={i} class="card-form-question">
              <legend>Question {i + 1}</legend>
              <label for={id(`q${i}-title`)}>Question {i + 1} title</label>
              <input id={id(`q${i}-title`)} maxLength={500} value={q.title} onInput={(e) => setQuestion(i, { title: e.currentTarget.value })} />
              <label for={id(`q${i}-type`)}>Question {i + 1} type</label>
              <select id={id(`q${i}-type`)} value={q.type} onChange={(e) => setQuestion(i, { type: e.currentTarget.value as QuestionType })}>
                {QUESTION_TYPES.map(([value, name]) => (
                  <option value={value} key={value}>
                    {name}
                  </option>
                ))}
              </select>
              {isChoice(q.type) && (
                <>
                  <label for={id(`q${i}-choices`)}>Question {i + 1} choices (one per line)</label>
                  <textarea id={id(`q${i}-choices`)} rows={3} value={q.choices} onInput={(e) => setQuestion(i, { choices: e.currentTarget.value })} />
                </>
              )}
              <label class="check">
                <input type="checkbox" checked={q.mandatory} onChange={(e) => setQuestion(i, { mandatory: e.currentTarget.checked })} />
                Question {i + 1} required
              </label>
              {questions.length > 1 && (
                <button type="button" class="link" onClick={() => setQuestions(questions.filter((_, j) => j !== i))}>
                  Remove question {i + 1}
                </button>
              )}
            </fieldset>
          ))}
          {questions.length < 50 && (
            <button type="button" class="link" onClick={() => setQuestions([...questions, { title: "", type: "text", mandatory: false, choices: "" }])}>
              Add a question
            </button>
          )}
        </>
      )}

      {type === "job" && (
        <fieldset>
          <legend>Assignees</legend>
          {members.length === 0 && <p class="card-by">The members are still loading.</p>}
          {members.map((m) => (
            <label class="check" key={m.user_id}>
              <input
                type="checkbox"
                checked={assignees.includes(m.user_id)}
                onChange={(e) => setAssignees(e.currentTarget.checked ? [...assignees, m.user_id] : assignees.filter((a) => a !== m.user_id))}
              />
              {m.user_id === chat.me?.id ? "Me" : m.name || m.phone}
            </label>
          ))}
        </fieldset>
      )}

      {type === "checklist" && (
        <>
          <label for={id("items")}>Items (one per line)</label>
          <textarea id={id("items")} rows={4} value={items} onInput={(e) => setItems(e.currentTarget.value)} />
        </>
      )}

      <fieldset>
        <legend>Options</legend>
        {answers && (
          <label class="check">
            <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.currentTarget.checked)} />
            Anonymous responses
          </label>
        )}
        {type === "survey" && (
          <label class="check">
            <input type="checkbox" checked={allowMultiple} onChange={(e) => setAllowMultiple(e.currentTarget.checked)} />
            Allow several responses per person
          </label>
        )}
        {type !== "checklist" && (
          <label class="check">
            <input type="checkbox" checked={senderOnly} onChange={(e) => setSenderOnly(e.currentTarget.checked)} />
            Only I see the results
          </label>
        )}
        <label for={id("due")}>Due (optional)</label>
        <input id={id("due")} type="datetime-local" value={due} onInput={(e) => setDue(e.currentTarget.value)} />
      </fieldset>

      <ErrorText error={error} />
      <div class="card-form-buttons">
        <button type="submit" disabled={busy}>
          Post {TYPE_NAMES[type].toLowerCase()}
        </button>
        <button type="button" class="link" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

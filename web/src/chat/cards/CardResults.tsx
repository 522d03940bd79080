// A card's results, for viewers the server shows them to (summary not null): counts per choice
// as bars, participation against the people who can respond, and who responded (never on
// anonymous cards). Announcements list who has and has not acknowledged, jobs each assignee.
import type { Attachment, CardResponses, CardView, QuestionSummary, SurveyQuestion } from "../../api/types";
import { AttachmentList } from "../Attachments";
import { policiesOf } from "../Restrictions";
import { personName, when } from "./format";

function Bar({ label, count, of }: { label: string; count: number; of: number }) {
  const percent = of > 0 ? Math.round((count / of) * 100) : 0;
  return (
    <li class="card-bar">
      <span class="card-bar-label">{label}</span>
      <span class="card-bar-count" aria-label={`${label}: ${count} (${percent}%)`}>
        {count} · {percent}%
      </span>
      <span class="card-bar-track" aria-hidden="true">
        <span class="card-bar-fill" style={{ width: percent + "%" }} />
      </span>
    </li>
  );
}

function Counts({ choices, counts }: { choices: string[]; counts: number[] }) {
  const total = counts.reduce((a, b) => a + b, 0);
  return (
    <ul class="card-bars">
      {choices.map((c, i) => (
        <Bar key={i} label={c} count={counts[i] ?? 0} of={total} />
      ))}
    </ul>
  );
}

function QuestionResult({ q, s, index, responses, conversationId }: { q: SurveyQuestion; s: QuestionSummary | undefined; index: number; responses: CardResponses | null; conversationId: string }) {
  if (!s) return null;
  if (s.counts) return <Counts choices={q.choices ?? []} counts={s.counts} />;
  const answered = s.answered ?? 0;
  if (q.type === "number" && answered > 0) {
    return (
      <p class="card-stat">
        {answered} answered · total {s.sum} · average {Math.round(((s.sum ?? 0) / answered) * 100) / 100} · lowest {s.min} · highest {s.max}
      </p>
    );
  }
  if (q.type === "date_time" && answered > 0 && typeof s.min === "string" && typeof s.max === "string") {
    return (
      <p class="card-stat">
        {answered} answered · earliest {when(s.min)} · latest {when(s.max)}
      </p>
    );
  }
  const texts =
    q.type === "text" && responses
      ? responses.responses
          .map((r) => ({ who: r.responder_id, text: (r.answers.answers as unknown[] | undefined)?.[index] }))
          .filter((t): t is { who: string | null; text: string } => typeof t.text === "string")
          .slice(-10)
      : [];
  // Attachment answers: whoever sees the responses may fetch them. They show as a message's
  // files do: in the page, with no download where the conversation restricts sharing.
  const restricted = !!policiesOf(conversationId)?.restrict_share;
  const byId = new Map((responses?.attachments ?? []).map((a) => [a.id, a]));
  const files =
    q.type === "attachment" && responses
      ? responses.responses
          .map((r) => ({ who: r.responder_id, file: byId.get(String((r.answers.answers as unknown[] | undefined)?.[index])) }))
          .filter((f): f is { who: string | null; file: Attachment } => f.file !== undefined)
          .slice(-10)
      : [];
  return (
    <>
      <p class="card-stat">{answered} answered</p>
      {files.length > 0 && (
        <ul class="card-texts">
          {files.map((f, i) => (
            <li key={i}>
              {responses?.anonymous ? "" : personName(conversationId, f.who) + ": "}
              <AttachmentList attachments={[f.file]} restricted={restricted} />
            </li>
          ))}
        </ul>
      )}
      {texts.length > 0 && (
        <ul class="card-texts">
          {texts.map((t, i) => (
            <li key={i}>
              {responses?.anonymous ? "" : personName(conversationId, t.who) + ": "}
              {t.text}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

// A list with times keeps the server's order; one without is by name (the server lists ids).
function People({ title, ids, conversationId, times }: { title: string; ids: string[]; conversationId: string; times?: Map<string, string> }) {
  const shown = times ? ids : [...ids].sort((a, b) => personName(conversationId, a).localeCompare(personName(conversationId, b)));
  return (
    <div class="card-people">
      <h4>
        {title} ({ids.length})
      </h4>
      {ids.length > 0 && (
        <ul>
          {shown.map((id) => (
            <li key={id}>
              {personName(conversationId, id)}
              {times?.get(id) && <span class="card-by"> {when(times.get(id)!)}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function CardResults({ view, responses }: { view: CardView; responses: CardResponses | null }) {
  const s = view.summary;
  if (!s) return null;
  const conv = view.conversation_id;
  const part = view.participation;
  // Who responded, latest answer time per person (not on anonymous cards).
  const responders = new Map<string, string>();
  if (responses && !responses.anonymous) for (const r of responses.responses) if (r.responder_id) responders.set(r.responder_id, r.updated_at);

  return (
    <section class="card-results" aria-label="Results">
      {part && view.type !== "checklist" && (
        <p class="card-participation">
          {part.responded} of {part.eligible} responded
          {s.responses !== part.responded && ` · ${s.responses} responses`}
        </p>
      )}
      {view.type === "poll" && <Counts choices={view.spec.choices ?? []} counts={s.questions?.[0]?.counts ?? []} />}
      {view.type === "survey" &&
        (view.spec.questions ?? []).map((q, i) => (
          <div class="card-question-result" key={i}>
            <h4>{q.title}</h4>
            <QuestionResult q={q} s={s.questions?.[i]} index={i} responses={responses} conversationId={conv} />
          </div>
        ))}
      {view.type === "checklist" && (
        <p class="card-participation">
          {s.ticked ?? 0} of {view.spec.items?.length ?? 0} done
        </p>
      )}
      {view.type === "announcement" && responses?.acknowledged && (
        <>
          <People title="Acknowledged" ids={responses.acknowledged.map((a) => a.user_id)} times={new Map(responses.acknowledged.map((a) => [a.user_id, a.at]))} conversationId={conv} />
          <People title="Not yet acknowledged" ids={responses.not_acknowledged ?? []} conversationId={conv} />
        </>
      )}
      {view.type === "job" && responses?.assignees && (
        <>
          <People title="Done" ids={responses.assignees.filter((a) => a.done).map((a) => a.user_id)} times={new Map(responses.assignees.filter((a) => a.done_at).map((a) => [a.user_id, a.done_at!]))} conversationId={conv} />
          <People title="Not done yet" ids={responses.assignees.filter((a) => !a.done).map((a) => a.user_id)} conversationId={conv} />
        </>
      )}
      {(view.type === "poll" || view.type === "survey") && responders.size > 0 && (
        <People title="Responded" ids={[...responders.keys()]} times={responders} conversationId={conv} />
      )}
      {view.anonymous && <p class="card-by">Anonymous: responders are not shown.</p>}
    </section>
  );
}

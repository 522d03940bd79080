// One survey question's answer input, by question type, and the conversions between what the
// inputs hold and what the API takes (see CardResponseRequest in docs/openapi.yaml).
import { useState } from "preact/hooks";
import { request, enc } from "../../api/client";
import type { Attachment, SurveyQuestion } from "../../api/types";
import { AttachmentList } from "../Attachments";
import { policiesOf } from "../Restrictions";

// What an input holds while being edited.
export type Draft = number | number[] | string | { latitude: string; longitude: string; name: string } | null;

function localInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// A stored answer (as the API returns it) back into the input's form.
export function toDraft(q: SurveyQuestion, answer: unknown): Draft {
  if (answer === null || answer === undefined) return null;
  switch (q.type) {
    case "single_choice":
      return typeof answer === "number" ? answer : null;
    case "multiple_choice":
      return Array.isArray(answer) ? (answer as number[]) : [];
    case "number":
      return String(answer);
    case "date_time":
      return localInput(String(answer));
    case "location": {
      const a = answer as { latitude: number; longitude: number; name?: string };
      return { latitude: String(a.latitude), longitude: String(a.longitude), name: a.name ?? "" };
    }
    default:
      return String(answer);
  }
}

// The input's content as the API takes it; null for a question left out. Throws a message
// naming the question when the input cannot be an answer at all.
export function toAnswer(q: SurveyQuestion, draft: Draft): unknown {
  if (draft === null || draft === "") return null;
  switch (q.type) {
    case "single_choice":
      return draft;
    case "multiple_choice":
      return (draft as number[]).length ? draft : null;
    case "number": {
      const n = Number(draft);
      if (!Number.isFinite(n)) throw new Error(`"${q.title}": give a number.`);
      return n;
    }
    case "date_time": {
      const d = new Date(draft as string);
      if (Number.isNaN(d.getTime())) throw new Error(`"${q.title}": give a date and time.`);
      return d.toISOString();
    }
    case "location": {
      const l = draft as { latitude: string; longitude: string; name: string };
      if (!l.latitude.trim() && !l.longitude.trim()) return null;
      const place: Record<string, unknown> = { latitude: Number(l.latitude), longitude: Number(l.longitude) };
      if (l.name.trim()) place.name = l.name.trim();
      return place;
    }
    case "text":
      return (draft as string).trim() || null;
    default:
      return draft;
  }
}

// The file a stored answer names, shown as a message's file is; a file just uploaded and not
// yet sent with the response is not in `files` yet.
function AnsweredFile({ id, files, conversationId }: { id: string; files?: Attachment[]; conversationId: string }) {
  const file = files?.find((f) => f.id === id);
  if (!file) return <p class="hint-inline">A file is attached.</p>;
  return <AttachmentList attachments={[file]} restricted={!!policiesOf(conversationId)?.restrict_share} />;
}

interface Props {
  question: SurveyQuestion;
  index: number;
  idPrefix: string;
  conversationId: string;
  value: Draft;
  disabled: boolean;
  onChange(value: Draft): void;
  // The files the caller's responses already answer with (CardView.my_attachments).
  files?: Attachment[];
}

export function SurveyAnswer({ question: q, index, idPrefix, conversationId, value, disabled, onChange, files }: Props) {
  const id = `${idPrefix}-q${index}`;
  const label = q.title + (q.mandatory ? " (required)" : "");
  const [uploading, setUploading] = useState<string | null>(null);

  if (q.type === "single_choice" || q.type === "multiple_choice") {
    const multiple = q.type === "multiple_choice";
    const picked = multiple ? ((value as number[] | null) ?? []) : value;
    return (
      <fieldset class="card-question" disabled={disabled}>
        <legend>{label}</legend>
        {(q.choices ?? []).map((choice, i) => (
          <label class="check" key={i}>
            <input
              type={multiple ? "checkbox" : "radio"}
              name={id}
              checked={multiple ? (picked as number[]).includes(i) : picked === i}
              onChange={(e) => {
                if (!multiple) return onChange(i);
                const set = new Set(picked as number[]);
                if (e.currentTarget.checked) set.add(i);
                else set.delete(i);
                onChange([...set].sort((a, b) => a - b));
              }}
            />
            {choice}
          </label>
        ))}
      </fieldset>
    );
  }
  if (q.type === "location") {
    const l = (value as { latitude: string; longitude: string; name: string } | null) ?? { latitude: "", longitude: "", name: "" };
    const set = (patch: Partial<typeof l>) => onChange({ ...l, ...patch });
    return (
      <fieldset class="card-question" disabled={disabled}>
        <legend>{label}</legend>
        <div class="card-location">
          <label>
            Latitude
            <input inputMode="decimal" value={l.latitude} onInput={(e) => set({ latitude: e.currentTarget.value })} />
          </label>
          <label>
            Longitude
            <input inputMode="decimal" value={l.longitude} onInput={(e) => set({ longitude: e.currentTarget.value })} />
          </label>
          <label>
            Place name
            <input value={l.name} maxLength={200} onInput={(e) => set({ name: e.currentTarget.value })} />
          </label>
        </div>
        {"geolocation" in navigator && (
          <button
            type="button"
            class="link"
            onClick={() =>
              navigator.geolocation.getCurrentPosition(
                (p) => set({ latitude: p.coords.latitude.toFixed(6), longitude: p.coords.longitude.toFixed(6) }),
                () => setUploading("Your location is not available; type it in."),
              )
            }
          >
            Use my location
          </button>
        )}
        {uploading && <p class="hint-inline">{uploading}</p>}
      </fieldset>
    );
  }
  if (q.type === "attachment") {
    async function upload(file: File) {
      setUploading("Uploading " + file.name + "…");
      try {
        const response = await request("POST", `/api/v1/conversations/${enc(conversationId)}/attachments?filename=${enc(file.name)}`, undefined, {
          body: file,
          headers: { "Content-Type": "application/octet-stream" },
        });
        const attachment = (await response.json()) as { id: string };
        onChange(attachment.id);
        setUploading("Attached " + file.name);
      } catch (e) {
        onChange(null);
        setUploading((e as Error).message);
      }
    }
    return (
      <div class="card-question">
        <label for={id}>{label}</label>
        <input id={id} type="file" disabled={disabled} onChange={(e) => e.currentTarget.files?.[0] && void upload(e.currentTarget.files[0])} />
        {uploading ? <p class="hint-inline">{uploading}</p> : value && <AnsweredFile id={String(value)} files={files} conversationId={conversationId} />}
      </div>
    );
  }
  const common = { id, disabled, value: (value as string | null) ?? "", onInput: (e: Event) => onChange((e.currentTarget as HTMLInputElement).value) };
  return (
    <div class="card-question">
      <label for={id}>{label}</label>
      {q.type === "text" && <textarea rows={2} maxLength={4000} {...common} />}
      {q.type === "number" && <input type="number" step="any" {...common} />}
      {q.type === "date_time" && <input type="datetime-local" {...common} />}
    </div>
  );
}

// A person's custom attribute values, edited by an organization admin: one field per attribute
// as its type asks (text, number, yes/no, date and time), only the changed values sent, all or
// nothing (PATCH …/people/{user_id}). The server checks and normalizes each value, so a number
// is sent as typed and its refusal is shown on the field it names; after a save the fields
// show the values as stored. A mandatory attribute that has a value cannot be cleared.
import { useEffect, useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { Attribute } from "../api/types";
import { ErrorText } from "../ui/ErrorText";

type Values = Record<string, string | null>;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

// A stored (normalized) value as its field shows it: date-times in local time, to the minute.
function fieldValue(type: string, stored: string | null): string {
  if (stored === null) return "";
  if (type !== "date_time") return stored;
  const d = new Date(stored);
  if (isNaN(d.getTime())) return "";
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// What the API is sent for a field: an empty one clears the value; a date-time is the local
// time the field shows, in UTC.
function apiValue(type: string, field: string): string | boolean | null {
  if (field.trim() === "") return null;
  if (type === "boolean") return field === "true";
  if (type === "date_time") return new Date(field).toISOString();
  return field;
}

interface Props {
  orgId: string;
  path: string; // the person's API path
  values: Values; // as GET …/people/{user_id} has them
  onSaved(): Promise<void>; // reloads the person, so the fields show what was stored
}

export function PersonAttributes({ orgId, path, values, onSaved }: Props) {
  const [definitions, setDefinitions] = useState<Attribute[] | null>(null);
  const [draft, setDraft] = useState<Record<string, string>>({}); // attribute id → field, as edited
  const [error, setError] = useState<{ attribute: string | null; message: string } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<{ attributes: Attribute[] }>("GET", `/api/v1/organizations/${enc(orgId)}/attributes`)
      .then((r) => setDefinitions(r.attributes))
      .catch((e) => setError({ attribute: null, message: (e as Error).message }));
  }, [orgId]);

  if (!definitions) return <ErrorText error={error?.message ?? null} />;
  if (definitions.length === 0) return <p class="hint-inline">The organization has no attributes yet.</p>;

  const stored = (a: Attribute) => values[a.name] ?? null;
  const saved = (a: Attribute) => fieldValue(a.type, stored(a));
  const current = (a: Attribute) => draft[a.id] ?? saved(a);
  const changed = definitions.filter((a) => current(a) !== saved(a));

  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      const attributes = Object.fromEntries(changed.map((a) => [a.name, apiValue(a.type, current(a))]));
      await api("PATCH", path, { attributes });
      await onSaved();
      setDraft({});
      setNote(`Saved ${changed.map((a) => a.name).join(", ")}.`);
    } catch (err) {
      // The server's message quotes the attribute it refuses ("Headcount" must be a number…).
      const message = (err as Error).message;
      const named = changed.find((a) => message.includes(`"${a.name}"`));
      setError({ attribute: named?.id ?? null, message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="panel-form person-attributes" aria-label="Attributes" onSubmit={save}>
      {definitions.map((a) => (
        <AttributeField
          key={a.id}
          attribute={a}
          value={current(a)}
          locked={a.mandatory && stored(a) !== null}
          error={error?.attribute === a.id ? error.message : null}
          onChange={(value) => {
            setDraft((d) => ({ ...d, [a.id]: value }));
            setNote(null);
            if (error?.attribute === a.id) setError(null);
          }}
        />
      ))}
      <ErrorText error={error && !error.attribute ? error.message : null} />
      {note && <p role="status">{note}</p>}
      <button type="submit" disabled={busy || changed.length === 0}>
        Save attributes
      </button>
    </form>
  );
}

interface FieldProps {
  attribute: Attribute;
  value: string;
  locked: boolean; // mandatory with a value: required, so the browser refuses to clear it
  error: string | null;
  onChange(value: string): void;
}

function AttributeField({ attribute: a, value, locked, error, onChange }: FieldProps) {
  const id = `person-attribute-${a.id}`;
  const common = {
    id,
    value,
    required: locked,
    "aria-invalid": error ? ("true" as const) : undefined,
    "aria-describedby": error ? `${id}-error` : undefined,
    onInput: (e: Event) => onChange((e.currentTarget as HTMLInputElement | HTMLSelectElement).value),
  };
  return (
    <div class="field" data-type={a.type}>
      <label for={id}>
        {a.name}
        {a.mandatory && <span class="muted"> (mandatory)</span>}
      </label>
      {a.type === "boolean" ? (
        <select {...common}>
          {!locked && <option value="">Not set</option>}
          <option value="true">Yes</option>
          <option value="false">No</option>
        </select>
      ) : a.type === "date_time" ? (
        <input type="datetime-local" {...common} />
      ) : a.type === "number" ? (
        <input type="text" inputMode="decimal" autoComplete="off" {...common} />
      ) : (
        <input type="text" maxLength={500} autoComplete="off" {...common} />
      )}
      {error && (
        <span id={`${id}-error`} class="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

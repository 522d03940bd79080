// The directory's custom attributes: the list, removing several at once, and adding several at
// once from the suggestions (employee ID, manager, …) or as custom ones. The server checks every
// name; its refusal is shown on the row it names.
import { useEffect, useState } from "preact/hooks";
import { ApiError, api, enc } from "../api/client";
import type { Attribute, AttributeType, NewAttribute } from "../api/types";
import { ErrorText } from "../ui/ErrorText";

export const TYPE_LABELS: Record<AttributeType, string> = {
  string: "Text",
  number: "Number",
  boolean: "Yes/No",
  date_time: "Date and time",
};

interface Draft extends NewAttribute {
  key: number;
}

let nextKey = 1;
const blank = (from?: Partial<NewAttribute>): Draft => ({
  key: nextKey++,
  name: "",
  type: "string",
  mandatory: false,
  self_editable: false,
  visible_to_members: false,
  ...from,
});

// The draft row a refusal is about: the one its message quotes, else (for a bad name) the first
// row whose name cannot be valid.
function rowOf(error: ApiError, drafts: Draft[]): number | null {
  const quoted = drafts.find((d) => d.name.trim() && error.message.toLowerCase().includes(`"${d.name.trim().toLowerCase()}"`));
  if (quoted) return quoted.key;
  if (error.code === "invalid_attribute_name") return drafts.find((d) => !d.name.trim() || d.name.trim().length > 100)?.key ?? null;
  return null;
}

export function Attributes({ orgId }: { orgId: string }) {
  const base = `/api/v1/organizations/${enc(orgId)}/attributes`;
  const [attributes, setAttributes] = useState<Attribute[] | null>(null);
  const [suggestions, setSuggestions] = useState<NewAttribute[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [fieldError, setFieldError] = useState<{ key: number; message: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = () =>
    api<{ attributes: Attribute[]; suggestions: NewAttribute[] }>("GET", base)
      .then((r) => {
        setAttributes(r.attributes);
        setSuggestions(r.suggestions);
        setSelected((s) => s.filter((id) => r.attributes.some((a) => a.id === id)));
      })
      .catch((e) => setError((e as Error).message));
  useEffect(() => void load(), [orgId]);

  const update = (key: number, change: Partial<NewAttribute>) => {
    setDrafts((ds) => ds.map((d) => (d.key === key ? { ...d, ...change } : d)));
    if (fieldError?.key === key) setFieldError(null);
  };

  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFieldError(null);
    try {
      const body = drafts.map(({ key: _key, ...a }) => ({ ...a, name: a.name.trim() }));
      const r = await api<{ attributes: Attribute[] }>("POST", base, { attributes: body });
      setDrafts([]);
      setNote(`Added ${r.attributes.map((a) => a.name).join(", ")}.`);
      await load();
    } catch (err) {
      const row = err instanceof ApiError ? rowOf(err, drafts) : null;
      if (row !== null) setFieldError({ key: row, message: (err as Error).message });
      else setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function removeSelected() {
    const names = attributes!.filter((a) => selected.includes(a.id)).map((a) => a.name);
    if (!confirm(`Remove ${names.join(", ")}? Everyone's values of ${names.length === 1 ? "it" : "them"} are deleted.`)) return;
    setError(null);
    try {
      await api("DELETE", `${base}?ids=${selected.map(enc).join(",")}`);
      setNote(`Removed ${names.join(", ")}.`);
      setSelected([]);
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  const drafted = (name: string) => drafts.some((d) => d.name.trim().toLowerCase() === name.toLowerCase());
  return (
    <section aria-labelledby="attributes-title">
      <h2 id="attributes-title">Attributes</h2>
      <p class="hint-inline">Custom details of the people in the directory, shown in their profiles and as columns of the people list.</p>
      <ErrorText error={error} />
      {note && <p role="status">{note}</p>}
      {attributes?.length === 0 && <p class="hint">No attributes yet.</p>}
      {attributes && attributes.length > 0 && (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">
                  <span class="visually-hidden">Select</span>
                </th>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Mandatory</th>
                <th scope="col">Editable by the person</th>
                <th scope="col">Shown to all members</th>
              </tr>
            </thead>
            <tbody>
              {attributes.map((a) => (
                <tr key={a.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${a.name}`}
                      checked={selected.includes(a.id)}
                      onChange={(e) => setSelected((s) => (e.currentTarget.checked ? [...s, a.id] : s.filter((id) => id !== a.id)))}
                    />
                  </td>
                  <td>{a.name}</td>
                  <td>{TYPE_LABELS[a.type as AttributeType] ?? a.type}</td>
                  <td>{a.mandatory ? "Yes" : "No"}</td>
                  <td>{a.self_editable ? "Yes" : "No"}</td>
                  <td>{a.visible_to_members ? "Yes" : "No"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selected.length > 0 && (
        <button type="button" class="danger" onClick={() => void removeSelected()}>
          Remove selected ({selected.length})
        </button>
      )}

      <h3>Add new</h3>
      <div class="chips" role="group" aria-label="Suggested attributes">
        {suggestions
          .filter((s) => !drafted(s.name))
          .map((s) => (
            <button type="button" class="chip" key={s.name} onClick={() => setDrafts((ds) => [...ds, blank(s)])}>
              + {s.name}
            </button>
          ))}
        <button type="button" class="chip" onClick={() => setDrafts((ds) => [...ds, blank()])}>
          + Custom attribute
        </button>
      </div>
      {drafts.length > 0 && (
        <form class="drafts" onSubmit={save}>
          {drafts.map((d, i) => (
            <DraftRow key={d.key} draft={d} index={i + 1} error={fieldError?.key === d.key ? fieldError.message : null} onChange={(c) => update(d.key, c)} onRemove={() => setDrafts((ds) => ds.filter((x) => x.key !== d.key))} />
          ))}
          <button type="submit" disabled={busy}>
            Save attributes
          </button>
        </form>
      )}
    </section>
  );
}

interface RowProps {
  draft: Draft;
  index: number;
  error: string | null;
  onChange(change: Partial<NewAttribute>): void;
  onRemove(): void;
}

function DraftRow({ draft, index, error, onChange, onRemove }: RowProps) {
  const id = `attr-${draft.key}`;
  return (
    <fieldset class="draft">
      <legend>New attribute {index}</legend>
      <div class="field">
        <label for={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          value={draft.name}
          maxLength={100}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onInput={(e) => onChange({ name: e.currentTarget.value })}
        />
        {error && (
          <span id={`${id}-error`} class="error" role="alert">
            {error}
          </span>
        )}
      </div>
      <div class="field">
        <label for={`${id}-type`}>Type</label>
        <select id={`${id}-type`} value={draft.type} onChange={(e) => onChange({ type: e.currentTarget.value as AttributeType })}>
          {(Object.keys(TYPE_LABELS) as AttributeType[]).map((t) => (
            <option value={t} key={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </div>
      <label class="check">
        <input type="checkbox" checked={draft.mandatory} onChange={(e) => onChange({ mandatory: e.currentTarget.checked })} /> Mandatory
      </label>
      <label class="check">
        <input type="checkbox" checked={draft.self_editable} onChange={(e) => onChange({ self_editable: e.currentTarget.checked })} /> Editable by the person
      </label>
      <label class="check">
        <input type="checkbox" checked={draft.visible_to_members} onChange={(e) => onChange({ visible_to_members: e.currentTarget.checked })} /> Shown to all members
      </label>
      <button type="button" class="link" onClick={onRemove} aria-label={`Remove new attribute ${index}`}>
        − Remove
      </button>
    </fieldset>
  );
}

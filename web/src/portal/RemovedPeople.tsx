// People removed in the last 30 days, each restorable with the groups they were taken out of.
import { useEffect, useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { RemovedRecord } from "../api/types";
import { ErrorText } from "../ui/ErrorText";

export function RemovedPeople({ orgId }: { orgId: string }) {
  const [removed, setRemoved] = useState<RemovedRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const base = `/api/v1/organizations/${enc(orgId)}`;

  const load = () =>
    api<{ removed_people: RemovedRecord[] }>("GET", `${base}/removed-people`)
      .then((r) => setRemoved(r.removed_people))
      .catch((e) => setError((e as Error).message));
  useEffect(() => void load(), [orgId]);

  async function restore(r: RemovedRecord) {
    try {
      await api("POST", `${base}/people/${enc(r.user_id)}/restore`);
      setNote(`${r.name || r.phone} is back in the directory.`);
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <section aria-labelledby="removed-title">
      <h2 id="removed-title">Removed people</h2>
      <ErrorText error={error} />
      {note && <p role="status">{note}</p>}
      {removed?.length === 0 && <p class="hint">Nobody was removed in the last 30 days.</p>}
      <ul class="rows">
        {removed?.map((r) => (
          <li key={r.user_id}>
            <span>
              {r.name || r.phone} · removed {new Date(r.removed_at).toLocaleDateString()}
            </span>
            <button type="button" onClick={() => void restore(r)}>
              Restore
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

// One person of the directory, with their groups and attributes (edited here); remove them
// from it.
import { useEffect, useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { PersonDetail as Person } from "../api/types";
import { ErrorText } from "../ui/ErrorText";
import { navigate } from "../ui/router";
import { PersonAttributes } from "./PersonAttributes";

export function PersonDetail({ orgId, userId }: { orgId: string; userId: string }) {
  const [person, setPerson] = useState<Person | null>(null);
  const [error, setError] = useState<string | null>(null);
  const path = `/api/v1/organizations/${enc(orgId)}/people/${enc(userId)}`;

  const load = () => api<Person>("GET", path).then(setPerson);
  useEffect(() => {
    load().catch((e) => setError((e as Error).message));
  }, [path]);

  async function remove() {
    if (!person || !confirm(`Remove ${person.name || person.phone} from the organization? They can be restored for 30 days.`)) return;
    try {
      await api("DELETE", path);
      navigate(`/portal/${encodeURIComponent(orgId)}/removed`);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <section aria-labelledby="person-title">
      <h2 id="person-title">{person ? person.name || person.phone : "Person"}</h2>
      <ErrorText error={error} />
      {person && (
        <>
          <dl class="details">
            <dt>Phone</dt>
            <dd>{person.phone}</dd>
            <dt>E-mail</dt>
            <dd>{person.email ?? "—"}</dd>
            <dt>Role</dt>
            <dd>{person.role}</dd>
            <dt>Work account</dt>
            <dd>{person.work_account_linked ? "Linked" : "Not linked"}</dd>
            <dt>Added</dt>
            <dd>{new Date(person.added_at).toLocaleDateString()}</dd>
            <dt>Last active</dt>
            <dd>{person.last_active_at ? new Date(person.last_active_at).toLocaleString() : "Never signed in"}</dd>
          </dl>
          <h3>Attributes</h3>
          <PersonAttributes orgId={orgId} path={path} values={person.attributes ?? {}} onSaved={load} />
          {person.groups && (
            <>
              <h3>Groups</h3>
              {person.groups.length === 0 ? (
                <p class="hint">Not in any of the organization's groups.</p>
              ) : (
                <ul>
                  {person.groups.map((g) => (
                    <li key={g.id}>
                      {g.name} ({g.role})
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
          <button type="button" class="danger" onClick={() => void remove()}>
            Remove from organization
          </button>
        </>
      )}
    </section>
  );
}

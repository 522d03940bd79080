// Adds people to the directory by a comma-separated list of phone numbers. The region reads
// local numbers (default: the organization's); each number is reported on its own.
import { useEffect, useMemo, useState } from "preact/hooks";
import { api, batch, enc } from "../api/client";
import type { OrganizationView, PeoplePage, PeopleResults } from "../api/types";
import { ErrorText } from "../ui/ErrorText";
import { regions } from "./regions";

interface Outcome {
  phone: string;
  result: "added" | "already" | "invalid";
  detail: string;
}

export function AddPeople({ orgId }: { orgId: string }) {
  const base = `/api/v1/organizations/${enc(orgId)}`;
  const all = useMemo(regions, []);
  const [phones, setPhones] = useState("");
  const [region, setRegion] = useState("");
  // No role: new people become members and people already listed keep theirs.
  const [role, setRole] = useState<"" | "admin">("");
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<OrganizationView>("GET", base)
      .then((o) => setRegion((r) => r || o.default_region))
      .catch((e) => setError((e as Error).message));
  }, [orgId]);

  async function add(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setOutcomes(null);
    try {
      // Adding someone already listed updates them and keeps their added_at: whoever was added
      // no later than the newest entry before this request was already in the directory.
      const newest = await api<PeoplePage>("GET", `${base}/people?sort=added&order=desc&limit=1`);
      const before = newest.people[0] ? Date.parse(newest.people[0].added_at) : -Infinity;
      const r = await batch<PeopleResults>("POST", `${base}/people`, { phones, region, ...(role ? { role } : {}) });
      setOutcomes([
        ...r.added.map((p): Outcome => {
          const already = Date.parse(p.added_at) <= before;
          return { phone: p.phone, result: already ? "already" : "added", detail: already ? "Already in the directory" : `Added${p.name ? ` (${p.name})` : ""}` };
        }),
        ...r.failed.map((f): Outcome => ({ phone: f.phone.trim(), result: "invalid", detail: f.error.message })),
      ]);
      if (r.failed.length === 0) setPhones("");
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="add-people-title">
      <h2 id="add-people-title">Add people</h2>
      <form class="panel-form" onSubmit={add}>
        <label for="add-phones">Phone numbers (comma-separated)</label>
        <textarea id="add-phones" rows={3} required value={phones} placeholder="+65 9123 4567, 9123 4568" onInput={(e) => setPhones(e.currentTarget.value)} />
        <label for="add-region">Region of local numbers</label>
        <select id="add-region" value={region} onChange={(e) => setRegion(e.currentTarget.value)}>
          {all.map((r) => (
            <option value={r.code} key={r.code}>
              {r.name} ({r.code})
            </option>
          ))}
        </select>
        <label for="add-role">Role</label>
        <select id="add-role" value={role} onChange={(e) => setRole(e.currentTarget.value as "" | "admin")}>
          <option value="">Member (people already listed keep their role)</option>
          <option value="admin">Organization admin</option>
        </select>
        <button type="submit" disabled={busy || !phones.trim()}>
          Add people
        </button>
      </form>
      <ErrorText error={error} />
      {outcomes && (
        <div class="table-scroll">
          <table class="results" aria-label="Results">
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {outcomes.map((o) => (
                <tr key={o.phone + o.result} data-phone={o.phone} data-result={o.result}>
                  <td>{o.phone}</td>
                  <td class={o.result === "invalid" ? "error" : undefined}>{o.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

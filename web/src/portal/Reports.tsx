// Each organization group's activity over a period (seed 004, "View Reports"): members and
// admins now, and the period's messages, active senders, cards and card responses. Organization
// admins see every group; group admins the groups they administer. Counts only, as the server
// gives them; the same report downloads as CSV.
import { useEffect, useState } from "preact/hooks";
import { api, download, enc } from "../api/client";
import type { GroupsReport } from "../api/types";
import { ErrorText } from "../ui/ErrorText";
import type { PortalOrganization } from "./access";

const PERIODS = [
  { days: 7, label: "Last 7 days" },
  { days: 30, label: "Last 30 days" },
  { days: 90, label: "Last 90 days" },
  { days: 365, label: "Last 12 months" },
];
const DAY_MS = 24 * 60 * 60 * 1000;

export function Reports({ org }: { org: PortalOrganization }) {
  const [days, setDays] = useState(30);
  const [report, setReport] = useState<GroupsReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The period is fixed when asked for, so that the table and its CSV agree.
  const [period, setPeriod] = useState<{ from: string; to: string } | null>(null);
  const base = `/api/v1/organizations/${enc(org.id)}/reports/groups`;

  useEffect(() => {
    const to = new Date();
    const next = { from: new Date(to.getTime() - days * DAY_MS).toISOString(), to: to.toISOString() };
    setPeriod(next);
    setError(null);
    api<GroupsReport>("GET", `${base}?${new URLSearchParams(next)}`)
      .then(setReport)
      .catch((e) => {
        setReport(null);
        setError((e as Error).message);
      });
  }, [org.id, days]);

  const csv = () => period && download(`${base}.csv?${new URLSearchParams(period)}`, "group-activity.csv").catch((e) => setError((e as Error).message));
  const total = (key: "messages" | "cards" | "responses") => (report?.groups ?? []).reduce((sum, g) => sum + g[key], 0);

  return (
    <section aria-labelledby="reports-title">
      <h2 id="reports-title">Reports</h2>
      <p class="hint">{org.orgAdmin ? "Activity in every group of the organization." : "Activity in the groups you administer."} Counts only: no message is shown.</p>
      <div class="actions-row">
        <label class="inline-field">
          Period
          <select value={days} onChange={(e) => setDays(Number(e.currentTarget.value))}>
            {PERIODS.map((p) => (
              <option key={p.days} value={p.days}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={!report} onClick={() => void csv()}>
          Download CSV
        </button>
      </div>
      <ErrorText error={error} />
      {report &&
        (report.groups.length === 0 ? (
          <p class="hint">The organization has no groups yet.</p>
        ) : (
          <>
            <p class="card-stat">
              {report.groups.length} groups · {total("messages")} messages · {total("cards")} cards · {total("responses")} card responses, from{" "}
              {new Date(report.from).toLocaleDateString()} to {new Date(report.to).toLocaleDateString()}
            </p>
            <div class="table-scroll">
              <table class="history reports">
                <thead>
                  <tr>
                    <th scope="col">Group</th>
                    <th scope="col">Members</th>
                    <th scope="col">Admins</th>
                    <th scope="col">Messages</th>
                    <th scope="col">Active senders</th>
                    <th scope="col">Cards</th>
                    <th scope="col">Card responses</th>
                    <th scope="col">Last activity</th>
                  </tr>
                </thead>
                <tbody>
                  {report.groups.map((g) => (
                    <tr key={g.id} data-group={g.id}>
                      <th scope="row">{g.name}</th>
                      <td>{g.members}</td>
                      <td>{g.admins}</td>
                      <td>{g.messages}</td>
                      <td>{g.senders}</td>
                      <td>{g.cards}</td>
                      <td>{g.responses}</td>
                      <td>{g.last_activity_at ? new Date(g.last_activity_at).toLocaleString() : "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ))}
    </section>
  );
}

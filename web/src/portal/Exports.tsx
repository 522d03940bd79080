// CSV exports of the directory and of a group's membership, run by the server in the
// background: start one, follow its progress, download it from the history.
import { useEffect, useState } from "preact/hooks";
import { ApiError, api, download, enc } from "../api/client";
import type { ExportJob, OrgGroup } from "../api/types";
import { ErrorText } from "../ui/ErrorText";
import type { PortalOrganization } from "./access";
import { GroupSelect } from "./GroupSelect";

const STATUS: Record<ExportJob["status"], string> = { queued: "Queued", running: "Running", completed: "Completed", failed: "Failed" };
const busy = (job: ExportJob) => job.status === "queued" || job.status === "running";

export function Exports({ org }: { org: PortalOrganization }) {
  const base = `/api/v1/organizations/${enc(org.id)}`;
  const [jobs, setJobs] = useState<ExportJob[]>([]);
  const [groups, setGroups] = useState<OrgGroup[]>([]);
  const [groupId, setGroupId] = useState("");
  const [error, setError] = useState<string | null>(null);

  const load = () =>
    api<{ exports: ExportJob[] }>("GET", `${base}/exports`)
      .then((r) => setJobs(r.exports))
      .catch((e) => {
        // Someone who is not an organization admin and has made no export yet is refused a
        // history; there is simply nothing to show.
        if (!(e instanceof ApiError && e.status === 403 && !org.orgAdmin)) setError((e as Error).message);
      });
  useEffect(() => {
    void load();
    api<{ groups: OrgGroup[] }>("GET", `${base}/groups`)
      .then((r) => {
        const mine = org.orgAdmin ? r.groups : r.groups.filter((g) => org.adminGroups.includes(g.id));
        setGroups(mine.sort((a, b) => a.name.localeCompare(b.name)));
        setGroupId((id) => id || mine[0]?.id || "");
      })
      .catch((e) => setError((e as Error).message));
  }, [org.id]);

  // Poll the jobs still running until they finish.
  const running = jobs.filter(busy).map((j) => j.id);
  useEffect(() => {
    if (running.length === 0) return;
    const timer = setTimeout(() => {
      Promise.all(running.map((id) => api<ExportJob>("GET", `${base}/exports/${enc(id)}`)))
        .then((fresh) => setJobs((js) => js.map((j) => fresh.find((f) => f.id === j.id) ?? j)))
        .catch((e) => setError((e as Error).message));
    }, 500);
    return () => clearTimeout(timer);
  }, [jobs]);

  async function start(kind: "people" | "group_members") {
    setError(null);
    try {
      const params = new URLSearchParams({ kind });
      if (kind === "group_members") params.set("group_id", groupId);
      const job = await api<ExportJob>("POST", `${base}/exports?${params}`);
      setJobs((js) => [job, ...js.filter((j) => j.id !== job.id)]);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const get = (job: ExportJob) => download(`${base}/exports/${enc(job.id)}/file`, job.file_name).catch((e) => setError((e as Error).message));

  return (
    <section aria-labelledby="exports-title">
      <h2 id="exports-title">Exports</h2>
      <div class="actions-row">
        {org.orgAdmin && (
          <button type="button" onClick={() => void start("people")}>
            Export people
          </button>
        )}
        {groups.length > 0 && (
          <span class="inline-field">
            <GroupSelect id="export-group" label="Group" groups={groups} value={groupId} onChange={setGroupId} />
            <button type="button" disabled={!groupId} onClick={() => void start("group_members")}>
              Export group members
            </button>
          </span>
        )}
      </div>
      <ErrorText error={error} />
      <h3>History</h3>
      {jobs.length === 0 ? (
        <p class="hint">No exports yet.</p>
      ) : (
        <div class="table-scroll">
          <table class="history exports">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Exported by</th>
                <th scope="col">Date</th>
                <th scope="col">Status</th>
                <th scope="col">Download</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.id} data-job={job.id} data-status={job.status}>
                  <td>
                    {job.file_name}
                    {job.group && <span class="muted"> ({job.group.name || "deleted group"})</span>}
                  </td>
                  <td>{job.exported_by.phone}</td>
                  <td>{new Date(job.created_at).toLocaleString()}</td>
                  <td>
                    {STATUS[job.status]}
                    {busy(job) && (
                      <progress max={100} value={job.progress} aria-label={`Progress of ${job.file_name}`}>
                        {job.progress}%
                      </progress>
                    )}
                    {job.error && <span class="error"> {job.error.message}</span>}
                  </td>
                  <td>
                    {job.status === "completed" && (
                      <button type="button" class="link" onClick={() => void get(job)} aria-label={`Download ${job.file_name}`}>
                        Download
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

// Bulk uploads of the three CSV kinds: template downloads, dry runs, a progress bar while a
// job runs, and the history with the original files and error logs.
import { useEffect, useState } from "preact/hooks";
import { api, download, enc, request } from "../api/client";
import type { ImportJob, ImportKind } from "../api/types";
import { ErrorText } from "../ui/ErrorText";
import { ImportHistory } from "./ImportHistory";

export const KINDS: { kind: ImportKind; label: string }[] = [
  { kind: "users", label: "People" },
  { kind: "user_groups", label: "Group memberships" },
  { kind: "parent_groups", label: "Parent group mapping" },
];

const finished = (job: ImportJob) => job.status === "completed" || job.status === "failed";

export function Imports({ orgId }: { orgId: string }) {
  const base = `/api/v1/organizations/${enc(orgId)}`;
  const [kind, setKind] = useState<ImportKind>("users");
  const [dryRun, setDryRun] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [history, setHistory] = useState<ImportJob[]>([]);
  const [error, setError] = useState<string | null>(null);

  const loadHistory = () =>
    api<{ imports: ImportJob[] }>("GET", `${base}/imports`)
      .then((r) => setHistory(r.imports))
      .catch((e) => setError((e as Error).message));
  useEffect(() => void loadHistory(), [orgId]);

  // Follow the running job until it finishes.
  useEffect(() => {
    if (!job || finished(job)) return;
    const timer = setTimeout(() => {
      api<ImportJob>("GET", `${base}/imports/${enc(job.id)}`)
        .then((next) => {
          setJob(next);
          if (finished(next)) void loadHistory();
        })
        .catch((e) => setError((e as Error).message));
    }, 400);
    return () => clearTimeout(timer);
  }, [job]);

  async function upload(e: Event) {
    e.preventDefault();
    if (!file) return;
    setError(null);
    try {
      const params = new URLSearchParams({ kind, dry_run: String(dryRun), file_name: file.name });
      const response = await request("POST", `${base}/imports?${params}`, undefined, {
        body: file,
        headers: { "Content-Type": "text/csv" },
      });
      setJob((await response.json()) as ImportJob);
      void loadHistory();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  const template = (k: ImportKind) => download(`${base}/import-templates/${k}`, `${k}-template.csv`).catch((e) => setError((e as Error).message));

  return (
    <section aria-labelledby="imports-title">
      <h2 id="imports-title">Bulk upload</h2>
      <p>
        Templates:{" "}
        {KINDS.map((k) => (
          <button type="button" class="link" key={k.kind} onClick={() => void template(k.kind)}>
            {k.label} template
          </button>
        ))}
      </p>
      <form class="panel-form" onSubmit={upload}>
        <label for="import-kind">What the file holds</label>
        <select id="import-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as ImportKind)}>
          {KINDS.map((k) => (
            <option value={k.kind}>{k.label}</option>
          ))}
        </select>
        <label for="import-file">CSV file</label>
        <input id="import-file" type="file" accept=".csv,text/csv" required onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        <label class="check">
          <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} /> Dry run (check the file, change nothing)
        </label>
        <button type="submit" disabled={!file}>
          Upload
        </button>
      </form>
      <ErrorText error={error} />
      {job && <JobProgress job={job} />}
      <ImportHistory base={base} jobs={history} onError={setError} />
    </section>
  );
}

function JobProgress({ job }: { job: ImportJob }) {
  return (
    <div class="job" data-job={job.id} data-status={job.status}>
      <label for="import-progress">
        {job.file_name}: {job.status}
        {job.dry_run && " (dry run)"}
      </label>
      <progress id="import-progress" max={100} value={job.progress}>
        {job.progress}%
      </progress>
      {finished(job) && (
        <p role="status">
          {job.error ? job.error.message : `${job.rows} rows: ${job.applied} ${job.dry_run ? "would apply" : "applied"}, ${job.unchanged} unchanged, ${job.failed} failed.`}
        </p>
      )}
    </div>
  );
}

import type { ImportJob } from "../api/types";
import { download, enc } from "../api/client";

interface Props {
  base: string;
  jobs: ImportJob[];
  onError(message: string): void;
}

export function ImportHistory({ base, jobs, onError }: Props) {
  const get = (job: ImportJob, what: "file" | "errors") =>
    download(`${base}/imports/${enc(job.id)}/${what}`, what === "file" ? job.file_name : `errors-${job.id}.csv`).catch((e) => onError((e as Error).message));
  return (
    <>
      <h3>History</h3>
      <div class="table-scroll">
        <table class="history">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Rows</th>
              <th scope="col">Failed</th>
              <th scope="col">Downloads</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={job.id} data-job={job.id}>
                <td>
                  {job.file_name}
                  {job.dry_run && " (dry run)"}
                </td>
                <td>{job.kind}</td>
                <td>{job.status}</td>
                <td>{job.rows}</td>
                <td>{job.failed}</td>
                <td>
                  <button type="button" class="link" onClick={() => void get(job, "file")}>
                    Original file
                  </button>{" "}
                  <button type="button" class="link" onClick={() => void get(job, "errors")} aria-label={`Error log of ${job.file_name}`}>
                    Error log
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

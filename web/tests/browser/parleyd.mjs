// Starts a real parleyd (--dev, a fresh data directory, a free port, the built web app) for the
// browser tests, reads sign-in codes from its dev outbox, and stops it.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ADMIN_PHONE = "+6591000001";

// `args`: a test's own extra flags (a test function's `parleydArgs`).
export async function startParleyd({ binary, webRoot, args = [] }) {
  if (!existsSync(join(webRoot, "index.html"))) {
    throw new Error(`no built web app in ${webRoot}: run scripts/build (npm run build in web/)`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), "parley-browser-"));
  const child = spawn(
    binary,
    ["--dev", "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--web-root", webRoot, "--init-org", "Contoso", "--init-admin", ADMIN_PHONE, "--log-level", "warn", ...args],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stderr.on("data", (d) => (log += d));
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      log += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`parleyd exited with ${code} before listening:\n${log}`)));
  });
  return {
    url,
    dataDir,
    log: () => log,
    // The newest sign-in code sent to phone (E.164), as the dev outbox has it.
    code(phone) {
      const lines = readFileSync(join(dataDir, "dev-outbox.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
      const hit = lines.reverse().find((l) => l.phone === phone && l.purpose === "sign-in");
      if (!hit) throw new Error(`no sign-in code for ${phone} in the dev outbox`);
      return hit.code;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.on("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

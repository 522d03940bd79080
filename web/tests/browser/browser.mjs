// Debian's Chromium driven by playwright-core, headless, with the flags this machine needs:
// no sandbox as root, and none of Chromium's own background traffic (the network is closed).
import { chromium } from "playwright-core";

export async function launch() {
  const args = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
  ];
  if (process.getuid?.() === 0) args.push("--no-sandbox");
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true, args });
}

// The first screen on Chromium's "Slow 3G" profile (DevTools: 2 s latency, 400 kbit/s each
// way), emulated through the DevTools protocol with the cache empty. Records how long the
// sign-in form takes to be usable (docs/benchmarks.md quotes it) and asserts only that it
// comes: timings on a shared machine are not a test.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { WAIT } from "./steps.mjs";

export async function slowNetworkFirstScreen({ browser, server, screenshots }) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    const throughput = (400 * 1000) / 8;
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 2000,
      downloadThroughput: throughput,
      uploadThroughput: throughput,
    });
    const started = Date.now();
    await page.goto(server.url + "/", { waitUntil: "commit", timeout: 60_000 });
    await page.getByRole("button", { name: "Send code" }).waitFor({ ...WAIT, timeout: 60_000 });
    const ms = Date.now() - started;
    const bytes = await page.evaluate(() =>
      performance.getEntriesByType("resource").reduce((sum, e) => sum + (e.transferSize || 0), 0),
    );
    const line = `first screen on Slow 3G: ${ms} ms (sign-in form usable; ${bytes} bytes of assets after the page)`;
    console.log(line);
    writeFileSync(join(screenshots, "slow-3g.txt"), line + "\n");
  } finally {
    await context.close();
  }
}

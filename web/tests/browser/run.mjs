// Browser tests: real parleyd, real Chromium. Run by ctest (label `browser`) as
//   node web/tests/browser/run.mjs <parleyd> <web root> <screenshot dir>
// Prints one line per test and "N passed, N failed"; exits non-zero on any failure. Waits for
// what a person would see, never for a fixed time, and asserts no timings.
import { mkdirSync } from "node:fs";
import { launch } from "./browser.mjs";
import { startParleyd } from "./parleyd.mjs";
import { seed003Story } from "./seed003.test.mjs";
import { bulkUploadWithErrorLog } from "./bulk_upload.test.mjs";
import { slowNetworkFirstScreen } from "./slow_network.test.mjs";
import { portalAttributesAndPeople, portalExports, portalPersonAttributes, portalGroupAdminView, portalGroupHierarchy, portalPolicies } from "./portal.test.mjs";
import { forwardBlockedByPolicy, shareRestrictedAttachments } from "./forward_policy.test.mjs";
import { wipeOnRemoval } from "./wipe.test.mjs";
import { attachmentsLive } from "./attachments.test.mjs";
import { groupInfoPanel } from "./group_info.test.mjs";
import { cardsLiveResults } from "./cards.test.mjs";

const [binary, webRoot, screenshots] = process.argv.slice(2);
if (!binary || !webRoot || !screenshots) {
  console.error("usage: run.mjs <parleyd> <web root> <screenshot dir>");
  process.exit(2);
}
mkdirSync(screenshots, { recursive: true });

const tests = [
  seed003Story,
  bulkUploadWithErrorLog,
  slowNetworkFirstScreen,
  portalAttributesAndPeople,
  portalPersonAttributes,
  portalGroupHierarchy,
  portalPolicies,
  portalExports,
  portalGroupAdminView,
  forwardBlockedByPolicy,
  shareRestrictedAttachments,
  wipeOnRemoval,
  attachmentsLive,
  groupInfoPanel,
  cardsLiveResults,
];
const only = process.env.BROWSER_TEST;
let passed = 0;
let failed = 0;
const browser = await launch();
try {
  for (const test of tests) {
    if (only && test.name !== only) continue;
    const server = await startParleyd({ binary, webRoot, args: test.parleydArgs });
    try {
      await test({ browser, server, screenshots });
      console.log(`PASS ${test.name}`);
      passed++;
    } catch (error) {
      console.log(`FAIL ${test.name}: ${error.stack ?? error}`);
      console.log(`----- parleyd log -----\n${server.log().slice(-4000)}\n-----`);
      failed++;
    } finally {
      await server.stop();
    }
  }
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

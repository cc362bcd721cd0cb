/** `deno task bench:pages`: every page measured cold and warm in chromium; a second visit costs less. */
import assert from "node:assert/strict";
import { dashboardFixture } from "../dashboard_fixture.ts";
import { runScript } from "../helpers.ts";

const CHROMIUM = "/usr/bin/chromium";
const available = await Deno.stat(CHROMIUM).then(() => true, () => false);

Deno.test({
  name: available
    ? "bench:pages measures every page cold and warm; warm visits download no bundle again"
    : "bench:pages: skipped, /usr/bin/chromium is not installed",
  ignore: !available,
  async fn() {
    const fixture = await dashboardFixture();
    const result = await runScript("../bench/page_weight", [
      "--runs-dir",
      fixture.runsDir,
      "--sweeps-dir",
      fixture.sweepsDir,
      "--json",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const { pages } = JSON.parse(result.stdout);
    assert.deepEqual(
      pages.map((p: { page: string }) => p.page.split("?")[0].replace(/\/runs\/.+/, "/runs/ID")),
      ["/", "/runs/ID", "/compare", "/experiments", "/book", "/draw", "/train"],
    );
    for (const { page, cold, warm } of pages) {
      assert.ok(cold.bytes > 1000 && cold.ms > 0, `${page}: ${JSON.stringify(cold)}`);
      assert.ok(warm.bytes <= cold.bytes, `${page}: warm ${warm.bytes} B, cold ${cold.bytes} B`);
    }
    // pages with charts: chart.js comes once, then from the cache
    const compare = pages.find((p: { page: string }) => p.page.startsWith("/compare"));
    assert.ok(
      compare.cold.bytes - compare.warm.bytes > 50_000,
      `the compare page's bundle cached: ${JSON.stringify(compare)}`,
    );
    // the Train page before any training has no curve to draw: it loads no chart code
    const train = pages.find((p: { page: string }) => p.page === "/train");
    assert.ok(
      train.cold.bytes < 40_000,
      `the train page loads no chart code until it has a curve: ${JSON.stringify(train)}`,
    );
  },
});

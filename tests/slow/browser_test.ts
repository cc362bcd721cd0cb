/**
 * The dashboard in a real browser (Debian's chromium through playwright-core): the
 * islands hydrate, charts draw, sorting and comparing work, a digit drawn with the mouse
 * or a finger is read, an uploaded image is read, and a training started from the page
 * finishes. Screenshots of every page go to $MYONN_SCREENSHOTS (default: a temporary folder).
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { createApp } from "../../main.ts";
import { ensureIslands } from "../../islands/build.ts";
import { auditPage } from "./a11y.ts";
import { type LiveTraining, removeLiveTraining, writeLiveTraining } from "../../core/jobs/mod.ts";
import { dashboardFixture } from "../dashboard_fixture.ts";
import { ROOT } from "../helpers.ts";

const CHROMIUM = "/usr/bin/chromium";
const available = await Deno.stat(CHROMIUM).then(() => true, () => false);

Deno.test({
  name: available
    ? "the dashboard works in a real browser"
    : "the dashboard in a browser: skipped, /usr/bin/chromium is not installed",
  ignore: !available,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await ensureIslands();
    const fixture = await dashboardFixture();
    const { app } = createApp({ runsDir: fixture.runsDir, sweepsDir: fixture.sweepsDir });
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    const shots = Deno.env.get("MYONN_SCREENSHOTS") ??
      await Deno.makeTempDir({ prefix: "myonn-screenshots-" });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    const errors: string[] = [];
    try {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, hasTouch: true });
      const page = await context.newPage();
      page.on("pageerror", (error) => errors.push(String(error)));
      page.on("console", (message) => message.type() === "error" && errors.push(message.text()));

      const scripts: string[] = [];
      page.on("request", (request) => request.url().endsWith(".js") && scripts.push(request.url()));
      await t.step("the runs page loads, sorts, and picks runs to compare", async () => {
        const started = performance.now();
        await page.goto(base + "/", { waitUntil: "load" });
        const loadMs = performance.now() - started;
        console.log(`first page load over loopback: ${loadMs.toFixed(0)} ms`);
        await page.waitForSelector("html[data-hydrated]");
        assert.ok(
          !scripts.some((url) => /\/Chart-/.test(url)),
          `a page without charts loads no chart code: ${scripts}`,
        );
        // a second visit asks again and gets "not modified": no script travels twice
        const again = await page.context().request.get(scripts[0], {
          headers: {
            "if-none-match": (await (await page.context().request.get(scripts[0])).headers())["etag"],
          },
        });
        assert.equal(again.status(), 304);
        await page.getByRole("button", { name: "sort by performance" }).click();
        const performances =
          (await page.locator("table.runs tbody tr:not(.broken) td.performance").allTextContents())
            .map(Number);
        assert.equal(performances.length, 2);
        assert.deepEqual(
          performances,
          [...performances].sort((a, b) => b - a),
          "sorted by performance, best first",
        );
        await page.getByLabel(`compare ${fixture.run}`, { exact: true }).check();
        await page.getByLabel(`compare ${fixture.other}`, { exact: true }).check();
        await page.screenshot({ path: `${shots}/runs.png` });
        await page.getByText("Compare 2 selected").click();
        await page.waitForURL(/\/compare\?runs=/);
        await page.waitForSelector("canvas");
        await page.screenshot({ path: `${shots}/compare.png` });
        // Back: the boxes the browser ticks again are the ones the button counts
        await page.goBack();
        await page.waitForSelector("html[data-hydrated]");
        const ticked = () => page.locator("table.runs input[type=checkbox]:checked").count();
        const before = await ticked();
        assert.ok(
          await page.getByText(`Compare ${before} selected`).isVisible(),
          `${before} ticked, as the button says`,
        );
        const box = page.getByLabel(`compare ${fixture.run}`, { exact: true });
        await box.setChecked(!(await box.isChecked()));
        const after = await ticked();
        assert.equal(Math.abs(after - before), 1, "one box changed, the other stays as it was");
        assert.ok(
          await page.getByText(`Compare ${after} selected`).isVisible(),
          `${after} ticked, as the button says`,
        );
      });

      await t.step("a run page draws its charts", async () => {
        await page.goto(`${base}/runs/${fixture.run}`);
        await page.waitForFunction(() => document.querySelectorAll("canvas").length >= 4);
        // a drawn chart's canvas is not blank
        const inked = await page.locator(".chart canvas").first().evaluate((canvas: HTMLCanvasElement) => {
          const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
          return data.some((value, i) => i % 4 === 3 && value > 0);
        });
        assert.ok(inked, "the performance chart has something drawn");
        await page.screenshot({ path: `${shots}/run.png`, fullPage: true });
      });

      await t.step("the draw page reads a 1 drawn with the mouse", async () => {
        await page.goto(`${base}/draw?run=${fixture.run}`);
        await page.waitForSelector("html[data-hydrated]");
        const pad = await page.locator("canvas.pad").boundingBox();
        await page.mouse.move(pad!.x + 140, pad!.y + 40);
        await page.mouse.down();
        for (let y = 40; y <= 240; y += 10) await page.mouse.move(pad!.x + 142, pad!.y + y);
        await page.mouse.up();
        await page.waitForSelector(".answer strong");
        assert.equal(await page.locator(".answer strong").textContent(), "1");
        await page.screenshot({ path: `${shots}/draw.png` });
        // the answer's bars and labels, measured where they are drawn
        assert.deepEqual(await auditPage(page), [], "the draw page with an answer");
      });

      await t.step(
        "an answer always belongs to the current drawing: a slow reply to an older one never lands",
        async () => {
          await page.goto(`${base}/draw?run=${fixture.run}`);
          await page.waitForSelector("html[data-hydrated]");
          let started = 0;
          const answers = new Map<number, number>();
          await page.route("**/api/query*", async (route) => {
            const call = started++;
            const response = await route.fetch();
            const json = await response.json();
            answers.set(call, json.answer);
            // the first drawing's reply is slow: it would arrive after the second drawing's
            if (call === 0) await new Promise((resolve) => setTimeout(resolve, 1500));
            await route.fulfill({ response, json }).catch(() => {}); // aborted by the pad: nothing to fulfil
          });
          const pad = (await page.locator("canvas.pad").boundingBox())!;
          const stroke = async (points: [number, number][]) => {
            await page.mouse.move(pad.x + points[0][0], pad.y + points[0][1]);
            await page.mouse.down();
            for (const [x, y] of points) await page.mouse.move(pad.x + x, pad.y + y);
            await page.mouse.up();
          };
          await stroke(Array.from({ length: 20 }, (_, i) => [140, 40 + 10 * i] as [number, number]));
          await page.waitForTimeout(300); // its request is on the way (and slow)
          await page.getByRole("button", { name: "Clear" }).click();
          await stroke(Array.from({ length: 20 }, (_, i) => [40 + 10 * i, 60 + 8 * i] as [number, number]));
          await page.waitForTimeout(2500); // long enough for the slow reply to have arrived
          const last = started - 1;
          assert.ok(last > 0, "the second drawing was asked about");
          assert.notEqual(
            answers.get(0),
            answers.get(last),
            "the two drawings read differently (else this proves nothing)",
          );
          assert.equal(
            await page.locator(".answer strong").getAttribute("data-answer"),
            String(answers.get(last)),
            "the answer shown is the newest drawing's",
          );
          await page.unroute("**/api/query*");
        },
      );

      await t.step("the draw page reads a stroke drawn with a finger, and an uploaded image", async () => {
        await page.getByRole("button", { name: "Clear" }).click();
        const pad = (await page.locator("canvas.pad").boundingBox())!;
        const cdp = await context.newCDPSession(page);
        const touch = (type: "touchStart" | "touchMove" | "touchEnd", x: number, y: number) =>
          cdp.send("Input.dispatchTouchEvent", {
            type,
            touchPoints: type === "touchEnd" ? [] : [{ x: pad.x + x, y: pad.y + y }],
          });
        await touch("touchStart", 140, 40);
        for (let y = 50; y <= 240; y += 10) await touch("touchMove", 141, y);
        await touch("touchEnd", 141, 240);
        await page.screenshot({ path: `${shots}/touch.png` });
        await page.waitForFunction(() => document.querySelector(".answer strong")?.textContent === "1");
        await page.locator("input[type=file]").setInputFiles(`${ROOT}data/own/clean_4.png`);
        await page.waitForFunction(() => document.querySelector(".answer strong")?.textContent === "4");
      });

      await t.step(
        "the train page starts a training, shows its progress and links the saved run",
        async () => {
          await page.goto(`${base}/train`);
          await page.waitForSelector("html[data-hydrated]");
          await page.fill("input[name=hidden]", "30");
          await page.fill("input[name=limitTrain]", "4000");
          await page.fill("input[name=limitTest]", "1000");
          await page.fill("input[name=name]", "trained in the browser");
          await page.getByRole("button", { name: "Train" }).click();
          await page.waitForSelector(".status[data-state=done] a", { timeout: 30_000 });
          // the live curves: the training error as it went (a point every 5,000 records), the test performance per epoch
          assert.equal(await page.locator(".status .chart canvas").count(), 2, "two live charts");
          // 4,000 records, a point every 1,000: the training-error curve grew to four points
          assert.equal(await page.locator(".status .chart").first().getAttribute("data-points"), "4");
          await page.screenshot({ path: `${shots}/train.png` });
          await page.locator(".status a").click();
          await page.waitForSelector("text=trained in the browser");
        },
      );

      await t.step(
        "a command-line training shows live on the Train page and its view follows it",
        async () => {
          // a live file as `deno task train` writes it, for this (running) process
          const live = (done: number, points: number) => ({
            format: "myonn-live",
            pid: Deno.pid,
            title: "784-200-10, lr 0.1, 5 epochs on mnist:train",
            startedAt: new Date().toISOString(),
            updatedAt: new Date().toISOString(),
            status: {
              state: "running",
              epoch: 2,
              epochs: 5,
              done,
              total: 60000,
              history: [{ epoch: 1, performance: 0.9572 }],
              trainingError: Array.from(
                { length: points },
                (_, i) => ({ at: (i + 1) / 12, error: 0.02 / (i + 1) }),
              ),
            },
          });
          await writeLiveTraining(fixture.runsDir, live(5000, 13) as LiveTraining);
          await page.goto(`${base}/train`);
          await page.waitForSelector("html[data-hydrated]");
          const section = page.locator("section.live");
          assert.match(await section.locator("h3").textContent() ?? "", /784-200-10, lr 0\.1, 5 epochs/);
          assert.match(await section.textContent() ?? "", /epoch 2\/5: 5,000 of 60,000 records/);
          assert.equal(await section.locator(".chart canvas").count(), 2, "the same two live charts");
          assert.equal(await section.locator(".chart").first().getAttribute("data-points"), "13");
          // the training goes on: the page follows within a few seconds (it polls every 2 s)
          await writeLiveTraining(fixture.runsDir, live(30000, 18) as LiveTraining);
          await page.waitForFunction(
            () => document.querySelector("section.live")?.textContent?.includes("30,000 of 60,000"),
            undefined,
            { timeout: 30_000 },
          );
          // and its training-error curve gained the new points (13 → 18)
          assert.equal(await section.locator(".chart").first().getAttribute("data-points"), "18");
          await page.screenshot({ path: `${shots}/train-live.png` });
          await removeLiveTraining(fixture.runsDir, Deno.pid);
          await page.waitForFunction(() => !document.querySelector("section.live"), undefined, {
            timeout: 30_000,
          });
        },
      );

      await t.step("the experiments page draws the sweep", async () => {
        await page.goto(`${base}/experiments`);
        await page.waitForSelector("canvas");
        await page.screenshot({ path: `${shots}/experiments.png` });
      });
      await t.step(
        "on a phone (390 px) no page is wider than the screen; the nav marks the page; every page passes the audit at both widths",
        async () => {
          const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, hasTouch: true });
          const problems: string[] = [];
          for (
            const path of [
              "/",
              `/runs/${fixture.run}`,
              `/runs/${fixture.run}/confusion/4/9`,
              "/experiments",
              "/book",
              "/draw",
              "/train",
              `/compare?runs=${fixture.run},${fixture.other}`,
            ]
          ) {
            for (const [tab, width] of [[page, 1200], [phone, 390]] as const) {
              await tab.goto(base + path, { waitUntil: "load" });
              // pages with islands are audited once hydrated (the islands draw part of the page)
              if (await tab.locator("script[type=module]").count()) {
                await tab.waitForSelector("html[data-hydrated]");
              }
              const scroll = await tab.evaluate(() => document.documentElement.scrollWidth);
              assert.ok(scroll <= width, `${path} is ${scroll} px wide on a ${width} px screen`);
              for (const problem of await auditPage(tab)) {
                problems.push(`${path} at ${width} px: ${problem.what}`);
              }
            }
            await phone.screenshot({ path: `${shots}/phone${path.replace(/[^a-z0-9]+/g, "-")}.png` });
          }
          assert.deepEqual(
            problems,
            [],
            "contrast of 4.5:1 (3:1 large), every control named, headings in order",
          );
          await phone.goto(`${base}/train`);
          assert.equal(await phone.locator('nav a[aria-current="page"]').textContent(), "Train");
          await phone.close();
        },
      );
      assert.deepEqual(errors, [], "no errors in the browser's console");
      console.log(`screenshots in ${shots}`);
    } finally {
      await browser.close();
      await server.shutdown();
    }
  },
});

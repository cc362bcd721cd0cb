/**
 * The book: the latest `deno task reproduce` report — every experiment of the book with our
 * spread over seeds beside the published figure and a verdict, and the book's graphs redrawn
 * (server-side SVG from the report's numbers: no chart code on this page). Without a report
 * of the user's own, the one shipped with myonn (docs/reproduce/full) is shown, said so.
 */
import { Layout } from "../components/Layout.tsx";
import { describePoints, experimentChartSvg, four, judgement } from "../core/experiments/mod.ts";
import { listReports, readReport, type ReproduceReport } from "../core/experiments/mod.ts";
import { NotFoundError } from "../core/errors.ts";
import {
  beyondChartSvg,
  type BeyondReport,
  BOOK_BEST,
  listBeyondReports,
  presetRungOf,
  readBeyondReport,
} from "../core/experiments/mod.ts";
import type { Dashboard } from "./context.ts";

/** The full report myonn ships (made by its authors with `deno task reproduce`), shown until the user makes one. */
const SHIPPED_REPORT = decodeURIComponent(new URL("../docs/reproduce/full", import.meta.url).pathname);
/** The ladder beyond the book myonn ships (`deno task beyond`), shown until the user makes one. */
const SHIPPED_BEYOND = decodeURIComponent(new URL("../docs/beyond/full", import.meta.url).pathname);

export interface BookPageData {
  report: ReproduceReport | null;
  /** the user's own (from their reproduce folder) or shipped with myonn */
  origin: "yours" | "shipped";
  /** each graph experiment's chart, by experiment id */
  charts: Record<string, string>;
  /** the user's other reports, to switch to (id, date, quick or full) */
  others: { id: string; createdAt: string; quick: boolean }[];
  /** the ladder beyond the book: the user's newest full one, else the shipped one */
  beyond: { report: BeyondReport; origin: "yours" | "shipped"; chart: string } | null;
}

/**
 * The report `id` in the dashboard's reproduce folder (a NotFoundError when there is none),
 * or without an id the newest there, else the shipped full one.
 */
export async function load(dashboard: Dashboard, id?: string): Promise<BookPageData> {
  const reports = await listReports(dashboard.reproduceDir);
  let report: ReproduceReport | null;
  if (id !== undefined) {
    report = reports.find((found) => found.report.id === id)?.report ?? null;
    if (!report) throw new NotFoundError(`no report "${id}"`);
  } else {
    report = reports[0]?.report ?? await readReport(SHIPPED_REPORT).catch(() => null);
  }
  const charts: Record<string, string> = {};
  for (const experiment of report?.experiments ?? []) {
    const svg = experimentChartSvg(experiment);
    if (svg) charts[experiment.id] = svg;
  }
  const others = reports.filter((found) => found.report !== report).map(({ report }) => ({
    id: report.id,
    createdAt: report.createdAt,
    quick: report.quick,
  }));
  return {
    report,
    origin: reports.length > 0 ? "yours" : "shipped",
    charts,
    others,
    beyond: await loadBeyond(dashboard),
  };
}

/** The newest full ladder of the user's, else the one shipped (a quick one is not set beside the book). */
async function loadBeyond(dashboard: Dashboard): Promise<BookPageData["beyond"]> {
  const yours = (await listBeyondReports(dashboard.beyondDir)).find((found) => !found.report.quick)?.report;
  const report = yours ?? await readBeyondReport(SHIPPED_BEYOND).catch(() => null);
  return report && { report, origin: yours ? "yours" : "shipped", chart: beyondChartSvg(report) };
}

const percent = (x: number) => `${(100 * x).toFixed(2)}%`;

/** The ladder: how far the book's own network goes, rung by rung. */
function Beyond({ beyond }: { beyond: NonNullable<BookPageData["beyond"]> }) {
  const { report } = beyond;
  const top = presetRungOf(report);
  const own = (rung: BeyondReport["rungs"][number]) =>
    rung.runs.flatMap((run) => run.ownImages ? [`${run.ownImages.right}/${run.ownImages.of}`] : []).join(
      ", ",
    );
  return (
    <section id="beyond">
      <h2>Beyond the book</h2>
      <p>
        The book's own network and rule, one change at a time ({beyond.origin === "yours"
          ? "your ladder"
          : "the ladder shipped with myonn"}: <code>{report.command}</code>,{" "}
        {report.createdAt.slice(0, 10)}, seeds {report.seeds.join(", ")}). Settings were chosen on the last
        {" "}
        {report.validation.toLocaleString("en")}{" "}
        training records, held out; the test set was scored once, at the end. A rung not kept scored no higher
        on them and is left out of the rungs above. The preset is{" "}
        <code>deno task train --preset beyond</code>: <strong>{percent(top.test.mean)}</strong>{" "}
        on the test set, mean of {top.runs.length} seeds, against the book's best{" "}
        {percent(BOOK_BEST.performance)} ({BOOK_BEST.words}).
      </p>
      <div class="scroll">
        <table class="book">
          <caption>The ladder</caption>
          <thead>
            <tr>
              <th scope="col">rung</th>
              <th scope="col">validation</th>
              <th scope="col">test: mean</th>
              <th scope="col">lowest–highest</th>
              <th scope="col">per epoch</th>
              <th scope="col">per seed</th>
            </tr>
          </thead>
          <tbody>
            {report.rungs.map((rung, i) => (
              <tr key={rung.id}>
                <td title={rung.flags}>
                  {i + 1}. {rung.adds}
                  {!rung.kept && (
                    <>
                      {" "}
                      <em>— not kept</em>
                    </>
                  )}
                  {rung.byDesign && (
                    <>
                      {" "}
                      <em title={rung.byDesign}>— kept by design</em>
                    </>
                  )}
                  {rung === top && (
                    <>
                      {" "}
                      <strong>— the preset</strong>
                    </>
                  )}
                </td>
                <td>{percent(rung.validation.mean)}</td>
                <td>{percent(rung.test.mean)}</td>
                <td>{percent(rung.test.min)}–{percent(rung.test.max)}</td>
                <td>{rung.epochSeconds.mean.toFixed(1)} s</td>
                <td>{(rung.seconds.mean / 60).toFixed(1)} min</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <figure
        class="svg-chart"
        role="img"
        aria-label="The ladder: validation and test performance per rung, mean and lowest–highest over seeds"
        // drawn here from the report's numbers, every text escaped (core/experiments/charts.ts)
        dangerouslySetInnerHTML={{ __html: beyond.chart }}
      />
      <p>
        Your own handwriting (the project's images, read MNIST-style), right per seed: the book's network{" "}
        {own(report.rungs[0]) || "not counted"}; the preset {own(top) || "not counted"}.
      </p>
    </section>
  );
}

/** The verdict's class: the colour is not the only sign (the words say it). */
function verdictClass(verdict: string): string {
  return verdict === "inside our spread" ? "verdict inside" : "verdict outside";
}

export default function BookPage({ report, origin, charts, others, beyond }: BookPageData) {
  if (!report) {
    return (
      <Layout title="The book, reproduced" current="/book">
        <p>
          No report yet. Make one (a few minutes):{" "}
          <code>deno task reproduce --quick</code>, or the full one (about half an hour on two cores):{" "}
          <code>deno task reproduce</code>.
        </p>
        {beyond && <Beyond beyond={beyond} />}
      </Layout>
    );
  }
  const data = report.limits
    ? `the first ${report.limits.limitTrain.toLocaleString("en")} training and ${
      report.limits.limitTest.toLocaleString("en")
    } test records (quick: no verdicts against the book's full-data figures)`
    : "the full MNIST sets";
  return (
    <Layout title="The book, reproduced" current="/book">
      <p>
        {origin === "yours"
          ? `Your report "${report.id}"`
          : "The report shipped with myonn (make your own with "}
        {origin === "shipped" && <code>deno task reproduce</code>}
        {origin === "shipped" && ")"}: <code>{report.command}</code> on {report.createdAt.slice(0, 10)}, seeds
        {" "}
        {report.seeds.join(", ")},{" "}
        {data}. A verdict sets the published figure against our lowest–highest over the seeds.{" "}
        <em>notebook</em>: printed in the author's notebooks;{" "}
        <em>quoted</em>: the book's figure as quoted to us, not checked against its text.
      </p>
      {others.length > 0 && (
        <p>
          Your other reports: {others.map((other, i) => (
            <span key={other.id}>
              {i > 0 && " · "}
              <a href={`/book?report=${encodeURIComponent(other.id)}`}>{other.id}</a>{" "}
              ({other.quick ? "quick" : "full"}, {other.createdAt.slice(0, 10)})
            </span>
          ))}
        </p>
      )}
      <div class="scroll">
        <table class="book">
          <caption>Every published figure beside ours</caption>
          <thead>
            <tr>
              <th scope="col">experiment</th>
              <th scope="col">line</th>
              <th scope="col">at</th>
              <th scope="col">published</th>
              <th scope="col">ours: mean</th>
              <th scope="col">lowest–highest</th>
              <th scope="col">verdict</th>
            </tr>
          </thead>
          <tbody>
            {report.experiments.flatMap((experiment) =>
              experiment.lines.flatMap((line) =>
                line.published.map((figure, i) => (
                  <tr key={`${experiment.id}-${line.label}-${i}`}>
                    <td>
                      <a href={`#${experiment.id}`}>{experiment.id}</a>
                    </td>
                    <td>{line.label}</td>
                    <td>{figure.x ?? ""}</td>
                    <td title={figure.quote ? `${figure.source}: “${figure.quote}”` : figure.source}>
                      {four(figure.value)} <small>({figure.provenance})</small>
                    </td>
                    <td>{four(figure.ours.mean)}</td>
                    <td>{four(figure.ours.min)}–{four(figure.ours.max)}</td>
                    <td class={verdictClass(figure.verdict)}>{judgement(figure)}</td>
                  </tr>
                ))
              )
            )}
          </tbody>
        </table>
      </div>
      {report.experiments.map((experiment) => (
        <section key={experiment.id} id={experiment.id}>
          <h2>{experiment.title}</h2>
          <p>
            {experiment.source}. {experiment.note}
          </p>
          {charts[experiment.id] && (
            <figure
              class="svg-chart"
              role="img"
              aria-label={`${experiment.title}: our mean and lowest–highest per point, published figures as diamonds`}
              // the SVG is drawn here, from the report's numbers, with every text escaped (core/experiments/charts.ts)
              dangerouslySetInnerHTML={{ __html: charts[experiment.id] }}
            />
          )}
          <ul>
            {experiment.lines.map((line) => (
              <li key={line.label}>
                <strong>{line.label}</strong> ({line.settings}): {describePoints(line)}
              </li>
            ))}
          </ul>
          {experiment.lines.some((line) => line.published.some((figure) => figure.quote)) && (
            <details>
              <summary>The texts' words</summary>
              <ul>
                {experiment.lines.flatMap((line) =>
                  line.published.filter((figure) => figure.quote).map((figure, i) => (
                    <li key={`${line.label}-${i}`}>
                      {four(figure.value)} ({figure.provenance}, {figure.source}): “{figure.quote}”
                    </li>
                  ))
                )}
              </ul>
            </details>
          )}
        </section>
      ))}
      {beyond && <Beyond beyond={beyond} />}
    </Layout>
  );
}

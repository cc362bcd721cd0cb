/** One run: config, curves, confusion matrix, mistakes, brain scans, hidden nodes, weight histograms, downloads. */
import { ConfusionMatrix } from "../components/ConfusionMatrix.tsx";
import { ChartIsland } from "../components/ChartIsland.tsx";
import { Layout } from "../components/Layout.tsx";
import { Island } from "../components/Island.tsx";
import RunActions from "../islands/RunActions.tsx";
import { NumbersTable } from "../components/NumbersTable.tsx";
import { listFolder, type RunRecord } from "../core/store/mod.ts";
import { listLiveTrainings } from "../core/jobs/mod.ts";
import { misclassified, type Mistake } from "../core/training/mod.ts";
import { weightHistogram } from "../core/experiments/mod.ts";
import { type Dashboard, hidePaths } from "./context.ts";

/** How many misclassified test images the gallery shows. */
export const GALLERY = 40;

/** What the run page shows, loaded by {@link load}. */
export interface RunPageData {
  record: RunRecord;
  directory: string;
  /** the files in the run's folder */
  files: string[];
  /** the test set's score, or why that set cannot be read */
  scoring:
    | {
      source: string;
      count: number;
      mistakes: Mistake[];
      wrong: number;
      confusion: number[][];
      perClassAccuracy: (number | null)[];
    }
    | { error: string }
    /** being scored in the background: this many test records */
    | { pending: number };
  histograms: { edges: number[]; counts: number[] }[];
  /** trained right now from the command line (its live file names this run) */
  training: boolean;
}

/** Load a run, score it on its own test set and list its folder (a NotFoundError for an id that is no run). */
export async function load(dashboard: Dashboard, id: string): Promise<RunPageData> {
  const scored = await dashboard.scored(id);
  const { run } = scored.view;
  const files = (await listFolder(run.directory)).filter((entry) => entry.isFile).map((entry) => entry.name);
  const scoring = scored.testError !== undefined
    ? { error: hidePaths(scored.testError, dashboard.runsDir) }
    : scored.pending
    ? { pending: run.record.config.test.count }
    : {
      source: hidePaths(scored.test.source, dashboard.runsDir),
      count: scored.test.count,
      mistakes: misclassified(scored.test, scored.score, GALLERY),
      wrong: scored.test.count - scored.score.scorecard.reduce((a, b) => a + b, 0),
      confusion: scored.score.confusion,
      perClassAccuracy: scored.score.perClassAccuracy.map((a) => (Number.isNaN(a) ? null : a)),
    };
  return {
    record: run.record,
    // the resume hint: the folder as the command line names it, unless that is an absolute path
    directory: hidePaths(run.directory, ""),
    files,
    scoring,
    histograms: run.weights.map((matrix) => weightHistogram(matrix)),
    training: (await listLiveTrainings(dashboard.runsDir)).some((live) => live.status.saved?.run === id),
  };
}

/** A schedule in words: "cosine to 0.001", "exponential ×0.9 per epoch". */
function describeSchedule(schedule: NonNullable<RunRecord["config"]["schedule"]>): string {
  switch (schedule.name) {
    case "exponential":
      return `exponential, ×${schedule.decay} per epoch`;
    case "step":
      return `step, ×${schedule.decay} every ${schedule.every} epochs`;
    case "linear":
    case "cosine":
      return `${schedule.name} down to ${schedule.finalRate}`;
    default:
      return schedule.name;
  }
}

/** The distortions in words: "±12°, ×(1 ± 0.12), shear ±10°, shift ±2 px, elastic σ 4 α 12". */
function describeDistortion(d: NonNullable<RunRecord["config"]["distortion"]>): string {
  return [
    d.rotate > 0 ? `±${d.rotate}°` : "",
    d.scale > 0 ? `×(1 ± ${d.scale})` : "",
    d.shear > 0 ? `shear ±${d.shear}°` : "",
    d.shift > 0 ? `shift ±${d.shift} px` : "",
    d.alpha > 0 ? `elastic σ ${d.sigma} α ${d.alpha}` : "",
  ].filter(Boolean).join(", ") + ", afresh each epoch";
}

export default function RunPage(
  { record, directory, files, scoring, histograms, training, canChange }: RunPageData & {
    canChange?: boolean;
  },
) {
  const { config, history } = record;
  const epochs = history.map((epoch) => epoch.epoch);
  // with records held out, the epochs are scored on them; the test set is the run's final number only
  const held = (config.validation ?? 0) > 0;
  const perEpoch = held ? "validation" : "test";
  const scheduled = history.some((epoch) => epoch.learningRate !== undefined);
  // the training error each 1,000 records (runs saved since it was kept), at its place in the epochs
  const fine = history.flatMap(({ epoch, errorCurve, records }) =>
    errorCurve && records
      ? errorCurve.map((error, k) => ({
        x: Number((epoch - 1 + Math.min((k + 1) * 1000, records) / records).toFixed(4)),
        error,
      }))
      : []
  );
  const epochScans = [
    ...new Set(files.flatMap((name) => /^backquery_epoch(\d+)_0\.png$/.exec(name)?.[1] ?? [])),
  ]
    .map(Number).sort((a, b) => a - b);
  return (
    <Layout title={record.name || record.id} islands>
      <section class="summary">
        <p class="big">
          performance <strong>{record.performance.toFixed(4)}</strong>
        </p>
        {record.status === "incomplete" && training && (
          <p class="status-note">
            Training now: {record.history.length} of {config.epochs} epochs saved so far.{" "}
            <a href="/train">Watch it live</a>.
          </p>
        )}
        {record.status === "incomplete" && !training && (
          <p class="status-note">
            Incomplete: {record.history.length} of {config.epochs} epochs. Continue it {canChange && (
              <>
                here{" "}
                <Island
                  name="RunActions"
                  component={RunActions}
                  props={{ id: record.id, name: record.name, note: "", tags: [], mode: "resume" }}
                />{" "}
                or{" "}
              </>
            )}
            with <code>deno task train --resume {directory}</code>
          </p>
        )}
        {record.status === "failed" && <p class="error">Failed: {record.failure}</p>}
        <dl>
          <dt>layers</dt>
          <dd>{config.layers.join("-")}</dd>
          <dt>learning rate</dt>
          <dd>{config.learningRate}</dd>
          <dt>epochs</dt>
          <dd>{config.epochs}</dd>
          <dt>rotation</dt>
          <dd>{config.rotate ? `±${config.rotate}°` : "none"}</dd>
          {config.schedule && (
            <>
              <dt>rate schedule</dt>
              <dd>{describeSchedule(config.schedule)}</dd>
            </>
          )}
          {config.distortion && (
            <>
              <dt>distortions</dt>
              <dd>{describeDistortion(config.distortion)}</dd>
            </>
          )}
          {held && (
            <>
              <dt>held out</dt>
              <dd>the last {config.validation!.toLocaleString("en")} training records</dd>
            </>
          )}
          <dt>seed / init</dt>
          <dd>{config.seed} / {config.init}</dd>
          <dt>precision</dt>
          <dd>{config.precision ?? "f64"}</dd>
          <dt>training data</dt>
          <dd>{hidePaths(config.train.source, "")} ({config.train.count})</dd>
          <dt>test data</dt>
          <dd>{hidePaths(config.test.source, "")} ({config.test.count})</dd>
          <dt>training time</dt>
          <dd>{record.timings.trainSeconds.toFixed(1)} s</dd>
          <dt>made</dt>
          <dd>
            {record.createdAt.replace("T", " ").slice(0, 19)} on {record.machine.cpu}, Deno{" "}
            {record.machine.deno}
          </dd>
        </dl>
        {record.note && <p class="note">{record.note}</p>}
        {record.tags && record.tags.length > 0 && (
          <p class="tags">
            {record.tags.map((tag) => (
              <a key={tag} class="tag" href={`/?tag=${encodeURIComponent(tag)}`}>{tag}</a>
            ))}
          </p>
        )}
        {canChange && !training && (
          <details class="keep">
            <summary>Name, note, tags, delete</summary>
            <Island
              name="RunActions"
              component={RunActions}
              props={{
                id: record.id,
                name: record.name,
                note: record.note ?? "",
                tags: record.tags ?? [],
                mode: "edit",
              }}
            />
          </details>
        )}
        <p class="downloads">
          Download:{" "}
          {files.filter((name) => /^(run\.json|weights_\d+(\.epoch\d+)?\.npy|resilience\.json)$/.test(name))
            .map((
              name,
            ) => <a key={name} href={`/runs/${record.id}/files/${name}`} download>{name}</a>)}
        </p>
      </section>
      <section>
        <h2>{held ? "Validation" : "Test"} performance and training error per epoch</h2>
        {held && (
          <p>
            Each epoch was scored on the {config.validation!.toLocaleString("en")}{" "}
            held-out training records; the test set's {record.performance.toFixed(4)}{" "}
            is the run's final number.
          </p>
        )}
        <div class="two">
          <ChartIsland
            type="line"
            labels={epochs}
            series={[
              {
                label: `${perEpoch} performance`,
                data: history.map((e) => held ? e.validation ?? null : e.performance),
              },
              // the training set's, when the run scored it: the gap between the lines is the overfitting
              ...(history.some((e) => e.trainPerformance !== undefined)
                ? [{
                  label: "training-set performance",
                  data: history.map((e) => e.trainPerformance ?? null),
                }]
                : []),
            ]}
            xLabel="epoch"
            yLabel={held ? "held-out performance" : "test performance"}
          />
          {fine.length > 0
            ? (
              <ChartIsland
                type="line"
                xType="linear"
                labels={fine.map((point) => point.x)}
                series={[{
                  label: "training error, each 1,000 records",
                  data: fine.map((point) => point.error),
                }]}
                xLabel="epochs"
                yLabel="training error"
                wholeX
              />
            )
            : (
              <ChartIsland
                type="line"
                labels={epochs}
                series={[{ label: "training error", data: history.map((e) => e.meanSquaredError) }]}
                xLabel="epoch"
                yLabel="training error (epoch's mean)"
              />
            )}
        </div>
        <NumbersTable
          headers={[
            "epoch",
            `${perEpoch} performance`,
            ...(scheduled ? ["learning rate"] : []),
            "training error",
            "training time",
          ]}
          rows={history.map((epoch) => [
            epoch.epoch,
            (held ? epoch.validation ?? NaN : epoch.performance).toFixed(4),
            ...(scheduled
              ? [String(Number((epoch.learningRate ?? config.learningRate).toPrecision(4)))]
              : []),
            epoch.meanSquaredError === null ? "—" : epoch.meanSquaredError.toFixed(5),
            `${epoch.trainSeconds.toFixed(1)} s`,
          ])}
        />
      </section>
      {"pending" in scoring
        ? (
          <section>
            <h2>Test set</h2>
            <p class="status-note" role="status">
              Scoring this run on its {scoring.pending.toLocaleString("en")}{" "}
              test records in the background (it was saved before runs kept their scores):{" "}
              <a href="">reload</a> in a moment for its confusion matrix and mistakes.
            </p>
          </section>
        )
        : "error" in scoring
        ? (
          <section>
            <h2>Test set</h2>
            <p class="error">
              The run's test set cannot be read, so its confusion matrix and mistakes cannot be shown:{" "}
              {scoring.error}
            </p>
          </section>
        )
        : (
          <>
            <section>
              <h2>Confusion matrix</h2>
              <p>Click a number to see those test images.</p>
              <ConfusionMatrix
                confusion={scoring.confusion}
                perClassAccuracy={scoring.perClassAccuracy}
                run={record.id}
              />
            </section>
            <section>
              <h2>Misclassified test images</h2>
              <p>
                The first {scoring.mistakes.length} of {scoring.wrong} mistakes on{" "}
                {scoring.source}: true label → the network's answer (its output).
              </p>
              <div class="gallery">
                {scoring.mistakes.map((mistake) => (
                  <figure>
                    <a
                      href={`/runs/${record.id}/test/${mistake.index}.png`}
                      target="_blank"
                      title="open large"
                    >
                      <img
                        src={`/runs/${record.id}/test/${mistake.index}.png`}
                        width={56}
                        height={56}
                        alt={`test record ${mistake.index}`}
                      />
                    </a>
                    <figcaption>
                      {mistake.label} → <strong>{mistake.answer}</strong> ({mistake.confidence.toFixed(2)})
                    </figcaption>
                  </figure>
                ))}
              </div>
            </section>
          </>
        )}
      <section>
        <h2>Brain scans</h2>
        <p>The network run backwards from each label (the book's back query).</p>
        <div class="gallery scans">
          {Array.from({ length: 10 }, (_, label) => (
            <figure>
              <a
                href={`/runs/${record.id}/backquery/${label}.png?scale=16`}
                target="_blank"
                title="open large"
              >
                <img
                  src={`/runs/${record.id}/backquery/${label}.png?scale=4`}
                  width={112}
                  height={112}
                  alt={`brain scan of ${label}`}
                />
              </a>
              <figcaption>{label}</figcaption>
            </figure>
          ))}
        </div>
        {epochScans.length > 0 && (
          <>
            <h3>Forming over the epochs</h3>
            <div class="scroll">
              <table class="forming">
                <thead>
                  <tr>
                    <th scope="col">epoch</th>
                    {Array.from({ length: 10 }, (_, label) => <th scope="col" key={label}>{label}</th>)}
                  </tr>
                </thead>
                {epochScans.map((epoch) => (
                  <tr>
                    <th scope="row">{epoch}</th>
                    {Array.from({ length: 10 }, (_, label) => (
                      <td>
                        <a
                          href={`/runs/${record.id}/files/backquery_epoch${epoch}_${label}.png`}
                          target="_blank"
                        >
                          <img
                            src={`/runs/${record.id}/files/backquery_epoch${epoch}_${label}.png`}
                            width={56}
                            height={56}
                            alt={`epoch ${epoch}, ${label}`}
                          />
                        </a>
                      </td>
                    ))}
                  </tr>
                ))}
              </table>
            </div>
          </>
        )}
      </section>
      <section>
        <h2>What each hidden node looks for</h2>
        <p>
          The incoming weights of each of the {config.layers[1]}{" "}
          first-layer hidden nodes as a 28×28 picture: blue positive, red negative.
        </p>
        <a href={`/runs/${record.id}/hidden.png`} target="_blank" title="open large">
          <img
            class="sprite"
            src={`/runs/${record.id}/hidden.png`}
            alt="incoming weights of every hidden node"
          />
        </a>
      </section>
      <section>
        <h2>Weights</h2>
        <div class="two">
          {histograms.map((histogram, index) => (
            <ChartIsland
              type="bar"
              labels={histogram.edges.slice(0, -1).map((edge) => edge.toFixed(2))}
              series={[{
                label: `weights_${index}${
                  record.weights[index]?.book ? ` (${record.weights[index].book})` : ""
                }`,
                data: histogram.counts,
              }]}
              xLabel={`weights_${index}${
                record.weights[index]?.book ? ` (${record.weights[index].book})` : ""
              }`}
              yLabel="count"
              label={`histogram of weights_${index}${
                record.weights[index]?.book ? ` (${record.weights[index].book})` : ""
              }`}
            />
          ))}
        </div>
      </section>
    </Layout>
  );
}

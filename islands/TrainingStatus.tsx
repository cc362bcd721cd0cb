/**
 * A training's state as it goes: epoch, records, rate, time left, the training error and
 * test performance curves, the epochs so far and how it ended. Shared by the Train page's
 * own training (TrainForm) and the command-line trainings it watches (LiveTrainings).
 */
import type { TrainStatus } from "../components/props.ts";
import Chart from "./LazyChart.tsx";

export default function TrainingStatus({ status }: { status: TrainStatus }) {
  // with records held out, each epoch is scored on them (the test set only at the end)
  const scoredOn = status.history?.some((epoch) => epoch.validation !== undefined) ? "validation" : "test";
  return (
    <div class="status" data-state={status.state} aria-live="polite">
      {status.state === "running" && !status.total && <p>Starting: loading the data and the network…</p>}
      {status.endedAt && status.state !== "running" && (
        <p class="muted">The last training, ended {status.endedAt.slice(0, 16).replace("T", " ")} UTC:</p>
      )}
      {status.state === "running" && Boolean(status.total) && (
        <p>
          epoch {status.epoch}/{status.epochs}: {status.done?.toLocaleString("en")} of{" "}
          {status.total?.toLocaleString("en")} records
          {status.rate ? `, ${Math.round(status.rate).toLocaleString("en")} records/s` : ""}
          {status.etaSeconds !== undefined ? `, about ${Math.ceil(status.etaSeconds)} s to go` : ""}
          <progress value={status.done} max={status.total} />
        </p>
      )}
      {(status.trainingError?.length ?? 0) > 0 && (
        <div class="two">
          <Chart
            type="line"
            xType="linear"
            labels={status.trainingError!.map((point) => Number(point.at.toFixed(3)))}
            series={[{ label: "training error", data: status.trainingError!.map((point) => point.error) }]}
            xLabel="epochs"
            wholeX
            yLabel="training error (mean squared)"
            height={220}
          />
          <Chart
            type="line"
            xType="linear"
            labels={(status.history ?? []).map((epoch) => epoch.epoch)}
            series={[{
              label: `${scoredOn} performance`,
              data: (status.history ?? []).map((epoch) => epoch.validation ?? epoch.performance),
            }]}
            xLabel="epoch"
            wholeX
            yLabel={`performance on the ${scoredOn === "test" ? "test set" : "held-out records"}`}
            height={220}
          />
        </div>
      )}
      {status.history && status.history.length > 0 && (
        <ul>
          {status.history.map((epoch) => (
            <li>
              epoch {epoch.epoch}: {epoch.validation !== undefined
                ? `validation ${epoch.validation.toFixed(4)}`
                : `performance ${epoch.performance.toFixed(4)}`}
              {epoch.learningRate !== undefined && `, lr ${Number(epoch.learningRate.toPrecision(4))}`}
            </li>
          ))}
        </ul>
      )}
      {status.saved && (
        // inside the network while it learns: after each saved epoch, its brain scans and hidden nodes
        <div class="inside">
          {status.scans && (
            <figure>
              <div class="scan-row">
                {Array.from({ length: 10 }, (_, label) => (
                  <a
                    key={label}
                    href={`/runs/${status.saved!.run}/files/backquery_epoch${
                      status.saved!.epochs
                    }_${label}.png`}
                    target="_blank"
                  >
                    <img
                      src={`/runs/${status.saved!.run}/files/backquery_epoch${
                        status.saved!.epochs
                      }_${label}.png`}
                      width={40}
                      height={40}
                      alt={`brain scan of ${label} after epoch ${status.saved!.epochs}`}
                    />
                  </a>
                ))}
              </div>
              <figcaption>brain scans after epoch {status.saved.epochs}</figcaption>
            </figure>
          )}
          <figure>
            <a href={`/runs/${status.saved.run}/hidden.png?epoch=${status.saved.epochs}`} target="_blank">
              <img
                class="hidden-nodes"
                src={`/runs/${status.saved.run}/hidden.png?epoch=${status.saved.epochs}`}
                alt={`the first hidden nodes' weights after epoch ${status.saved.epochs}`}
              />
            </a>
            <figcaption>hidden nodes after epoch {status.saved.epochs} (open large)</figcaption>
          </figure>
        </div>
      )}
      {status.state === "done" && status.run && (
        <p>
          Saved: <a href={`/runs/${status.run}`}>{status.run}</a>
        </p>
      )}
      {status.state === "failed" && <p class="error">Training failed: {status.message}</p>}
      {status.state === "cancelled" && (
        <p>
          {status.saved
            ? (
              <>
                Cancelled. The {status.saved.epochs}{" "}
                finished epoch{status.saved.epochs === 1 ? " is" : "s are"} saved as the incomplete run{" "}
                <a href={`/runs/${status.saved.run}`}>{status.saved.run}</a>.
              </>
            )
            : "Cancelled during the first epoch; nothing was saved."}
        </p>
      )}
    </div>
  );
}

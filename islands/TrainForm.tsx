/**
 * Start a training on the server and watch it: epoch, samples/s, ETA and performance so
 * far, streamed as server-sent events; cancel; a link to the run when it is saved.
 */
import { useEffect, useState } from "preact/hooks";
import type { FormField, TrainStatus } from "../components/props.ts";
import Chart from "./Chart.tsx";

export default function TrainForm(props: { status: TrainStatus; fields: FormField[] }) {
  const [status, setStatus] = useState<TrainStatus>(props.status);
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    const events = new EventSource("/api/train/events");
    events.onmessage = (event) => setStatus(JSON.parse(event.data));
    return () => events.close();
  }, []);

  async function start(event: Event) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    // every field as typed, blanks too: the server says which may be blank (limits, name) and which may not
    const body = Object.fromEntries(form.entries());
    const response = await fetch("/api/train", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = await response.json();
    setError(response.ok ? undefined : json.error);
  }

  const running = status.state === "running";
  return (
    <div class="train">
      <form onSubmit={start}>
        {props.fields.map((field) => (
          <label key={field.name} title={field.range}>
            {field.label} {field.choices
              ? (
                <select name={field.name} defaultValue={field.value}>
                  {field.choices.map((choice) => <option key={choice} value={choice}>{choice}</option>)}
                </select>
              )
              : <input name={field.name} defaultValue={field.value} inputMode={field.inputMode} />}
          </label>
        ))}
        <p>
          <button type="submit" disabled={running}>Train</button>{" "}
          <button
            type="button"
            disabled={!running}
            onClick={() =>
              fetch("/api/train/cancel", {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: "{}",
              })}
          >
            Cancel
          </button>
        </p>
      </form>
      {error && <p class="error">{error}</p>}
      <div class="status" data-state={status.state} aria-live="polite">
        {status.state === "running" && (
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
              yLabel="training error (mean squared)"
              height={220}
            />
            <Chart
              type="line"
              xType="linear"
              labels={(status.history ?? []).map((epoch) => epoch.epoch)}
              series={[{
                label: "test performance",
                data: (status.history ?? []).map((epoch) => epoch.performance),
              }]}
              xLabel="epoch"
              yLabel="performance on the test set"
              height={220}
            />
          </div>
        )}
        {status.history && status.history.length > 0 && (
          <ul>
            {status.history.map((epoch) => (
              <li>epoch {epoch.epoch}: performance {epoch.performance.toFixed(4)}</li>
            ))}
          </ul>
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
    </div>
  );
}

/**
 * Start a training on the server and watch it: epoch, samples/s, ETA and performance so
 * far, streamed as server-sent events; cancel; a link to the run when it is saved.
 */
import { useEffect, useState } from "preact/hooks";

export interface TrainStatus {
  state: "idle" | "running" | "done" | "failed" | "cancelled";
  epoch?: number;
  epochs?: number;
  done?: number;
  total?: number;
  rate?: number;
  etaSeconds?: number;
  history?: { epoch: number; performance: number }[];
  run?: string;
  message?: string;
}

const FIELDS = [
  { name: "hidden", label: "hidden layers", value: "200" },
  { name: "lr", label: "learning rate", value: "0.1" },
  { name: "epochs", label: "epochs", value: "1" },
  { name: "rotate", label: "rotation ± degrees", value: "0" },
  { name: "seed", label: "seed", value: "1" },
  { name: "limitTrain", label: "training records (blank: all 60,000)", value: "" },
  { name: "limitTest", label: "test records (blank: all 10,000)", value: "" },
  { name: "name", label: "name", value: "" },
];

export default function TrainForm(props: { status: TrainStatus }) {
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
    const body = Object.fromEntries([...form.entries()].filter(([, value]) => value !== ""));
    const response = await fetch("/api/train", { method: "POST", body: JSON.stringify(body) });
    const json = await response.json();
    setError(response.ok ? undefined : json.error);
  }

  const running = status.state === "running";
  return (
    <div class="train">
      <form onSubmit={start}>
        {FIELDS.map((field) => (
          <label>
            {field.label} <input name={field.name} defaultValue={field.value} />
          </label>
        ))}
        <label>
          precision{" "}
          <select name="precision" defaultValue="f32">
            <option value="f32">f32</option>
            <option value="f64">f64</option>
          </select>
        </label>
        <p>
          <button type="submit" disabled={running}>Train</button>{" "}
          <button
            type="button"
            disabled={!running}
            onClick={() => fetch("/api/train/cancel", { method: "POST" })}
          >
            Cancel
          </button>
        </p>
      </form>
      {error && <p class="error">{error}</p>}
      <div class="status" data-state={status.state}>
        {status.state === "running" && (
          <p>
            epoch {status.epoch}/{status.epochs}: {status.done?.toLocaleString("en")} of{" "}
            {status.total?.toLocaleString("en")} records
            {status.rate ? `, ${Math.round(status.rate).toLocaleString("en")} records/s` : ""}
            {status.etaSeconds !== undefined ? `, about ${Math.ceil(status.etaSeconds)} s to go` : ""}
            <progress value={status.done} max={status.total} />
          </p>
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
        {status.state === "cancelled" && <p>Cancelled; nothing was saved.</p>}
      </div>
    </div>
  );
}

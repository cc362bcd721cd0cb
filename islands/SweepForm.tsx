/**
 * Start a sweep from the Experiments page (POST /api/sweeps) and follow it (GET
 * /api/sweeps/status every two seconds); when it is saved the page shows it.
 */
import { useEffect, useState } from "preact/hooks";

interface SweepStatus {
  state: "idle" | "running" | "done" | "failed";
  done: number;
  total: number;
  id?: string;
  message?: string;
}

const FIELDS: { name: string; label: string; value: string; hint: string }[] = [
  {
    name: "param",
    label: "vary",
    value: "lr=0.01,0.1,0.2,0.3",
    hint: "lr=…, epochs=1..10, hidden=…, rotate=…",
  },
  { name: "seeds", label: "seeds", value: "1,2", hint: "one training each per value" },
  { name: "hidden", label: "hidden nodes", value: "100", hint: "held fixed unless varied" },
  { name: "epochs", label: "epochs", value: "1", hint: "held fixed unless varied" },
  { name: "limitTrain", label: "training records", value: "5000", hint: "blank: all 60,000" },
  { name: "limitTest", label: "test records", value: "1000", hint: "blank: all 10,000" },
  { name: "name", label: "name", value: "", hint: "part of the sweep's id" },
];

export default function SweepForm(props: { status: SweepStatus }) {
  const [status, setStatus] = useState(props.status);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    if (status.state !== "running") return;
    const timer = setTimeout(async () => {
      try {
        const next: SweepStatus = await (await fetch("/api/sweeps/status")).json();
        if (next.state === "done") location.reload();
        setStatus(next);
      } catch {
        setStatus({ ...status }); // try again
      }
    }, 2000);
    return () => clearTimeout(timer);
  }, [status]);

  async function start(event: Event) {
    event.preventDefault();
    const body = Object.fromEntries(new FormData(event.target as HTMLFormElement).entries());
    const response = await fetch("/api/sweeps", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) return setError(json.error);
    setError(undefined);
    setStatus({ state: "running", done: 0, total: json.trainings });
  }

  return (
    <details class="sweep-form" open={status.state === "running"}>
      <summary>Start a sweep</summary>
      <form class="train-like" onSubmit={start}>
        {FIELDS.map((field) => (
          <label key={field.name}>
            {field.label}
            <input name={field.name} defaultValue={field.value} aria-describedby={`sweep-${field.name}`} />
            <small id={`sweep-${field.name}`} class="range">{field.hint}</small>
          </label>
        ))}
        <p>
          <button type="submit" disabled={status.state === "running"}>Sweep</button>
        </p>
      </form>
      <div aria-live="polite">
        {error && <p class="error">{error}</p>}
        {status.state === "running" && (
          <p>
            Sweeping: {status.done} of {status.total} trainings done
            <progress value={status.done} max={status.total} />
          </p>
        )}
        {status.state === "failed" && <p class="error">The sweep failed: {status.message}</p>}
      </div>
    </details>
  );
}

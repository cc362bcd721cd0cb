/**
 * Start a training on the server and watch it: epoch, samples/s, ETA and performance so
 * far, streamed as server-sent events; cancel; a link to the run when it is saved.
 */
import { useEffect, useState } from "preact/hooks";
import type { FormField, TrainStatus } from "../components/props.ts";
import TrainingStatus from "./TrainingStatus.tsx";

/** One setting's label and input (a select for choices). */
function formField(field: FormField) {
  return (
    <label key={field.name} title={field.range}>
      {field.label} {field.choices
        ? (
          <select name={field.name} defaultValue={field.value}>
            {field.choices.map((choice) => <option key={choice} value={choice}>{choice}</option>)}
          </select>
        )
        : <input name={field.name} defaultValue={field.value} inputMode={field.inputMode} />}
    </label>
  );
}

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
    // every field changed from what the form showed, blanks too: the server says which may be blank
    // (limits, name) and which may not; one left as shown is the server's default, not a choice (so that
    // "kernels: book" alone picks the book's own f64 class, as --kernels book does)
    const shown = new Map(props.fields.map((field) => [field.name, field.value]));
    const body = Object.fromEntries([...form.entries()].filter(([name, value]) => value !== shown.get(name)));
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
        {props.fields.filter((field) => !field.beyond).map(formField)}
        {props.fields.some((field) => field.beyond) && (
          <details class="beyond">
            <summary>Beyond the book: distortions, a rate schedule, held-out records</summary>
            {props.fields.filter((field) => field.beyond).map(formField)}
          </details>
        )}
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
      <TrainingStatus status={status} />
    </div>
  );
}

/**
 * Start a training on the server and watch it: epoch, samples/s, ETA and performance so
 * far, streamed as server-sent events; cancel; a link to the run when it is saved.
 */
import { useEffect, useState } from "preact/hooks";
import type { FormField, TrainStatus } from "../components/props.ts";
import TrainingStatus from "./TrainingStatus.tsx";

/** A setting's error where it is wrong: with the field's label (not its key), by the field. */
interface FieldError {
  field?: string;
  text: string;
}

/** One setting's label, input (a select for choices) and its range in words, visible on a phone too. */
function formField(field: FormField, error: FieldError | undefined) {
  const wrong = error?.field === field.name;
  const hint = `hint-${field.name}`, problem = `error-${field.name}`;
  const described = wrong ? `${problem} ${hint}` : hint;
  return (
    <label key={field.name}>
      {field.label} {field.choices
        ? (
          <select
            name={field.name}
            defaultValue={field.value}
            aria-invalid={wrong}
            aria-describedby={described}
          >
            {field.choices.map((choice) => <option key={choice} value={choice}>{choice || "—"}</option>)}
          </select>
        )
        : (
          <input
            name={field.name}
            defaultValue={field.value}
            inputMode={field.inputMode}
            aria-invalid={wrong}
            aria-describedby={described}
          />
        )}
      {wrong && <small id={problem} class="error">{error!.text}</small>}
      <small id={hint} class="range">{field.range}</small>
    </label>
  );
}

export default function TrainForm(props: { status: TrainStatus; fields: FormField[] }) {
  const [status, setStatus] = useState<TrainStatus>(props.status);
  const [error, setError] = useState<FieldError | undefined>();

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
    if (response.ok) {
      setError(
        json.queued
          ? {
            text: `queued: it starts when the ${
              json.queued === 1 ? "training" : `${json.queued} trainings`
            } before it end`,
          }
          : undefined,
      );
      return;
    }
    const field = props.fields.find((f) => f.name === json.field);
    // the API names a setting by its key (learningRate); the form by its label (learning rate)
    const text = field
      ? String(json.error).replace(new RegExp(`\\b${field.name}\\b`, "g"), field.label)
      : json.error;
    setError({ field: field?.name, text });
    if (field) {
      const input = (event.target as HTMLFormElement).elements.namedItem(field.name) as HTMLElement | null;
      // a field folded away is opened to be seen
      input?.closest("details")?.setAttribute("open", "");
      input?.focus();
    }
  }

  const running = status.state === "running";
  return (
    <div class="train">
      <form onSubmit={start}>
        {props.fields.filter((field) => !field.beyond).map((field) => formField(field, error))}
        {props.fields.some((field) => field.beyond) && (
          <details class="beyond">
            <summary>Beyond the book: distortions, a rate schedule, held-out records</summary>
            {props.fields.filter((field) => field.beyond).map((field) => formField(field, error))}
          </details>
        )}
        <p>
          {/* while one trains, another waits its turn */}
          <button type="submit">{running ? "Queue" : "Train"}</button>{" "}
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
      {error && !error.field && (
        <p class={/^queued/.test(error.text) ? "muted" : "error"} role="status">{error.text}</p>
      )}
      <TrainingStatus status={status} />
    </div>
  );
}

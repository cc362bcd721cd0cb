/**
 * Keep a run: its name, note and tags saved (POST /api/runs/:id), the run deleted into the
 * trash (with a confirmation) or restored from it. Errors are said next to the field.
 */
import { useState } from "preact/hooks";

export interface RunActionsProps {
  id: string;
  name: string;
  note: string;
  tags: string[];
  /** "edit" on a run's page; "restore" in the trash; "resume" for an incomplete run */
  mode: "edit" | "restore" | "resume";
}

async function post(path: string, body: unknown): Promise<{ ok: boolean; json: Record<string, unknown> }> {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { ok: response.ok, json: await response.json().catch(() => ({})) };
}

export default function RunActions(props: RunActionsProps) {
  const [message, setMessage] = useState<{ text: string; error: boolean } | undefined>();
  const [busy, setBusy] = useState(false);
  const base = `/api/runs/${encodeURIComponent(props.id)}`;

  async function run(action: () => Promise<void>) {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      setMessage({ text: (error as Error).message, error: true });
    } finally {
      setBusy(false);
    }
  }

  // one button that posts to the run's `action` and, when it worked, goes to `then`
  const single = {
    resume: { label: "Resume", then: "/train" },
    restore: { label: "Restore", then: `/runs/${encodeURIComponent(props.id)}` },
  };
  if (props.mode !== "edit") {
    const { label, then } = single[props.mode];
    return (
      <span>
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            run(async () => {
              const { ok, json } = await post(`${base}/${props.mode}`, {});
              if (ok) location.href = then;
              else setMessage({ text: String(json.error), error: true });
            })}
        >
          {label}
        </button>
        {message && <span class={message.error ? "error" : "saved"} role="status">{message.text}</span>}
      </span>
    );
  }

  function save(event: Event) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const tags = String(form.get("tags") ?? "").split(/[\s,]+/).filter(Boolean);
    run(async () => {
      const { ok, json } = await post(base, { name: form.get("name"), note: form.get("note"), tags });
      setMessage(ok ? { text: "saved", error: false } : { text: String(json.error), error: true });
    });
  }

  return (
    <form class="run-actions" onSubmit={save}>
      <label>
        name <input name="name" defaultValue={props.name} maxLength={60} />
      </label>
      <label>
        tags <input name="tags" defaultValue={props.tags.join(" ")} placeholder="words, space-separated" />
      </label>
      <label class="note">
        note <textarea name="note" defaultValue={props.note} maxLength={2000} rows={2} />
      </label>
      <p>
        <button type="submit" disabled={busy}>Save</button>{" "}
        <button
          type="button"
          class="danger"
          disabled={busy}
          onClick={() => {
            if (!confirm(`Delete ${props.id}? It goes to the trash, from where it can be restored.`)) return;
            run(async () => {
              const { ok, json } = await post(`${base}/delete`, {});
              if (ok) location.href = "/trash";
              else setMessage({ text: String(json.error), error: true });
            });
          }}
        >
          Delete…
        </button>{" "}
        {message && <span class={message.error ? "error" : "saved"} role="status">{message.text}</span>}
      </p>
    </form>
  );
}

/**
 * Draw a digit (mouse or touch) or upload an image; the server makes it into the 28×28
 * input the network sees (the same MNIST-style pipeline as scripts/query.ts) and answers.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { DrawPadProps, QueryAnswer as Answer } from "../components/props.ts";

const SIZE = 280;
/**
 * The drawing is sent at half size: the server makes it 28×28 anyway, and a quarter of the
 * pixels is a quarter of the decoding and smoothing (measured: the dashboard answers about
 * twice as many drawings a second).
 */
const SENT = 140;

export default function DrawPad(props: DrawPadProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const preview = useRef<HTMLCanvasElement>(null);
  const [run, setRun] = useState(props.run);
  const [result, setResult] = useState<Answer | undefined>();
  const [error, setError] = useState<string | undefined>();
  // a request for the drawing as it is now is on its way: the answer shown is of an earlier stroke
  const [reading, setReading] = useState(false);
  const drawing = useRef(false);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // the request in flight: a newer drawing (or Clear) aborts it, so an old answer never lands on a new drawing
  const inFlight = useRef<AbortController | undefined>(undefined);

  function forget() {
    inFlight.current?.abort();
    inFlight.current = undefined;
    setReading(false);
    if (pending.current !== undefined) clearTimeout(pending.current);
    pending.current = undefined;
  }

  function clear() {
    forget();
    const context = canvas.current?.getContext("2d");
    if (!context) return;
    context.fillStyle = "#fff";
    context.fillRect(0, 0, SIZE, SIZE);
    setResult(undefined);
    setError(undefined);
  }
  useEffect(clear, []);

  async function ask(body: Blob) {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setReading(true);
    try {
      const response = await fetch(`/api/query?run=${encodeURIComponent(run)}`, {
        method: "POST",
        body,
        headers: { "content-type": body.type || "application/octet-stream" },
        signal: controller.signal,
      });
      const json = await response.json();
      if (controller.signal.aborted) return;
      setReading(false);
      if (!response.ok) {
        // the error alone: no answer of an earlier drawing beside it
        setResult(undefined);
        setError(json.error ?? `the server answered ${response.status}`);
        return;
      }
      setError(undefined);
      setResult(json);
    } catch (error) {
      if ((error as Error).name !== "AbortError") {
        setReading(false);
        setError(`the server did not answer: ${(error as Error).message}`);
      }
    }
  }

  /** Show an uploaded image on the pad (fitted, on white) and ask about the file itself. */
  async function upload(file: File) {
    forget();
    const context = canvas.current?.getContext("2d");
    if (context) {
      context.fillStyle = "#fff";
      context.fillRect(0, 0, SIZE, SIZE);
      try {
        const bitmap = await createImageBitmap(file);
        const scale = Math.min(SIZE / bitmap.width, SIZE / bitmap.height);
        const [width, height] = [bitmap.width * scale, bitmap.height * scale];
        context.drawImage(bitmap, (SIZE - width) / 2, (SIZE - height) / 2, width, height);
      } catch {
        // a file the browser cannot show: the server says what is wrong with it
      }
    }
    await ask(file);
  }

  function send() {
    pending.current = undefined;
    if (!canvas.current) return;
    const small = document.createElement("canvas");
    small.width = small.height = SENT;
    const context = small.getContext("2d")!;
    context.imageSmoothingQuality = "high";
    context.drawImage(canvas.current, 0, 0, SENT, SENT);
    small.toBlob((blob) => blob && ask(blob), "image/png");
  }

  function schedule() {
    setReading(true);
    if (pending.current === undefined) pending.current = setTimeout(send, 120);
  }

  function point(event: PointerEvent): [number, number] {
    const box = canvas.current!.getBoundingClientRect();
    return [(event.clientX - box.left) * SIZE / box.width, (event.clientY - box.top) * SIZE / box.height];
  }

  function down(event: PointerEvent) {
    drawing.current = true;
    canvas.current!.setPointerCapture(event.pointerId);
    const context = canvas.current!.getContext("2d")!;
    context.lineWidth = 20;
    context.lineCap = context.lineJoin = "round";
    context.strokeStyle = "#000";
    context.beginPath();
    context.moveTo(...point(event));
  }

  function move(event: PointerEvent) {
    if (!drawing.current) return;
    const context = canvas.current!.getContext("2d")!;
    context.lineTo(...point(event));
    context.stroke();
    schedule();
  }

  function up() {
    if (!drawing.current) return;
    drawing.current = false;
    send();
  }

  useEffect(() => {
    const context = preview.current?.getContext("2d");
    if (!context) return;
    if (!result) {
      // cleared (or an error): the preview shows no old drawing either
      context.fillStyle = "#fff";
      context.fillRect(0, 0, 28, 28);
      return;
    }
    const image = context.createImageData(28, 28);
    result.pixels.forEach((ink, i) => {
      image.data.set([255 - ink, 255 - ink, 255 - ink, 255], 4 * i);
    });
    context.putImageData(image, 0, 0);
  }, [result]);

  useEffect(() => {
    if (canvas.current && result) send();
  }, [run]);

  return (
    <div class="draw">
      <div>
        <canvas
          ref={canvas}
          width={SIZE}
          height={SIZE}
          class="pad"
          aria-label="drawing area"
          onPointerDown={down}
          onPointerMove={move}
          onPointerUp={up}
          onPointerLeave={up}
        />
        <p>
          <button type="button" onClick={clear}>Clear</button>{" "}
          <label>
            or upload an image{" "}
            <input
              type="file"
              accept="image/png,image/jpeg,image/gif"
              onChange={(event) => {
                const file = (event.target as HTMLInputElement).files?.[0];
                if (file) upload(file);
              }}
            />
          </label>
        </p>
        <p>
          <label>
            network{" "}
            <select value={run} onChange={(event) => setRun((event.target as HTMLSelectElement).value)}>
              {props.runs.map((option) => <option key={option.id} value={option.id}>{option.label}</option>)}
            </select>
          </label>
        </p>
      </div>
      <div>
        <h2>What the network sees</h2>
        <canvas ref={preview} width={28} height={28} class="preview" aria-label="28×28 input" />
        <div aria-live="polite" aria-busy={reading}>
          {error && <p class="error">{error}</p>}
          {reading && <p class="muted reading">reading…</p>}
          {result && (
            <div class={reading ? "answer-box stale" : "answer-box"}>
              <p class="answer">
                <strong data-answer={result.answer}>{result.answer}</strong>{" "}
                ({result.confidence.toFixed(3)}) —{" "}
                <a href={`/runs/${run}/backquery/${result.answer}.png?scale=10`} target="_blank">
                  brain scan of {result.answer}
                </a>
              </p>
              {result.fired && result.fired.length > 0 && (
                <figure class="fired">
                  <a
                    href={`/runs/${run}/hidden.png?nodes=${result.fired.map((f) => f.node).join(",")}`}
                    target="_blank"
                  >
                    <img
                      class="hidden-nodes"
                      src={`/runs/${run}/hidden.png?nodes=${result.fired.map((f) => f.node).join(",")}`}
                      alt={`the incoming weights of the ${result.fired.length} hidden nodes that fired most`}
                    />
                  </a>
                  <figcaption>
                    the hidden nodes that fired most:{" "}
                    {result.fired.map((f) => `${f.node} (${f.signal.toFixed(2)})`).join(", ")}
                  </figcaption>
                </figure>
              )}
              <a href={`/runs/${run}/backquery/${result.answer}.png?scale=10`} target="_blank">
                <img
                  class="scan"
                  src={`/runs/${run}/backquery/${result.answer}.png?scale=4`}
                  width={112}
                  height={112}
                  alt={`what the network imagines a ${result.answer} to be (its back query)`}
                />
              </a>
            </div>
          )}
        </div>
      </div>
      <div class="bars" aria-label="outputs">
        {Array.from({ length: 10 }, (_, label) => {
          const value = result?.outputs[label] ?? 0;
          return (
            <div class={`bar ${result?.answer === label ? "best" : ""}`}>
              <span class="digit">{label}</span>
              <span class="fill" style={{ width: `${Math.max(0, Math.min(1, value)) * 100}%` }} />
              <span class="value">{value.toFixed(3)}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}

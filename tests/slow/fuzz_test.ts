/**
 * Seeded fuzzing of every parser: thousands of random and mutated inputs each. Each must
 * give a result or an InputError (a clear message) — never another exception, never a hang.
 */
import assert from "node:assert/strict";
import {
  decodeGrey,
  formatIdx,
  formatMnistCsv,
  loadDataset,
  mnistStyle,
  parseIdxDataset,
  parseMnistCsv,
  PIXELS,
} from "../../core/data/mod.ts";
import { InputError } from "../../core/errors.ts";
import { formatNpy, parseNpy, parseRunRecord } from "../../core/store/mod.ts";
import { createRandom, type Random } from "../../core/model/mod.ts";
import { createApp } from "../../main.ts";
import { DASHBOARD_SETTINGS } from "../../routes/context.ts";
import { dashboardFixture } from "../dashboard_fixture.ts";
import { ROOT } from "../helpers.ts";

const SPECIAL = [0x00, 0xff, 0x0a, 0x0d, 0x2c, 0x20, 0x2d, 0x2e, 0x30, 0x39, 0x7f, 0x80];

/** A mutated copy of `base`: bytes flipped, inserted, deleted, duplicated, or cut short. */
function mutate(random: Random, base: Uint8Array): Uint8Array {
  let bytes: Uint8Array = base.slice();
  const edits = 1 + random.integer(4);
  for (let edit = 0; edit < edits; edit++) {
    const at = random.integer(Math.max(1, bytes.length));
    switch (random.integer(6)) {
      case 0: // flip bits
        if (bytes.length) bytes[at] ^= 1 << random.integer(8);
        break;
      case 1: // a special byte
        if (bytes.length) bytes[at] = SPECIAL[random.integer(SPECIAL.length)];
        break;
      case 2: { // insert random bytes
        const insert = Uint8Array.from({ length: 1 + random.integer(16) }, () => random.integer(256));
        bytes = concat(bytes.subarray(0, at), insert, bytes.subarray(at));
        break;
      }
      case 3: // delete a range
        bytes = concat(
          bytes.subarray(0, at),
          bytes.subarray(Math.min(bytes.length, at + 1 + random.integer(64))),
        );
        break;
      case 4: // duplicate a chunk
        bytes = concat(
          bytes.subarray(0, at),
          bytes.subarray(at, at + random.integer(128)),
          bytes.subarray(at),
        );
        break;
      default: // cut short
        bytes = bytes.subarray(0, at);
    }
  }
  return bytes;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) out.set(part, offset), offset += part.length;
  return out;
}

/** Random bytes from an alphabet. */
function noise(random: Random, alphabet: string, length: number): Uint8Array {
  return new TextEncoder().encode(
    Array.from({ length }, () => alphabet[random.integer(alphabet.length)]).join(""),
  );
}

/** Run `parse` on every input: count results and InputErrors; anything else fails the test, naming the case. */
async function fuzz(
  name: string,
  inputs: Iterable<Uint8Array>,
  parse: (bytes: Uint8Array) => unknown | Promise<unknown>,
): Promise<{ cases: number; parsed: number; refused: number }> {
  let cases = 0, parsed = 0, refused = 0;
  const started = performance.now();
  for (const bytes of inputs) {
    cases++;
    try {
      await parse(bytes);
      parsed++;
    } catch (error) {
      if (!(error instanceof InputError)) {
        assert.fail(`${name} case ${cases} threw ${error} instead of an InputError`);
      }
      assert.ok(error.message.length > 0 && !error.message.includes("\n"), `${name}: one clear line`);
      refused++;
    }
  }
  console.log(
    `${name}: ${cases} cases (${parsed} parsed, ${refused} refused) in ${
      ((performance.now() - started) / 1000).toFixed(2)
    } s`,
  );
  return { cases, parsed, refused };
}

function* cases(count: number, make: (random: Random, i: number) => Uint8Array, seed: number) {
  const random = createRandom(seed);
  for (let i = 0; i < count; i++) yield make(random, i);
}

const CSV = await Deno.readFile(`${ROOT}data/mnist_test_10.csv`);
const TEST10 = await loadDataset(`${ROOT}data/mnist_test_10.csv`);

Deno.test("fuzz: the book's CSV parser, 4,000 random and mutated files", async () => {
  const small = formatMnistCsv(TEST10, 0, 2);
  const result = await fuzz(
    "csv",
    cases(
      4000,
      (random, i) =>
        i % 4 === 0
          ? noise(random, "0123456789,,,\n\r -.x", random.integer(4000))
          : mutate(random, i % 2 ? small : CSV),
      1,
    ),
    (bytes) => {
      const dataset = parseMnistCsv(bytes, "fuzz.csv");
      assert.equal(dataset.images.length, dataset.count * PIXELS);
      assert.ok(dataset.labels.every((label) => label <= 9));
    },
  );
  assert.ok(result.parsed > 0 && result.refused > 0);
});

Deno.test("fuzz: the IDX parser, 4,000 mutated image and label files", async () => {
  const images = formatIdx([10, 28, 28], TEST10.images), labels = formatIdx([10], TEST10.labels);
  const names = { images: "fuzz-images-idx3-ubyte", labels: "fuzz-labels-idx1-ubyte", source: "fuzz" };
  const result = await fuzz(
    "idx",
    cases(4000, (random, i) => (i % 2 ? mutate(random, images) : mutate(random, labels)), 2),
    (bytes) => {
      const dataset = bytes.length > 1000
        ? parseIdxDataset(bytes, labels, names)
        : parseIdxDataset(images, bytes, names);
      assert.ok(dataset.labels.every((label) => label <= 9));
    },
  );
  assert.ok(result.refused > 0);
});

Deno.test("fuzz: the .npy parser, 4,000 mutated files", async () => {
  const base = formatNpy({ rows: 3, cols: 4, data: Float64Array.from({ length: 12 }, (_, i) => i / 3) });
  const result = await fuzz("npy", cases(4000, (random) => mutate(random, base), 3), (bytes) => {
    const matrix = parseNpy(bytes, "fuzz.npy");
    assert.equal(matrix.data.length, matrix.rows * matrix.cols);
  });
  assert.ok(result.parsed > 0 && result.refused > 0);
});

Deno.test("fuzz: run.json, 4,000 mutated and reshaped records", async () => {
  const fixture = await dashboardFixture();
  const text = await Deno.readTextFile(`${fixture.runsDir}/${fixture.run}/run.json`);
  const record = JSON.parse(text);
  const random = createRandom(4);
  const values = [null, 0, -1, 1.5, "x", "", [], {}, [1, 2], { a: 1 }, true, 1e308, "f32"];
  /** The record with one field, at any depth, replaced or removed. */
  function reshape(): Uint8Array {
    const copy = structuredClone(record);
    let target = copy;
    const keys = Object.keys(target);
    let key = keys[random.integer(keys.length)];
    while (typeof target[key] === "object" && target[key] !== null && random.uniform() < 0.6) {
      target = target[key];
      const inner = Object.keys(target);
      if (inner.length === 0) break;
      key = inner[random.integer(inner.length)];
    }
    if (random.uniform() < 0.2) delete target[key];
    else target[key] = values[random.integer(values.length)];
    return new TextEncoder().encode(JSON.stringify(copy));
  }
  const bytes = new TextEncoder().encode(text);
  const result = await fuzz(
    "run.json",
    cases(4000, (r, i) => (i % 2 ? reshape() : mutate(r, bytes)), 5),
    (input) => {
      parseRunRecord(new TextDecoder().decode(input), "fuzz/run.json");
    },
  );
  assert.ok(result.parsed > 0 && result.refused > 1000);
  await Deno.remove(fixture.directory, { recursive: true });
});

Deno.test("fuzz: images (PNG, JPEG, GIF) through decode and the MNIST-style pipeline, 1,000 mutated files", async () => {
  const bases = await Promise.all(
    ["clean_3.png", "photo_7.jpg", "white_on_black_1.gif"].map((name) =>
      Deno.readFile(`${ROOT}data/own/${name}`)
    ),
  );
  const result = await fuzz(
    "images",
    cases(1000, (random, i) => mutate(random, bases[i % 3]), 6),
    async (bytes) => {
      const pixels = mnistStyle(await decodeGrey(bytes, "fuzz image"), "fuzz image");
      assert.equal(pixels.length, PIXELS);
    },
  );
  assert.ok(result.cases === 1000);
});

Deno.test({
  name:
    "fuzz: the server's JSON bodies, 2,000 random and mutated requests and 500 fields of every type: never a 500",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const fixture = await dashboardFixture();
    const { app, dashboard } = createApp({ runsDir: fixture.runsDir, sweepsDir: fixture.sweepsDir });
    const random = createRandom(7);
    const queryBody = new TextEncoder().encode(JSON.stringify({ pixels: new Array(784).fill(0) }));
    const trainBody = new TextEncoder().encode(
      JSON.stringify({ hidden: "1000000", learningRate: "0", epochs: "-3" }),
    );
    const statuses = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      const [path, base] = i % 2 ? ["/api/query?run=" + fixture.run, queryBody] : ["/api/train", trainBody];
      const body = i % 5 === 0
        ? noise(random, '{}[]":,0123456789abcdefnulltrue -.e', random.integer(200))
        : mutate(random, base);
      const response = await app.request(path, {
        method: "POST",
        body: body as Uint8Array<ArrayBuffer>,
        headers: { "content-type": i % 3 ? "application/json" : "application/octet-stream" },
      });
      await response.body?.cancel();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      assert.notEqual(response.status, 500, `request ${i} to ${path} answered 500`);
      if (response.status === 202) await dashboard.training.cancel(); // a mutation that happened to be a valid training
    }
    console.log(
      `server JSON bodies: 2000 requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );

    // every field the API takes, with values of every JSON type: a 400 naming the field, or a training
    const values = (): unknown[] => [
      null,
      true,
      [],
      [1, 2],
      {},
      { toString: 1 },
      { valueOf: 5 },
      "",
      " ",
      "1e400",
      "NaN",
      "-0",
      "0x10",
      "1,2,,3",
      "٣",
      -1,
      0,
      1.5,
      1e308,
      Number.MAX_SAFE_INTEGER + 2,
      random.integer(3000),
      "x".repeat(random.integer(100)),
    ];
    const fieldStatuses = new Map<number, number>();
    const FIELD_CASES = 500;
    for (let i = 0; i < FIELD_CASES; i++) {
      const body: Record<string, unknown> = {};
      for (let k = 0; k <= random.integer(3); k++) {
        const field = DASHBOARD_SETTINGS[random.integer(DASHBOARD_SETTINGS.length)];
        const choices = values();
        body[field] = choices[random.integer(choices.length)];
      }
      body.limitTrain ??= 50; // a valid training stays short
      const response = await app.request("/api/train", {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json" },
      });
      const answer = await response.json();
      fieldStatuses.set(response.status, (fieldStatuses.get(response.status) ?? 0) + 1);
      assert.ok(
        [202, 400, 409].includes(response.status),
        `${JSON.stringify(body)} answered ${response.status}`,
      );
      if (response.status === 400) {
        assert.ok(
          Object.keys(body).some((field) => answer.error.includes(field)),
          `the error names a field: ${answer.error}`,
        );
      }
      if (response.status === 202) await dashboard.training.cancel();
    }
    console.log(
      `API fields of every type: 1000 requests, statuses ${
        JSON.stringify(Object.fromEntries(fieldStatuses))
      }`,
    );
    await Deno.remove(fixture.directory, { recursive: true });
  },
});

/**
 * The benchmark: myonn against the book's algorithm in numpy (bench/book_reference.py),
 * on the full MNIST set, in one run, on this machine. (One file past 300 lines on purpose:
 * a list of measurements, each a few lines, that reads top to bottom like the table it prints.)
 *
 *   deno task bench                   # 3 repetitions of everything, medians, ~3 minutes
 *   deno task bench --repeat 5 --json
 *   deno task bench --quick           # 5,000 records, 1 repetition, no numpy: a smoke test
 *   deno task bench --baseline ../old # also this checkout's one-thread epoch against another's
 *   deno task bench --baseline ../old --baseline-only  # only that, on 1 and 2 threads
 *
 * It times loading MNIST (IDX and the book's CSV), one training epoch at 784-100-10 and
 * 784-200-10 (float32 and float64 WebAssembly kernels, and once with the plain TypeScript
 * kernels), scoring the 10,000 test images, and the peak memory of a 784-200-10 training
 * run (in a child process, so the benchmark's own data does not count). numpy runs the
 * book's loop as the book writes it (each CSV line split inside the loop) and with the
 * lines parsed beforehand ("compute only"). Writes the results as JSON (--out).
 *
 * @module
 */
import { distortionCost, formatDistortionCost } from "./distort.ts";
import { formatMnistCsv, limitDataset, loadDataset } from "../core/data/mod.ts";
import { InputError } from "../core/errors.ts";
import { canShareMemory, type KernelsName, type Precision } from "../core/kernels/mod.ts";
import { createNetwork, createRandom } from "../core/model/mod.ts";
import { describeMachine } from "../core/store/mod.ts";
import { score, trainEpoch } from "../core/training/mod.ts";
import {
  type BusyRun,
  EPOCHS_PER_REPEAT,
  measureBusy,
  measureThreads,
  medianRatio,
  threadsProbe,
} from "./threads.ts";
import { DEFAULT_THREADS } from "../core/training/mod.ts";
import { median } from "./turns.ts";
import { checkBaseline, epochProbe, measureBaseline } from "./baseline.ts";
import { type CommandSpec, integerFlag, parseFlags, printJson, runMain } from "../scripts/support.ts";

const DEFAULTS = {
  repeat: "3", // repetitions of every measurement; the median is reported
  out: "data/bench.json", // where the results are written
};

export const SPEC: CommandSpec = {
  usage: "bench [flags]",
  summary:
    "Time myonn against the book's numpy code on full MNIST: loading, training epochs, scoring, memory.",
  flags: {
    repeat: {
      type: "string",
      default: DEFAULTS.repeat,
      value: "N",
      description: "repetitions (median reported)",
    },
    out: {
      type: "string",
      default: DEFAULTS.out,
      value: "FILE",
      description: "write the results here as JSON",
    },
    "limit-train": {
      type: "string",
      value: "N",
      description: "train on the first N records (times scaled to 60,000)",
    },
    quick: {
      type: "boolean",
      description: "5,000 records, 1 repetition, no numpy, no plain kernels, busy probe at 0 and a core each",
    },
    "no-numpy": { type: "boolean", description: "skip the numpy reference" },
    "memory-probe": {
      type: "boolean",
      description: "(internal) train 784-200-10 once and print peak memory",
    },
    baseline: {
      type: "string",
      value: "DIR",
      description:
        "another checkout of myonn (git worktree add DIR <commit>): its one-thread epoch against this one's",
    },
    "baseline-only": {
      type: "boolean",
      description: "with --baseline: only this checkout's epochs against the baseline's, on 1 and 2 threads",
    },
    "probe-threads": {
      type: "string",
      value: "N",
      description: "(internal) the epoch probe's threads",
    },
    "epoch-probe": {
      type: "string",
      value: "DIR",
      description: "(internal) time one-thread epochs with the code of the checkout in DIR and print them",
    },
    "threads-probe": {
      type: "string",
      value: "THREADS,HIDDEN",
      description: "(internal) time one epoch on that many threads and print it",
    },
    busy: {
      type: "boolean",
      description: "only the busy probe: default threads ÷ one with 0, 1, 2, 4 busy processes beside",
    },
    distort: {
      type: "boolean",
      description:
        "only the distortion probe: the preset's epochs plain ÷ distorted afresh, on 1 and 2 threads",
    },
    json: { type: "boolean", description: "print one JSON object on stdout" },
  },
};

/** One timed thing: every repetition's seconds and their median. */
interface Timing {
  name: string;
  seconds: number;
  runs: number[];
  /** test-set performance after the epoch, where there is one */
  performance?: number;
}

/** Run `measure` `repeat` times; it returns seconds (and optionally a performance). */
async function time(
  name: string,
  repeat: number,
  measure: () => Promise<{ seconds: number; performance?: number }> | {
    seconds: number;
    performance?: number;
  },
): Promise<Timing> {
  const runs: number[] = [];
  let performance: number | undefined;
  for (let i = 0; i < repeat; i++) {
    const result = await measure();
    runs.push(result.seconds);
    performance = result.performance;
    console.error(`  ${name}: ${result.seconds.toFixed(3)} s`);
  }
  return { name, seconds: median(runs), runs, ...(performance === undefined ? {} : { performance }) };
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

/** Peak resident memory of this process in MB (Linux), or the current one elsewhere. */
function peakMemoryMegabytes(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const kilobytes = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]);
    if (kilobytes > 0) return kilobytes / 1024;
  } catch {
    // not Linux
  }
  return Deno.memoryUsage().rss / 1024 / 1024;
}

/** What `deno task train` does for one epoch of 784-200-10, then the peak memory. */
async function memoryProbe(): Promise<void> {
  const train = await loadDataset("mnist:train");
  const test = await loadDataset("mnist:test");
  const net = createNetwork({
    layers: [784, 200, 10],
    learningRate: 0.1,
    random: createRandom(1),
    precision: "f32",
  });
  trainEpoch(net, train);
  score(net, test);
  console.log(JSON.stringify({ peakMegabytes: peakMemoryMegabytes() }));
}

/** Whether python3 with numpy and scipy is here. */
async function numpyVersion(): Promise<string | undefined> {
  try {
    const output = await new Deno.Command("python3", {
      args: ["-c", "import numpy, scipy.special; print(numpy.__version__)"],
      stdout: "piped",
      stderr: "null",
    }).output();
    return output.code === 0 ? new TextDecoder().decode(output.stdout).trim() : undefined;
  } catch {
    return undefined;
  }
}

/** One run of the numpy reference: seconds for the epoch and for scoring. */
async function runNumpy(
  args: string[],
): Promise<{ epochSeconds: number; testSeconds: number; performance: number }> {
  const script = new URL("./book_reference.py", import.meta.url).pathname;
  const output = await new Deno.Command("python3", {
    args: [script, ...args],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (output.code !== 0) {
    throw new Error(`numpy reference failed: ${new TextDecoder().decode(output.stderr)}`);
  }
  const result = JSON.parse(new TextDecoder().decode(output.stdout));
  return {
    epochSeconds: result.epochSeconds[0],
    testSeconds: result.testSeconds,
    performance: result.performance,
  };
}

export async function main(args: string[]): Promise<void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  if (flags["memory-probe"]) return await memoryProbe();
  if (flags["epoch-probe"] !== undefined) {
    const limit = flags["limit-train"] !== undefined
      ? integerFlag(flags["limit-train"], "limit-train")
      : undefined;
    const threads = flags["probe-threads"] !== undefined
      ? integerFlag(flags["probe-threads"], "probe-threads")
      : 1;
    return await epochProbe(String(flags["epoch-probe"]), limit, threads);
  }
  const baseline = flags.baseline === undefined ? undefined : String(flags.baseline).replace(/\/$/, "");
  if (baseline !== undefined) {
    if (Deno.build.standalone) {
      throw new InputError("--baseline needs the source checkout (deno task bench), not the binary");
    }
    await checkBaseline(baseline);
  }
  if (flags["baseline-only"]) {
    if (baseline === undefined) throw new InputError("--baseline-only needs --baseline DIR");
    return await baselineOnly(
      baseline,
      integerFlag(flags.repeat, "repeat"),
      flags["limit-train"] === undefined ? undefined : String(flags["limit-train"]),
      flags.json,
    );
  }
  if (flags["threads-probe"] !== undefined) {
    const [threads, hidden] = String(flags["threads-probe"]).split(",").map(Number);
    const limit = flags["limit-train"] !== undefined
      ? integerFlag(flags["limit-train"], "limit-train")
      : undefined;
    return await threadsProbe(threads, hidden, limit);
  }
  if (flags.distort) {
    const limit = flags["limit-train"] !== undefined
      ? integerFlag(flags["limit-train"], "limit-train")
      : undefined;
    const costs = [];
    for (const threads of [1, 2]) {
      costs.push(await distortionCost(threads, integerFlag(flags.repeat, "repeat"), limit));
    }
    if (flags.json) {
      return printJson({ machine: describeMachine(), distortion: costs, date: new Date().toISOString() });
    }
    console.log(formatDistortionCost(costs));
    return;
  }
  if (flags.busy) {
    const rounds = integerFlag(flags.repeat, "repeat") * EPOCHS_PER_REPEAT;
    const busy = await busyProbe(rounds, flags["limit-train"]);
    if (flags.json) return printJson({ machine: describeMachine(), busy, date: new Date().toISOString() });
    console.log(formatBusy(busy));
    return;
  }
  const quick = Boolean(flags.quick);
  const repeat = quick ? 1 : integerFlag(flags.repeat, "repeat");
  const limit = flags["limit-train"] !== undefined
    ? integerFlag(flags["limit-train"], "limit-train")
    : quick
    ? 5000
    : undefined;
  const numpy = quick || flags["no-numpy"] ? undefined : await numpyVersion();
  const out = String(flags.out);

  console.error(`myonn benchmark: ${repeat} repetition${repeat === 1 ? "" : "s"}, median reported`);
  const timings: Timing[] = [];
  timings.push(
    await time("load MNIST, IDX (60,000 + 10,000)", repeat, async () => {
      const started = performance.now();
      await loadDataset("mnist:train");
      await loadDataset("mnist:test");
      return { seconds: seconds(started) };
    }),
  );
  const fullTrain = await loadDataset("mnist:train");
  const train = limitDataset(fullTrain, limit);
  const test = await loadDataset("mnist:test");
  const scale = 60_000 / train.count; // epoch times are reported for 60,000 records

  const directory = await Deno.makeTempDir({ prefix: "myonn-bench-" });
  try {
    const trainCsv = `${directory}/mnist_train.csv`, testCsv = `${directory}/mnist_test.csv`;
    await writeCsv(trainCsv, train);
    await writeCsv(testCsv, test);
    timings.push(
      await time(
        train.count === 60_000
          ? "load MNIST, book CSV (60,000 records)"
          : `load MNIST, book CSV (${train.count.toLocaleString("en")} records, scaled to 60,000)`,
        repeat,
        async () => {
          const started = performance.now();
          await loadDataset(trainCsv);
          return { seconds: seconds(started) * scale };
        },
      ),
    );

    const configurations: { hidden: number; precision: Precision; kernels: KernelsName; repeat: number }[] = [
      { hidden: 100, precision: "f32", kernels: "wasm", repeat },
      { hidden: 200, precision: "f32", kernels: "wasm", repeat },
      { hidden: 100, precision: "f64", kernels: "wasm", repeat },
      { hidden: 200, precision: "f64", kernels: "wasm", repeat },
      ...(quick ? [] : [{ hidden: 200, precision: "f64" as const, kernels: "plain" as const, repeat: 1 }]),
    ];
    for (const { hidden, precision, kernels, repeat: times } of configurations) {
      timings.push(
        await time(`epoch 784-${hidden}-10, myonn ${kernels} ${precision}`, times, () => {
          const net = createNetwork({
            layers: [784, hidden, 10],
            learningRate: 0.1,
            random: createRandom(1),
            precision,
            kernels,
          });
          const started = performance.now();
          trainEpoch(net, train);
          const elapsed = seconds(started) * scale;
          return { seconds: elapsed, performance: score(net, test).performance };
        }),
      );
    }
    const scored = createNetwork({
      layers: [784, 200, 10],
      learningRate: 0.1,
      random: createRandom(1),
      precision: "f32",
    });
    trainEpoch(scored, train);
    timings.push(
      await time("score 10,000 test images, 784-200-10 f32", repeat, () => {
        const started = performance.now();
        score(scored, test);
        return { seconds: seconds(started) };
      }),
    );

    if (numpy) {
      for (const hidden of [100, 200]) {
        for (const mode of ["book", "compute only"] as const) {
          const extra = mode === "book" ? [] : ["--compute-only"];
          let testSeconds = 0;
          timings.push(
            await time(`epoch 784-${hidden}-10, numpy ${mode}`, repeat, async () => {
              const result = await runNumpy([
                "--train",
                trainCsv,
                "--test",
                testCsv,
                "--hidden",
                String(hidden),
                "--lr",
                "0.1",
                ...extra,
              ]);
              testSeconds = result.testSeconds;
              return { seconds: result.epochSeconds * scale, performance: result.performance };
            }),
          );
          if (hidden === 200 && mode === "book") {
            timings.push({
              name: "score 10,000 test images, numpy book",
              seconds: testSeconds,
              runs: [testSeconds],
            });
          }
        }
      }
    }
  } finally {
    await Deno.remove(directory, { recursive: true });
  }

  // threads side by side, their epochs taking turns: the same epoch on 1, 2 (and 4) threads (bit-identical weights), f32
  const threadRuns = canShareMemory()
    ? await measureThreads(repeat * EPOCHS_PER_REPEAT, (threads, hidden) => [
      ...childArgs(),
      "--threads-probe",
      `${threads},${hidden}`,
      ...(train.count < 60_000 ? ["--limit-train", String(train.count)] : []),
    ])
    : [];
  for (const hidden of [100, 200]) {
    for (const threads of [1, 2, 4]) {
      const run = threadRuns.find((run) => run.hidden === hidden && run.threads === threads);
      if (!run) continue;
      timings.push({
        name: `epoch 784-${hidden}-10, myonn wasm f32, ${threads} thread${threads > 1 ? "s" : ""}`,
        seconds: run.epochSeconds,
        runs: run.epochs,
      });
    }
  }
  const barrier = threadRuns.flatMap((run) => run.barrierMicroseconds ?? []);
  // the same, with other work on the machine: the default thread count must never be much slower than one
  const busy = canShareMemory() && DEFAULT_THREADS > 1
    ? await busyProbe(
      repeat * EPOCHS_PER_REPEAT,
      train.count < 60_000 ? String(train.count) : undefined,
      // a smoke test: none busy, and one busy process a core
      quick ? [0, navigator.hardwareConcurrency] : undefined,
    )
    : [];
  // this checkout's one-thread epoch against another checkout's, their epochs taking turns
  const against = baseline === undefined
    ? undefined
    : await measureBaseline(repeat * EPOCHS_PER_REPEAT, baseline, (root) => [
      ...childArgs(),
      "--epoch-probe",
      root,
      ...(train.count < 60_000 ? ["--limit-train", String(train.count)] : []),
    ]);
  if (against) {
    for (
      const [label, run] of [["this checkout", against.runs[0]], [
        `baseline ${baseline}`,
        against.runs[1],
      ]] as const
    ) {
      timings.push({
        name: `epoch 784-200-10, myonn wasm f32, 1 thread, ${label}`,
        seconds: run.epochSeconds,
        runs: run.epochs,
      });
    }
  }
  const memory = await measureMemory();
  const find = (name: string) => timings.find((timing) => timing.name === name)?.seconds;
  const ratio = (numerator: string, denominator: string) => {
    const [a, b] = [find(numerator), find(denominator)];
    return a !== undefined && b !== undefined ? a / b : undefined;
  };
  const threadRatios = Object.fromEntries(
    [100, 200].flatMap((hidden) =>
      [2, 4].map((threads) => [
        `784-${hidden}-10 f32: epoch time on ${threads} threads ÷ on 1 (median of each round's; below 1: faster)`,
        medianRatio(threadRuns, hidden, threads),
      ])
    ).filter(([, value]) => value !== undefined),
  );
  const ratios = Object.fromEntries(
    [100, 200].flatMap((hidden) =>
      (["f32", "f64"] as const).flatMap((precision) => [
        [
          `784-${hidden}-10 ${precision}: numpy book / myonn`,
          ratio(`epoch 784-${hidden}-10, numpy book`, `epoch 784-${hidden}-10, myonn wasm ${precision}`),
        ],
        [
          `784-${hidden}-10 ${precision}: numpy compute only / myonn`,
          ratio(
            `epoch 784-${hidden}-10, numpy compute only`,
            `epoch 784-${hidden}-10, myonn wasm ${precision}`,
          ),
        ],
      ])
    ).filter(([, value]) => value !== undefined),
  );
  const result = {
    machine: describeMachine(),
    numpy: numpy ?? null,
    repeat,
    trainRecords: train.count,
    timings,
    peakMegabytes: memory,
    ...(barrier.length > 0 ? { barrierMicroseconds: median(barrier) } : {}),
    busy,
    ratios: {
      ...ratios,
      ...threadRatios,
      ...(against
        ? {
          "784-200-10 f32, 1 thread: epoch time of this checkout ÷ the baseline's (median of each round's; below 1: faster)":
            against.ratio,
        }
        : {}),
    },
    ...(against
      ? {
        baseline: {
          directory: baseline,
          sameWeights: against.runs.every((run) => run.weights === against.runs[0].weights),
        },
      }
      : {}),
    date: new Date().toISOString(),
  };
  await writeJsonAtomically(out, result);
  if (flags.json) return printJson(result);
  console.log(formatTable(result));
  if (busy.length > 0) console.log(`\n${formatBusy(busy)}`);
  console.log(`\nwritten to ${out}`);
}

/** The results as a text table. */
function formatTable(result: {
  machine: ReturnType<typeof describeMachine>;
  numpy: string | null;
  repeat: number;
  trainRecords: number;
  timings: Timing[];
  peakMegabytes: number;
  barrierMicroseconds?: number;
  ratios: Record<string, number | undefined>;
}): string {
  const lines = [
    `${result.machine.cpu}, ${result.machine.cores} cores; Deno ${result.machine.deno}; numpy ${
      result.numpy ?? "not run"
    }; ` +
    `median of ${result.repeat}` +
    (result.trainRecords < 60_000
      ? `; epochs timed on ${result.trainRecords} records, scaled to 60,000`
      : ""),
    "",
    "| measurement | seconds | test performance |",
    "|---|---:|---:|",
    ...result.timings.map((timing) =>
      `| ${timing.name} | ${timing.seconds.toFixed(2)} | ${
        timing.performance === undefined ? "" : timing.performance.toFixed(4)
      } |`
    ),
    `| peak memory, deno task train's 784-200-10 f32 | ${result.peakMegabytes.toFixed(0)} MB | |`,
    ...(result.barrierMicroseconds === undefined ? [] : [
      `| the threads' barrier, a record with no rows to do | ${result.barrierMicroseconds.toFixed(2)} µs | |`,
    ]),
    "",
    "| speed-up | × |",
    "|---|---:|",
    ...Object.entries(result.ratios).map(([name, value]) =>
      `| ${name} | ${value!.toFixed(name.includes("÷") ? 2 : 1)} |`
    ),
  ];
  return lines.join("\n");
}

/** How a child process runs this benchmark: a compiled myonn runs itself; otherwise Deno runs this file. */
/** Child processes a side in --baseline-only (measureBaseline says why more than one). */
const BASELINE_PROCESSES = 3;

/**
 * This checkout's epochs against the baseline's, on one thread and (where memory is shared and
 * there are two cores) two, their epochs taking turns: a change is within noise when each
 * ratio is near 1 and the weights are the same.
 */
async function baselineOnly(
  baseline: string,
  repeat: number,
  limit: string | undefined,
  json: unknown,
): Promise<void> {
  const counts = canShareMemory() && navigator.hardwareConcurrency >= 2 ? [1, 2] : [1];
  const results = [];
  for (const threads of counts) {
    const against = await measureBaseline(
      repeat * EPOCHS_PER_REPEAT,
      baseline,
      (root) => [
        ...childArgs(),
        "--epoch-probe",
        root,
        "--probe-threads",
        String(threads),
        ...(limit !== undefined ? ["--limit-train", String(limit)] : []),
      ],
      threads,
      BASELINE_PROCESSES,
    );
    results.push({
      threads,
      ratio: against.ratio,
      rounds: repeat * EPOCHS_PER_REPEAT,
      processes: BASELINE_PROCESSES,
      /** every process's epochs, process after process */
      thisCheckout: against.runs[0].epochs,
      baseline: against.runs[1].epochs,
      sameWeights: against.runs[0].weights === against.runs[1].weights,
    });
  }
  if (json) {
    return printJson({ machine: describeMachine(), baseline, results, date: new Date().toISOString() });
  }
  for (const result of results) {
    console.log(
      `784-200-10 f32, ${result.threads} thread${result.threads > 1 ? "s" : ""}: this ÷ baseline ${
        result.ratio.toFixed(3)
      } (median of ${result.rounds} rounds, ${result.processes} processes a side; this ${
        result.thisCheckout.map((s) => s.toFixed(2)).join(" ")
      } s, baseline ${result.baseline.map((s) => s.toFixed(2)).join(" ")} s), same weights: ${
        result.sameWeights ? "yes" : "NO"
      }`,
    );
  }
}

/** The busy probe (threads.ts measureBusy) with this bench's child processes. */
function busyProbe(rounds: number, limit: unknown, levels?: readonly number[]): Promise<BusyRun[]> {
  return measureBusy(
    rounds,
    (threads, hidden) => [
      ...childArgs(),
      "--threads-probe",
      `${threads},${hidden}`,
      ...(limit !== undefined ? ["--limit-train", String(limit)] : []),
    ],
    DEFAULT_THREADS,
    levels,
  );
}

/** The busy probe as a table. */
function formatBusy(runs: BusyRun[]): string {
  return [
    `| busy processes beside | ${runs[0]?.threads ?? 2} threads (the default) ÷ 1, median of each round's |`,
    "| --- | --- |",
    ...runs.map((run) => `| ${run.busy} | ${run.ratio.toFixed(2)} |`),
  ].join("\n");
}

function childArgs(): string[] {
  return Deno.build.standalone ? ["bench"] : ["run", "-A", new URL(import.meta.url).pathname];
}

/** Peak memory of a child process training 784-200-10 as `deno task train` does. */
async function measureMemory(): Promise<number> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [...childArgs(), "--memory-probe"],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (output.code !== 0) throw new Error("the memory probe failed");
  return JSON.parse(new TextDecoder().decode(output.stdout)).peakMegabytes;
}

async function writeCsv(path: string, dataset: Parameters<typeof formatMnistCsv>[0]): Promise<void> {
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  for (let start = 0; start < dataset.count; start += 2000) {
    const chunk = formatMnistCsv(dataset, start, Math.min(dataset.count, start + 2000));
    for (let offset = 0; offset < chunk.length;) offset += await file.write(chunk.subarray(offset));
  }
}

async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  const slash = path.lastIndexOf("/");
  if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true });
  const temporary = `${path}.${Deno.pid}.tmp`;
  try {
    await Deno.writeTextFile(temporary, JSON.stringify(value, null, 2) + "\n");
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw new InputError(`Cannot write ${path}: ${(error as Error).message}`);
  }
}

if (import.meta.main) await runMain(main);

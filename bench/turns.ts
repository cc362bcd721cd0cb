/**
 * Epochs taking turns (bench.ts): one child process per configuration compared — a thread
 * count (threads.ts), a checkout (baseline.ts) — each with its data loaded and its code warm,
 * training one epoch whenever the parent asks. The parent asks each in turn, round after
 * round, so the configurations' epochs are seconds apart, and a ratio is taken between the
 * epochs of one round.
 *
 * Why: this machine's speed drifts by ±30% within minutes (one one-thread child's eight
 * epochs took 1.20–1.89 s), so configurations timed one child after another meet different
 * moods of the machine; adjacent epochs meet the same one. Separate processes, not one:
 * in one process the compiler's experience of one configuration changes the next one's
 * time (a one-thread epoch after a threaded one measured 20–40% slower). A child not asked
 * is idle: its process waits on its input, and a threaded child's helpers sleep after
 * spinning a few milliseconds.
 *
 * The protocol, one JSON object a line on the child's stdout: `{"ready":true}` after its
 * first (unmeasured) epoch, `{"seconds":s}` for each `epoch` line on its stdin, and when its
 * stdin closes, what the child reports last (its `final` object).
 *
 * @module
 */

/** In the child: serve epochs as described above; `epoch` trains one over `records` records. */
export async function serveEpochs(
  epoch: () => void,
  records: number,
  final: () => Promise<Record<string, unknown>> | Record<string, unknown>,
): Promise<void> {
  epoch();
  say({ ready: true });
  for await (const line of lines(Deno.stdin.readable)) {
    if (line !== "epoch") {
      throw new Error(`expected "epoch" on the epoch server's input, got ${JSON.stringify(line)}`);
    }
    const started = performance.now();
    epoch();
    // seconds scaled to 60,000 records, so a reduced set (--limit-train) reads as a full epoch
    say({ seconds: (performance.now() - started) / 1000 * (60_000 / records) });
  }
  say(await final());
}

function say(message: Record<string, unknown>): void {
  Deno.stdout.writeSync(new TextEncoder().encode(JSON.stringify(message) + "\n"));
}

/** A configuration to compare: its name in progress lines, and its child's arguments to `deno`. */
export interface Contender {
  label: string;
  args: string[];
  /**
   * run on this core only (Linux, where taskset is): one-thread contenders pinned to the same
   * core meet the same core. Unpinned, a one-thread child stayed on whichever core it started
   * on, and this machine's two cores were not always equally fast (docs/speed.md)
   */
  pin?: number;
}

/** Whether children can be pinned to a core here. */
export function canPin(): boolean {
  try {
    return Deno.build.os === "linux" && Deno.statSync("/usr/bin/taskset").isFile;
  } catch {
    return false;
  }
}

/**
 * In the parent: start one child per contender (one after another, each warming up alone),
 * then `rounds` rounds of one epoch each, in turn (the order reversed every other round, so
 * neither goes first throughout). Returns each contender's epochs by round, and what each
 * child reported last.
 */
export async function takeTurns(
  contenders: Contender[],
  rounds: number,
): Promise<{ epochs: number[][]; finals: Record<string, unknown>[] }> {
  const children: EpochChild[] = [];
  try {
    for (const contender of contenders) children.push(await EpochChild.start(contender));
    const epochs = contenders.map(() => [] as number[]);
    for (let round = 0; round < rounds; round++) {
      const order = children.map((_, i) => i);
      if (round % 2 === 1) order.reverse();
      for (const i of order) {
        const seconds = await children[i].epoch();
        console.error(`  epoch ${contenders[i].label}: ${seconds.toFixed(3)} s`);
        epochs[i].push(seconds);
      }
    }
    const finals: Record<string, unknown>[] = [];
    for (const child of children) finals.push(await child.end());
    return { epochs, finals };
  } finally {
    for (const child of children) child.kill();
  }
}

/** The median of each round's ratio `numerator[i] / denominator[i]`. */
export function medianOfRatios(numerator: number[], denominator: number[]): number {
  if (numerator.length !== denominator.length || numerator.length === 0) {
    throw new RangeError(
      `ratios need epochs from the same rounds: ${numerator.length} against ${denominator.length}`,
    );
  }
  return median(numerator.map((value, i) => value / denominator[i]));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One child serving epochs. */
class EpochChild {
  private constructor(
    private readonly label: string,
    private readonly process: Deno.ChildProcess,
    private readonly input: WritableStreamDefaultWriter<Uint8Array>,
    private readonly output: AsyncIterator<string>,
  ) {}

  static async start(contender: Contender): Promise<EpochChild> {
    const pinned = contender.pin !== undefined && canPin();
    const process = new Deno.Command(pinned ? "/usr/bin/taskset" : Deno.execPath(), {
      args: pinned ? ["-c", String(contender.pin), Deno.execPath(), ...contender.args] : contender.args,
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const child = new EpochChild(
      contender.label,
      process,
      process.stdin.getWriter(),
      lines(process.stdout)[Symbol.asyncIterator](),
    );
    await child.answer();
    return child;
  }

  /** Train one epoch: its seconds (scaled to 60,000 records). */
  async epoch(): Promise<number> {
    await this.input.write(new TextEncoder().encode("epoch\n"));
    const { seconds } = await this.answer();
    if (typeof seconds !== "number") throw new Error(`the ${this.label} child answered without seconds`);
    return seconds;
  }

  /** Close its input: what it reports last, once it has exited. */
  async end(): Promise<Record<string, unknown>> {
    await this.input.close();
    const final = await this.answer();
    const status = await this.process.status;
    if (!status.success) throw new Error(`the ${this.label} child failed (exit code ${status.code})`);
    return final;
  }

  kill(): void {
    try {
      this.process.kill();
    } catch {
      // it has exited
    }
  }

  private async answer(): Promise<Record<string, unknown>> {
    const next = await this.output.next();
    if (next.done) throw new Error(`the ${this.label} child ended without answering (its errors are above)`);
    return JSON.parse(next.value);
  }
}

/** The lines of a byte stream. */
async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const bytes of stream) {
    const parts = (rest + decoder.decode(bytes, { stream: true })).split("\n");
    rest = parts.pop()!;
    yield* parts;
  }
  if (rest !== "") yield rest;
}

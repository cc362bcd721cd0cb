/**
 * The barrier the training thread and its helpers meet at, once per record (threads.ts,
 * row_worker.ts), over the control block's slots (thread_protocol.ts, CONTROL).
 *
 * The training thread releases the helpers by writing the task, setting the pending count and
 * bumping a generation counter; each helper, waiting for the generation to move, does the task
 * on its rows and counts down; the training thread, done with its own rows, waits for the count
 * to reach zero. Either side waits the same way: it spins on an atomic load for a while (a
 * record takes microseconds, and a sleep and a wake-up cost tens of them), then sleeps in
 * `Atomics.wait`, never for long, having said so in a slot of its own so that the other side
 * notifies it (a notify costs a lock: it is sent only to a sleeper).
 *
 * @module
 */
import { CONTROL } from "./thread_protocol.ts";

/** The longest either side sleeps before it looks again. */
export const SLEEP_MS = 100;
/** Sleeps in a row after which the training thread gives up on its helpers: a minute. */
const GIVE_UP_SLEEPS = 600;

/**
 * Sleep on `slot` while it holds `value` (at most SLEEP_MS), counted in `sleepers` meanwhile.
 * Said before sleeping (seq-cst): the other side then notifies, or wait() sees the value moved.
 */
function sleepOn(control: Int32Array, slot: number, value: number, sleepers: number): boolean {
  Atomics.add(control, sleepers, 1);
  const woken = Atomics.wait(control, slot, value, SLEEP_MS);
  Atomics.sub(control, sleepers, 1);
  return woken !== "timed-out";
}

/** The training thread's side: release the helpers for a task, then join them. */
export class TrainingBarrier {
  constructor(
    private readonly control: Int32Array,
    private readonly helpers: number,
    /** how many checks a join spins before it sleeps */
    private readonly spin: number,
  ) {}

  /** Whether every helper has started (set up and waiting for a release). */
  allStarted(): boolean {
    return Atomics.load(this.control, CONTROL.ready) === this.helpers;
  }

  /** Whether some helper is still working on the task last released. */
  pending(): boolean {
    return Atomics.load(this.control, CONTROL.pending) !== 0;
  }

  /** Release the helpers for `task` (a TASK), its settings already written. */
  release(task: number): void {
    const { control } = this;
    control[CONTROL.task] = task;
    Atomics.store(control, CONTROL.pending, this.helpers);
    Atomics.add(control, CONTROL.generation, 1);
    // seq-cst: a helper that said it sleeps either is woken here or sees the new generation in wait()
    if (Atomics.load(control, CONTROL.sleepingHelpers) > 0) Atomics.notify(control, CONTROL.generation);
  }

  /**
   * Wait until every helper has counted down: spin, then sleep. Returns how many times it
   * checked. Throws when a helper failed, or answered nothing for a minute (a record takes
   * microseconds: that is a thread that stopped, not a slow one).
   */
  join(spinFor = this.spin): number {
    const { control } = this;
    let sleeps = 0, i = 0;
    for (let pending; (pending = Atomics.load(control, CONTROL.pending)) !== 0; i++) {
      if (Atomics.load(control, CONTROL.failed) === 1) throw new Error("a training thread failed");
      if (i < spinFor) continue;
      if (!sleepOn(control, CONTROL.pending, pending, CONTROL.sleepingMain) && ++sleeps > GIVE_UP_SLEEPS) {
        throw new Error("a training thread stopped answering");
      }
    }
    return i;
  }

  /** Tell every helper to exit, wherever it waits. */
  close(): void {
    Atomics.store(this.control, CONTROL.exit, 1);
    Atomics.add(this.control, CONTROL.generation, 1);
    Atomics.notify(this.control, CONTROL.generation);
  }
}

/** A helper's side: wait for a release, do the task, count down. */
export class HelperBarrier {
  /** the generation to wait past */
  private generation: number;

  constructor(
    private readonly control: Int32Array,
    /** set to 1 by whoever started this helper ahead, when the training is gone without closing it */
    private readonly stop?: Int32Array,
  ) {
    // read before saying it has started: the training thread releases the first time only
    // after every helper has, so a release can never slip in before this read
    this.generation = Atomics.load(control, CONTROL.generation);
    Atomics.add(control, CONTROL.ready, 1);
  }

  /** Whether the training closed its threads, or this helper's starter stopped it. */
  ended(): boolean {
    return Atomics.load(this.control, CONTROL.exit) === 1 ||
      (this.stop !== undefined && Atomics.load(this.stop, 0) === 1);
  }

  /**
   * Wait for the next release: spin (calling `whileWaiting` at each check, when given), then
   * sleep. Returns false when the helper is to end instead. Never asleep for long:
   * Worker.terminate() stops neither a thread in Atomics.wait nor one in a loop (Deno 2.9.5:
   * either kept the process alive), so a helper ends itself and looks every SLEEP_MS.
   */
  awaitRelease(spin: number, whileWaiting?: () => void): boolean {
    const { control, generation } = this;
    for (let i = 0; Atomics.load(control, CONTROL.generation) === generation; i++) {
      whileWaiting?.();
      if (i < spin && (i & 4095) !== 4095) continue;
      // closed before this helper read the generation (its setup came late: the release that
      // closed it has been and gone), or while it spins, or stopped by its starter
      if (this.ended()) return false;
      if (i < spin) continue;
      sleepOn(control, CONTROL.generation, generation, CONTROL.sleepingHelpers);
    }
    this.generation = Atomics.load(control, CONTROL.generation);
    return !this.ended();
  }

  /** The task released for (a TASK). */
  task(): number {
    return this.control[CONTROL.task];
  }

  /** Done with the task: count down, and wake the training thread if it sleeps. */
  countDown(): void {
    Atomics.sub(this.control, CONTROL.pending, 1);
    if (Atomics.load(this.control, CONTROL.sleepingMain) > 0) Atomics.notify(this.control, CONTROL.pending);
  }

  /** The task failed: said at once, so the training thread does not wait for work that will never come. */
  fail(): void {
    Atomics.store(this.control, CONTROL.failed, 1);
    Atomics.notify(this.control, CONTROL.pending);
  }
}

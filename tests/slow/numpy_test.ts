/** myonn against numpy and scipy themselves (skipped, with the reason, where python3 lacks them). */
import assert from "node:assert/strict";
import { createMatrix } from "../../core/kernels/mod.ts";
import { formatNpy, parseNpy } from "../../core/store/mod.ts";
import { assertAllClose, hasNumpy, runPython } from "../helpers.ts";
import { rotate } from "../../core/training/mod.ts";
import { loadDataset, scaleInputs } from "../../core/data/mod.ts";

const MATRIX = createMatrix(2, 3, new Float64Array([0.1, -2, 3.5e-12, 1e300, -0, 7]));

Deno.test("numpy.load reads formatNpy()'s files and myonn reads numpy.save's", async (t) => {
  if (!(await hasNumpy())) {
    t.step({ name: "skipped: python3 with numpy is not installed", ignore: true, fn: () => {} });
    return;
  }
  const directory = await Deno.makeTempDir();
  await Deno.writeFile(`${directory}/ours.npy`, formatNpy(MATRIX));
  const output = await runPython([
    "-c",
    `import numpy; a = numpy.load("${directory}/ours.npy"); print(a.shape, a.dtype, a[0, 1], a[1, 0]);` +
    `numpy.save("${directory}/theirs.npy", numpy.arange(12, dtype=numpy.float64).reshape(3, 4) / 8)`,
  ]);
  assert.equal(output.trim(), "(2, 3) float64 -2.0 1e+300");
  const theirs = parseNpy(await Deno.readFile(`${directory}/theirs.npy`), "theirs.npy");
  assert.deepEqual([theirs.rows, theirs.cols], [3, 4]);
  assert.deepEqual(Array.from(theirs.data), Array.from({ length: 12 }, (_, i) => i / 8));
  await Deno.remove(directory, { recursive: true });
});

const IMAGE = Float64Array.from({ length: 784 }, (_, i) => ((i * 37) % 101) / 100);
// the first test record (a "7") as the book scales it: 0.01…1.00
const MNIST_SEVEN = scaleInputs(await loadDataset("mnist:test"), 0, new Float64Array(784));

for (const order of [3, 1] as const) {
  const call = order === 3
    ? "scipy.ndimage.rotate(image, a, cval=0.01, reshape=False)" // the book's printed call: order 3
    : "scipy.ndimage.rotate(image, a, cval=0.01, order=1, reshape=False)";
  Deno.test(`rotate(…, order ${order}) gives ${call}`, async (t) => {
    if (!(await hasNumpy())) {
      await t.step({
        name: "skipped: python3 with numpy and scipy is not installed",
        ignore: true,
        fn: () => {},
      });
      return;
    }
    const angles = [10, -10, 25, 45, 90, 3.7];
    const images = [IMAGE, MNIST_SEVEN];
    const output = await runPython([
      "-c",
      "import json, numpy, scipy.ndimage; images = json.loads(input());" +
      `print(json.dumps([[${call}.ravel().tolist() for a in ${JSON.stringify(angles)}] ` +
      "for image in [numpy.array(i).reshape(28, 28) for i in images]]))",
    ], JSON.stringify(images.map((image) => Array.from(image))));
    const expected: number[][][] = JSON.parse(output);
    images.forEach((image, k) =>
      angles.forEach((angle, i) =>
        assertAllClose(
          rotate(image, angle, 0.01, new Float64Array(784), order),
          expected[k][i],
          order === 3 ? 1e-9 : 1e-12,
        )
      )
    );
  });
}

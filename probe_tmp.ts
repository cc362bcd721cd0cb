import { createApp } from "./main.ts";
import { trainSmallRun } from "./tests/helpers.ts";
const base = await Deno.makeTempDir();
const run = await trainSmallRun(`${base}/two`);
await trainSmallRun(`${base}/two`, ["--seed", "2"]);
await Deno.mkdir(`${base}/many`);
const id = run.split("/").at(-1)!;
for (let i = 0; i < 500; i++) {
  const copy = `${base}/many/${id.slice(0, 15)}-copy${String(i).padStart(3, "0")}`;
  await Deno.mkdir(copy);
  for (const f of Deno.readDirSync(run)) await Deno.copyFile(`${run}/${f.name}`, `${copy}/${f.name}`);
  const r = JSON.parse(await Deno.readTextFile(`${copy}/run.json`)); r.id = copy.split("/").at(-1); await Deno.writeTextFile(`${copy}/run.json`, JSON.stringify(r));
}
for (const which of ["two", "many"]) {
  const { app } = createApp({ runsDir: `${base}/${which}`, sweepsDir: `${base}/sw` });
  for (let i = 0; i < 20; i++) await (await app.request("/")).text();
  const started = performance.now(); let n = 0;
  while (performance.now() - started < 3000) { await (await app.request("/")).text(); n++; }
  const body = await (await app.request("/")).text();
  console.log(which, (n / 3).toFixed(0), "req/s", body.length, "bytes");
}
await Deno.remove(base, { recursive: true });

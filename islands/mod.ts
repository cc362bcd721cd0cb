/**
 * The browser's entry: every island the pages may hold. Each server-rendered island sits
 * in <div data-island="Name" data-props="{…json…}">; this hydrates it with its props.
 * Each island is its own chunk, loaded only when the page holds it: a page without charts
 * never downloads chart.js.
 */
import { type FunctionComponent, h, hydrate } from "preact";

// deno-lint-ignore no-explicit-any
const ISLANDS: Record<string, () => Promise<{ default: FunctionComponent<any> }>> = {
  Chart: () => import("./Chart.tsx"),
  DrawPad: () => import("./DrawPad.tsx"),
  RunsTable: () => import("./RunsTable.tsx"),
  TrainForm: () => import("./TrainForm.tsx"),
  LiveTrainings: () => import("./LiveTrainings.tsx"),
  RunActions: () => import("./RunActions.tsx"),
  SweepForm: () => import("./SweepForm.tsx"),
};

const elements = [...document.querySelectorAll<HTMLElement>("[data-island]")];
const names = [...new Set(elements.map((element) => element.dataset.island!))].filter((name) =>
  name in ISLANDS
);
const loaded = new Map(
  await Promise.all(names.map(async (name) => [name, (await ISLANDS[name]()).default] as const)),
);
for (const element of elements) {
  const island = loaded.get(element.dataset.island!);
  if (island) hydrate(h(island, JSON.parse(element.dataset.props ?? "{}")), element);
}

// tests (and curious readers) can tell when the page is interactive
document.documentElement.dataset.hydrated = "true";

/**
 * The browser's entry: every island the pages may hold. Each server-rendered island sits
 * in <div data-island="Name" data-props="{…json…}">; this hydrates it with its props.
 */
import { type FunctionComponent, h, hydrate } from "preact";
import Chart from "./Chart.tsx";
import DrawPad from "./DrawPad.tsx";
import RunsTable from "./RunsTable.tsx";
import TrainForm from "./TrainForm.tsx";

// deno-lint-ignore no-explicit-any
const ISLANDS: Record<string, FunctionComponent<any>> = { Chart, DrawPad, RunsTable, TrainForm };

for (const element of document.querySelectorAll<HTMLElement>("[data-island]")) {
  const island = ISLANDS[element.dataset.island!];
  if (island) hydrate(h(island, JSON.parse(element.dataset.props ?? "{}")), element);
}

// tests (and curious readers) can tell when the page is interactive
document.documentElement.dataset.hydrated = "true";

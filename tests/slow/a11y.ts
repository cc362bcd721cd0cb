/**
 * An accessibility audit run inside a page (Playwright's page.evaluate): the contrast of
 * every piece of visible text against the background it sits on (WCAG 2: 4.5:1, or 3:1 for
 * large text), a name for every form control, image and button, and headings in order.
 * Returns what fails, each naming the element and its text, so a test can print it.
 */
import type { Page } from "playwright-core";

export interface AuditProblem {
  kind: "contrast" | "label" | "heading";
  what: string;
}

/** The audit's code, run in the browser (kept free of closures over this module). */
function audit(): AuditProblem[] {
  const problems: AuditProblem[] = [];
  const parse = (colour: string): [number, number, number, number] => {
    const m = colour.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const luminance = ([r, g, b]: number[]) => {
    const [R, G, B] = [r, g, b].map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  /** The colour behind an element: its own and its ancestors' backgrounds, blended down to white. */
  const background = (element: Element): number[] => {
    const layers: number[][] = [];
    for (let e: Element | null = element; e; e = e.parentElement) {
      const colour = parse(getComputedStyle(e).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    let result = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) {
      result = [r * a + result[0] * (1 - a), g * a + result[1] * (1 - a), b * a + result[2] * (1 - a)];
    }
    return result;
  };
  const describe = (element: Element) =>
    `<${element.tagName.toLowerCase()}${element.className ? ` class="${element.className}"` : ""}> "${
      (element.textContent ?? "").trim().slice(0, 40)
    }"`;
  // contrast: every element with its own visible text (SVG charts have tables beside them and are skipped)
  for (const element of document.querySelectorAll("body *")) {
    if (element.closest("svg, script, style, noscript, canvas")) continue;
    const ownText = [...element.childNodes].some((n) =>
      n.nodeType === Node.TEXT_NODE && n.textContent!.trim()
    );
    if (!ownText) continue;
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (box.width === 0 || box.height === 0 || style.visibility === "hidden" || Number(style.opacity) === 0) {
      continue;
    }
    if (element.closest("details:not([open])") && element.tagName !== "SUMMARY") continue;
    const [r, g, b, a] = parse(style.color);
    const behind = background(element);
    const text = [r * a + behind[0] * (1 - a), g * a + behind[1] * (1 - a), b * a + behind[2] * (1 - a)];
    const [l1, l2] = [luminance(text), luminance(behind)].sort((x, y) => y - x);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) {
      problems.push({
        kind: "contrast",
        what: `${describe(element)}: ${ratio.toFixed(2)}:1 (${style.color} on rgb(${
          behind.map(Math.round)
        }))`,
      });
    }
  }
  // names: form controls, images, buttons, links
  for (const control of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    const id = control.getAttribute("id");
    const named = control.getAttribute("aria-label") || control.getAttribute("aria-labelledby") ||
      control.closest("label") || (id && document.querySelector(`label[for="${id}"]`));
    if (!named) problems.push({ kind: "label", what: `${describe(control)} has no label` });
  }
  for (const image of document.querySelectorAll("img")) {
    if (!image.hasAttribute("alt")) {
      problems.push({ kind: "label", what: `<img src="${image.getAttribute("src")}"> has no alt` });
    }
  }
  for (const button of document.querySelectorAll("button, a[href]")) {
    const name = (button.textContent ?? "").trim() || button.getAttribute("aria-label") ||
      button.querySelector("img[alt]:not([alt=''])");
    if (!name) problems.push({ kind: "label", what: `${describe(button)} has no name` });
  }
  for (const canvas of document.querySelectorAll("canvas")) {
    if (!canvas.getAttribute("aria-label") && !canvas.getAttribute("role")) {
      problems.push({ kind: "label", what: `a <canvas> has neither role nor aria-label` });
    }
  }
  // headings: one h1, and never a level skipped going down
  const levels = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map((h) => Number(h.tagName[1]));
  if (levels.filter((l) => l === 1).length !== 1) {
    problems.push({
      kind: "heading",
      what: `${levels.filter((l) => l === 1).length} h1 elements`,
    });
  }
  levels.forEach((level, i) => {
    if (i > 0 && level > levels[i - 1] + 1) {
      problems.push({ kind: "heading", what: `h${levels[i - 1]} followed by h${level}` });
    }
  });
  return problems;
}

/** The audit of the page as it is now. */
export function auditPage(page: Page): Promise<AuditProblem[]> {
  return page.evaluate(audit);
}

/**
 * Charts in a notebook: the SVG the project draws (core/experiments/charts.ts), shown with a
 * PNG of it beside. JupyterLab does not show an SVG output of an untrusted notebook (any fresh
 * clone) and falls back to the PNG; a trusted one shows the SVG. The PNG is rendered by resvg
 * (WebAssembly, from npm) with the DejaVu Sans font from npm, so it looks the same on every
 * machine and has no timestamp: running a notebook again changes nothing in git.
 *
 * @module
 */
import { initWasm, Resvg } from "@resvg/resvg-wasm";

let fonts: Uint8Array[] | undefined;

/** resvg's WebAssembly and the font, loaded once. */
async function ready(): Promise<Uint8Array[]> {
  if (!fonts) {
    await initWasm(Deno.readFile(new URL("index_bg.wasm", import.meta.resolve("@resvg/resvg-wasm"))));
    fonts = [await Deno.readFile(new URL("ttf/DejaVuSans.ttf", import.meta.resolve("dejavu-fonts-ttf")))];
  }
  return fonts;
}

/** The PNG of an SVG, at twice its size (sharp on a high-density screen), on white. */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  const fontBuffers = await ready();
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: 2 },
    background: "white",
    font: { fontBuffers, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
  });
  try {
    return resvg.render().asPng();
  } finally {
    resvg.free();
  }
}

/** A chart for Deno.jupyter.display(…, { raw: true }): the SVG, and its PNG for untrusted notebooks. */
export async function chart(svg: string): Promise<Record<string, string>> {
  const png = await svgToPng(svg);
  return { "image/svg+xml": svg, "image/png": encodeBase64(png) };
}

/** Base64 of bytes (what a display bundle carries for a PNG). */
function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * A Worker that turns an uploaded image into the 28×28 input the network sees (decode,
 * MNIST-style), for image_reader.ts: large images are read here so the server's own thread
 * keeps answering. Messages are plain JSON; errors travel as their kind.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { decodeGrey, mnistStyle } from "../data/mod.ts";
import { errorKind } from "../errors.ts";

self.onmessage = async (event: MessageEvent<{ id: number; bytes: Uint8Array; name: string }>) => {
  const { id, bytes, name } = event.data;
  try {
    const pixels = mnistStyle(await decodeGrey(bytes, name), name);
    self.postMessage({ id, pixels });
  } catch (error) {
    self.postMessage({ id, message: (error as Error).message, kind: errorKind(error) });
  }
};

/**
 * The book's CSV format: one record a line, the label then 784 pixels, comma-separated
 * whole numbers ("7,0,0,…,0"). CRLF line endings and trailing blank lines are accepted.
 *
 * The parser walks the bytes once (the 60,000-line file, 109 MB, in well under a
 * second); it is hand-written because splitting strings would be ten times slower and
 * allocate a string per value. When a line is wrong it re-reads that line slowly to say
 * exactly what is wrong.
 *
 * @module
 */
import { type Dataset, LABELS, PIXELS } from "./dataset.ts";
import { InputError } from "../errors.ts";

const VALUES_PER_LINE = PIXELS + 1;
const COMMA = 44, NEWLINE = 10, RETURN = 13, SPACE = 32, TAB = 9, ZERO = 48, NINE = 57;

/** Parse the book's CSV. `name` (the file's path) is used in error messages. */
export function parseMnistCsv(bytes: Uint8Array, name: string): Dataset {
  // a UTF-8 byte-order mark (written by some spreadsheet programs) is no part of the first line
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  let end = bytes.length;
  while (end > 0 && isBlank(bytes[end - 1])) end--; // trailing blank lines and spaces
  if (end === 0) {
    throw new InputError(
      `${name} is empty: expected lines of a label and ${PIXELS} pixels (${VALUES_PER_LINE} values)`,
    );
  }
  let lineCount = 1;
  for (let i = 0; i < end; i++) if (bytes[i] === NEWLINE) lineCount++;
  const images = new Uint8Array(lineCount * PIXELS);
  const labels = new Uint8Array(lineCount);

  let position = 0;
  for (let line = 0; line < lineCount; line++) {
    const next = parseLine(bytes, position, end, { images, labels, record: line });
    if (next < 0) throw lineError(bytes, position, end, line + 1, name);
    position = next;
  }
  return { images, labels, count: lineCount, source: name };
}

/** Where parseLine() puts one record. */
interface Destination {
  images: Uint8Array;
  labels: Uint8Array;
  record: number;
}

/**
 * Read one line starting at `start` into record `to.record`. Returns where the next line
 * starts, or −1 if the line is not valid.
 */
function parseLine(bytes: Uint8Array, start: number, end: number, to: Destination): number {
  const { images, labels, record } = to;
  const offset = record * PIXELS;
  let index = 0; // which value of the line: 0 is the label, 1…784 the pixels
  let value = 0, digits = 0;
  let i = start;
  for (; i <= end; i++) {
    const byte = i < end ? bytes[i] : NEWLINE;
    if (byte >= ZERO && byte <= NINE) {
      value = value * 10 + (byte - ZERO);
      digits++;
    } else if (byte === COMMA || byte === NEWLINE) {
      if (digits === 0 || index >= VALUES_PER_LINE) return -1;
      if (index === 0) {
        if (value >= LABELS) return -1;
        labels[record] = value;
      } else {
        if (value > 255) return -1;
        images[offset + index - 1] = value;
      }
      index++;
      value = 0;
      digits = 0;
      if (byte === NEWLINE) break;
    } else if (byte === SPACE || byte === TAB || byte === RETURN) {
      if (digits > 0 && i + 1 < end && isDigit(bytes[i + 1])) return -1; // "12 3"
    } else {
      return -1;
    }
  }
  return index === VALUES_PER_LINE ? i + 1 : -1;
}

function isDigit(byte: number): boolean {
  return byte >= ZERO && byte <= NINE;
}

function isBlank(byte: number): boolean {
  return byte === NEWLINE || byte === RETURN || byte === SPACE || byte === TAB;
}

/** Re-read a bad line slowly and say what is wrong with it. */
function lineError(
  bytes: Uint8Array,
  start: number,
  end: number,
  lineNumber: number,
  name: string,
): InputError {
  let stop = bytes.indexOf(NEWLINE, start);
  if (stop < 0 || stop > end) stop = end;
  const text = new TextDecoder().decode(bytes.subarray(start, stop)).replace(/\r$/, "");
  const prefix = `Cannot parse line ${lineNumber} of ${name}`;
  if (text.trim() === "") {
    return new InputError(`${prefix}: the line is empty, expected ${VALUES_PER_LINE} values`);
  }
  const values = text.split(",").map((value) => value.trim());
  for (let index = 0; index < Math.min(values.length, VALUES_PER_LINE); index++) {
    const field = index === 0 ? "the label" : `pixel ${index} (value ${index + 1})`;
    if (!/^\d+$/.test(values[index])) {
      const shown = values[index].length > 20 ? values[index].slice(0, 20) + "…" : values[index];
      const expected = index === 0 ? "a digit 0–9" : "a whole number 0–255";
      return new InputError(`${prefix}: ${field} is "${shown}", expected ${expected}`);
    }
    const number = Number(values[index]);
    if (index === 0 && number >= LABELS) {
      return new InputError(`${prefix}: the label is ${number}, expected 0–9`);
    }
    if (index > 0 && number > 255) return new InputError(`${prefix}: ${field} is ${number}, expected 0–255`);
  }
  return new InputError(`${prefix}: expected ${VALUES_PER_LINE} values, found ${values.length}`);
}

// The bytes of "0" … "255", for writing.
const DIGITS = Array.from({ length: 256 }, (_, value) => new TextEncoder().encode(String(value)));

/**
 * The book's CSV text of records [start, end), as bytes. Write a large set in chunks of
 * a few thousand records so the whole text is never in memory at once.
 */
export function formatMnistCsv(dataset: Dataset, start = 0, end = dataset.count): Uint8Array {
  let size = 0;
  for (let record = start; record < end; record++) {
    size += DIGITS[dataset.labels[record]].length + 1;
    const offset = record * PIXELS;
    for (let i = 0; i < PIXELS; i++) size += DIGITS[dataset.images[offset + i]].length + 1;
  }
  const out = new Uint8Array(size);
  let position = 0;
  for (let record = start; record < end; record++) {
    out.set(DIGITS[dataset.labels[record]], position);
    position += DIGITS[dataset.labels[record]].length;
    const offset = record * PIXELS;
    for (let i = 0; i < PIXELS; i++) {
      out[position++] = COMMA;
      const digits = DIGITS[dataset.images[offset + i]];
      out.set(digits, position);
      position += digits.length;
    }
    out[position++] = NEWLINE;
  }
  return out;
}

/**
 * How a number is read from text, the one way everywhere: flags, the dashboard's API and
 * form, sweep lists, query strings. Decimal only — "0x10", "1_000", "Infinity" and " " are
 * not numbers here, though JavaScript's Number() reads them.
 *
 * @module
 */

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const WHOLE = /^[+-]?\d+$/;

/** The decimal number `text` writes (surrounding spaces aside), or NaN when it writes none. */
export function decimalNumber(text: string): number {
  const trimmed = text.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed) : NaN;
}

/** The whole number `text` writes in decimal digits, or NaN (also past what a float holds exactly). */
export function wholeNumber(text: string): number {
  const trimmed = text.trim();
  const number = WHOLE.test(trimmed) ? Number(trimmed) : NaN;
  return Number.isSafeInteger(number) ? number : NaN;
}

import type { Json, StepData } from './runner.ts';

/** Longest text kept of one string in a step's data (a response body), in UTF-8 bytes. */
export const STEP_DATA_TEXT_BYTES = 1024;
/** Most that a step's `sent` or `received` takes in the run's log, serialized. */
export const STEP_DATA_BYTES = 4096;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `text` cut to `maxBytes` of UTF-8, on a character boundary, ending in a marker with its full size. */
export function truncateText(text: string, maxBytes: number): string {
  // A UTF-8 character is at most 3 bytes per UTF-16 unit: short texts need no encoding.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return `${decoder.decode(bytes.subarray(0, end))}… (truncated, ${bytes.length} bytes)`;
}

/**
 * A JSON value small enough for the run's log: each string cut at `STEP_DATA_TEXT_BYTES`, and a
 * value still longer than `STEP_DATA_BYTES` once serialized kept as its truncated JSON text.
 * Runs are kept by the hundred thousand; what a step exchanged is for reading, not replaying.
 */
export function capJson(value: Json): Json {
  const capped = capStrings(value);
  const text = JSON.stringify(capped);
  return text.length * 3 <= STEP_DATA_BYTES || encoder.encode(text).length <= STEP_DATA_BYTES
    ? capped
    : truncateText(text, STEP_DATA_BYTES);
}

/** A step's data as the log keeps it: capped, and without the fields it did not set. */
export function capStepData(data: StepData | undefined): StepData {
  if (!data) return {};
  return {
    ...(data.sent === undefined ? {} : { sent: capJson(data.sent) }),
    ...(data.received === undefined ? {} : { received: capJson(data.received) }),
  };
}

function capStrings(value: Json): Json {
  if (typeof value === 'string') return truncateText(value, STEP_DATA_TEXT_BYTES);
  if (Array.isArray(value)) return value.map(capStrings);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, capStrings(item)]));
}

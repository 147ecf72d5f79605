/**
 * CSV per RFC 4180 (CRLF line ends, fields with `"`, `,` or line breaks quoted, quotes
 * doubled), safe to open in a spreadsheet: a text cell whose first non-blank character is `=`,
 * `+`, `-` or `@`, or that starts with a tab or a line break, gets a leading `'` so it is shown as
 * text, never run as a formula (spreadsheets skip leading blanks before reading a formula).
 * Numbers are written as they are: they cannot hold a formula.
 */
export function toCsv(header: string[], rows: Array<Array<string | number>>): string {
  return [header, ...rows].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}

const FORMULA_START = /^(?:[\t\r\n]|\s*[=+\-@])/;

function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

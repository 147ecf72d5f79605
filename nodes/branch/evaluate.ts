import type { BranchOperator } from './definition.ts';

/**
 * The branch operators, pure. Ordering and equality compare as numbers when both sides read
 * as numbers (4 and "4" are equal), else as trimmed text, case-insensitively: replies and
 * platform fields differ in case more often than anyone means them to.
 */
export function compare(operator: BranchOperator, left: unknown, right: unknown): boolean {
  switch (operator) {
    case 'isEmpty':
      return isEmpty(left);
    case 'isNotEmpty':
      return !isEmpty(left);
    case 'contains':
      return contains(left, right);
    case 'eq':
      return order(left, right) === 0;
    case 'neq':
      return order(left, right) !== 0;
    case 'lt':
      return order(left, right) < 0;
    case 'lte':
      return order(left, right) <= 0;
    case 'gt':
      return order(left, right) > 0;
    case 'gte':
      return order(left, right) >= 0;
  }
}

export function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const number = Number(value.trim());
  return Number.isFinite(number) ? number : null;
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value).trim().toLowerCase();
}

function order(left: unknown, right: unknown): number {
  const a = asNumber(left);
  const b = asNumber(right);
  if (a !== null && b !== null) return Math.sign(a - b);
  const x = asText(left);
  const y = asText(right);
  return x === y ? 0 : x < y ? -1 : 1;
}

function contains(left: unknown, right: unknown): boolean {
  if (Array.isArray(left)) return left.some((item) => order(item, right) === 0);
  const needle = asText(right);
  return needle !== '' && asText(left).includes(needle);
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

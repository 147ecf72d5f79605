import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';

/** The one data cell of a CSV with a header row "h". */
function cell(value: string | number): string {
  return toCsv(['h'], [[value]]).slice('h\r\n'.length, -'\r\n'.length);
}

describe('toCsv', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+33 6 12', "'+33 6 12"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    [' =1+1', "' =1+1"],
    ['   @bot', "'   @bot"],
    ['\t=1+1', "'\t=1+1"],
    ['\tplain', "'\tplain"],
    ['\rplain', `"'\rplain"`],
    ['\nplain', `"'\nplain"`],
    ['\n=HYPERLINK("http://evil")', `"'\n=HYPERLINK(""http://evil"")"`],
    ['\r\n+1', `"'\r\n+1"`],
    ['\u00a0=1', "'\u00a0=1"],
  ])('neutralises a formula: %j → %j', (value, expected) => {
    expect(cell(value)).toBe(expected);
  });

  it.each([
    ['plain text', 'plain text'],
    ['a=b', 'a=b'],
    ['   indented', '   indented'],
    ['x\n=1', '"x\n=1"'],
    ['Smith, "Jo"', '"Smith, ""Jo"""'],
    ['', ''],
  ])('leaves text that cannot start a formula as it is: %j → %j', (value, expected) => {
    expect(cell(value)).toBe(expected);
  });

  it('writes numbers, negative ones included, as numbers', () => {
    expect(cell(-3)).toBe('-3');
    expect(cell(4.5)).toBe('4.5');
  });
});

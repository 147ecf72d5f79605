import { describe, expect, it } from 'vitest';
import { capJson, capStepData, STEP_DATA_BYTES, STEP_DATA_TEXT_BYTES, truncateText } from './step-data.ts';

describe('step data in the run log', () => {
  it('keeps short text as it is and cuts long text with a marker naming its full size', () => {
    expect(truncateText('thanks', 10)).toBe('thanks');
    expect(truncateText('x'.repeat(3000), 2048)).toBe(`${'x'.repeat(2048)}… (truncated, 3000 bytes)`);
  });

  it('cuts on a character boundary, counting UTF-8 bytes', () => {
    // "é" is 2 bytes: 5 of them are 10 bytes, and a cut at 5 bytes keeps 2 whole ones.
    expect(truncateText('ééééé', 5)).toBe('éé… (truncated, 10 bytes)');
  });

  it('cuts each long string inside a JSON value, keeping its shape', () => {
    const body = 'b'.repeat(STEP_DATA_TEXT_BYTES + 1);
    expect(capJson({ status: 500, body, ok: false, tags: [body] })).toEqual({
      status: 500,
      body: `${'b'.repeat(STEP_DATA_TEXT_BYTES)}… (truncated, ${STEP_DATA_TEXT_BYTES + 1} bytes)`,
      ok: false,
      tags: [`${'b'.repeat(STEP_DATA_TEXT_BYTES)}… (truncated, ${STEP_DATA_TEXT_BYTES + 1} bytes)`],
    });
  });

  it('keeps a value still too large as its truncated JSON text', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => ({ id: i }));
    const capped = capJson({ rows });
    expect(typeof capped).toBe('string');
    expect(capped).toMatch(/^\{"rows":\[\{"id":0\},/);
    expect(capped).toMatch(/… \(truncated, \d+ bytes\)$/);
    expect(new TextEncoder().encode(String(capped)).length).toBeLessThan(STEP_DATA_BYTES + 40);
  });

  it('keeps only the fields a step set', () => {
    expect(capStepData(undefined)).toEqual({});
    expect(capStepData({})).toEqual({});
    expect(Object.keys(capStepData({ sent: { text: 'Hi' } }))).toEqual(['sent']);
    expect(capStepData({ received: null })).toEqual({ received: null });
  });
});

import { describe, expect, it } from 'vitest';
import { parseRoute } from '../app/route.ts';
import { filtersOfHash, hashWithFilters, noFilters, runsHref } from './filterHash.ts';

describe('the runs list filters in the page address', () => {
  it('links to a workflow’s failed runs with the filter in the address, which still routes to its runs', () => {
    const href = runsHref('csat', { outcome: 'any_failure' });
    expect(href).toBe('#/workflows/csat/runs?outcome=any_failure');
    expect(parseRoute(href)).toEqual({ page: 'workflow', workflowId: 'csat', tab: 'runs' });
    expect(filtersOfHash(href)).toEqual({ ...noFilters, outcome: 'any_failure' });
  });

  it('reads every filter back as written', () => {
    const values = {
      outcome: 'completed_with_failures',
      status: 'completed',
      nodeId: 'sheet',
      from: '2026-11-01',
      to: '2026-11-30',
      conversation: 'conv 42&x',
    } as const;
    expect(filtersOfHash(hashWithFilters('#/workflows/csat/runs', values))).toEqual(values);
  });

  it('drops values the list does not know instead of sending them', () => {
    expect(filtersOfHash('#/workflows/csat/runs?outcome=exploded&status=odd&from=yesterday&to=2026-13')).toEqual(
      noFilters,
    );
  });

  it('replaces the filters of an address, and clears them all', () => {
    expect(hashWithFilters('#/workflows/csat/runs?outcome=failed', { nodeId: 'crm' })).toBe(
      '#/workflows/csat/runs?nodeId=crm',
    );
    expect(hashWithFilters('#/workflows/csat/runs?outcome=failed', noFilters)).toBe('#/workflows/csat/runs');
  });
});

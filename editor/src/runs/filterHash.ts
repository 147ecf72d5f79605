import { type RunQuery, runOutcomes, runStatuses } from '@convoflow/engine';
import { hrefOf } from '../app/route.ts';

export type OutcomeFilter = NonNullable<RunQuery['outcome']>;

/** What the operator filters the runs list by, as typed (dates `YYYY-MM-DD`, '' for none). */
export interface RunFilterValues {
  outcome: OutcomeFilter | '';
  status: (typeof runStatuses)[number] | '';
  nodeId: string;
  from: string;
  to: string;
  conversation: string;
}

export const noFilters: RunFilterValues = { outcome: '', status: '', nodeId: '', from: '', to: '', conversation: '' };

const outcomeFilters: readonly string[] = [...runOutcomes, 'any_failure'];
const day = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The runs list keeps its filters in the page address (`#/workflows/:id/runs?outcome=…`), so a
 * reload, a bookmark or a link from the workflow list ("3 failed") opens the list filtered.
 * A value the list does not know is dropped, not trusted.
 */
export function filtersOfHash(hash: string): RunFilterValues {
  const query = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '';
  const params = new URLSearchParams(query);
  const read = (name: keyof RunFilterValues) => params.get(name) ?? '';
  const outcome = read('outcome');
  const status = read('status');
  return {
    outcome: outcomeFilters.includes(outcome) ? (outcome as OutcomeFilter) : '',
    status: runStatuses.find((known) => known === status) ?? '',
    nodeId: read('nodeId').slice(0, 100),
    from: day.test(read('from')) ? read('from') : '',
    to: day.test(read('to')) ? read('to') : '',
    conversation: read('conversation').slice(0, 200),
  };
}

/** `hash` with its filters replaced by `values` (none: no query). */
export function hashWithFilters(hash: string, values: Partial<RunFilterValues>): string {
  const path = hash.includes('?') ? hash.slice(0, hash.indexOf('?')) : hash;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) params.set(name, value);
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

/** The address of a workflow's runs list filtered by `values`. */
export function runsHref(workflowId: string, values: Partial<RunFilterValues>): string {
  return hashWithFilters(hrefOf({ page: 'workflow', workflowId, tab: 'runs' }), values);
}

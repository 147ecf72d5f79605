import { type AuditAction, auditActions } from '@convoflow/engine';

/** What the audit log is filtered by, as picked (days `YYYY-MM-DD` in local time, '' for none). */
export interface AuditFilters {
  action: AuditAction | '';
  from: string;
  to: string;
}

const day = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The audit log keeps its filters in the page address (`#/audit?action=key.revoked&from=…`),
 * as the runs list does, so a reload or a bookmark opens it filtered. Unknown values are dropped.
 */
export function auditFiltersOfHash(hash: string): AuditFilters {
  const params = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
  const action = params.get('action') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  return {
    action: auditActions.find((known) => known === action) ?? '',
    from: day.test(from) ? from : '',
    to: day.test(to) ? to : '',
  };
}

import type { FastifyRequest } from 'fastify';
import type { AuditAction, AuditEntry } from '../contract/accounts.ts';
import type { EngineApi } from '../runtime/engine-api.ts';
import { actorOf } from './actor.ts';

/** Saves by one caller to one workflow within this window make one `workflow.saved` entry, so editing does not flood the log. */
export const SAVE_COALESCE_MS = 5 * 60_000;

export type AuditTarget = AuditEntry['target'];
export type AuditDetails = AuditEntry['details'];

/** Records a change a caller made, after it succeeded: `audit(request, action, target, details)`. */
export type Audit = (
  request: FastifyRequest,
  action: AuditAction,
  target: AuditTarget,
  details?: AuditDetails,
) => Promise<void>;

/**
 * The route handlers' way to the audit log. The change it records is done: an entry that cannot
 * be written must not turn it into an error for the caller, so the failure is logged at error
 * level, with everything the entry held, for an operator to notice and recover it from the log.
 */
export function auditor(engine: EngineApi): Audit {
  return async (request, action, target, details) => {
    const actor = actorOf(request);
    const entry = { actor, action, target, ...(details === undefined ? {} : { details }) };
    const coalesce =
      action === 'workflow.saved'
        ? { key: `saved:${target.id}:${actor.kind}:${actor.id}:${actor.name}`, ms: SAVE_COALESCE_MS }
        : undefined;
    try {
      await engine.audit.record(entry, coalesce);
    } catch (error) {
      request.log.error(
        { err: error, audit: entry },
        'AUDIT LOG ENTRY NOT WRITTEN: the change was made but the audit log does not show it',
      );
    }
  };
}

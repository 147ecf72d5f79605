import type { Actor, AuditAction, AuditEntry } from '@convoflow/engine';

/** Each audit action in words; a Record, so an action added to the contract must be named here. */
export const auditActionLabels: Readonly<Record<AuditAction, string>> = {
  'workflow.created': 'Created a workflow',
  'workflow.saved': 'Saved a workflow draft',
  'workflow.published': 'Published a workflow',
  'workflow.unpublished': 'Unpublished a workflow',
  'workflow.deleted': 'Deleted a workflow',
  'connection.created': 'Added a connection',
  'connection.updated': 'Changed a connection',
  'connection.deleted': 'Deleted a connection',
  'key.created': 'Created an API key',
  'key.revoked': 'Revoked an API key',
  'user.invited': 'Invited a person',
  'user.changed': 'Changed a person',
  'user.deactivated': 'Deactivated a person',
};

const actorKinds: Readonly<Record<Actor['kind'], string>> = {
  'install-key': 'install key',
  key: 'API key',
  user: 'person',
};

/** "n8n (API key)": who made the call, and through what. */
export function actorText(actor: Actor): string {
  return `${actor.name} (${actorKinds[actor.kind]})`;
}

/** The thing acted on: its name when known, else its id. */
export function targetText(target: AuditEntry['target']): string {
  return target.name ? `${target.name} (${target.kind})` : `${target.kind} ${target.id}`;
}

/** The details as "name: value" lines, in the order the server wrote them. */
export function detailLines(details: AuditEntry['details']): string[] {
  return Object.entries(details ?? {}).map(([name, value]) => `${name}: ${value === null ? '—' : String(value)}`);
}

/**
 * A day picked in a date field (local time) as the ISO instant the API filters on: `from` is
 * the day's first moment, `to` its last, so a one-day range holds that whole day.
 */
export function dayBound(day: string, edge: 'from' | 'to'): string | undefined {
  if (!day) return undefined;
  const at = new Date(`${day}T00:00:00`);
  if (Number.isNaN(at.getTime())) return undefined;
  if (edge === 'to') at.setDate(at.getDate() + 1);
  return new Date(at.getTime() - (edge === 'to' ? 1 : 0)).toISOString();
}

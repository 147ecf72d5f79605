import { createHash, randomBytes } from 'node:crypto';

/** The same event enrolling into the same workflow always names the same run: duplicates find it. */
export function runIdForEvent(eventKey: string, workflowId: string): string {
  return createHash('sha256').update(`${eventKey}\n${workflowId}`).digest('base64url').slice(0, 22);
}

export function randomRunId(): string {
  return randomBytes(16).toString('base64url');
}

import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiKeyCreated, type Role, roleAllows, roles } from '../contract/accounts.ts';
import {
  type Answer,
  bodyFor,
  documentedOperations,
  encodeFirst,
  type Operation,
  rawRequest,
  refused,
} from './route-matrix.ts';
import { startTestApp, type TestApp } from './test-app.ts';
import { signedInUser } from './test-users.ts';

/**
 * The role × route matrix: every API-key operation of the OpenAPI document the app serves, for
 * every kind of caller (the install's key, named keys, people signed in by cookie), under the spellings of its path a server might route, over a raw
 * socket. A caller the operation's role does not let through is refused (401 or 403) before any
 * handler runs — nothing in Redis changes — and one it lets through is never refused.
 */

interface Caller {
  name: string;
  headers: Record<string, string>;
  /** The role it calls with; none for a key that is wrong, revoked or missing, or a session that ended. */
  role: Role | undefined;
}

interface Check {
  operation: Operation;
  caller: Caller;
  spelling: string;
  target: string;
  allowed: boolean;
}

describe('every operator route lets through exactly the roles it declares', () => {
  let t: TestApp;
  let port: number;
  let operations: Operation[];
  const callers: Caller[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    operations = (await documentedOperations(t.app)).filter((operation) => operation.auth === 'apiKey');
    callers.push({ name: 'API_KEY', headers: t.auth, role: 'owner' });
    for (const role of roles) {
      const created = (await t.api('POST', '/api/keys', { name: `matrix ${role}`, role })).json() as ApiKeyCreated;
      callers.push({ name: `${role} key`, headers: { Authorization: `Bearer ${created.key}` }, role });
    }
    const revoked = (
      await t.api('POST', '/api/keys', { name: 'matrix revoked', role: 'owner' })
    ).json() as ApiKeyCreated;
    await t.api('DELETE', `/api/keys/${revoked.id}`);
    callers.push(
      { name: 'revoked owner key', headers: { Authorization: `Bearer ${revoked.key}` }, role: undefined },
      {
        name: 'wrong key',
        headers: { Authorization: `Bearer cfk_0123456789abcdef_${'A'.repeat(43)}` },
        role: undefined,
      },
      { name: 'no key', headers: {}, role: undefined },
    );
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
    // People signed in by cookie, calling from the server's own page (the CSRF check lets them through).
    const page = { Origin: `http://127.0.0.1:${port}` };
    for (const role of roles) {
      const { cookie } = await signedInUser(t, role, `matrix-${role}@example.com`);
      callers.push({ name: `${role} session`, headers: { Cookie: cookie, ...page }, role });
    }
    const ended = await signedInUser(t, 'owner', 'matrix-ended@example.com');
    await t.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie: ended.cookie } });
    const deactivated = await signedInUser(t, 'owner', 'matrix-deactivated@example.com');
    await t.api('PATCH', `/api/users/${deactivated.user.id}`, { active: false });
    callers.push(
      { name: 'signed-out owner session', headers: { Cookie: ended.cookie, ...page }, role: undefined },
      { name: 'deactivated owner session', headers: { Cookie: deactivated.cookie, ...page }, role: undefined },
    );
    // Each key's first use is noted now: within the minute no call of the matrix writes it again.
    for (const caller of callers) await rawRequest(port, 'GET', '/api/me', caller.headers);
  });
  afterAll(() => t.close());

  it('declares a role on every operator operation', () => {
    expect(operations.length).toBeGreaterThan(30);
    expect(operations.filter((operation) => operation.role === undefined)).toEqual([]);
  });

  it('refuses the callers a route does not let through, before anything runs, and no other', async () => {
    const origin = `http://127.0.0.1:${port}`;
    const spellingsOf = (path: string): [string, string][] => [
      ['as written', path],
      ['%61pi', encodeFirst(path)],
      ['upper-case API', path.replace('/api/', '/API/')],
      ['absolute-form', `${origin}${path}`],
    ];
    const checks: Check[] = operations.flatMap((operation) =>
      callers.flatMap((caller) =>
        spellingsOf(operation.path).map(([spelling, target]) => ({
          operation,
          caller,
          spelling,
          target,
          allowed: caller.role !== undefined && operation.role !== undefined && roleAllows(caller.role, operation.role),
        })),
      ),
    );
    const send = (check: Check): Promise<Answer> =>
      rawRequest(port, check.operation.method, check.target, check.caller.headers, bodyFor(check.operation.method));
    const describeCheck = (check: Check, answer: Answer) =>
      `${check.operation.method} ${check.target} [${check.operation.role}] as ${check.caller.name} (${check.spelling}) → ${answer.status} ${answer.message}`;

    const before = await redisSnapshot(t);
    const leaks: string[] = [];
    for (const check of checks.filter((candidate) => !candidate.allowed)) {
      const answer = await send(check);
      // Routed spellings meet the role check itself: 401 without a usable key, 403 for a role short of the route's.
      const expected = check.caller.role === undefined ? 401 : 403;
      const routed = check.spelling !== 'upper-case API';
      if (routed ? answer.status !== expected : !refused(answer)) leaks.push(describeCheck(check, answer));
    }
    expect(leaks).toEqual([]);
    // Nothing a refused call could have done: every key under the app's prefix is as it was.
    expect(await redisSnapshot(t)).toEqual(before);

    const blocked: string[] = [];
    for (const check of checks.filter((candidate) => candidate.allowed)) {
      const answer = await send(check);
      // Routed spellings reach the route: its handler or its validation answers, not the router.
      const routed = check.spelling !== 'upper-case API';
      if (answer.status === 401 || answer.status === 403 || (routed && refused(answer))) {
        blocked.push(describeCheck(check, answer));
      }
    }
    expect(blocked).toEqual([]);

    const allowed = checks.filter((check) => check.allowed).length;
    console.log(
      `role matrix: ${operations.length} operations × ${callers.length} callers × 4 spellings = ${checks.length} checks, ${allowed} allowed, ${checks.length - allowed} refused`,
    );
  });
});

/** Every key under the test app's prefix and its serialized value. */
async function redisSnapshot(t: TestApp): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  let cursor = '0';
  do {
    const [next, keys] = await t.redis.scan(cursor, 'MATCH', `${t.prefix}*`, 'COUNT', 500);
    for (const key of keys) snapshot[key] = (await t.redis.dumpBuffer(key))?.toString('base64') ?? '';
    cursor = next;
  } while (cursor !== '0');
  return snapshot;
}

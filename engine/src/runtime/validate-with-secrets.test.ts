import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionStore } from '../stores/connection-store.ts';
import { testRedis } from '../stores/test-redis.ts';
import { testDefinitions } from '../testing/test-nodes.ts';
import { workflow } from '../workflow/validate.fixtures.ts';
import { validateWithSecrets } from './validate-with-secrets.ts';

const { redis, prefix, cleanup } = testRedis();
const connections = new ConnectionStore(redis, prefix, randomBytes(32));
afterAll(cleanup);

function secretsWorkflow(token: string, note = '', edges: Array<[string, string]> = [['start', 'call']]) {
  return workflow(
    [
      ['start', 'test.closed'],
      ['call', 'test.call', { token, note }],
    ],
    edges,
  );
}

describe('validateWithSecrets', () => {
  beforeAll(async () => {
    await connections.create({ id: 'crm-token', type: 'secret', name: 'CRM', value: 'crm_live_0011223344' });
    const privateKey = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    await connections.create({
      id: 'google',
      type: 'google',
      name: 'Sheets',
      serviceAccountKey: { client_email: 'bot@project.iam.gserviceaccount.com', private_key: privateKey },
    });
  });

  it('accepts a reference to a stored secret', async () => {
    expect(
      await validateWithSecrets(secretsWorkflow('Bearer {{secret:crm-token}}'), testDefinitions, connections),
    ).toEqual({
      valid: true,
      problems: [],
    });
  });

  it('reports a missing secret and a connection that is not a secret on the node and field', async () => {
    const report = await validateWithSecrets(
      secretsWorkflow('{{secret:crm-tokn}} {{secret:google}}'),
      testDefinitions,
      connections,
    );
    expect(report.valid).toBe(false);
    expect(report.problems).toEqual([
      { nodeId: 'call', field: 'token', message: expect.stringContaining('There is no secret "crm-tokn"') },
      {
        nodeId: 'call',
        field: 'token',
        message: expect.stringContaining('"google" is a google connection, not a secret'),
      },
    ]);
  });

  it('checks only the fields a node declares, and keeps the other problems of the document', async () => {
    const report = await validateWithSecrets(
      secretsWorkflow('plain', '{{secret:missing}}', []),
      testDefinitions,
      connections,
    );
    expect(report.problems).toEqual([
      expect.objectContaining({ nodeId: 'call', message: expect.stringContaining('never run') }),
    ]);
  });
});

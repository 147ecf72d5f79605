import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_EXIT, defineNode } from '../sdk/define-node.ts';
import { findSecretReferences } from '../sdk/secret-references.ts';
import { ConnectionStore } from '../stores/connection-store.ts';
import { testRedis } from '../stores/test-redis.ts';
import { definitions, workflow } from '../workflow/validate.fixtures.ts';
import { validateWithSecrets } from './validate-with-secrets.ts';

const { redis, prefix, cleanup } = testRedis();
const connections = new ConnectionStore(redis, prefix, randomBytes(32));
afterAll(cleanup);

/** Takes `{{secret:…}}` in `token` only, like the HTTP step's header values. */
const call = defineNode({
  type: 'test.call',
  label: 'Call',
  group: 'Actions',
  description: 'Calls with a token',
  icon: 'C',
  schema: z.object({ token: z.string(), note: z.string().default('') }),
  exits: () => [DEFAULT_EXIT],
  variables: () => [],
  secretReferences: (data) =>
    findSecretReferences(data.token).map((connectionId) => ({ connectionId, field: 'token' })),
});

const registry = { ...definitions, [call.type]: call };

function secretsWorkflow(token: string, note = '', edges: Array<[string, string]> = [['start', 'call']]) {
  return workflow(
    [
      ['start', 'test.trigger'],
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
    expect(await validateWithSecrets(secretsWorkflow('Bearer {{secret:crm-token}}'), registry, connections)).toEqual({
      valid: true,
      problems: [],
    });
  });

  it('reports a missing secret and a connection that is not a secret on the node and field', async () => {
    const report = await validateWithSecrets(
      secretsWorkflow('{{secret:crm-tokn}} {{secret:google}}'),
      registry,
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
    const report = await validateWithSecrets(secretsWorkflow('plain', '{{secret:missing}}', []), registry, connections);
    expect(report.problems).toEqual([
      expect.objectContaining({ nodeId: 'call', message: expect.stringContaining('never run') }),
    ]);
  });
});

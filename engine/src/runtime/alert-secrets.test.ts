import { describe, expect, it } from 'vitest';
import type { ConnectionSummary } from '../contract/connections.ts';
import { testDefinitions } from '../testing/test-nodes.ts';
import { workflow } from '../workflow/validate.fixtures.ts';
import { validateWithSecrets } from './validate-with-secrets.ts';

const stored: ConnectionSummary[] = [
  { id: 'slack-url', type: 'secret', name: 'Slack', createdAt: 1 },
  { id: 'sheets', type: 'google', name: 'Sheets', clientEmail: 'bot@p.iam.gserviceaccount.com', createdAt: 1 },
];
const connections = { list: async () => stored };

function withAlerts(destinations: unknown[]) {
  const base = workflow([['start', 'test.closed']], []);
  return { ...base, settings: { reenrollment: { mode: 'always' }, alerts: { destinations, quietMinutes: 15 } } };
}

describe('failure alert secrets', () => {
  it('accept a stored secret', async () => {
    const report = await validateWithSecrets(
      withAlerts([{ kind: 'slack', urlSecretId: 'slack-url' }]),
      testDefinitions,
      connections,
    );
    expect(report).toEqual({ valid: true, problems: [] });
  });

  it('name a missing secret and a connection that is not a secret, with where they are named', async () => {
    const report = await validateWithSecrets(
      withAlerts([
        { kind: 'slack', urlSecretId: 'gone' },
        { kind: 'webhook', url: 'https://hooks.example.com/alerts', secretId: 'sheets' },
      ]),
      testDefinitions,
      connections,
    );
    expect(report.valid).toBe(false);
    expect(report.problems).toEqual([
      {
        field: 'settings.alerts.destinations.0.urlSecretId',
        message: expect.stringContaining('"gone", which does not exist'),
      },
      { field: 'settings.alerts.destinations.1.secretId', message: expect.stringContaining('a google connection') },
    ]);
  });
});

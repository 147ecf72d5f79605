import { describe, expect, it } from 'vitest';
import { type AlertFacts, alertPayload, alertText, runUrl, slackText } from './failure-alert-message.ts';

const facts = (overrides: Partial<AlertFacts> = {}): AlertFacts => ({
  workflow: { id: 'csat', name: 'CSAT survey' },
  count: 1,
  lastAlertAt: null,
  latest: { runId: 'r1', workflowVersion: 2, nodeId: 'sheet', reason: 'Google said no', at: 1_000 },
  stepName: 'Save the rating',
  runUrl: 'https://flows.example.com/#/workflows/csat/runs/r1',
  ...overrides,
});

describe('failure alert messages', () => {
  it('name the workflow, the step, the reason and link the run', () => {
    expect(alertText(facts())).toBe(
      'Workflow "CSAT survey": step "Save the rating" failed: Google said no\nRun: https://flows.example.com/#/workflows/csat/runs/r1',
    );
  });

  it('count the failures since the last alert', () => {
    expect(alertText(facts({ count: 3, lastAlertAt: 500 }))).toMatch(
      /^Workflow "CSAT survey": 3 failures since the last alert\. Latest: step "Save the rating" failed: Google said no\n/,
    );
    expect(alertText(facts({ count: 3 }))).toContain('3 failures. Latest');
  });

  it('say the run failed when no step did', () => {
    const text = alertText(facts({ stepName: null, latest: { ...facts().latest, nodeId: null } }));
    expect(text).toContain('"CSAT survey": the run failed: Google said no');
    expect(alertPayload(facts({ stepName: null, latest: { ...facts().latest, nodeId: null } })).latest.step).toBeNull();
  });

  it('link the run under the public address, whatever its trailing slash', () => {
    expect(runUrl('https://flows.example.com/', 'a b', 'r/1')).toBe(
      'https://flows.example.com/#/workflows/a%20b/runs/r%2F1',
    );
  });

  it('escape what Slack would read as a mention or a link, in a reason quoting a contact', () => {
    const reason = '"<!channel> <https://evil.example|Reset your password> & more" is not a valid number answer';
    const slack = slackText(facts({ latest: { ...facts().latest, reason } }));
    expect(slack).toContain('"&lt;!channel&gt; &lt;https://evil.example|Reset your password&gt; &amp; more"');
    expect(slack).not.toMatch(/[<>]/);
    expect(slack).toContain('\nRun: https://flows.example.com/#/workflows/csat/runs/r1');
    // A generic webhook gets the words as they are: its receiver decides how to show them.
    expect(alertPayload(facts({ latest: { ...facts().latest, reason } })).latest.reason).toBe(reason);
  });
});

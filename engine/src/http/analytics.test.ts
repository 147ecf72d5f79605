import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsStore } from '../stores/analytics-store.ts';
import { startTestApp, type TestApp } from './test-app.ts';

/** Names an object has through its prototype: a lookup by them in a plain object finds Object's. */
const prototypeNames = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

/** The app with workflow `id`, which has no nodes: the test counts its answers. */
async function appWithWorkflow(id: string): Promise<TestApp> {
  const t = await startTestApp();
  const created = await t.api('POST', '/api/workflows', { name: 'Survey', id, nodes: [], edges: [] });
  expect(created.statusCode).toBe(201);
  return t;
}

describe('the CSAT report of a question that does not exist', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWithWorkflow('wf-survey');
  });
  afterAll(() => t.close());

  it.each(prototypeNames)('nodeId=%s answers 404 naming the nodeId, for the report and the CSV', async (nodeId) => {
    for (const path of ['csat', 'csat/answers.csv']) {
      const response = await t.api('GET', `/api/workflows/wf-survey/${path}?nodeId=${encodeURIComponent(nodeId)}`);
      expect(response.statusCode, `${path}: ${response.body}`).toBe(404);
      expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
      expect(response.json().message).toContain(`nodeId "${nodeId}" is not a survey question of workflow "wf-survey"`);
    }
  });

  it('an ordinary id that names no question is refused the same way; without nodeId the report is empty', async () => {
    const unknown = await t.api('GET', '/api/workflows/wf-survey/csat?nodeId=ask');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toContain('none of its questions has asked a contact yet');

    const report = await t.api('GET', '/api/workflows/wf-survey/csat');
    expect(report.statusCode).toBe(200);
    expect(report.json()).toMatchObject({ nodeId: null, asked: 0, answered: 0 });
  });
});

describe('the CSAT report and CSV of answers that came through channel connections', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWithWorkflow('wf-channels');
    // Counted as a run's step counts them; the facts a run gives, in `runtime/survey-facts.test.ts`.
    const store = new AnalyticsStore(t.redis, t.prefix);
    const at = Date.parse('2026-04-01T10:00:00Z');
    const answers = [
      { value: 5, connection: 'helpdesk', inbox: '2' },
      { value: 4, connection: 'helpdesk', inbox: '3' },
      { value: 2, connection: 'whatsapp-main', inbox: '1093' },
      { value: 1 },
    ];
    for (const [index, { value, ...where }] of answers.entries()) {
      const facts = { workflowId: 'wf-channels', nodeId: 'ask', runId: `r${index}`, at: at + index * 60_000 };
      const commands = store.countCommands(
        { kind: 'answered', metric: 'csat', scale: { min: 1, max: 5 }, value },
        { ...facts, conversationId: `c${index}`, contactId: `k${index}`, ...where },
      );
      for (const [command, ...args] of commands) await t.redis.call(command, ...args);
    }
  });
  afterAll(() => t.close());

  it('breaks the report down by connection and by inbox within its connection', async () => {
    const response = await t.api('GET', '/api/workflows/wf-channels/csat?from=2026-04-01&to=2026-04-01');
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report.byConnection).toEqual([
      { key: 'helpdesk', answered: 2, score: 100, average: 4.5 },
      { key: 'unknown', answered: 1, score: 0, average: 1 },
      { key: 'whatsapp-main', answered: 1, score: 0, average: 2 },
    ]);
    expect(report.byInbox.map(({ key }: { key: string }) => key)).toEqual([
      'helpdesk/2',
      'helpdesk/3',
      'unknown',
      'whatsapp-main/1093',
    ]);
  });

  it('exports a connection and an inbox column, empty for an answer that came through none', async () => {
    const response = await t.api('GET', '/api/workflows/wf-channels/csat/answers.csv?from=2026-04-01&to=2026-04-01');
    expect(response.statusCode).toBe(200);
    expect(response.body.split('\r\n')).toEqual([
      'date,runId,conversationId,contactId,agent,channel,connection,inbox,nodeId,metric,value',
      '2026-04-01T10:00:00.000Z,r0,c0,k0,,,helpdesk,2,ask,csat,5',
      '2026-04-01T10:01:00.000Z,r1,c1,k1,,,helpdesk,3,ask,csat,4',
      '2026-04-01T10:02:00.000Z,r2,c2,k2,,,whatsapp-main,1093,ask,csat,2',
      '2026-04-01T10:03:00.000Z,r3,c3,k3,,,,,ask,csat,1',
      '',
    ]);
  });
});

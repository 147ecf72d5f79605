import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../runtime/test-kit.ts';
import { startTestApp, type TestApp } from './test-app.ts';

/** start → crm; `text: 'fail'` makes the CRM step fail the run, '' lets it pass. */
const crmWorkflow = (text: string) => ({
  id: 'crm',
  name: 'CRM',
  nodes: [
    { id: 'start', type: 'test.closed', position: { x: 0, y: 0 }, data: {} },
    { id: 'crm', type: 'test.action', position: { x: 0, y: 100 }, data: { text } },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'crm' }],
});

describe('POST /api/runs/:id/retry and /api/workflows/:id/runs/retry', () => {
  let t: TestApp;
  let failedRunId = '';
  beforeAll(async () => {
    t = await startTestApp();
    t.runtime.startWorker({ concurrency: 2, timerPollMs: 20 });
    expect((await t.api('POST', '/api/workflows', crmWorkflow('fail'))).statusCode).toBe(201);
    expect((await t.api('POST', '/api/workflows/crm/publish')).statusCode).toBe(200);
    for (const n of [1, 2]) {
      const event = { eventId: `evt-retry-${n}`, conversation: { id: `conv-retry-${n}` }, contact: { id: `c-${n}` } };
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/events/conversation-closed',
        ...t.signed(event),
      });
      expect(response.statusCode).toBe(202);
    }
    const failed = await eventually('both runs failed', async () => {
      const list = (await t.api('GET', '/api/runs?workflowId=crm&outcome=failed')).json();
      return list.length === 2 ? list : undefined;
    });
    failedRunId = failed[0].id;
  });
  afterAll(() => t.close());

  it('retries one run on the fixed version, logging who (X-Editor-Name) retried', async () => {
    await t.api('PUT', '/api/workflows/crm', crmWorkflow(''));
    expect((await t.api('POST', '/api/workflows/crm/publish')).statusCode).toBe(200);
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/runs/${failedRunId}/retry`,
      headers: { ...t.auth, 'x-editor-name': encodeURIComponent('Zoë') },
      payload: {},
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: failedRunId, status: 'running', workflowVersion: 2 });
    const done = await eventually('the retried run completed', async () => {
      const run = (await t.api('GET', `/api/runs/${failedRunId}`)).json();
      return run.status === 'completed' ? run : undefined;
    });
    expect(done.steps.find((step: { outcome: string }) => step.outcome === 'retried')).toMatchObject({
      nodeId: 'crm',
      retriedBy: 'Zoë',
    });

    const again = await t.app.inject({ method: 'POST', url: `/api/runs/${failedRunId}/retry`, headers: t.auth });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'RUN_NOT_RETRYABLE' });
    expect(again.json().message).toContain('completed without a failed step');
  });

  it('retries every failed run of a step, and refuses a request without the step', async () => {
    const missing = await t.api('POST', '/api/workflows/crm/runs/retry', {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toContain('nodeId');
    const response = await t.api('POST', '/api/workflows/crm/runs/retry', { nodeId: 'crm' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ retried: [expect.any(String)], skipped: [], limit: 1000, more: false });
  });
});

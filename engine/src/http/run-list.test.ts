import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../runtime/test-kit.ts';
import { noteWorkflow, startTestApp, type TestApp } from './test-app.ts';

describe('GET /api/runs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    t.runtime.startWorker({ concurrency: 2, timerPollMs: 20 });
    expect((await t.api('POST', '/api/workflows', noteWorkflow('listed'))).statusCode).toBe(201);
    expect((await t.api('POST', '/api/workflows/listed/publish')).statusCode).toBe(200);
    for (const n of [1, 2, 3]) {
      const event = { eventId: `evt-list-${n}`, conversation: { id: `conv-list-${n}` }, contact: { id: `c-${n}` } };
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/events/conversation-closed',
        ...t.signed(event),
      });
      expect(response.statusCode).toBe(202);
    }
    await eventually('the three runs completed', async () => {
      const list = await t.api('GET', '/api/runs?workflowId=listed&outcome=completed');
      return list.json().length === 3 ? true : undefined;
    });
  });
  afterAll(() => t.close());

  it('answers a page of the list and says in headers how many match in all', async () => {
    const first = await t.api('GET', '/api/runs?workflowId=listed&limit=2');
    expect(first.json()).toHaveLength(2);
    expect(first.headers).toMatchObject({ 'x-total-count': '3', 'x-total-exact': 'true' });
    const rest = await t.api('GET', '/api/runs?workflowId=listed&limit=2&offset=2');
    expect(rest.json()).toHaveLength(1);
    expect(rest.json()[0]).toMatchObject({ outcome: 'completed', failedSteps: [] });
    const failed = await t.api('GET', '/api/runs?workflowId=listed&outcome=failed');
    expect(failed.json()).toEqual([]);
    expect(failed.headers['x-total-count']).toBe('0');
  });

  it('filters by creation dates given as ISO times', async () => {
    const future = new Date(Date.now() + 60_000).toISOString();
    const none = await t.api('GET', `/api/runs?workflowId=listed&from=${encodeURIComponent(future)}`);
    expect(none.json()).toEqual([]);
    const all = await t.api('GET', `/api/runs?workflowId=listed&to=${encodeURIComponent(future)}`);
    expect(all.headers['x-total-count']).toBe('3');
  });

  it('refuses a date that is not an ISO time, naming the field', async () => {
    const response = await t.api('GET', '/api/runs?from=yesterday');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('from');
  });
});

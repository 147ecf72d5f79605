import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './test-app.ts';

/** Names an object has through its prototype: a lookup by them in a plain object finds Object's. */
const prototypeNames = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

describe('the CSAT report of a question that does not exist', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    const created = await t.api('POST', '/api/workflows', { name: 'Survey', id: 'wf-survey', nodes: [], edges: [] });
    expect(created.statusCode).toBe(201);
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

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedEvent } from '../stand-ins/chat-platform.ts';
import { csatToSheetsAndCrm, nodeData, type Scenario, startScenario } from './scenario.ts';

const HEADERS = ['Conversation', 'Contact', 'Agent', 'Rating'];

/**
 * Google refuses the Sheets step's credentials (403) until the operator fixes the sharing; then
 * the operator retries the run through the HTTP API, from the step, and the row lands once.
 */
describe('retrying a run after Google refused the Sheets step', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario();
    scenario.sheets.addSpreadsheet('1AbC', { CSAT: [HEADERS] });
  });
  afterEach(() => scenario.close());

  it('runs the step again with the answer given, appends the row once and goes on to the CRM', async () => {
    const { product, chat, sheets, crm } = scenario;
    await scenario.publish(csatToSheetsAndCrm(crm.url));
    sheets.failNext(403, 1);
    const event = closedEvent();
    const { runs } = (await product.platform.sendConversationClosed(event)).body as { runs: string[] };
    const runId = runs[0]!;
    await chat.nextMessage(event.conversation.id);
    await product.platform.sendReply({ conversationId: event.conversation.id, contactId: event.contact.id, text: '4' });

    const failed = await scenario.ended(runId);
    expect(failed).toMatchObject({ outcome: 'completed_with_failures', failedSteps: ['sheet'] });
    expect(sheets.rows('1AbC', 'CSAT')).toEqual([HEADERS]);
    expect(crm.received).toHaveLength(0);
    const listed = await product.api('GET', '/api/runs?workflowId=csat-sheets-and-crm&nodeId=sheet');
    expect((listed.body as Array<{ id: string }>).map((run) => run.id)).toEqual([runId]);

    // The operator fixed the sharing (the stand-in answers again) and retries from the step.
    const retried = await fetch(`${product.url}/api/runs/${runId}/retry`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${product.apiKey}`,
        'content-type': 'application/json',
        'x-editor-name': 'Ops on call',
      },
      body: JSON.stringify({ nodeId: 'sheet' }),
    });
    expect(retried.status).toBe(200);
    const run = await scenario.ended(runId);

    expect(run).toMatchObject({ status: 'completed', outcome: 'completed', failedSteps: [], variables: { rating: 4 } });
    expect(run.steps.map((step) => [step.nodeId, step.outcome, step.exit])).toEqual([
      ['start', 'exited', 'next'],
      ['ask', 'paused', undefined],
      ['ask', 'exited', 'answered'],
      ['sheet', 'exited', 'failure'],
      ['sheet', 'retried', undefined],
      ['sheet', 'exited', 'success'],
      ['crm', 'exited', 'success'],
    ]);
    expect(run.steps[4]).toMatchObject({ retriedBy: 'Ops on call' });
    expect(sheets.rows('1AbC', 'CSAT')).toEqual([
      HEADERS,
      [event.conversation.id, event.contact.name, event.assignee?.name, 4],
    ]);
    expect(sheets.count('append')).toBe(1);
    expect(crm.received).toHaveLength(1);
    // The question was asked and answered once: the retry counted nothing again.
    const report = await product.api('GET', '/api/workflows/csat-sheets-and-crm/csat');
    expect(report.body).toMatchObject({ asked: 1, answered: 1 });
    const failures = await product.api('GET', '/api/runs?workflowId=csat-sheets-and-crm&outcome=any_failure');
    expect(failures.body).toEqual([]);

    const again = await product.api('POST', `/api/runs/${runId}/retry`, {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'RUN_NOT_RETRYABLE' });
  });

  it('after a CRM outage, retries every run that failed at the CRM step at once, without writing their rows again', async () => {
    const { product, chat, sheets, crm } = scenario;
    await scenario.publish(
      csatToSheetsAndCrm(crm.url, (workflow) => Object.assign(nodeData(workflow, 'crm'), { retries: 0 })),
    );
    crm.failNext(3, 503);
    const runIds: string[] = [];
    for (const rating of ['5', '3', '1']) {
      const event = closedEvent();
      const { runs } = (await product.platform.sendConversationClosed(event)).body as { runs: string[] };
      await chat.nextMessage(event.conversation.id);
      await product.platform.sendReply({
        conversationId: event.conversation.id,
        contactId: event.contact.id,
        text: rating,
      });
      const run = await scenario.ended(runs[0]!);
      expect(run).toMatchObject({ outcome: 'completed_with_failures', failedSteps: ['crm'] });
      runIds.push(run.id);
    }
    expect(crm.received).toHaveLength(0);

    const bulk = await product.api('POST', '/api/workflows/csat-sheets-and-crm/runs/retry', { nodeId: 'crm' });
    expect(bulk.status).toBe(200);
    expect((bulk.body as { retried: string[] }).retried.sort()).toEqual([...runIds].sort());
    expect(bulk.body).toMatchObject({ skipped: [], limit: 1000, more: false });
    for (const runId of runIds) expect((await scenario.ended(runId)).outcome).toBe('completed');

    expect(crm.received).toHaveLength(3);
    // Each call again under the key of its failed attempt: a CRM that saw it can tell.
    const keysOf = (requests: readonly { idempotencyKey: string | undefined }[]) =>
      requests.map((request) => request.idempotencyKey).sort();
    expect(keysOf(crm.received)).toEqual(keysOf(crm.attempts.slice(0, 3)));
    expect(sheets.rows('1AbC', 'CSAT')).toHaveLength(4);
  });
});

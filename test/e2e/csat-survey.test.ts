import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedEvent } from '../stand-ins/chat-platform.ts';
import { csatToSheetsAndCrm, nodeData, type Scenario, startScenario } from './scenario.ts';

/** The canonical workflow through the public HTTP API, with every outside party on real HTTP. */
describe('CSAT survey, end to end', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario();
    scenario.sheets.addSpreadsheet('1AbC', { CSAT: [['Conversation', 'Contact', 'Agent', 'Rating']] });
  });
  afterEach(() => scenario.close());

  it('asks the contact, appends the rating to the sheet and POSTs it to the CRM as a number', async () => {
    const { product, chat, sheets, crm } = scenario;
    await scenario.publish(csatToSheetsAndCrm(crm.url));
    const event = closedEvent();

    const accepted = await product.platform.sendConversationClosed(event);
    expect(accepted.status).toBe(202);
    const { runs } = accepted.body as { runs: string[] };
    expect(runs).toHaveLength(1);

    const question = await chat.nextMessage(event.conversation.id);
    expect(question).toMatchObject({
      runId: runs[0],
      contactId: event.contact.id,
      text: 'How satisfied are you with this experience?',
    });
    expect(question.quickReplies).toEqual(['1', '2', '3', '4', '5']);

    const reply = await product.platform.sendReply({
      conversationId: event.conversation.id,
      contactId: event.contact.id,
      text: ' 4 ',
    });
    expect(reply).toMatchObject({ status: 202, body: { runId: runs[0] } });

    const posted = await crm.nextRequest();
    expect(posted.body).toEqual({ conversationId: event.conversation.id, rating: 4 });
    expect(posted.idempotencyKey).toContain(runs[0]);

    const run = await scenario.ended(runs[0]!);
    expect(run.status).toBe('completed');
    expect(run.variables).toMatchObject({ rating: 4, crm: { status: 201 } });
    expect(run.steps.map((step) => [step.nodeId, step.outcome, step.exit])).toEqual([
      ['start', 'exited', 'next'],
      ['ask', 'paused', undefined],
      ['ask', 'exited', 'answered'],
      ['sheet', 'exited', 'success'],
      ['crm', 'exited', 'success'],
    ]);
    expect(sheets.rows('1AbC', 'CSAT')).toEqual([
      ['Conversation', 'Contact', 'Agent', 'Rating'],
      [event.conversation.id, event.contact.name, event.assignee?.name, 4],
    ]);
    expect(chat.rejections).toEqual([]);

    const report = await product.api('GET', '/api/workflows/csat-sheets-and-crm/csat');
    expect(report.body).toMatchObject({ asked: 1, answered: 1, score: 100, distribution: expect.any(Array) });
  });

  it('sends the retry message for an answer that is not a rating, then takes a valid one', async () => {
    const { product, chat, crm } = scenario;
    await scenario.publish(csatToSheetsAndCrm(crm.url));
    const event = closedEvent();
    const { runs } = (await product.platform.sendConversationClosed(event)).body as { runs: string[] };
    await chat.nextMessage(event.conversation.id);
    const reply = (text: string) =>
      product.platform.sendReply({ conversationId: event.conversation.id, contactId: event.contact.id, text });

    await reply('great!');
    expect((await chat.nextMessage(event.conversation.id)).text).toBe('Please answer with a number from 1 to 5.');
    await reply('⭐⭐');

    const run = await scenario.ended(runs[0]!);
    expect(run.variables.rating).toBe(2);
    expect(run.steps.filter((step) => step.nodeId === 'ask').map((step) => step.exit)).toEqual([
      undefined,
      undefined,
      'answered',
    ]);
    expect((await crm.nextRequest()).body).toMatchObject({ rating: 2 });
  });

  it('leaves by "invalid" after maxRetries + 1 answers that are not ratings', async () => {
    const { product, chat, crm } = scenario;
    const workflow = csatToSheetsAndCrm(crm.url, (wf) => {
      wf.nodes.push({ id: 'sorry', type: 'sendMessage', position: { x: 300, y: 300 }, data: { text: 'No worries!' } });
      wf.edges.push({ id: 'e-invalid', source: 'ask', sourceHandle: 'invalid', target: 'sorry' });
    });
    await scenario.publish(workflow);
    const event = closedEvent();
    const { runs } = (await product.platform.sendConversationClosed(event)).body as { runs: string[] };
    await chat.nextMessage(event.conversation.id);
    for (const text of ['meh', 'seven', '0']) {
      await product.platform.sendReply({ conversationId: event.conversation.id, contactId: event.contact.id, text });
      const next = await chat.nextMessage(event.conversation.id);
      if (text !== '0') expect(next.text).toBe('Please answer with a number from 1 to 5.');
      else expect(next.text).toBe('No worries!');
    }
    const run = await scenario.ended(runs[0]!);
    expect(run.status).toBe('completed');
    expect(run.steps.at(-2)).toMatchObject({ nodeId: 'ask', exit: 'invalid' });
    expect(run.variables.rating).toBeUndefined();
    expect(crm.received).toHaveLength(0);
  });

  it('leaves by "timeout" when the contact stays silent', async () => {
    const { product, chat, crm } = scenario;
    const workflow = csatToSheetsAndCrm(crm.url, (wf) => {
      nodeData(wf, 'ask').timeout = { value: 1, unit: 'seconds' };
      wf.nodes.push({
        id: 'bye',
        type: 'sendMessage',
        position: { x: 300, y: 300 },
        data: { text: 'We missed you, $contact.name.' },
      });
      wf.edges.push({ id: 'e-timeout', source: 'ask', sourceHandle: 'timeout', target: 'bye' });
    });
    await scenario.publish(workflow);
    const event = closedEvent();
    const { runs } = (await product.platform.sendConversationClosed(event)).body as { runs: string[] };
    await chat.nextMessage(event.conversation.id);

    expect((await chat.nextMessage(event.conversation.id)).text).toBe(`We missed you, ${event.contact.name}.`);
    const run = await scenario.ended(runs[0]!);
    expect(run.steps.find((step) => step.exit === 'timeout')).toMatchObject({ nodeId: 'ask' });

    const late = await product.platform.sendReply({
      conversationId: event.conversation.id,
      contactId: event.contact.id,
      text: '5',
    });
    expect(late).toMatchObject({ status: 202, body: { runId: null } });
  });
});

describe('enrolment', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario();
  });
  afterEach(() => scenario.close());

  it('starts one run for the same eventId delivered twice', async () => {
    const { product, crm } = scenario;
    await scenario.publish(csatToSheetsAndCrm(crm.url));
    const event = closedEvent();
    const first = await product.platform.sendConversationClosed(event);
    const again = await product.platform.sendConversationClosed(event);
    expect(first.status).toBe(202);
    expect(again).toEqual(first);
    const runs = await product.api('GET', '/api/runs?workflowId=csat-sheets-and-crm');
    expect(runs.body).toHaveLength(1);
  });

  it('does not enrol the same contact again inside the re-enrolment window', async () => {
    const { product, crm } = scenario;
    await scenario.publish(csatToSheetsAndCrm(crm.url));
    const first = closedEvent();
    const sameContactLater = closedEvent({ contact: first.contact });
    const otherContact = closedEvent();

    expect((await product.platform.sendConversationClosed(first)).body).toEqual({ runs: [expect.any(String)] });
    expect((await product.platform.sendConversationClosed(sameContactLater)).body).toEqual({ runs: [] });
    expect((await product.platform.sendConversationClosed(otherContact)).body).toEqual({ runs: [expect.any(String)] });
  });
});

import type { RunDetail } from '@convoflow/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedEvent } from '../stand-ins/chat-platform.ts';
import { type LocalServer, startLocalServer } from '../support/http-server.ts';
import { csatToSheetsAndCrm, type Scenario, startScenario } from './scenario.ts';

const token = 'crm_live_5f1e9a2b7c3d';
const HEADERS = ['Conversation', 'Contact', 'Agent', 'Rating'];

/**
 * What each step sent and received, as `GET /api/runs/:id` shows it, through the real product:
 * the CSAT workflow with its CRM call authenticated by a stored secret, against a CRM that
 * echoes the Authorization header back (as a careless API might).
 */
describe('run detail: what each step sent and received', () => {
  let scenario: Scenario;
  let crm: LocalServer;
  beforeEach(async () => {
    scenario = await startScenario();
    scenario.sheets.addSpreadsheet('1AbC', { CSAT: [HEADERS] });
    crm = await startLocalServer(({ headers }) => ({
      status: 201,
      body: { id: 'csat-1', seenAuthorization: headers.authorization },
    }));
    const secret = await scenario.product.api('POST', '/api/connections', {
      id: 'crm-token',
      type: 'secret',
      name: 'CRM token',
      value: token,
    });
    expect(secret.status).toBe(201);
  });
  afterEach(async () => {
    await scenario.close();
    await crm.close();
  });

  /** Publishes the CSAT workflow against the echoing CRM, answers 4, and returns the ended run. */
  async function answeredRun(): Promise<RunDetail> {
    const { product, chat } = scenario;
    await scenario.publish(
      csatToSheetsAndCrm(crm.url, (workflow) => {
        const step = workflow.nodes.find((node) => node.id === 'crm')!;
        step.data = {
          ...step.data,
          headers: [
            { name: 'Content-Type', value: 'application/json' },
            { name: 'Authorization', value: 'Bearer {{secret:crm-token}}' },
          ],
        };
      }),
    );
    const event = closedEvent();
    const { runs } = (await product.platform.sendConversationClosed(event)).body as { runs: string[] };
    await chat.nextMessage(event.conversation.id);
    await product.platform.sendReply({ conversationId: event.conversation.id, contactId: event.contact.id, text: '4' });
    return scenario.ended(runs[0]!);
  }

  const step = (run: RunDetail, nodeId: string) => run.steps.findLast((entry) => entry.nodeId === nodeId);

  it('shows the question and reply, the row and Google’s answer, the request with its secret masked and the response', async () => {
    const run = await answeredRun();
    expect(run.status).toBe('completed');
    expect(step(run, 'ask')).toMatchObject({
      exit: 'answered',
      sent: { text: 'How satisfied are you with this experience?' },
      received: { reply: '4', readAs: 4 },
    });
    expect(step(run, 'sheet')).toMatchObject({
      exit: 'success',
      sent: {
        spreadsheet: '1AbC',
        sheet: 'CSAT',
        row: { Conversation: run.conversationId, Contact: run.contactName, Rating: 4 },
      },
      received: { updatedRange: 'CSAT!A2:D2', updatedRows: 1 },
    });
    expect(step(run, 'crm')).toMatchObject({
      exit: 'success',
      sent: {
        method: 'POST',
        url: `${crm.url}/api/csat`,
        headers: { Authorization: 'Bearer [secret:crm-token]', 'Content-Type': 'application/json' },
        body: { conversationId: run.conversationId, rating: 4 },
      },
      received: {
        status: 201,
        body: { id: 'csat-1', seenAuthorization: 'Bearer [secret:crm-token]' },
      },
    });
    // The CRM got the real token; nothing the API answers holds it.
    const raw = await scenario.product.api('GET', `/api/runs/${run.id}`);
    expect(JSON.stringify(raw.body)).not.toContain(token);
  });

  it('shows the row Google refused, with Google’s status and message', async () => {
    scenario.sheets.failNext(403, 1, { kind: 'append' });
    const run = await answeredRun();
    expect(run.outcome).toBe('completed_with_failures');
    expect(step(run, 'sheet')).toMatchObject({
      exit: 'failure',
      sent: { sheet: 'CSAT', row: { Rating: 4 } },
      received: { status: 403, error: expect.any(String) },
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noteWorkflow, startTestApp, type TestApp } from './test-app.ts';

describe('triggers and replies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    for (const workflow of [noteWorkflow('wf-closed'), noteWorkflow('wf-shortcut', 'test.shortcut')]) {
      expect((await t.api('POST', '/api/workflows', workflow)).statusCode).toBe(201);
      expect((await t.api('POST', `/api/workflows/${workflow.id}/publish`)).statusCode).toBe(200);
    }
  });
  afterAll(() => t.close());

  it('a signed conversation-closed event → 202 with the run it started', async () => {
    const { headers, payload } = t.signed({
      eventId: 'evt-closed-1',
      conversation: { id: 'conv-1', channel: 'whatsapp' },
      contact: { id: 'contact-1', name: 'Ada' },
      assignee: { id: 'agent-1', name: 'Grace' },
    });
    const response = await t.app.inject({ method: 'POST', url: '/api/events/conversation-closed', headers, payload });
    expect(response.statusCode).toBe(202);
    const { runs } = response.json();
    expect(runs).toHaveLength(1);

    const run = await t.api('GET', `/api/runs/${runs[0]}`);
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({ workflowId: 'wf-closed', conversationId: 'conv-1', contactId: 'contact-1' });
  });

  it('the same event twice starts one run', async () => {
    const event = { eventId: 'evt-twice', conversation: { id: 'conv-2' }, contact: { id: 'contact-2' } };
    const first = await t.app.inject({ method: 'POST', url: '/api/events/conversation-closed', ...t.signed(event) });
    const second = await t.app.inject({ method: 'POST', url: '/api/events/conversation-closed', ...t.signed(event) });
    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(202);
    expect(first.json().runs).toHaveLength(1);
    const runs = await t.api('GET', '/api/runs?conversationId=conv-2');
    expect(runs.json()).toHaveLength(1);
  });

  it('a shortcut with the API key → 202 with the run id', async () => {
    const response = await t.api('POST', '/api/workflows/wf-shortcut/shortcut', {
      conversationId: 'conv-3',
      contact: { id: 'contact-3' },
      triggeredBy: { id: 'agent-1' },
    });
    expect(response.statusCode).toBe(202);
    const { runId } = response.json();
    const run = await t.api('GET', `/api/runs/${runId}`);
    expect(run.json()).toMatchObject({ workflowId: 'wf-shortcut', trigger: 'shortcut' });
  });

  it('a shortcut for an unknown workflow → 404', async () => {
    const response = await t.api('POST', '/api/workflows/ghost/shortcut', {
      conversationId: 'conv-4',
      contact: { id: 'contact-4' },
      triggeredBy: { id: 'agent-1' },
    });
    expect(response.statusCode).toBe(404);
  });

  it('each refusal of a shortcut or a reply answers its own code', async () => {
    const shortcut = (workflowId: string) =>
      t.api('POST', `/api/workflows/${workflowId}/shortcut`, {
        conversationId: 'conv-refused',
        contact: { id: 'contact-refused' },
        triggeredBy: { id: 'agent-1' },
      });
    const wrongTrigger = await shortcut('wf-closed');
    expect(wrongTrigger.statusCode).toBe(409);
    expect(wrongTrigger.json()).toMatchObject({ code: 'NOT_A_SHORTCUT_WORKFLOW' });

    // No worker in this app: the first run stays queued, so the conversation has an active run.
    const { runId } = (await shortcut('wf-shortcut')).json();
    const second = await shortcut('wf-shortcut');
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'NOT_ENROLLED', details: { reason: 'active' } });

    const reply = await t.api('POST', `/api/runs/${runId}/reply`, { text: 'hi' });
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toMatchObject({ code: 'NOT_A_TEST_RUN', message: expect.stringContaining(runId) });
  });

  it('a signed reply nobody waits for → 202 with runId null', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/messages/inbound',
      ...t.signed({ conversationId: 'conv-silent', contactId: 'contact-9', text: '5' }),
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ runId: null });
  });

  it('lists runs by workflow and cancels one', async () => {
    const list = await t.api('GET', '/api/runs?workflowId=wf-closed&limit=10');
    expect(list.statusCode).toBe(200);
    const [first] = list.json();
    expect(first).toMatchObject({ workflowId: 'wf-closed' });

    const cancelled = await t.api('POST', `/api/runs/${first.id}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    expect((await t.api('GET', '/api/runs/no-such-run')).statusCode).toBe(404);
  });

  it('the simulator starts a test run of the draft (202) and it is marked as a test', async () => {
    const response = await t.api('POST', '/api/workflows/wf-closed/simulate', {
      contact: { id: 'sim-contact', name: 'Sim' },
    });
    expect(response.statusCode).toBe(202);
    const run = await t.api('GET', `/api/runs/${response.json().runId}`);
    expect(run.json()).toMatchObject({ test: true, workflowId: 'wf-closed', contactId: 'sim-contact' });
  });

  it('tests one step outside any run', async () => {
    const response = await t.api('POST', '/api/nodes/test.note/test', {
      data: { text: 'Hi $contact.name' },
      variables: { contact: { name: 'Ada' } },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ exit: 'next', variables: { note: 'Hi Ada' } });
  });
});

import { afterEach, beforeEach, expect, it } from 'vitest';
import { closedEvent } from '../stand-ins/chat-platform.ts';
import { type LocalServer, type ReceivedRequest, startLocalServer } from '../support/http-server.ts';
import { type SpawnedProcess, spawnWorkerProcess } from '../support/processes.ts';
import { csatToSheetsAndCrm, type Scenario, startScenario } from './scenario.ts';

/**
 * A CRM that holds the first request open until released, so a test can kill the worker
 * while a step is in flight.
 */
async function startHoldingCrm() {
  const received: ReceivedRequest[] = [];
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let arrived: (request: ReceivedRequest) => void = () => {};
  const firstArrived = new Promise<ReceivedRequest>((resolve) => {
    arrived = resolve;
  });
  const server: LocalServer = await startLocalServer(async (request) => {
    received.push(request);
    if (received.length === 1) {
      arrived(request);
      await released;
    }
    return { status: 201, body: { ok: true } };
  });
  return { server, received, firstArrived, release };
}

let scenario: Scenario;
const workers: SpawnedProcess[] = [];
beforeEach(async () => {
  scenario = await startScenario({ worker: false });
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  await scenario.close();
});

it('finishes a run on another worker process when its worker is SIGKILLed mid-step', async () => {
  const { product, chat } = scenario;
  const crm = await startHoldingCrm();
  try {
    const workflow = csatToSheetsAndCrm(crm.server.url, (wf) => {
      wf.nodes = wf.nodes.filter((node) => node.id !== 'sheet');
      wf.edges = [
        { id: 'e1', source: 'start', target: 'ask' },
        { id: 'e2', source: 'ask', sourceHandle: 'answered', target: 'crm' },
      ];
    });
    await scenario.publish(workflow);
    const doomed = await spawnWorkerProcess(product.processEnv());
    workers.push(doomed);

    const event = closedEvent();
    const { runs } = (await product.platform.sendConversationClosed(event)).body as { runs: string[] };
    await chat.nextMessage(event.conversation.id, { timeoutMs: 20_000 });
    await product.platform.sendReply({ conversationId: event.conversation.id, contactId: event.contact.id, text: '5' });

    const first = await crm.firstArrived;
    doomed.kill('SIGKILL');
    expect(await doomed.exited).toMatchObject({ signal: 'SIGKILL' });
    crm.release();

    workers.push(await spawnWorkerProcess(product.processEnv()));
    const run = await scenario.ended(runs[0]!);

    expect(run.status).toBe('completed');
    expect(run.variables).toMatchObject({ rating: 5, crm: { status: 201 } });
    const crmSteps = run.steps.filter((step) => step.nodeId === 'crm' && step.outcome === 'exited');
    expect(crmSteps).toHaveLength(1);
    const askSteps = run.steps.filter((step) => step.nodeId === 'ask');
    expect(askSteps.map((step) => step.exit)).toEqual([undefined, 'answered']);
    expect(crm.received).toHaveLength(2);
    expect(crm.received[1]?.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
  } finally {
    crm.release();
    await crm.server.close();
  }
});

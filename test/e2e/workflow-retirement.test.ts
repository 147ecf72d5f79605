import type { RunDetail } from '@convoflow/engine';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { closedEvent } from '../stand-ins/chat-platform.ts';
import { type SpawnedProcess, spawnWorkerProcess } from '../support/processes.ts';
import { waitFor } from '../support/wait-for.ts';
import { csatToSheetsAndCrm, type Scenario, startScenario } from './scenario.ts';

/**
 * Deleting and unpublishing a workflow with a run waiting for its reply, through the public API,
 * with the run's worker process stopped and a new one started in between: nothing of the
 * workflow survives in any process's memory, only in Redis.
 */

const workflowId = 'csat-sheets-and-crm';
let scenario: Scenario;
let worker: SpawnedProcess;

beforeEach(async () => {
  scenario = await startScenario({ worker: false });
  worker = await spawnWorkerProcess(scenario.product.processEnv());
});
afterEach(async () => {
  await worker.stop();
  await scenario.close();
});

/** The CSAT → CRM workflow published, and one conversation's run waiting for its rating. */
async function waitingRun() {
  const { product, chat, crm } = scenario;
  await scenario.publish(
    csatToSheetsAndCrm(crm.url, (wf) => {
      wf.nodes = wf.nodes.filter((node) => node.id !== 'sheet');
      wf.edges = [
        { id: 'e1', source: 'start', target: 'ask' },
        { id: 'e2', source: 'ask', sourceHandle: 'answered', target: 'crm' },
      ];
    }),
  );
  const event = closedEvent();
  const { runs } = (await product.platform.sendConversationClosed(event)).body as { runs: string[] };
  const runId = runs[0] ?? '';
  await chat.nextMessage(event.conversation.id, { timeoutMs: 20_000 });
  await waitFor(async () => (await scenario.run(runId)).status === 'waiting', { what: `run ${runId} to wait` });
  const reply = (text: string) =>
    product.platform.sendReply({ conversationId: event.conversation.id, contactId: event.contact.id, text });
  return { runId, reply };
}

async function restartWorker() {
  await worker.stop();
  worker = await spawnWorkerProcess(scenario.product.processEnv());
}

it('refuses to delete a workflow with a waiting run until told what happens to it, naming the count', async () => {
  const { runId } = await waitingRun();
  const refused = await scenario.product.api('DELETE', `/api/workflows/${workflowId}`);
  expect(refused.status).toBe(409);
  expect(refused.body).toMatchObject({ code: 'ACTIVE_RUNS', details: { activeRuns: 1 } });
  expect((await scenario.product.api('GET', `/api/workflows/${workflowId}`)).body).toMatchObject({
    status: 'published',
    activeRuns: 1,
  });
  expect((await scenario.run(runId)).status).toBe('waiting');
});

it('deleted with activeRuns=finish, the run takes its reply after a worker restart and completes on its version', async () => {
  const { product, crm } = scenario;
  const { runId, reply } = await waitingRun();

  expect((await product.api('DELETE', `/api/workflows/${workflowId}?activeRuns=finish`)).status).toBe(204);
  expect((await product.api('GET', `/api/workflows/${workflowId}`)).status).toBe(404);
  await restartWorker();

  expect(await reply('4')).toMatchObject({ status: 202, body: { runId } });
  expect((await crm.nextRequest()).body).toMatchObject({ rating: 4 });
  const run: RunDetail = await scenario.ended(runId);
  expect(run).toMatchObject({ status: 'completed', workflowVersion: 1, variables: { rating: 4 } });
});

it('deleted with activeRuns=cancel, the run is cancelled and a reply after a worker restart reaches no run', async () => {
  const { runId, reply } = await waitingRun();

  expect((await scenario.product.api('DELETE', `/api/workflows/${workflowId}?activeRuns=cancel`)).status).toBe(204);
  expect((await scenario.run(runId)).status).toBe('cancelled');
  await restartWorker();

  expect(await reply('4')).toMatchObject({ status: 202, body: { runId: null } });
  expect((await scenario.run(runId)).status).toBe('cancelled');
});

it('unpublished with activeRuns=finish, new conversations enrol nothing and the waiting run still completes', async () => {
  const { product, crm } = scenario;
  const { runId, reply } = await waitingRun();

  const unpublished = await product.api('POST', `/api/workflows/${workflowId}/unpublish?activeRuns=finish`);
  expect(unpublished).toMatchObject({ status: 200, body: { status: 'draft', activeRuns: 1 } });
  expect((await product.platform.sendConversationClosed(closedEvent())).body).toEqual({ runs: [] });
  await restartWorker();

  expect(await reply('5')).toMatchObject({ status: 202, body: { runId } });
  expect((await crm.nextRequest()).body).toMatchObject({ rating: 5 });
  expect((await scenario.ended(runId)).status).toBe('completed');
  expect((await product.api('POST', `/api/workflows/${workflowId}/publish`)).body).toMatchObject({
    status: 'published',
  });
  expect(((await product.platform.sendConversationClosed(closedEvent())).body as { runs: string[] }).runs).toHaveLength(
    1,
  );
});

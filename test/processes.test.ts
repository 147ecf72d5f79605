import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedEvent, platformClient, startChatPlatform } from './stand-ins/chat-platform.ts';
import { startCrm } from './stand-ins/crm.ts';
import { repoRoot, type SpawnedProcess, spawnEntry } from './support/processes.ts';
import { randomSecret } from './support/product.ts';
import { deleteKeys, randomPrefix, testRedisUrl } from './support/redis-keys.ts';
import { waitFor } from './support/wait-for.ts';

/** A port free right now on 127.0.0.1 (the process under test binds it a moment later). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Conversation closed → POST to the CRM → "Recorded" to the contact. */
function recordWorkflow(crmUrl: string) {
  return {
    id: 'record',
    name: 'Record closing',
    nodes: [
      { id: 'start', type: 'trigger.conversationClosed', position: { x: 0, y: 0 }, data: {} },
      {
        id: 'crm',
        type: 'http.request',
        position: { x: 0, y: 150 },
        data: { method: 'POST', url: `${crmUrl}/api/closed`, body: '{"conversation": "$conversation.id"}' },
      },
      { id: 'done', type: 'sendMessage', position: { x: 0, y: 300 }, data: { text: 'Recorded' } },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'crm' },
      { id: 'e2', source: 'crm', sourceHandle: 'success', target: 'done' },
    ],
  };
}

/** A loopback port with nothing listening: a port that was just free and is kept closed. */
const closedPort = freePort;

describe('the npm start process (standalone)', { timeout: 120_000 }, () => {
  let dataDir: string;
  let prefix: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'convoflow-process-'));
    prefix = randomPrefix();
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await deleteKeys(prefix);
  });

  it('starts with no secrets set, prints the owner link, serves the examples to the printed API key, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const standalone = spawnEntry('standalone', {
      PORT: String(port),
      DATA_DIR: dataDir,
      REDIS_URL: testRedisUrl,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'warn',
    });
    try {
      const [, apiKey] = await standalone.waitForOutput(/API key: +(\S+)/);
      expect(standalone.stdout).toContain(`Editor:   http://localhost:${port}`);
      // No user yet: the one-time link to create the owner's account is printed with the key.
      const [, ownerLink] = await standalone.waitForOutput(/Owner: +no account yet: open (\S+) /);
      expect(ownerLink).toMatch(new RegExp(`^http://localhost:${port}/#/welcome/[A-Za-z0-9_-]{43}$`));
      expect(standalone.stdout).toContain(path.join(dataDir, 'secrets.json'));
      expect((await stat(path.join(dataDir, 'secrets.json'))).mode & 0o777).toBe(0o600);

      const base = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await fetch(`${base}/ready`)).status === 200, { what: '/ready answering 200' });
      const unauthorised = await fetch(`${base}/api/workflows`);
      expect(unauthorised.status).toBe(401);
      const listed = await fetch(`${base}/api/workflows`, { headers: { authorization: `Bearer ${apiKey}` } });
      expect(listed.status).toBe(200);
      const workflows: { id: string }[] = await listed.json();
      expect(workflows.map((workflow) => workflow.id)).toEqual(
        expect.arrayContaining(['csat-google-sheets', 'csat-crm-http', 'low-score-alert', 'csat-sheets-and-crm']),
      );

      standalone.kill('SIGTERM');
      expect(await standalone.exited).toEqual({ code: 0, signal: null });
    } finally {
      await standalone.stop();
    }
  });

  it('runs compiled with plain node, as npm start and the image do: ready, with the examples and the editor', async () => {
    // Plain node (20) cannot load a .ts file, so a module still resolved to its sources fails the start.
    const compiled = path.join(repoRoot, 'workers/dist/standalone.js');
    expect(existsSync(compiled), `${compiled} is missing: run "npm run build" first`).toBe(true);
    const port = await freePort();
    const standalone = spawnEntry(
      'standalone',
      { PORT: String(port), DATA_DIR: dataDir, REDIS_URL: testRedisUrl, REDIS_PREFIX: prefix, LOG_LEVEL: 'warn' },
      { build: 'compiled' },
    );
    try {
      await standalone.waitForOutput(/Convoflow is running/);
      const base = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await fetch(`${base}/ready`)).status === 200, { what: '/ready answering 200' });
      // Paths found from the compiled module's own folder: examples/ and editor/dist/ of the repository.
      expect(standalone.stdout).toMatch(/Examples: +chatwoot-csat, csat-crm-http, csat-google-sheets/);
      const editor = await fetch(`${base}/`);
      expect(editor.status).toBe(200);
      expect(await editor.text()).toContain('<title>Convoflow</title>');

      standalone.kill('SIGTERM');
      expect(await standalone.exited).toEqual({ code: 0, signal: null });
    } finally {
      await standalone.stop();
    }
  });

  it('keeps its keys across restarts and does not bring back an example the operator deleted', async () => {
    const env = {
      DATA_DIR: dataDir,
      REDIS_URL: testRedisUrl,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'warn',
    };
    const firstPort = await freePort();
    const first = spawnEntry('standalone', { ...env, PORT: String(firstPort) });
    let firstKey: string | undefined;
    try {
      [, firstKey] = await first.waitForOutput(/API key: +(\S+)/);
      const deleted = await fetch(`http://127.0.0.1:${firstPort}/api/workflows/low-score-alert`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${firstKey}` },
      });
      expect(deleted.status).toBeLessThan(300);
    } finally {
      expect(await first.stop()).toEqual({ code: 0, signal: null });
    }

    const port = await freePort();
    const second = spawnEntry('standalone', { ...env, PORT: String(port) });
    try {
      const [, secondKey] = await second.waitForOutput(/API key: +(\S+)/);
      expect(secondKey).toBe(firstKey);
      expect(second.stdout).toContain('kept from an earlier start');
      const listed = await fetch(`http://127.0.0.1:${port}/api/workflows`, {
        headers: { authorization: `Bearer ${secondKey}` },
      });
      const ids = ((await listed.json()) as { id: string }[]).map((workflow) => workflow.id);
      expect(ids).toContain('csat-google-sheets');
      expect(ids).not.toContain('low-score-alert');
    } finally {
      await second.stop();
    }
  });

  it('refuses a bad PORT with one line naming PORT, and exits 1', async () => {
    const standalone = spawnEntry('standalone', { PORT: 'abc', DATA_DIR: dataDir, REDIS_PREFIX: prefix });
    const exit = await standalone.exited;
    expect(exit.code).toBe(1);
    const lines = standalone.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: PORT must be a whole number/);
  });

  it('refuses an unreachable Redis with one line saying how to get one, and exits 1', async () => {
    const port = await closedPort();
    const standalone = spawnEntry('standalone', {
      REDIS_URL: `redis://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      REDIS_PREFIX: prefix,
    });
    const exit = await standalone.exited;
    expect(exit.code).toBe(1);
    const lines = standalone.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `Cannot reach Redis at redis://127.0.0.1:${port}: start one with "redis-server" or "docker compose up -d redis", or set REDIS_URL`,
    );
  });

  it('in production, refuses to start without the secrets in the environment', async () => {
    const worker = spawnEntry('worker', { NODE_ENV: 'production', DATA_DIR: dataDir, REDIS_PREFIX: prefix });
    expect((await worker.exited).code).toBe(1);
    expect(worker.stderr.trim()).toBe(
      'Invalid configuration: API_KEY, WEBHOOK_SECRET, ENCRYPTION_KEY must be set when NODE_ENV=production (generate each with "openssl rand -hex 32").',
    );
  });

  it('on SIGTERM lets the step in flight finish, and the run completes without a second CRM call', async () => {
    const webhookSecret = randomSecret();
    const chat = await startChatPlatform({ webhookSecret });
    const crm = await startCrm();
    const apiKey = randomSecret();
    const env = {
      DATA_DIR: dataDir,
      REDIS_URL: testRedisUrl,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'info',
      API_KEY: apiKey,
      WEBHOOK_SECRET: webhookSecret,
      ENCRYPTION_KEY: randomSecret(),
      CHANNEL_WEBHOOK_URL: chat.webhookUrl,
      HTTP_ALLOW_PRIVATE: 'true',
    };
    const call = (base: string, method: string, route: string, body?: unknown) =>
      fetch(`${base}${route}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    const firstPort = await freePort();
    const first = spawnEntry('standalone', { ...env, PORT: String(firstPort) });
    let second: SpawnedProcess | undefined;
    try {
      await first.waitForOutput(/Convoflow is running/);
      const firstBase = `http://127.0.0.1:${firstPort}`;
      expect((await call(firstBase, 'POST', '/api/workflows', recordWorkflow(crm.url))).status).toBe(201);
      expect((await call(firstBase, 'POST', '/api/workflows/record/publish')).status).toBe(200);

      const { arrived, release } = crm.hold();
      const event = closedEvent();
      const accepted = await platformClient({ baseUrl: firstBase, webhookSecret }).sendConversationClosed(event);
      expect(accepted.status).toBe(202);
      await arrived;
      first.kill('SIGTERM');
      await first.waitForOutput(/SIGTERM: shutting down/);
      release();
      expect(await first.exited).toEqual({ code: 0, signal: null });
      expect(crm.received).toHaveLength(1);

      const secondPort = await freePort();
      second = spawnEntry('standalone', { ...env, PORT: String(secondPort) });
      await second.waitForOutput(/Convoflow is running/);
      expect((await chat.nextMessage(event.conversation.id, { timeoutMs: 20_000 })).text).toBe('Recorded');
      await waitFor(async () => {
        const runs = await call(
          `http://127.0.0.1:${secondPort}`,
          'GET',
          `/api/runs?conversationId=${event.conversation.id}`,
        );
        expect(await runs.json()).toMatchObject([{ status: 'completed' }]);
        return true;
      });
      expect(crm.attempts).toHaveLength(1);
    } finally {
      await first.stop();
      await second?.stop();
      await chat.close();
      await crm.close();
    }
  });

  it('exits 1 at once on a second signal, without waiting for the step in flight', async () => {
    const webhookSecret = randomSecret();
    const crm = await startCrm();
    const apiKey = randomSecret();
    const port = await freePort();
    const standalone = spawnEntry('standalone', {
      PORT: String(port),
      DATA_DIR: dataDir,
      REDIS_URL: testRedisUrl,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'info',
      API_KEY: apiKey,
      WEBHOOK_SECRET: webhookSecret,
      ENCRYPTION_KEY: randomSecret(),
      HTTP_ALLOW_PRIVATE: 'true',
    });
    const held = crm.hold();
    try {
      await standalone.waitForOutput(/Convoflow is running/);
      const base = `http://127.0.0.1:${port}`;
      const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
      await fetch(`${base}/api/workflows`, { method: 'POST', headers, body: JSON.stringify(recordWorkflow(crm.url)) });
      expect((await fetch(`${base}/api/workflows/record/publish`, { method: 'POST', headers })).status).toBe(200);
      await platformClient({ baseUrl: base, webhookSecret }).sendConversationClosed(closedEvent());
      await held.arrived;

      standalone.kill('SIGTERM');
      await standalone.waitForOutput(/SIGTERM: shutting down/);
      standalone.kill('SIGTERM');
      expect(await standalone.exited).toEqual({ code: 1, signal: null });
      expect(standalone.stderr).toContain('SIGTERM again: exiting now without waiting for in-flight work.');
      expect(crm.received).toHaveLength(0);
    } finally {
      held.release();
      await standalone.stop();
      await crm.close();
    }
  });
});

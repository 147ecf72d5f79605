import type { RunDetail, StepLogEntry } from '@convoflow/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceAccountKey, startGoogleSheetsStandIn } from '../stand-ins/google-sheets.ts';
import { randomSecret } from '../support/product.ts';
import { deleteKeys, randomPrefix } from '../support/redis-keys.ts';
import { waitFor } from '../support/wait-for.ts';
import { Cleanup } from './support/cleanup.ts';
import { type ProductProcess, startProductProcess } from './support/product-process.ts';
import { type RecordingServer, startRecordingServer } from './support/recording-server.ts';

/**
 * Server-side request forgery, end to end: a workflow author must not make the server call its
 * own loopback, whether by IP literal (in any spelling) or by a DNS name resolving there, from
 * an HTTP step or through a Google connection's `apiEndpoint` — unless the operator sets
 * HTTP_ALLOW_PRIVATE=true. The product runs as `npm start` does, with the variable truly absent
 * from its environment.
 *
 * Every target here is on 127.0.0.0/8 or [::1]. Private, link-local and reserved addresses, and
 * redirects to them, are checked by the policy's decision (engine/src/net/*.test.ts), never by
 * connecting to them.
 */

const REFUSAL = 'may not reach loopback, private, link-local or reserved addresses';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

interface Targets {
  v4: RecordingServer;
  v6: RecordingServer;
  /** On 127.0.0.2, redirecting to the 127.0.0.1 target. */
  redirector: RecordingServer;
}

async function targets(): Promise<Targets> {
  const v4 = cleanup.add('127.0.0.1 target', await startRecordingServer('127.0.0.1'), (s) => s.close());
  const v6 = cleanup.add('[::1] target', await startRecordingServer('::1'), (s) => s.close());
  const redirector = cleanup.add(
    '127.0.0.2 redirector',
    await startRecordingServer('127.0.0.2', (req, res) => {
      res.writeHead(302, { location: `${v4.url}/hit${req.url}` });
      res.end();
    }),
    (s) => s.close(),
  );
  return { v4, v6, redirector };
}

let workflows = 0;

/** Publishes "shortcut → GET url" and runs it once; returns the HTTP step's log entry and the run. */
function callThroughRun(product: ProductProcess, url: string): Promise<{ step: StepLogEntry; run: RunDetail }> {
  const data = { method: 'GET', url, retries: 0, timeoutMs: 1_000, saveResponseAs: 'res' };
  return runStep(product, `GET ${url}`, { type: 'http.request', data });
}

/** Publishes "shortcut → step" and runs it once; returns the step's log entry and the run. */
async function runStep(
  product: ProductProcess,
  name: string,
  step: { type: string; data: Record<string, unknown> },
): Promise<{ step: StepLogEntry; run: RunDetail }> {
  const id = `call-${++workflows}`;
  const created = await product.api('POST', '/api/workflows', {
    id,
    name,
    nodes: [
      { id: 'start', type: 'trigger.shortcut', position: { x: 0, y: 0 }, data: { label: 'Call' } },
      { id: 'call', position: { x: 0, y: 150 }, ...step },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'call' }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await product.api('POST', `/api/workflows/${id}/publish`)).status).toBe(200);
  const started = await product.api('POST', `/api/workflows/${id}/shortcut`, {
    conversationId: `conv-${id}`,
    contact: { id: `contact-${id}` },
    triggeredBy: { id: 'agent-1' },
  });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const { runId } = started.body as { runId: string };
  const run = await waitFor(
    async () => {
      const got = await product.api('GET', `/api/runs/${runId}`);
      const detail = got.body as RunDetail;
      return detail.status === 'completed' || detail.status === 'failed' ? detail : null;
    },
    { timeoutMs: 20_000, what: `run ${runId} (${name}) to end` },
  );
  const entry = run.steps.find((candidate) => candidate.nodeId === 'call');
  expect(entry, JSON.stringify(run)).toBeDefined();
  return { step: entry!, run };
}

/** Loopback targets in the spellings an attacker tries; each names its own path on the 127.0.0.1 target. */
function loopbackSpellings(t: Targets): [string, string][] {
  const port = t.v4.port;
  return [
    ['127.0.0.1', `${t.v4.url}/hit/ip`],
    ['localhost (DNS name resolving to 127.0.0.1)', `http://localhost:${port}/hit/localhost`],
    ['[::1]', `${t.v6.url}/hit/v6`],
    ['127.1', `http://127.1:${port}/hit/short`],
    ['2130706433 (decimal)', `http://2130706433:${port}/hit/decimal`],
    ['0x7f.0.0.1 (hex)', `http://0x7f.0.0.1:${port}/hit/hex`],
    ['[::ffff:127.0.0.1] (IPv4-mapped)', `http://[::ffff:127.0.0.1]:${port}/hit/mapped`],
  ];
}

describe('the HTTP step, HTTP_ALLOW_PRIVATE unset', () => {
  it('refuses loopback targets however they are spelled, and the server gets nothing', async () => {
    const t = await targets();
    const product = cleanup.add('product process', await startProductProcess(), (p) => p.close());
    for (const [name, url] of loopbackSpellings(t)) {
      const { step, run } = await callThroughRun(product, url);
      expect({ name, exit: step.exit, refused: step.note?.includes(REFUSAL) }, step.note).toEqual({
        name,
        exit: 'failure',
        refused: true,
      });
      expect(run.variables.res).toEqual({ status: 0, body: null });
    }
    expect(t.v4.paths).toEqual([]);
    expect(t.v6.paths).toEqual([]);
  });
});

describe('the HTTP step, HTTP_ALLOW_PRIVATE=true', () => {
  it('reaches loopback targets by IP, DNS name and redirect', async () => {
    const t = await targets();
    const product = cleanup.add('product process', await startProductProcess({ HTTP_ALLOW_PRIVATE: 'true' }), (p) =>
      p.close(),
    );
    const reachable: [string, string][] = [
      ...loopbackSpellings(t),
      ['redirect from 127.0.0.2 to 127.0.0.1', `${t.redirector.url}/redirect`],
    ];
    for (const [name, url] of reachable) {
      const { step, run } = await callThroughRun(product, url);
      expect({ name, exit: step.exit }, step.note).toEqual({ name, exit: 'success' });
      expect(run.variables.res).toEqual({ status: 200, body: { reached: true } });
    }
    expect(t.v4.hits('/hit/ip')).toBe(1);
    expect(t.v4.hits('/hit/localhost')).toBe(1);
    expect(t.v6.hits('/hit/v6')).toBe(1);
    expect(t.redirector.paths).toEqual(['/redirect']);
    expect(t.v4.hits('/hit/redirect')).toBe(1);
  });
});

describe('a Google connection whose apiEndpoint is on loopback', () => {
  it('is refused when saved, naming apiEndpoint, unless HTTP_ALLOW_PRIVATE=true', async () => {
    const sheets = cleanup.add('Sheets stand-in', await startGoogleSheetsStandIn(), (s) => s.close());
    const connection = {
      id: 'google',
      type: 'google',
      name: 'Sheets',
      serviceAccountKey: createServiceAccountKey(),
    };
    const guarded = cleanup.add('product process', await startProductProcess(), (p) => p.close());
    for (const apiEndpoint of [sheets.url, sheets.url.replace('127.0.0.1', 'localhost'), 'http://[::1]:9/']) {
      const refused = await guarded.api('POST', '/api/connections', { ...connection, apiEndpoint });
      expect({ apiEndpoint, status: refused.status }).toEqual({ apiEndpoint, status: 400 });
      expect(refused.body).toMatchObject({
        code: 'FORBIDDEN_ADDRESS',
        message: expect.stringMatching(/^apiEndpoint .*HTTP_ALLOW_PRIVATE=true/),
      });
    }
    const open = cleanup.add('product process', await startProductProcess({ HTTP_ALLOW_PRIVATE: 'true' }), (p) =>
      p.close(),
    );
    expect((await open.api('POST', '/api/connections', { ...connection, apiEndpoint: sheets.url })).status).toBe(201);
    expect(sheets.requests).toEqual([]);
  });

  it('saved while private targets were allowed, is not called once they are not: the step fails and says why', async () => {
    const serviceAccountKey = createServiceAccountKey();
    const sheets = cleanup.add(
      'Sheets stand-in',
      await startGoogleSheetsStandIn({ serviceAccounts: [serviceAccountKey] }),
      (s) => s.close(),
    );
    sheets.addSpreadsheet('sheet-1', { CSAT: [['Conversation']] });
    // One install, restarted by its operator without HTTP_ALLOW_PRIVATE: same Redis keys, same encryption key.
    const install = { REDIS_PREFIX: randomPrefix(), ENCRYPTION_KEY: randomSecret() };
    cleanup.add('install keys', install.REDIS_PREFIX, deleteKeys);

    const before = await startProductProcess({ ...install, HTTP_ALLOW_PRIVATE: 'true' });
    try {
      const saved = await before.api('POST', '/api/connections', {
        id: 'google',
        type: 'google',
        name: 'Sheets',
        serviceAccountKey,
        apiEndpoint: sheets.url,
      });
      expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    } finally {
      await before.process.stop();
    }

    const after = cleanup.add('product process', await startProductProcess(install), (p) => p.process.stop());
    const data = {
      connectionId: 'google',
      spreadsheetId: 'sheet-1',
      sheet: 'CSAT',
      columns: [{ column: 'Conversation', value: '$conversation.id' }],
    };
    const { step } = await runStep(after, 'Add a row', { type: 'googleSheets.addRow', data });
    expect(step.exit).toBe('failure');
    expect(step.note).toMatch(/^Google Sheets was not called: 127\.0\.0\.1 is loopback/);
    expect(step.note).toContain(REFUSAL);
    expect(step.note).toContain('Check the apiEndpoint of connection "google"');
    expect(sheets.requests).toEqual([]);
  });
});

import { networkInterfaces } from 'node:os';
import type { RunDetail, StepLogEntry } from '@convoflow/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { isForbiddenAddress } from '../../nodes/http-request/address-policy.ts';
import { waitFor } from '../support/wait-for.ts';
import { Cleanup } from './support/cleanup.ts';
import { type ProductProcess, startProductProcess } from './support/product-process.ts';
import { type RecordingServer, startRecordingServer } from './support/recording-server.ts';

/**
 * Server-side request forgery: a workflow author must not make the server call its own
 * loopback, the private network or the cloud metadata address, whether by IP literal (in any
 * spelling), by a DNS name resolving there, or by a redirect from an address that is allowed —
 * unless the operator sets HTTP_ALLOW_PRIVATE=true. The product runs as `npm start` does, with
 * the variable truly absent from its environment.
 */

const REFUSAL = 'is a loopback, private or link-local address';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** This machine's own address that the policy allows (e.g. 192.0.2.2 here), if it has one. */
const allowedLocalAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && entry.family === 'IPv4' && !entry.internal && !isForbiddenAddress(entry.address))?.address;

interface Targets {
  v4: RecordingServer;
  v6: RecordingServer;
  redirector: RecordingServer | null;
}

async function targets(): Promise<Targets> {
  const v4 = cleanup.add('127.0.0.1 target', await startRecordingServer('127.0.0.1'), (s) => s.close());
  const v6 = cleanup.add('[::1] target', await startRecordingServer('::1'), (s) => s.close());
  const redirector = allowedLocalAddress
    ? cleanup.add(
        `redirector on ${allowedLocalAddress}`,
        await startRecordingServer(allowedLocalAddress, (req, res) => {
          res.writeHead(302, { location: `${v4.url}/hit${req.url}` });
          res.end();
        }),
        (s) => s.close(),
      )
    : null;
  return { v4, v6, redirector };
}

let workflows = 0;

/** Publishes "shortcut → GET url" and runs it once; returns the HTTP step's log entry and the run. */
async function callThroughRun(product: ProductProcess, url: string): Promise<{ step: StepLogEntry; run: RunDetail }> {
  const id = `call-${++workflows}`;
  const created = await product.api('POST', '/api/workflows', {
    id,
    name: `GET ${url}`,
    nodes: [
      { id: 'start', type: 'trigger.shortcut', position: { x: 0, y: 0 }, data: { label: 'Call' } },
      {
        id: 'call',
        type: 'http.request',
        position: { x: 0, y: 150 },
        data: { method: 'GET', url, retries: 0, timeoutMs: 1_000, saveResponseAs: 'res' },
      },
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
    { timeoutMs: 20_000, what: `run ${runId} calling ${url} to end` },
  );
  const step = run.steps.find((entry) => entry.nodeId === 'call');
  expect(step, JSON.stringify(run)).toBeDefined();
  return { step: step!, run };
}

/** Loopback and private targets in the spellings an attacker tries; each names its own path on the 127.0.0.1 target. */
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
    ['0.0.0.0', `http://0.0.0.0:${port}/hit/zero`],
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

  it('refuses private and link-local targets (10.0.0.1, 169.254.169.254) without connecting', async () => {
    const product = cleanup.add('product process', await startProductProcess(), (p) => p.close());
    for (const url of ['http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/']) {
      const { step } = await callThroughRun(product, url);
      expect({ url, exit: step.exit, note: step.note }).toMatchObject({
        url,
        exit: 'failure',
        note: expect.stringContaining(REFUSAL),
      });
    }
  });

  it.runIf(allowedLocalAddress)(
    `refuses a redirect from an allowed address (${allowedLocalAddress ?? 'none on this machine'}) to 127.0.0.1`,
    async () => {
      const t = await targets();
      const product = cleanup.add('product process', await startProductProcess(), (p) => p.close());
      const { step } = await callThroughRun(product, `${t.redirector!.url}/redirect`);
      expect(t.redirector!.paths).toEqual(['/redirect']);
      expect(step).toMatchObject({ exit: 'failure', note: expect.stringContaining(REFUSAL) });
      expect(t.v4.paths).toEqual([]);
    },
  );
});

describe('the HTTP step, HTTP_ALLOW_PRIVATE=true', () => {
  it('reaches loopback targets by IP, DNS name and redirect', async () => {
    const t = await targets();
    const product = cleanup.add('product process', await startProductProcess({ HTTP_ALLOW_PRIVATE: 'true' }), (p) =>
      p.close(),
    );
    const reachable = loopbackSpellings(t).filter(([name]) => !name.startsWith('0.0.0.0'));
    if (t.redirector) reachable.push(['redirect to 127.0.0.1', `${t.redirector.url}/redirect`]);
    for (const [name, url] of reachable) {
      const { step, run } = await callThroughRun(product, url);
      expect({ name, exit: step.exit }, step.note).toEqual({ name, exit: 'success' });
      expect(run.variables.res).toEqual({ status: 200, body: { reached: true } });
    }
    expect(t.v4.hits('/hit/ip')).toBe(1);
    expect(t.v4.hits('/hit/localhost')).toBe(1);
    expect(t.v6.hits('/hit/v6')).toBe(1);
    if (t.redirector) expect(t.v4.hits('/hit/redirect')).toBe(1);
  });

  it('lets private and link-local targets through the policy (they then fail only on the network)', async () => {
    const product = cleanup.add('product process', await startProductProcess({ HTTP_ALLOW_PRIVATE: 'true' }), (p) =>
      p.close(),
    );
    for (const url of ['http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data/']) {
      const { step } = await callThroughRun(product, url);
      expect(step.note, url).not.toContain(REFUSAL);
    }
  });
});

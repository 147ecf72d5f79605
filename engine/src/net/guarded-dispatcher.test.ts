import type { LookupAddress } from 'node:dns';
import { createServer, type RequestListener } from 'node:http';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, type Dispatcher, fetch, request } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { addressRefusal, forbiddenAddressIn } from './address-policy.ts';
import { closeOutboundDispatchers, guardedConnector, outboundConnector, outboundFetch } from './guarded-dispatcher.ts';

/**
 * Nothing here reaches beyond 127.0.0.0/8: targets outside it go to `jail`, which records the
 * address a socket would have been opened to and refuses instead. Names resolve through a
 * stand-in DNS, so no query leaves the machine either.
 */

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
afterAll(closeOutboundDispatchers);

const dns: Record<string, string[]> = {
  'metadata.test': ['169.254.169.254'],
  'mixed.test': ['93.184.216.34', '10.0.0.1'],
  'public.test': ['93.184.216.34'],
  'rebind.test': ['::ffff:7f00:1'],
};
async function resolve(hostname: string): Promise<LookupAddress[]> {
  const addresses = dns[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: isIP(address) }));
}

/** A connect step that opens real sockets only to 127.0.0.0/8 and records every address it is asked for. */
function jail(opened: string[]) {
  return (lookup: LookupFunction): buildConnector.connector => {
    const real = buildConnector({ lookup });
    return (target, callback) => {
      const open = (address: string) => {
        opened.push(address);
        if (address.startsWith('127.')) real(target, callback);
        else callback(new Error(`the test does not connect to ${address}`), null);
      };
      const host = target.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) !== 0) return open(host);
      lookup(host, {}, (error, address) => (error ? callback(error, null) : open(String(address))));
    };
  };
}

function agent(connect: buildConnector.connector): Dispatcher {
  const dispatcher = new Agent({ connect });
  closers.push(() => dispatcher.close());
  return dispatcher;
}

async function failureOf(call: Promise<unknown>): Promise<Error> {
  const error = await call.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error('the call was expected to fail');
  return error;
}

async function serve(host: string, listener: RequestListener): Promise<{ url: string; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    listener(req, res);
  });
  await new Promise<void>((done) => server.listen(0, host, done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  closers.push(
    () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  );
  return { url: `http://${host}:${address.port}`, paths };
}

const ok: RequestListener = (_req, res) => res.end('{"reached":true}');

describe('outboundConnector, HTTP_ALLOW_PRIVATE unset', () => {
  it.each([
    ['http://10.0.0.1/', /private/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://[fe80::1]/', /link-local/],
    ['http://0.0.0.0/', /"this network"/],
    ['http://[::ffff:a9fe:a9fe]/', /IPv4-mapped, standing for 169\.254\.169\.254/],
    ['http://[64:ff9b::a9fe:a9fe]/', /NAT64/],
    ['http://[2002:7f00:1::]/', /6to4, standing for 127\.0\.0\.1/],
    ['http://[::7f00:1]/', /IPv4-compatible/],
    ['http://metadata.test/', /metadata\.test \(169\.254\.169\.254\) is link-local/],
    ['http://mixed.test/', /mixed\.test \(10\.0\.0\.1\) is private/],
    ['http://rebind.test/', /standing for 127\.0\.0\.1/],
  ])('refuses %s without opening a socket', async (url, reason) => {
    const opened: string[] = [];
    const dispatcher = agent(outboundConnector(false, { resolve, connect: jail(opened) }));
    const error = await failureOf(request(url, { dispatcher }));
    expect(forbiddenAddressIn(error)?.message).toMatch(reason);
    expect(forbiddenAddressIn(error)?.message).toContain('HTTP_ALLOW_PRIVATE=true');
    expect(opened).toEqual([]);
  });

  it('lets a name resolving to public addresses through to the connect step', async () => {
    const opened: string[] = [];
    const dispatcher = agent(outboundConnector(false, { resolve, connect: jail(opened) }));
    const error = await failureOf(request('http://public.test/', { dispatcher }));
    expect(forbiddenAddressIn(error)).toBeNull();
    expect(opened).toEqual(['93.184.216.34']);
  });
});

describe('outboundConnector, HTTP_ALLOW_PRIVATE=true', () => {
  it('lets private, link-local and loopback targets through to the connect step', async () => {
    const opened: string[] = [];
    const dispatcher = agent(outboundConnector(true, { resolve, connect: jail(opened) }));
    for (const url of ['http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data/', 'http://metadata.test/']) {
      const error = await failureOf(request(url, { dispatcher }));
      expect(forbiddenAddressIn(error), url).toBeNull();
    }
    expect(opened).toEqual(['10.0.0.1', '169.254.169.254', '169.254.169.254']);
    const target = await serve('127.0.0.1', ok);
    expect((await request(`${target.url}/hit`, { dispatcher })).statusCode).toBe(200);
    expect(target.paths).toEqual(['/hit']);
  });
});

describe('redirects followed by fetch pass the guard at every hop', () => {
  // 127.0.0.2 stands for a public host: the policy below refuses only what the real one refuses, minus it.
  const refusal = (address: string) => (address === '127.0.0.2' ? null : addressRefusal(address));

  it.each([
    ['127.0.0.1 (loopback)', (internal: string) => `${internal}/admin`, /loopback/],
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/', /link-local/],
    ['a name resolving to it', () => 'http://metadata.test/', /link-local/],
  ])('refuses a redirect to %s', async (_name, location, reason) => {
    const internal = await serve('127.0.0.1', ok);
    const bouncer = await serve('127.0.0.2', (_req, res) => {
      res.writeHead(302, { location: location(internal.url) });
      res.end();
    });
    const opened: string[] = [];
    const dispatcher = agent(guardedConnector({ refusal, resolve, connect: jail(opened) }));
    const error = await failureOf(fetch(`${bouncer.url}/start`, { dispatcher }));
    expect(forbiddenAddressIn(error)?.message).toMatch(reason);
    expect(bouncer.paths).toEqual(['/start']);
    expect(internal.paths).toEqual([]);
    expect(opened).toEqual(['127.0.0.2']);
  });
});

describe('outboundFetch', () => {
  it('refuses a loopback target unless private targets are allowed, then reaches it', async () => {
    const target = await serve('127.0.0.1', ok);
    const refused = await failureOf(outboundFetch(false)(`${target.url}/guarded`));
    expect(forbiddenAddressIn(refused)?.message).toMatch(/^127\.0\.0\.1 is loopback/);
    expect(target.paths).toEqual([]);

    const response = await outboundFetch(true)(`${target.url}/open`, { method: 'POST', body: 'x' });
    expect(await response.json()).toEqual({ reached: true });
    expect(target.paths).toEqual(['/open']);
  });

  it('refuses a Request object, which it cannot read faithfully', async () => {
    const error = await failureOf(outboundFetch(true)(new Request('http://127.0.0.1:9/')));
    expect(error.message).toMatch(/takes a URL/);
  });
});

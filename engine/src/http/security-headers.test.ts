import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ASSET, type FakeEditor, writeFakeEditor } from './fake-editor.ts';
import { startTestApp, type TestApp } from './test-app.ts';

/** The policy's directives by name, e.g. `script-src` → `["'self'"]`. */
function directives(response: LightMyRequestResponse): Map<string, string[]> {
  const header = response.headers['content-security-policy'];
  expect(header, 'Content-Security-Policy header').toEqual(expect.any(String));
  const entries = String(header)
    .split(';')
    .map((directive) => directive.trim().split(/\s+/))
    .filter(([name]) => name)
    .map(([name = '', ...sources]): [string, string[]] => [name, sources]);
  return new Map(entries);
}

/** Swagger UI's pages alone may apply inline styles; no page may run inline script. */
const SWAGGER_STYLES = ["'self'", "'unsafe-inline'"];

function expectLockedDown(response: LightMyRequestResponse, styles?: string[]): void {
  const policy = directives(response);
  // Without its own directive, style-src falls back to default-src 'self'.
  expect(policy.get('style-src')).toEqual(styles);
  expect(policy.get('default-src')).toEqual(["'self'"]);
  expect(policy.get('script-src')).toEqual(["'self'"]);
  expect(policy.get('object-src')).toEqual(["'none'"]);
  expect(policy.get('base-uri')).toEqual(["'none'"]);
  expect(policy.get('form-action')).toEqual(["'self'"]);
  expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  // Served over plain HTTP, the editor would break if its requests were upgraded.
  expect(policy.has('upgrade-insecure-requests')).toBe(false);
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.headers['strict-transport-security']).toBeUndefined();
}

describe('security headers', () => {
  let t: TestApp;
  let editor: FakeEditor;
  beforeAll(async () => {
    editor = await writeFakeEditor();
    t = await startTestApp({ editorDir: editor.dir });
  });
  afterAll(async () => {
    await t.close();
    await editor.remove();
  });

  it.each([
    ['the editor page', '/', undefined],
    ['one of the editor’s own routes', '/workflows/wf-1/runs', undefined],
    ['an editor asset', FAKE_ASSET, undefined],
    ['Swagger UI', '/docs', SWAGGER_STYLES],
    ['a Swagger UI script', '/docs/static/swagger-ui-bundle.js', SWAGGER_STYLES],
    ['the OpenAPI document', '/docs/json', SWAGGER_STYLES],
    ['an open probe', '/health', undefined],
  ])('are sent with %s', async (_what, url, styles) => {
    const response = await t.app.inject({ url });
    expect(response.statusCode).toBe(200);
    expectLockedDown(response, styles);
  });

  it('are sent with API answers', async () => {
    const response = await t.api('GET', '/api/workflows');
    expect(response.statusCode).toBe(200);
    expectLockedDown(response);
  });

  it('are sent with errors: a refused API key, a JSON 404 and a rejected body', async () => {
    const refused = await t.app.inject({ url: '/api/workflows' });
    expect(refused.statusCode).toBe(401);
    expectLockedDown(refused);

    const missing = await t.api('GET', '/api/nowhere');
    expect(missing.statusCode).toBe(404);
    expectLockedDown(missing);

    const invalid = await t.api('POST', '/api/workflows', { id: 42 });
    expect(invalid.statusCode).toBe(400);
    expectLockedDown(invalid);
  });
});

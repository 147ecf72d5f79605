import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ASSET, type FakeEditor, writeFakeEditor } from './fake-editor.ts';
import { startTestApp, type TestApp } from './test-app.ts';

describe('the built editor at /', () => {
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

  it('serves index.html at / without the API key, revalidated on each load', async () => {
    const response = await t.app.inject({ url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('id="root"');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('caches hashed assets for a year', async () => {
    const response = await t.app.inject({ url: FAKE_ASSET });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it("answers the app's own routes with index.html", async () => {
    const response = await t.app.inject({ url: '/workflows/wf-1/runs' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
  });

  it('answers unknown /api paths with a JSON 404, not the editor page, key or not', async () => {
    for (const response of [await t.app.inject({ url: '/api/nowhere' }), await t.api('GET', '/api/nowhere')]) {
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('NOT_FOUND');
    }
  });
});

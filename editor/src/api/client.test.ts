import { afterEach, describe, expect, it } from 'vitest';
import { editorName } from '../app/editorName.ts';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import { api } from './client.ts';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  localStorage.clear();
});

describe('the API client', () => {
  it('says who calls on every call, so the audit log names the person behind the install key', async () => {
    server = await startTestServer({
      'DELETE /api/workflows/csat': () => ({ status: 204 }),
      'POST /api/connections': () => ({ status: 201, json: { id: 'crm-token', type: 'secret', name: 'CRM token' } }),
    });
    editorName.set('Zoë Ng');
    await api.workflows.delete('csat');
    await api.connections.create({ type: 'secret', id: 'crm-token', name: 'CRM token', value: 'v' });
    expect(server.requests.map((request) => request.headers['x-editor-name'])).toEqual([
      encodeURIComponent('Zoë Ng'),
      encodeURIComponent('Zoë Ng'),
    ]);
  });
});

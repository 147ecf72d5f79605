import type { ApiKeyCreated, ApiKeySummary } from '@convoflow/engine';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import KeysPage from './KeysPage.tsx';

const hour = 3_600_000;
let keys: ApiKeySummary[];
let server: TestServer;

const summary = (id: string, name: string, role: ApiKeySummary['role'], lastUsedAt: number | null): ApiKeySummary => ({
  id,
  name,
  role,
  prefix: `cf_${id}`,
  createdAt: Date.now() - 2 * hour,
  createdBy: 'API key',
  lastUsedAt,
  revokedAt: null,
});

beforeEach(async () => {
  keys = [summary('n8n', 'n8n', 'editor', Date.now() - hour), summary('macro', 'Chatwoot macro', 'agent', null)];
  server = await startTestServer({
    'GET /api/keys': () => ({ json: keys }),
    'POST /api/keys': (request) => {
      const input = request.body as { name: string; role: ApiKeySummary['role'] };
      if (input.name === 'taken')
        return { status: 409, json: { code: 'KEY_NAME_TAKEN', message: 'A key named "taken" exists already' } };
      const created: ApiKeyCreated = { ...summary('grace', input.name, input.role, null), key: 'cf_grace_secret' };
      keys = [...keys, summary('grace', input.name, input.role, null)];
      return { status: 201, json: created };
    },
    'DELETE /api/keys/n8n': () => {
      keys = keys.map((key) => (key.id === 'n8n' ? { ...key, revokedAt: Date.now() } : key));
      return { status: 204 };
    },
  });
});

afterEach(async () => {
  cleanup();
  await server.close();
});

describe('the API keys page', () => {
  it('lists the keys with their role in words, prefix, creator and last use', async () => {
    render(<KeysPage />);
    const row = await screen.findByTestId('key-row-n8n');
    expect(row.textContent).toContain('Editor');
    expect(row.textContent).toContain('cf_n8n…');
    expect(row.textContent).toContain('by API key');
    expect(row.textContent).toContain('1 hour ago');
    expect(screen.getByTestId('key-row-macro').textContent).toContain('never');
  });

  it('makes a key and shows it once, with a warning, then never again', async () => {
    render(<KeysPage />);
    await screen.findByTestId('key-row-n8n');
    fireEvent.click(screen.getByTestId('new-key'));
    const dialog = screen.getByTestId('new-key-dialog');
    expect(dialog.textContent).toContain('Reads workflows, runs, versions and dashboards; changes nothing.');
    fireEvent.change(within(dialog).getByTestId('new-key-name'), { target: { value: 'Grace' } });
    fireEvent.click(within(dialog).getByTestId('new-key-role-viewer'));
    fireEvent.submit(dialog);

    const shown = await screen.findByTestId('created-key-dialog');
    expect((within(shown).getByTestId('created-key') as HTMLInputElement).value).toBe('cf_grace_secret');
    expect(shown.textContent).toContain('A viewer key. Copy it now');
    expect(shown.textContent).toContain('it will not be shown again');
    expect(server.requests.find((request) => request.method === 'POST')?.body).toEqual({
      name: 'Grace',
      role: 'viewer',
    });
    await screen.findByTestId('key-row-grace');

    fireEvent.click(within(shown).getByTestId('created-key-done'));
    expect(screen.queryByTestId('created-key-dialog')).toBeNull();
    expect(document.body.textContent).not.toContain('cf_grace_secret');
  });

  it('says in words why a key was not made, and keeps the dialog open', async () => {
    render(<KeysPage />);
    await screen.findByTestId('key-row-n8n');
    fireEvent.click(screen.getByTestId('new-key'));
    const dialog = screen.getByTestId('new-key-dialog');
    fireEvent.change(within(dialog).getByTestId('new-key-name'), { target: { value: 'taken' } });
    fireEvent.submit(dialog);
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'The key was not created: A key named "taken" exists already',
    );
  });

  it('revokes a key after a confirmation naming it', async () => {
    render(<KeysPage />);
    const row = await screen.findByTestId('key-row-n8n');
    fireEvent.click(within(row).getByRole('button', { name: 'Revoke n8n' }));
    const confirm = screen.getByTestId('confirm-revoke');
    expect(confirm.textContent).toContain('Revoke “n8n”?');
    expect(confirm.textContent).toContain('cf_n8n…');
    fireEvent.submit(confirm);
    await waitFor(() => expect(screen.getByTestId('key-row-n8n').textContent).toContain('Revoked'));
    expect(within(screen.getByTestId('key-row-n8n')).queryByRole('button', { name: 'Revoke n8n' })).toBeNull();
    expect(server.requests.some((request) => request.method === 'DELETE')).toBe(true);
  });
});

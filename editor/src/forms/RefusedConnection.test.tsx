import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import { ConnectionField } from './ConnectionField.tsx';

let server: TestServer | undefined;
afterEach(async () => {
  cleanup();
  await server?.close();
  server = undefined;
});

const google = { id: 'google', type: 'google', name: 'Sheets', clientEmail: 'bot@example.com', createdAt: 1 };

describe('a Google connection in the step form', () => {
  it('shows since when Google refuses it and why, and a check that clears it', async () => {
    let refused = true;
    server = await startTestServer({
      'GET /api/connections': () => ({
        json: [
          refused
            ? {
                ...google,
                refusedAt: Date.now() - 5 * 60_000,
                refusedReason: 'Google rejected the credentials of bot@example.com',
              }
            : google,
        ],
      }),
      'POST /api/connections/google/check': () => {
        refused = false;
        return { json: { ok: true, detail: 'Google accepted the key of bot@example.com.' } };
      },
    });
    const user = userEvent.setup();
    render(<ConnectionField id="connection" value="google" onChange={() => {}} />);

    const notice = await screen.findByTestId('connection-refused');
    expect(notice.textContent).toBe('Refused since 5 minutes ago: Google rejected the credentials of bot@example.com');
    expect(screen.getByRole('option', { name: 'Sheets (google) — refused by Google' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Check connection' }));
    expect((await screen.findByRole('status')).textContent).toBe('Google accepted the key of bot@example.com.');
    await waitFor(() => expect(screen.queryByTestId('connection-refused')).toBeNull());
  });
});

describe('replacing the key of a refused Google connection', () => {
  it('sends the new key for the same connection and shows it accepted', async () => {
    let refused = true;
    server = await startTestServer({
      'GET /api/connections': () => ({
        json: [
          refused ? { ...google, refusedAt: Date.now(), refusedReason: 'Google rejected the credentials' } : google,
        ],
      }),
      'PATCH /api/connections/google': () => {
        refused = false;
        return { json: google };
      },
    });
    const user = userEvent.setup();
    render(<ConnectionField id="connection" value="google" onChange={() => {}} />);
    await screen.findByTestId('connection-refused');

    await user.click(screen.getByRole('button', { name: 'Replace key' }));
    const key = screen.getByLabelText('New service-account key (JSON)');
    await user.type(key, 'not json');
    await user.click(screen.getByRole('button', { name: 'Save new key' }));
    await screen.findByText(/not valid JSON/);

    await user.clear(key);
    await user.click(key);
    await user.paste('{"client_email":"new@example.com","private_key":"-----BEGIN PRIVATE KEY-----"}');
    await user.click(screen.getByRole('button', { name: 'Save new key' }));
    await waitFor(() => expect(screen.queryByTestId('replace-key-dialog')).toBeNull());
    expect(server.requests.find((request) => request.method === 'PATCH')?.body).toEqual({
      serviceAccountKey: { client_email: 'new@example.com', private_key: '-----BEGIN PRIVATE KEY-----' },
    });
    await waitFor(() => expect(screen.queryByTestId('connection-refused')).toBeNull());
  });
});

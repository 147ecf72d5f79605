import type { Me } from '@convoflow/engine';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { apiKey } from '../api/client.ts';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import { App } from './App.tsx';
import { me } from './useMe.ts';

let server: TestServer | undefined;
const ed: Me = { kind: 'user', id: 'u-ed', name: 'Ed Example', role: 'editor' };

async function serve(who: Me | null) {
  server = await startTestServer({
    'GET /api/me': () => (who ? { json: who } : { status: 401, json: { code: 'UNAUTHORIZED', message: 'Sign in' } }),
    'GET /api/workflows': () => ({ json: [] }),
    'DELETE /api/session': () => ({ status: 204 }),
    'GET /api/account/link/tok-9': () => ({ json: { kind: 'reset', email: 'ed@example.com' } }),
    'GET /ready': () => ({ json: { status: 'ok' } }),
  });
}

afterEach(async () => {
  cleanup();
  me.set(null);
  sessionStorage.clear();
  localStorage.clear();
  window.location.hash = '';
  await server?.close();
  server = undefined;
});

describe('a person signed in with a session', () => {
  it('stays signed in on a reload (the cookie), is named by the account, and signs out on the server', async () => {
    await serve(ed);
    render(<App />);
    expect((await screen.findByTestId('signed-in-as')).textContent).toBe('Ed Example · Editor');
    const calls = server?.requests.filter((request) => request.url.pathname === '/api/workflows') ?? [];
    expect(calls[0]?.headers.authorization).toBeUndefined();
    expect(calls[0]?.headers['x-editor-name']).toBeUndefined();
    fireEvent.click(screen.getByTestId('sign-out'));
    await screen.findByTestId('sign-in-email');
    await waitFor(() => expect(server?.requests.some((request) => request.method === 'DELETE')).toBe(true));
    expect(me.get()).toBeNull();
  });

  it('sends the person back to sign-in, saying the session ended, when a call is refused', async () => {
    let signedIn = true;
    server = await startTestServer({
      'GET /api/me': () =>
        signedIn ? { json: ed } : { status: 401, json: { code: 'UNAUTHORIZED', message: 'Sign in' } },
      'GET /api/workflows': () =>
        signedIn ? { json: [] } : { status: 401, json: { code: 'UNAUTHORIZED', message: 'Sign in' } },
      'GET /ready': () => ({ json: { status: 'ok' } }),
    });
    render(<App />);
    await screen.findByTestId('signed-in-as');
    signedIn = false;
    window.location.hash = '#/channels';
    window.location.hash = '#/';
    expect((await screen.findByRole('status')).textContent).toContain('Your session ended');
    expect(screen.getByTestId('sign-in-email')).toBeTruthy();
  });

  it('shows the sign-in page when there is no session, and never asks the key way for a key', async () => {
    await serve(null);
    render(<App />);
    await screen.findByTestId('sign-in-email');
    expect(apiKey.get()).toBeNull();
  });

  it('opens a one-time link without signing in', async () => {
    await serve(null);
    window.location.hash = '#/reset/tok-9';
    render(<App />);
    await screen.findByTestId('link-page-reset');
    expect((await screen.findByTestId('link-account')).textContent).toBe('Account: ed@example.com');
  });
});

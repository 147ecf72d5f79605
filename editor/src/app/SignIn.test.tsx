import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiKey } from '../api/client.ts';
import { type Reply, startTestServer, type TestServer } from '../shared/testServer.ts';
import { defaultEditorName, editorName } from './editorName.ts';
import { SignIn } from './SignIn.tsx';
import { me } from './useMe.ts';

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({ 'GET /api/workflows': () => ({ json: [] }) });
});

afterEach(async () => {
  cleanup();
  me.set(null);
  localStorage.clear();
  sessionStorage.clear();
  await server.close();
});

describe('the sign-in page', () => {
  it('asks for the name saves go under, offering the browser default, and keeps the one typed', async () => {
    const signedIn = vi.fn();
    render(<SignIn message={null} onSignedIn={signedIn} />);
    fireEvent.click(screen.getByTestId('use-api-key'));
    const name = screen.getByTestId('editor-name') as HTMLInputElement;
    expect(name.value).toBe(defaultEditorName(navigator.userAgent));

    fireEvent.change(screen.getByTestId('api-key'), { target: { value: 'key' } });
    fireEvent.change(name, { target: { value: 'Grace Hopper' } });
    fireEvent.click(screen.getByTestId('sign-in'));
    await waitFor(() => expect(signedIn).toHaveBeenCalled());
    expect(editorName.get()).toBe('Grace Hopper');

    cleanup();
    render(<SignIn message={null} onSignedIn={signedIn} />);
    expect((screen.getByTestId('editor-name') as HTMLInputElement).value).toBe('Grace Hopper');
  });
});

describe('signing in with e-mail and password', () => {
  const ana = { kind: 'user', id: 'u-ana', name: 'Ana', role: 'editor' } as const;

  async function serveSession(reply: Reply) {
    await server.close();
    server = await startTestServer({ 'POST /api/session': () => reply, 'GET /api/me': () => ({ json: ana }) });
  }

  function signInWith(email: string, password: string) {
    fireEvent.change(screen.getByTestId('sign-in-email'), { target: { value: email } });
    fireEvent.change(screen.getByTestId('sign-in-password'), { target: { value: password } });
    fireEvent.click(screen.getByTestId('sign-in'));
  }

  it('is offered first; the session cookie signs in, with no key and no name header', async () => {
    await serveSession({ status: 204 });
    const signedIn = vi.fn();
    render(<SignIn message={null} onSignedIn={signedIn} />);
    signInWith(' ana@example.com ', 'correct horse battery');
    await waitFor(() => expect(signedIn).toHaveBeenCalled());
    expect(server.requests[0]?.body).toEqual({ email: 'ana@example.com', password: 'correct horse battery' });
    const who = server.requests.find((request) => request.url.pathname === '/api/me');
    expect(who?.headers.authorization).toBeUndefined();
    expect(who?.headers['x-editor-name']).toBeUndefined();
    expect(me.get()).toEqual(ana);
    expect(apiKey.get()).toBeNull();
  });

  it('says a wrong e-mail or password in words, the same for both', async () => {
    await serveSession({ status: 401, json: { code: 'SIGN_IN_FAILED', message: 'Wrong e-mail or password.' } });
    const signedIn = vi.fn();
    render(<SignIn message={null} onSignedIn={signedIn} />);
    signInWith('ana@example.com', 'wrong');
    expect((await screen.findByTestId('sign-in-error')).textContent).toBe('Wrong e-mail or password.');
    expect(signedIn).not.toHaveBeenCalled();
  });

  it('says how long to wait after too many attempts', async () => {
    await serveSession({
      status: 429,
      json: { code: 'TOO_MANY_SIGN_INS', message: 'Too many failed sign-ins', details: { retryAfterSeconds: 290 } },
    });
    render(<SignIn message={null} onSignedIn={vi.fn()} />);
    signInWith('ana@example.com', 'wrong again');
    expect((await screen.findByTestId('sign-in-error')).textContent).toBe(
      'Too many attempts. Try again in 5 minutes, or ask an owner for a password reset link.',
    );
  });

  it('offers the API key instead, and remembers the way used last', async () => {
    const signedIn = vi.fn();
    render(<SignIn message={null} onSignedIn={signedIn} />);
    expect(screen.queryByTestId('api-key')).toBeNull();
    fireEvent.click(screen.getByTestId('use-api-key'));
    fireEvent.change(screen.getByTestId('api-key'), { target: { value: 'key' } });
    fireEvent.click(screen.getByTestId('sign-in'));
    await waitFor(() => expect(signedIn).toHaveBeenCalled());
    cleanup();
    render(<SignIn message={null} onSignedIn={vi.fn()} />);
    expect(screen.getByTestId('api-key')).toBeTruthy();
    fireEvent.click(screen.getByTestId('use-password'));
    expect(screen.getByTestId('sign-in-email')).toBeTruthy();
  });
});

import type { AccountLinkInfo, Me } from '@convoflow/engine';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Reply, startTestServer, type TestServer } from '../shared/testServer.ts';
import { AccountLinkPage } from './AccountLinkPage.tsx';
import { me } from './useMe.ts';

let server: TestServer | undefined;
const olivia: Me = { kind: 'user', id: 'u-olivia', name: 'Olivia', role: 'owner' };

async function serve(info: Reply, answer: Reply = { json: { ok: true } }) {
  server = await startTestServer({
    'GET /api/account/link/tok-1': () => info,
    'POST /api/account/password': () => answer,
    'GET /api/me': () => ({ json: olivia }),
  });
}

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });
const posted = () => server?.requests.find((request) => request.method === 'POST')?.body;

afterEach(async () => {
  cleanup();
  me.set(null);
  window.location.hash = '';
  await server?.close();
  server = undefined;
});

describe('the one-time link pages', () => {
  it("creates the owner on the first start's link, then signs in on the workflow list", async () => {
    await serve({ json: { kind: 'first-start' } satisfies AccountLinkInfo });
    window.location.hash = '#/welcome/tok-1';
    const signedIn = vi.fn();
    render(<AccountLinkPage kind="welcome" token="tok-1" onSignedIn={signedIn} />);
    expect(screen.getByRole('heading').textContent).toBe('Create the owner account');
    expect(screen.getByTestId('link-page-welcome').textContent).toContain('At least 12 characters');
    type('link-name', 'Olivia');
    type('link-email', 'olivia@example.com');
    type('link-password', 'short');
    type('link-password-again', 'short');
    fireEvent.click(screen.getByTestId('link-submit'));
    expect(screen.getByTestId('link-error').textContent).toBe('The password needs at least 12 characters.');
    type('link-password', 'a long enough password');
    fireEvent.click(screen.getByTestId('link-submit'));
    expect(screen.getByTestId('link-error').textContent).toBe('The two passwords are not the same.');
    expect(posted()).toBeUndefined();

    type('link-password-again', 'a long enough password');
    fireEvent.click(screen.getByTestId('link-submit'));
    await waitFor(() => expect(signedIn).toHaveBeenCalled());
    expect(posted()).toEqual({
      token: 'tok-1',
      password: 'a long enough password',
      name: 'Olivia',
      email: 'olivia@example.com',
    });
    expect(me.get()).toEqual(olivia);
    expect(window.location.hash).toBe('#/');
  });

  it('prefills the invited name, names the account, and sends no e-mail of its own', async () => {
    await serve({ json: { kind: 'invite', name: 'Ed', email: 'ed@example.com' } satisfies AccountLinkInfo });
    render(<AccountLinkPage kind="invite" token="tok-1" onSignedIn={vi.fn()} />);
    await waitFor(() => expect((screen.getByTestId('link-name') as HTMLInputElement).value).toBe('Ed'));
    expect(screen.getByTestId('link-account').textContent).toBe('Account: ed@example.com');
    expect(screen.queryByTestId('link-email')).toBeNull();
    type('link-password', 'twelve chars ok');
    type('link-password-again', 'twelve chars ok');
    fireEvent.click(screen.getByTestId('link-submit'));
    await waitFor(() => expect(posted()).toEqual({ token: 'tok-1', password: 'twelve chars ok', name: 'Ed' }));
  });

  it('asks only for the new password on a reset link', async () => {
    await serve({ json: { kind: 'reset', name: 'Vi', email: 'vi@example.com' } satisfies AccountLinkInfo });
    render(<AccountLinkPage kind="reset" token="tok-1" onSignedIn={vi.fn()} />);
    await screen.findByTestId('link-account');
    expect(screen.getByRole('heading').textContent).toBe('Choose a new password');
    expect(screen.queryByTestId('link-name')).toBeNull();
    type('link-password', 'a new long password');
    type('link-password-again', 'a new long password');
    fireEvent.click(screen.getByTestId('link-submit'));
    await waitFor(() => expect(posted()).toEqual({ token: 'tok-1', password: 'a new long password' }));
  });

  it('says in words that a used or expired link no longer works', async () => {
    const message = 'This link does not work any more: it was used already, it expired. Ask an owner for a new link.';
    await serve({ status: 400, json: { code: 'LINK_INVALID', message } });
    render(<AccountLinkPage kind="invite" token="tok-1" onSignedIn={vi.fn()} />);
    expect((await screen.findByTestId('link-dead')).textContent).toBe(message);
    expect(screen.queryByTestId('link-password')).toBeNull();
  });
});

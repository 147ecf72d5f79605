import type { AccountLink, UserPatch, UserSummary } from '@convoflow/engine';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { me } from '../app/useMe.ts';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import UsersPage from './UsersPage.tsx';

const hour = 3_600_000;
const link: AccountLink = { url: 'http://127.0.0.1/#/invite/tok-grace', expiresAt: Date.now() + 24 * hour };
let users: UserSummary[];
let server: TestServer;

const user = (id: string, name: string, role: UserSummary['role'], more: Partial<UserSummary> = {}): UserSummary => ({
  id,
  email: `${id}@example.com`,
  name,
  role,
  createdAt: Date.now() - 48 * hour,
  lastSignInAt: Date.now() - hour,
  deactivatedAt: null,
  pending: false,
  ...more,
});

const lastOwner = 'Olivia is the last active owner: make another user an owner first.';

beforeEach(async () => {
  users = [
    user('olivia', 'Olivia', 'owner'),
    user('ed', 'Ed', 'editor'),
    user('pat', 'Pat', 'viewer', { pending: true, lastSignInAt: null }),
    user('old', 'Old timer', 'agent', { deactivatedAt: Date.now() - 2 * hour }),
  ];
  me.set({ kind: 'user', id: 'olivia', name: 'Olivia', role: 'owner' });
  const patch = (id: string) => (request: { body: unknown }) => {
    const change = request.body as UserPatch;
    if (id === 'olivia') return { status: 409, json: { code: 'LAST_OWNER', message: lastOwner } };
    users = users.map((each) =>
      each.id !== id
        ? each
        : {
            ...each,
            ...(change.role ? { role: change.role } : {}),
            ...(change.active === undefined ? {} : { deactivatedAt: change.active ? null : Date.now() }),
          },
    );
    return { json: users.find((each) => each.id === id) };
  };
  server = await startTestServer({
    'GET /api/users': () => ({ json: users }),
    'POST /api/users': (request) => {
      const input = request.body as { name: string; email: string; role: UserSummary['role'] };
      const invited = user('grace', input.name, input.role, { email: input.email, pending: true, lastSignInAt: null });
      users = [...users, invited];
      return { status: 201, json: { user: invited, link } };
    },
    'PATCH /api/users/olivia': patch('olivia'),
    'PATCH /api/users/ed': patch('ed'),
    'POST /api/users/ed/reset-link': () => ({ json: { ...link, url: 'http://127.0.0.1/#/reset/tok-ed' } }),
    'POST /api/users/pat/reset-link': () => ({ json: { ...link, url: 'http://127.0.0.1/#/invite/tok-pat' } }),
  });
});

afterEach(async () => {
  cleanup();
  me.set(null);
  await server.close();
});

const patches = () => server.requests.filter((request) => request.method === 'PATCH');

describe('the users page', () => {
  it('lists each person with role, last sign-in and whether invited or deactivated', async () => {
    render(<UsersPage />);
    const olivia = await screen.findByTestId('user-row-olivia');
    expect(olivia.textContent).toContain('Olivia (you)');
    expect(olivia.textContent).toContain('1 hour ago');
    expect((within(olivia).getByLabelText('Role of Olivia') as HTMLSelectElement).value).toBe('owner');
    expect(screen.getByTestId('user-status-ed').textContent).toBe('Active');
    expect(screen.getByTestId('user-row-pat').textContent).toContain('never');
    expect(screen.getByTestId('user-status-pat').textContent).toBe('Invited, no password yet');
    const old = screen.getByTestId('user-row-old');
    expect(old.textContent).toContain('Agent');
    expect(screen.getByTestId('user-status-old').textContent).toContain('Deactivated 2 hours ago');
    expect(within(old).getByRole('button', { name: 'Reactivate Old timer' })).toBeTruthy();
  });

  it('invites by a link shown once, saying no e-mail is sent and until when it works', async () => {
    render(<UsersPage />);
    await screen.findByTestId('user-row-olivia');
    fireEvent.click(screen.getByTestId('invite-user'));
    const dialog = screen.getByTestId('invite-dialog');
    fireEvent.change(within(dialog).getByTestId('invite-name'), { target: { value: 'Grace' } });
    fireEvent.change(within(dialog).getByTestId('invite-email'), { target: { value: 'grace@example.com' } });
    fireEvent.click(within(dialog).getByTestId('invite-role-viewer'));
    fireEvent.submit(dialog);

    const shown = await screen.findByTestId('user-link-dialog');
    expect((within(shown).getByTestId('user-link') as HTMLInputElement).value).toBe(link.url);
    expect(shown.textContent).toContain('No e-mail is sent');
    expect(within(shown).getByTestId('user-link-expiry').textContent).not.toBe('');
    expect(server.requests.find((request) => request.method === 'POST')?.body).toEqual({
      name: 'Grace',
      email: 'grace@example.com',
      role: 'viewer',
    });
    await screen.findByTestId('user-row-grace');
    fireEvent.click(within(shown).getByTestId('user-link-done'));
    expect(document.body.textContent).not.toContain('tok-grace');
    expect(document.body.innerHTML).not.toContain('tok-grace');
  });

  it('changes a role from its select', async () => {
    render(<UsersPage />);
    const select = within(await screen.findByTestId('user-row-ed')).getByLabelText('Role of Ed');
    fireEvent.change(select, { target: { value: 'viewer' } });
    await waitFor(() => expect((screen.getByLabelText('Role of Ed') as HTMLSelectElement).value).toBe('viewer'));
    expect(patches()[0]?.body).toEqual({ role: 'viewer' });
  });

  it("refuses leaving no owner in the server's words, and keeps the role shown", async () => {
    render(<UsersPage />);
    const select = within(await screen.findByTestId('user-row-olivia')).getByLabelText('Role of Olivia');
    fireEvent.change(select, { target: { value: 'editor' } });
    expect((await screen.findByTestId('users-error')).textContent).toBe(`Olivia is still owner: ${lastOwner}`);
    // The list reloads after the refusal; the refusal stays said.
    await waitFor(() => expect(server.requests.filter((request) => request.method === 'GET')).toHaveLength(2));
    await waitFor(() => expect((screen.getByLabelText('Role of Olivia') as HTMLSelectElement).value).toBe('owner'));
    expect(screen.getByTestId('users-error').textContent).toBe(`Olivia is still owner: ${lastOwner}`);
  });

  it('deactivates after a confirmation saying what it does', async () => {
    render(<UsersPage />);
    const row = await screen.findByTestId('user-row-ed');
    fireEvent.click(within(row).getByRole('button', { name: 'Deactivate Ed' }));
    const confirm = screen.getByTestId('confirm-user-active');
    expect(confirm.textContent).toContain('Deactivate Ed?');
    expect(confirm.textContent).toContain('can no longer sign in, and their open sessions end now');
    expect(patches()).toEqual([]);
    fireEvent.submit(confirm);
    await waitFor(() => expect(screen.getByTestId('user-status-ed').textContent).toContain('Deactivated'));
    expect(patches()[0]?.body).toEqual({ active: false });
  });

  it('keeps the confirmation open with the refusal when the last owner would be deactivated', async () => {
    render(<UsersPage />);
    const row = await screen.findByTestId('user-row-olivia');
    fireEvent.click(within(row).getByRole('button', { name: 'Deactivate Olivia' }));
    const confirm = screen.getByTestId('confirm-user-active');
    fireEvent.submit(confirm);
    expect((await within(confirm).findByRole('alert')).textContent).toBe(`Olivia was not deactivated: ${lastOwner}`);
  });

  it('makes a password reset link to hand over', async () => {
    render(<UsersPage />);
    const row = await screen.findByTestId('user-row-ed');
    fireEvent.click(within(row).getByRole('button', { name: 'Reset password link for Ed' }));
    const shown = await screen.findByTestId('user-link-dialog');
    expect(shown.textContent).toContain('Password reset link for Ed');
    expect((within(shown).getByTestId('user-link') as HTMLInputElement).value).toBe('http://127.0.0.1/#/reset/tok-ed');
  });

  it('offers a pending invitation a new invitation link instead of a reset', async () => {
    render(<UsersPage />);
    const row = await screen.findByTestId('user-row-pat');
    expect(within(row).queryByRole('button', { name: 'Reset password link for Pat' })).toBeNull();
    fireEvent.click(within(row).getByRole('button', { name: 'New invitation link for Pat' }));
    const shown = await screen.findByTestId('user-link-dialog');
    expect(shown.textContent).toContain('New invitation for Pat');
    expect(shown.textContent).toContain('an earlier link for Pat no longer works');
  });
});

import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Reply, startTestServer, type TestServer } from '../shared/testServer.ts';
import type { ChannelConnection } from './channel-fields.ts';
import { EditChannelDialog } from './EditChannelDialog.tsx';
import { deskConnection as desk, helpdesk } from './helpdesk.fixture.ts';

let server: TestServer;
afterEach(async () => {
  cleanup();
  await server.close();
});

const updated = { ...desk, name: 'Front desk', secretsSet: ['apiToken', 'signingKey'] };

/** The dialog editing `connection` over a server answering the PATCH with `reply`. */
async function openEdit(reply: Reply = { json: updated }, connection: ChannelConnection = desk) {
  server = await startTestServer({ [`PATCH /api/connections/${connection.id}`]: () => reply });
  const onSaved = vi.fn();
  render(<EditChannelDialog connection={connection} definition={helpdesk} onClose={() => {}} onSaved={onSaved} />);
  return { dialog: screen.getByRole('dialog', { name: 'Edit the Test Helpdesk connection' }), onSaved };
}

const input = (dialog: HTMLElement, label: string) =>
  within(dialog).getByLabelText(label, { exact: false }) as HTMLInputElement;
const type = (dialog: HTMLElement, label: string, value: string) =>
  fireEvent.change(input(dialog, label), { target: { value } });
const save = (dialog: HTMLElement) => fireEvent.click(within(dialog).getByRole('button', { name: 'Save connection' }));
const alertsIn = (dialog: HTMLElement) =>
  within(dialog)
    .queryAllByRole('alert')
    .map((alert) => alert.textContent);
const patches = () => server.requests.filter((request) => request.method === 'PATCH').map((request) => request.body);

describe('editing a channel connection', () => {
  it('starts from its name and settings; the id shows but does not edit; each secret says whether it is set, empty', async () => {
    const { dialog } = await openEdit();
    expect(input(dialog, 'Name').value).toBe('Support desk');
    expect(input(dialog, 'Id').value).toBe('desk');
    expect(input(dialog, 'Id').readOnly).toBe(true);
    expect(dialog.textContent).toContain(
      'The id is part of the URLs you pasted into Test Helpdesk; they stay the same.',
    );
    expect(input(dialog, 'Helpdesk URL').value).toBe('https://help.example.com');
    expect((within(dialog).getByRole('combobox', { name: 'Region' }) as HTMLSelectElement).value).toBe('eu');
    expect(input(dialog, 'Queue').value).toBe('');

    expect(input(dialog, 'API token').value).toBe('');
    expect(input(dialog, 'API token').type).toBe('password');
    expect(within(dialog).getByTestId('secret-apiToken').textContent).toContain('Set — leave empty to keep');
    expect(within(dialog).getByTestId('secret-signingKey').textContent).toContain('Not set');
  });

  it('sends the name and settings but not the secrets left empty, which the server keeps', async () => {
    const { dialog, onSaved } = await openEdit();
    type(dialog, 'Name', 'Front desk');
    type(dialog, 'Helpdesk URL', 'https://desk.example.com');
    save(dialog);

    await vi.waitFor(() => expect(onSaved).toHaveBeenCalledWith(updated));
    expect(patches()).toEqual([
      { name: 'Front desk', settings: { baseUrl: 'https://desk.example.com', region: 'eu' } },
    ]);
  });

  it('sends a secret typed in, and only that one', async () => {
    const { dialog, onSaved } = await openEdit();
    type(dialog, 'Signing key', 'whsec-42');
    save(dialog);

    await vi.waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(patches()).toEqual([
      {
        name: 'Support desk',
        settings: { baseUrl: 'https://help.example.com', region: 'eu' },
        secrets: { signingKey: 'whsec-42' },
      },
    ]);
  });

  it('asks for a required secret the server does not hold yet, by its title', async () => {
    const { dialog, onSaved } = await openEdit(undefined, { ...desk, secretsSet: [] });
    expect(within(dialog).getByTestId('secret-apiToken').textContent).toContain('Not set');
    save(dialog);

    await vi.waitFor(() => expect(alertsIn(dialog)).toContain('API token: paste the token from your profile page'));
    expect(patches()).toEqual([]);
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('names a stored setting that was emptied, which the server would keep, without asking it', async () => {
    const { dialog, onSaved } = await openEdit(undefined, { ...desk, settings: { ...desk.settings, queue: 'vip' } });
    expect(input(dialog, 'Queue').value).toBe('vip');
    type(dialog, 'Queue', '');
    save(dialog);

    await vi.waitFor(() =>
      expect(alertsIn(dialog)).toContain('Queue: once saved it cannot be emptied; type the value to use'),
    );
    expect(patches()).toEqual([]);
    expect(onSaved).not.toHaveBeenCalled();
  });

  it("shows the server's refusal inside the dialog, naming the field, and stays open", async () => {
    const message = 'Invalid Test Helpdesk connection (secrets.apiToken): ✖ the helpdesk refused this token';
    const { dialog, onSaved } = await openEdit({ status: 400, json: { code: 'BAD_REQUEST', message } });
    type(dialog, 'API token', 'tok-wrong');
    save(dialog);

    await vi.waitFor(() => expect(alertsIn(dialog)).toContain(message));
    expect(onSaved).not.toHaveBeenCalled();
    expect(screen.getByRole('dialog', { name: 'Edit the Test Helpdesk connection' })).toBe(dialog);
  });
});

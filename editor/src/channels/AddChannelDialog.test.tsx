import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Reply, startTestServer, type TestServer } from '../shared/testServer.ts';
import { AddChannelDialog } from './AddChannelDialog.tsx';
import { deskConnection, fixtureChannels } from './helpdesk.fixture.ts';

let server: TestServer;
afterEach(async () => {
  cleanup();
  await server.close();
});

const created = { ...deskConnection, id: 'helpdesk', endpoints: [] };

/** The dialog over a server answering the create with `reply`, at the Test Helpdesk's form. */
async function openHelpdeskForm(reply: Reply = { status: 201, json: created }, takenIds: string[] = []) {
  server = await startTestServer({ 'POST /api/connections': () => reply });
  const onCreated = vi.fn();
  render(
    <AddChannelDialog definitions={fixtureChannels} takenIds={takenIds} onClose={() => {}} onCreated={onCreated} />,
  );
  const picker = screen.getByRole('dialog', { name: 'Add a channel' });
  fireEvent.click(within(picker).getByRole('radio', { name: /Test Helpdesk/ }));
  fireEvent.click(within(picker).getByRole('button', { name: 'Continue' }));
  return { dialog: await screen.findByRole('dialog', { name: 'Add a Test Helpdesk connection' }), onCreated };
}

const type = (dialog: HTMLElement, label: string, value: string) =>
  fireEvent.change(within(dialog).getByLabelText(label, { exact: false }), { target: { value } });
const save = (dialog: HTMLElement) => fireEvent.click(within(dialog).getByRole('button', { name: 'Save connection' }));
const alertsIn = (dialog: HTMLElement) =>
  within(dialog)
    .getAllByRole('alert')
    .map((alert) => alert.textContent);
const posts = () => server.requests.filter((request) => request.method === 'POST');

describe('adding a channel connection', () => {
  it('offers each channel with its icon, label and description', async () => {
    server = await startTestServer({});
    render(<AddChannelDialog definitions={fixtureChannels} takenIds={[]} onClose={() => {}} onCreated={() => {}} />);
    const picker = screen.getByRole('dialog', { name: 'Add a channel' });
    const choices = within(picker).getAllByRole('radio');
    expect(choices.map((choice) => choice.closest('label')?.textContent)).toEqual([
      '🛎Test HelpdeskStarts workflows when a ticket is closed.',
      '✉Test SMSText messages through a gateway.',
    ]);
  });

  it("renders the chosen channel's settings and secrets as fields: titles, help, defaults, secrets as passwords", async () => {
    const { dialog } = await openHelpdeskForm(undefined, ['helpdesk']);
    expect((within(dialog).getByLabelText('Id') as HTMLInputElement).value).toBe('helpdesk-2');
    expect((within(dialog).getByLabelText('Name') as HTMLInputElement).value).toBe('Test Helpdesk');

    const url = within(dialog).getByRole('textbox', { name: /Helpdesk URL/ });
    expect(url.closest('.field')?.textContent).toContain('e.g. https://help.example.com');
    expect((within(dialog).getByRole('combobox', { name: 'Region' }) as HTMLSelectElement).value).toBe('eu');
    expect(within(dialog).getByRole('textbox', { name: 'Queue' })).toBeTruthy();
    // Settings are used as typed: no `$variable` to insert.
    expect(within(dialog).queryByRole('button', { name: /Insert variable/ })).toBeNull();

    for (const label of ['API token', 'Signing key']) {
      expect(within(dialog).getByLabelText(label, { exact: false }).getAttribute('type')).toBe('password');
    }
    expect(within(dialog).getByText('Stored encrypted on the server, never shown again.')).toBeTruthy();
  });

  it('sends what was typed as the connection, leaving out the optional fields left blank', async () => {
    const { dialog, onCreated } = await openHelpdeskForm();
    type(dialog, 'Name', 'Support desk');
    type(dialog, 'Helpdesk URL', 'https://help.example.com');
    type(dialog, 'Queue', 'x');
    type(dialog, 'Queue', '');
    type(dialog, 'API token', 'tok-123');
    save(dialog);

    await vi.waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    expect(posts().map((request) => request.body)).toEqual([
      {
        id: 'helpdesk',
        type: 'channel',
        name: 'Support desk',
        channel: 'helpdesk',
        settings: { baseUrl: 'https://help.example.com', region: 'eu' },
        secrets: { apiToken: 'tok-123' },
      },
    ]);
  });

  it('names the fields that are wrong by their titles, without asking the server', async () => {
    const { dialog, onCreated } = await openHelpdeskForm();
    type(dialog, 'Helpdesk URL', 'help desk');
    save(dialog);

    await vi.waitFor(() =>
      expect(alertsIn(dialog)).toContain(
        'Helpdesk URL: enter the address of your helpdesk; API token: paste the token from your profile page',
      ),
    );
    expect(within(dialog).getByTestId('secret-apiToken').textContent).toContain(
      'paste the token from your profile page',
    );
    expect(posts()).toEqual([]);
    expect(onCreated).not.toHaveBeenCalled();
  });

  it("shows the server's refusal inside the dialog, naming the field", async () => {
    const message =
      'Invalid Test Helpdesk connection (settings.baseUrl): ✖ the helpdesk did not answer at that address';
    const { dialog, onCreated } = await openHelpdeskForm({ status: 400, json: { code: 'BAD_REQUEST', message } });
    type(dialog, 'Helpdesk URL', 'https://help.example.com');
    type(dialog, 'API token', 'tok-123');
    save(dialog);

    await vi.waitFor(() => expect(alertsIn(dialog)).toContain(message));
    expect(onCreated).not.toHaveBeenCalled();
    expect(screen.getByRole('dialog', { name: 'Add a Test Helpdesk connection' })).toBe(dialog);
  });
});

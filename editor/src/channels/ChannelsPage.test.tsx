import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Reply, startTestServer, type TestServer } from '../shared/testServer.ts';
import ChannelsPage from './ChannelsPage.tsx';
import { deskConnection as desk, fixtureChannels } from './helpdesk.fixture.ts';

const google = { id: 'google', type: 'google', name: 'Sheets', clientEmail: 'bot@example.com', createdAt: 2 };

let server: TestServer;
afterEach(async () => {
  cleanup();
  await server.close();
});

/** The screen over a server holding `desk` (and a Google connection, which is no channel). */
async function openPage(routes: Record<string, () => Reply> = {}) {
  let deleted = false;
  server = await startTestServer({
    'GET /api/connections': () => ({ json: deleted ? [google] : [google, desk] }),
    'DELETE /api/connections/desk': () => {
      deleted = true;
      return { status: 204 };
    },
    ...routes,
  });
  render(<ChannelsPage definitions={fixtureChannels} />);
  return screen.findByRole('article', { name: 'Support desk' });
}

describe('the channels screen', () => {
  it('lists each channel connection with its platform, id, settings and the full URLs to paste', async () => {
    const card = await openPage();
    expect(screen.getAllByRole('article')).toHaveLength(1);
    expect(card.textContent).toContain('Test Helpdesk · id desk');
    expect(card.textContent).toContain('Helpdesk URLhttps://help.example.com');
    expect(card.textContent).toContain('Secrets storedAPI token');

    const endpoints = within(card).getAllByTestId('channel-endpoint');
    expect(endpoints.map((endpoint) => within(endpoint).getByTestId('channel-endpoint-url').textContent)).toEqual([
      `${window.location.origin}/api/channels/helpdesk/desk/webhook?token=t0k3n`,
      `${window.location.origin}/api/channels/helpdesk/desk/shortcut/:workflowId?token=t0k3n`,
    ]);
    expect(endpoints[0]?.textContent).toContain('Helpdesk → Settings → Webhooks');
    expect(endpoints[1]?.textContent).toContain('Put the workflow id in place of :workflowId.');
  });

  it('copies a URL whole', async () => {
    const card = await openPage();
    const copy = within(card).getByRole('button', { name: 'Copy the URL: Helpdesk → Settings → Webhooks' });
    fireEvent.click(copy);

    await vi.waitFor(() => expect(copy.textContent).toBe('Copied'));
    expect(await navigator.clipboard.readText()).toBe(
      `${window.location.origin}/api/channels/helpdesk/desk/webhook?token=t0k3n`,
    );
  });

  it("checks a connection and says the platform's answer in words: a detail when it took the credentials, the problem when not", async () => {
    const answers: Reply[] = [
      { json: { ok: true, detail: 'Signed in to account 3: 2 inboxes.' } },
      { json: { ok: false, problem: 'The helpdesk refused the API token (HTTP 401).' } },
    ];
    const card = await openPage({ 'POST /api/connections/desk/check': () => answers.shift() ?? { status: 500 } });
    const check = within(card).getByRole('button', { name: 'Check connection' });

    fireEvent.click(check);
    expect((await within(card).findByRole('status')).textContent).toBe('Signed in to account 3: 2 inboxes.');
    expect(within(card).queryByRole('alert')).toBeNull();

    fireEvent.click(check);
    expect((await within(card).findByRole('alert')).textContent).toBe('The helpdesk refused the API token (HTTP 401).');
    expect(within(card).queryByRole('status')).toBeNull();
  });

  it('deletes a connection once the operator confirms', async () => {
    const card = await openPage();
    fireEvent.click(within(card).getByRole('button', { name: 'Delete Support desk' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete “Support desk”?' });
    expect(dialog.textContent).toContain('Remove the webhooks that point at them from Test Helpdesk too.');
    expect(server.requests.filter((request) => request.method === 'DELETE')).toEqual([]);

    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await screen.findByText('No channels yet.');
    expect(
      server.requests.filter((request) => request.method === 'DELETE').map((request) => request.url.pathname),
    ).toEqual(['/api/connections/desk']);
  });

  it('shows a connection just added with its URLs and the check, to finish the setup there', async () => {
    const added = { ...desk, id: 'desk-2', name: 'Second desk', createdAt: 3 };
    await openPage({ 'POST /api/connections': () => ({ status: 201, json: added }) });
    fireEvent.click(screen.getByRole('button', { name: 'Add channel' }));
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a Test Helpdesk connection' });
    expect((within(dialog).getByLabelText('Id') as HTMLInputElement).value).toBe('helpdesk');
    fireEvent.change(within(dialog).getByLabelText('Helpdesk URL', { exact: false }), {
      target: { value: 'https://help.example.com' },
    });
    fireEvent.change(within(dialog).getByLabelText('API token', { exact: false }), { target: { value: 'tok' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save connection' }));

    const card = await screen.findByRole('article', { name: 'Second desk' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getAllByRole('article')[0]).toBe(card);
    expect(within(card).getByRole('status').textContent).toContain('paste the URLs below into Test Helpdesk');
    expect(within(card).getAllByTestId('channel-endpoint')).toHaveLength(2);
    expect(within(card).getByRole('button', { name: 'Check connection' })).toBeTruthy();
  });

  it("edits a connection in place: the card shows the new values with the same URLs, and no check's answer about the old ones", async () => {
    const edited = {
      ...desk,
      name: 'Front desk',
      settings: { ...desk.settings, region: 'us' },
      secretsSet: ['apiToken', 'signingKey'],
    };
    const card = await openPage({
      'PATCH /api/connections/desk': () => ({ json: edited }),
      'POST /api/connections/desk/check': () => ({
        json: { ok: false, problem: 'The helpdesk refused the API token.' },
      }),
    });
    const urls = (shown: HTMLElement) =>
      within(shown)
        .getAllByTestId('channel-endpoint-url')
        .map((url) => url.textContent);
    const before = urls(card);
    fireEvent.click(within(card).getByRole('button', { name: 'Check connection' }));
    await within(card).findByRole('alert');
    fireEvent.click(within(card).getByRole('button', { name: 'Edit Support desk' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit the Test Helpdesk connection' });
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'Front desk' } });
    fireEvent.change(within(dialog).getByRole('combobox', { name: 'Region' }), { target: { value: 'us' } });
    fireEvent.change(within(dialog).getByLabelText('Signing key', { exact: false }), { target: { value: 'key-1' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save connection' }));

    const saved = await screen.findByRole('article', { name: 'Front desk' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getAllByRole('article')).toEqual([saved]);
    expect(saved.textContent).toContain('Regionus');
    expect(saved.textContent).toContain('Secrets storedAPI token, Signing key');
    expect(within(saved).queryByRole('alert')).toBeNull();
    expect(urls(saved)).toEqual(before);
  });
});

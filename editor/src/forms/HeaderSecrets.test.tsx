import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import { HeaderSecrets } from './HeaderSecrets.tsx';

let server: TestServer | undefined;
afterEach(async () => {
  cleanup();
  await server?.close();
  server = undefined;
});

describe('HeaderSecrets', () => {
  it('lists stored secrets by reference, and stores a new one as a secret connection', async () => {
    server = await startTestServer({
      'GET /api/connections': () => ({
        json: [
          { id: 'google', type: 'google', name: 'Sheets', clientEmail: 'bot@example.com', createdAt: 1 },
          { id: 'slack', type: 'secret', name: 'Slack hook', createdAt: 2 },
        ],
      }),
      'POST /api/connections': () => ({ status: 201, json: { id: 'crm', type: 'secret', name: 'CRM', createdAt: 3 } }),
    });
    const user = userEvent.setup();
    render(<HeaderSecrets />);

    const list = await screen.findByTestId('secret-list');
    expect(list.textContent).toBe('{{secret:slack}} Slack hook');

    await user.click(screen.getByTestId('add-secret'));
    const id = screen.getByLabelText('Id');
    await user.clear(id);
    await user.type(id, 'crm');
    await user.clear(screen.getByLabelText('Name'));
    await user.type(screen.getByLabelText('Name'), 'CRM');
    const value = screen.getByLabelText('Value');
    expect(value).toHaveProperty('type', 'password');
    await user.type(value, 'crm_live_123456');
    await user.click(screen.getByRole('button', { name: 'Save secret' }));

    await waitFor(() => expect(screen.queryByTestId('add-secret-dialog')).toBeNull());
    expect(server.requests.find((request) => request.method === 'POST')?.body).toEqual({
      id: 'crm',
      type: 'secret',
      name: 'CRM',
      value: 'crm_live_123456',
    });
    expect(screen.getByTestId('secret-list').textContent).toBe('{{secret:slack}} Slack hook{{secret:crm}} CRM');
    expect(document.body.textContent).not.toContain('crm_live_123456');
  });
});

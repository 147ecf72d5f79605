import type { WorkflowSettings } from '@convoflow/engine';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import { FailureAlertsSettings } from './FailureAlertsSettings.tsx';

type Alerts = WorkflowSettings['alerts'];
let server: TestServer | undefined;
afterEach(async () => {
  cleanup();
  await server?.close();
  server = undefined;
});

/** The form with its value kept, as the settings dialog keeps it; `seen` gets every change. */
function Harness({ initial, seen }: { initial: Alerts; seen: Alerts[] }) {
  const [value, setValue] = useState<Alerts>(initial);
  return (
    <FailureAlertsSettings
      workflowId="csat"
      value={value}
      onChange={(next) => {
        seen.push(next);
        setValue(next);
      }}
    />
  );
}

describe('FailureAlertsSettings', () => {
  it('turns alerts on with a Slack destination picked from the secrets by name, and sets the quiet minutes', async () => {
    server = await startTestServer({
      'GET /api/connections': () => ({
        json: [
          { id: 'google', type: 'google', name: 'Sheets', clientEmail: 'bot@example.com', createdAt: 1 },
          { id: 'slack-url', type: 'secret', name: 'Slack #ops webhook', createdAt: 2 },
          { id: 'hook', type: 'secret', name: 'Alerts signing secret', createdAt: 3 },
        ],
      }),
    });
    const seen: Alerts[] = [];
    const user = userEvent.setup();
    render(<Harness initial={undefined} seen={seen} />);

    await user.click(screen.getByLabelText('Send an alert when a step fails'));
    const secret = await screen.findByLabelText('Secret holding the Slack webhook URL');
    await screen.findByRole('option', { name: 'Slack #ops webhook' });
    expect([...(secret as HTMLSelectElement).options].map((option) => option.text)).toEqual([
      'Choose a secret…',
      'Slack #ops webhook',
      'Alerts signing secret',
    ]);
    await user.selectOptions(secret, 'Slack #ops webhook');
    const quiet = screen.getByLabelText('Quiet minutes between two alerts');
    await user.clear(quiet);
    await user.type(quiet, '30');
    expect(seen.at(-1)).toEqual({ destinations: [{ kind: 'slack', urlSecretId: 'slack-url' }], quietMinutes: 30 });

    await user.click(screen.getByRole('button', { name: 'Add destination' }));
    const kinds = screen.getAllByLabelText('Send to');
    await user.selectOptions(kinds[1]!, 'Webhook, signed');
    await user.type(screen.getByLabelText('Webhook URL'), 'https://alerts.example.com/in');
    await user.selectOptions(screen.getByLabelText('Signing secret (X-Signature-256)'), 'Alerts signing secret');
    expect(seen.at(-1)?.destinations).toEqual([
      { kind: 'slack', urlSecretId: 'slack-url' },
      { kind: 'webhook', url: 'https://alerts.example.com/in', secretId: 'hook' },
    ]);

    await user.click(screen.getByLabelText('Send an alert when a step fails'));
    expect(seen.at(-1)).toBeUndefined();
    expect(screen.queryByLabelText('Quiet minutes between two alerts')).toBeNull();
  });

  it('says when there is no secret to pick yet', async () => {
    server = await startTestServer({ 'GET /api/connections': () => ({ json: [] }) });
    render(<Harness initial={{ destinations: [{ kind: 'slack', urlSecretId: '' }], quietMinutes: 15 }} seen={[]} />);
    expect(await screen.findByText(/No secrets yet/)).toBeTruthy();
  });

  it('sends a test alert of the settings as they stand and shows each destination’s answer', async () => {
    server = await startTestServer({
      'GET /api/connections': () => ({
        json: [{ id: 'slack-url', type: 'secret', name: 'Slack #ops webhook', createdAt: 2 }],
      }),
      'POST /api/workflows/csat/alerts/test': () => ({
        json: {
          results: [
            { destination: 'Slack webhook (secret "Slack #ops webhook")', ok: true, detail: 'took the test alert' },
            {
              destination: 'webhook https://alerts.example.com/in',
              ok: false,
              detail: 'The webhook answered HTTP 500.',
            },
          ],
        },
      }),
    });
    const alerts: Alerts = {
      destinations: [
        { kind: 'slack', urlSecretId: 'slack-url' },
        { kind: 'webhook', url: 'https://alerts.example.com/in', secretId: 'slack-url' },
      ],
      quietMinutes: 15,
    };
    const user = userEvent.setup();
    render(<Harness initial={alerts} seen={[]} />);
    await user.click(screen.getByRole('button', { name: 'Send test alert' }));
    const answers = await screen.findAllByRole('status');
    expect(answers.map((answer) => answer.textContent)).toEqual([
      'Slack webhook (secret "Slack #ops webhook"): took the test alert',
      'webhook https://alerts.example.com/in: The webhook answered HTTP 500.',
    ]);
    expect(server.requests.find((request) => request.method === 'POST')?.body).toEqual({ alerts });
  });
});

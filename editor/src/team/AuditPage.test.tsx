import type { AuditEntry } from '@convoflow/engine';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import AuditPage from './AuditPage.tsx';
import { dayBound } from './auditWords.ts';

const owner = { kind: 'install-key', id: 'api-key', name: 'API key', role: 'owner' } as const;
const newest: AuditEntry = {
  id: 'e3',
  at: Date.now() - 60_000,
  actor: { kind: 'key', id: 'n8n', name: 'n8n', role: 'editor' },
  action: 'workflow.published',
  target: { kind: 'workflow', id: 'csat', name: 'CSAT survey' },
  details: { version: 3, note: 'new wording' },
};
const older: AuditEntry = {
  id: 'e1',
  at: Date.now() - 3_600_000,
  actor: owner,
  action: 'key.created',
  target: { kind: 'key', id: 'n8n', name: 'n8n' },
  details: { role: 'editor' },
};

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({
    'GET /api/audit': (request) =>
      request.url.searchParams.get('before') === 'e3'
        ? { json: { entries: [older], more: false } }
        : { json: { entries: [newest], more: true } },
    'GET /api/audit.csv': () => ({ text: 'at,actor\n', contentType: 'text/csv' }),
  });
});

afterEach(async () => {
  cleanup();
  window.location.hash = '';
  vi.restoreAllMocks();
  await server.close();
});

const auditRequests = () => server.requests.filter((request) => request.url.pathname === '/api/audit');

describe('the audit log page', () => {
  it('shows each entry in words: when, who and through what, the action, the target, the details', async () => {
    render(<AuditPage />);
    const row = await screen.findByTestId('audit-row-e3');
    expect(row.textContent).toContain('1 minute ago');
    expect(row.textContent).toContain('n8n (API key)');
    expect(row.textContent).toContain('Editor');
    expect(row.textContent).toContain('Published a workflow');
    expect(row.textContent).toContain('CSAT survey (workflow)');
    expect(row.textContent).toContain('version: 3');
    expect(row.textContent).toContain('note: new wording');
  });

  it('reads older entries from before the last one shown, until there are no more', async () => {
    render(<AuditPage />);
    await screen.findByTestId('audit-row-e3');
    fireEvent.click(screen.getByTestId('audit-older'));
    const row = await screen.findByTestId('audit-row-e1');
    expect(row.textContent).toContain('Created an API key');
    expect(row.textContent).toContain('API key (install key)');
    expect(screen.getByTestId('audit-row-e3')).toBeTruthy();
    expect(auditRequests().at(-1)?.url.searchParams.get('before')).toBe('e3');
    expect(screen.queryByTestId('audit-older')).toBeNull();
  });

  it('filters by action and days, as instants spanning whole local days', async () => {
    render(<AuditPage />);
    await screen.findByTestId('audit-row-e3');
    fireEvent.change(screen.getByTestId('audit-action'), { target: { value: 'key.revoked' } });
    fireEvent.change(screen.getByTestId('audit-from'), { target: { value: '2026-12-01' } });
    fireEvent.change(screen.getByTestId('audit-to'), { target: { value: '2026-12-02' } });
    await waitFor(() => expect(auditRequests().at(-1)?.url.searchParams.get('to')).toBe(dayBound('2026-12-02', 'to')));
    const params = auditRequests().at(-1)?.url.searchParams;
    expect(params?.get('action')).toBe('key.revoked');
    expect(params?.get('from')).toBe(new Date('2026-12-01T00:00:00').toISOString());
    expect(new Date(params?.get('to') ?? '').getTime()).toBe(new Date('2026-12-03T00:00:00').getTime() - 1);
  });

  it('keeps its filters in the page address, dropping what it does not know', async () => {
    window.location.hash = '#/audit?action=key.revoked&from=2026-12-01&to=yesterday';
    render(<AuditPage />);
    await waitFor(() => expect(auditRequests()).toHaveLength(1));
    const params = auditRequests()[0]?.url.searchParams;
    expect(params?.get('action')).toBe('key.revoked');
    expect(params?.get('from')).toBe(dayBound('2026-12-01', 'from'));
    expect(params?.has('to')).toBe(false);
    expect((screen.getByTestId('audit-action') as HTMLSelectElement).value).toBe('key.revoked');

    fireEvent.change(screen.getByTestId('audit-action'), { target: { value: '' } });
    expect(window.location.hash).toBe('#/audit?from=2026-12-01');
    await waitFor(() => expect(auditRequests()).toHaveLength(2));
    expect(auditRequests()[1]?.url.searchParams.has('action')).toBe(false);
  });

  it('downloads the filtered entries as CSV with the API key', async () => {
    sessionStorage.setItem('convoflow.apiKey', 'owner-key');
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:audit');
    vi.spyOn(URL, 'revokeObjectURL').mockReturnValue(undefined);
    render(<AuditPage />);
    await screen.findByTestId('audit-row-e3');
    fireEvent.change(screen.getByTestId('audit-action'), { target: { value: 'key.created' } });
    fireEvent.click(screen.getByTestId('audit-csv'));
    await waitFor(() => expect(created).toHaveBeenCalled());
    const csv = server.requests.find((request) => request.url.pathname === '/api/audit.csv');
    expect(csv?.url.searchParams.get('action')).toBe('key.created');
    expect(csv?.headers.authorization).toBe('Bearer owner-key');
    sessionStorage.clear();
  });
});

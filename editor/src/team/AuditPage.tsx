import { type AuditEntry, auditActions } from '@convoflow/engine';
import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { roleNames } from '../app/useMe.ts';
import { saveBlob } from '../dashboard/saveBlob.ts';
import { hashWithFilters } from '../runs/filterHash.ts';
import { RelativeTime } from '../shared/RelativeTime.tsx';
import { apiErrorText } from '../workflows/apiErrorText.ts';
import { type AuditFilters, auditFiltersOfHash } from './auditHash.ts';
import { actorText, auditActionLabels, dayBound, detailLines, targetText } from './auditWords.ts';
import { TeamTopbar } from './TeamTopbar.tsx';
import './team.css';

/** Entries per page: enough to read a day's work at a glance. */
const PAGE_SIZE = 50;

/** Who did what, newest first: filter by action and days, read older pages, download as CSV. */
export default function AuditPage() {
  const [filters, setFiltersState] = useState<AuditFilters>(() => auditFiltersOfHash(window.location.hash));
  const setFilters = (next: AuditFilters) => {
    setFiltersState(next);
    // Replaced, not pushed: Back leaves the log rather than stepping through each filter.
    window.history.replaceState(window.history.state, '', hashWithFilters(window.location.hash, { ...next }));
  };
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [more, setMore] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const query = {
    action: filters.action || undefined,
    from: dayBound(filters.from, 'from'),
    to: dayBound(filters.to, 'to'),
  };
  const queryKey = JSON.stringify(query);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the query is rebuilt each render; its JSON says when it changed
  useEffect(() => {
    let current = true;
    setEntries(null);
    api.audit
      .page({ ...query, limit: PAGE_SIZE })
      .then((page) => {
        if (!current) return;
        setEntries(page.entries);
        setMore(page.more);
        setError(null);
      })
      .catch((caught: unknown) => current && setError(`Could not load the audit log: ${apiErrorText(caught)}`));
    return () => {
      current = false;
    };
  }, [queryKey]);

  const older = async () => {
    const last = entries?.at(-1);
    if (!last) return;
    setLoadingOlder(true);
    try {
      const page = await api.audit.page({ ...query, before: last.id, limit: PAGE_SIZE });
      setEntries((shown) => [...(shown ?? []), ...page.entries]);
      setMore(page.more);
    } catch (caught) {
      setError(`Could not load older entries: ${apiErrorText(caught)}`);
    } finally {
      setLoadingOlder(false);
    }
  };

  const downloadCsv = async () => {
    try {
      saveBlob(await api.audit.csv(query), 'audit-log.csv');
    } catch (caught) {
      setError(`The CSV could not be downloaded: ${apiErrorText(caught)}`);
    }
  };

  return (
    <div className="page">
      <TeamTopbar title="Audit log" current="audit">
        <button type="button" className="button" onClick={() => void downloadCsv()} data-testid="audit-csv">
          Download CSV
        </button>
      </TeamTopbar>
      <main className="page__body">
        <p className="muted team-intro">
          Who created, changed, published or deleted workflows, connections and API keys, and when; newest first.
        </p>
        <div className="team-filters" data-testid="audit-filters">
          <div className="field">
            <label className="field__label" htmlFor="audit-action">
              Action
            </label>
            <select
              id="audit-action"
              value={filters.action}
              onChange={(event) => setFilters({ ...filters, action: event.target.value as AuditFilters['action'] })}
              data-testid="audit-action"
            >
              <option value="">Any action</option>
              {auditActions.map((action) => (
                <option key={action} value={action}>
                  {auditActionLabels[action]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label className="field__label" htmlFor="audit-from">
              From
            </label>
            <input
              id="audit-from"
              type="date"
              value={filters.from}
              max={filters.to || undefined}
              onChange={(event) => setFilters({ ...filters, from: event.target.value })}
              data-testid="audit-from"
            />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="audit-to">
              To
            </label>
            <input
              id="audit-to"
              type="date"
              value={filters.to}
              min={filters.from || undefined}
              onChange={(event) => setFilters({ ...filters, to: event.target.value })}
              data-testid="audit-to"
            />
          </div>
        </div>
        {error && (
          <div className="notice notice--error" role="alert" data-testid="audit-error">
            <pre>{error}</pre>
          </div>
        )}
        {entries === null && !error && <p className="muted">Loading the audit log…</p>}
        {entries?.length === 0 && (
          <div className="empty">
            <p>
              Nothing recorded{filters.action || filters.from || filters.to ? ' that matches these filters' : ' yet'}.
            </p>
          </div>
        )}
        {entries && entries.length > 0 && (
          <table className="table" data-testid="audit-list">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-testid={`audit-row-${entry.id}`}>
                  <td>
                    <RelativeTime at={entry.at} />
                  </td>
                  <td>
                    {actorText(entry.actor)}
                    <div className="muted">{roleNames[entry.actor.role]}</div>
                  </td>
                  <td>{auditActionLabels[entry.action] ?? entry.action}</td>
                  <td>{targetText(entry.target)}</td>
                  <td>
                    <ul className="team-details">
                      {detailLines(entry.details).map((line) => (
                        <li key={line}>{line}</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {more && (
          <button
            type="button"
            className="button team-more"
            disabled={loadingOlder}
            onClick={() => void older()}
            data-testid="audit-older"
          >
            {loadingOlder ? 'Loading…' : 'Older'}
          </button>
        )}
      </main>
    </div>
  );
}

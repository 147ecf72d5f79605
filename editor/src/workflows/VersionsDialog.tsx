import type { VersionSummary, WorkflowRecord } from '@convoflow/engine';
import { useEffect, useId, useState } from 'react';
import { api } from '../api/client.ts';
import { useCan } from '../app/useMe.ts';
import { useCanvasStore } from '../canvas/store.ts';
import { RelativeTime } from '../shared/RelativeTime.tsx';
import { apiErrorText } from './apiErrorText.ts';
import { changeLines } from './versionChanges.ts';
import './versions.css';

/**
 * Published versions, newest first: each with its note, who published it and when, and what
 * changed against the version before; "restore as draft" loads one into the canvas, unsaved.
 */
export function VersionsDialog({ record, onClose }: { record: WorkflowRecord; onClose: () => void }) {
  const titleId = useId();
  const [error, setError] = useState<string | null>(null);
  const [history, setHistory] = useState<VersionSummary[] | null>(null);
  // A viewer's key reads the versions; restoring one makes a draft it could not save.
  const canRestore = useCan('editor');

  useEffect(() => {
    let current = true;
    api.workflows
      .versions(record.id)
      .then((loaded) => current && setHistory(loaded))
      .catch((caught: unknown) => {
        if (!current) return;
        setError(apiErrorText(caught));
        // Without the history, the record's bare list still offers each version to restore.
        setHistory(
          [...record.versions]
            .sort((a, b) => b.version - a.version)
            .map((info) => ({ ...info, note: null, publishedBy: null, changes: null })),
        );
      });
    return () => {
      current = false;
    };
  }, [record.id, record.versions]);

  const restore = async (version: number) => {
    const dirty = useCanvasStore.getState().dirty;
    if (dirty && !window.confirm('Replace your unsaved changes with this version?')) return;
    try {
      const workflow = await api.workflows.version(record.id, version);
      useCanvasStore.getState().load({ ...workflow, id: record.id }, { dirty: true });
      onClose();
    } catch (caught) {
      setError(apiErrorText(caught));
    }
  };

  return (
    <div className="dialog-backdrop">
      <div
        className="dialog dialog--versions"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="versions-dialog"
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose();
        }}
      >
        <h2 id={titleId}>Versions</h2>
        {history === null && <p className="muted">Loading the versions…</p>}
        {history?.length === 0 && (
          <p className="muted">Nothing published yet. Publishing freezes the draft as version 1.</p>
        )}
        <ul className="versions">
          {history?.map((info) => (
            <li
              key={info.version}
              className="versions__item versions__item--full"
              data-testid={`version-${info.version}`}
            >
              <div className="versions__body">
                <div>
                  <strong>v{info.version}</strong>
                  {info.version === record.publishedVersion && <span className="pill pill--published">live</span>}
                  <span className="muted">
                    {' · published '}
                    <RelativeTime at={info.publishedAt} />
                    {info.publishedBy && ` by ${info.publishedBy}`}
                  </span>
                </div>
                {info.note && (
                  <p className="versions__note" data-testid="version-note">
                    {info.note}
                  </p>
                )}
                {info.changes ? (
                  <ul
                    className="versions__changes"
                    aria-label={`Changes in v${info.version}`}
                    data-testid="version-changes"
                  >
                    {changeLines(info.changes).map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                ) : (
                  info.version === 1 && <p className="muted versions__changes">First version</p>
                )}
              </div>
              {canRestore && (
                <button type="button" className="button button--small" onClick={() => restore(info.version)}>
                  Restore as draft
                </button>
              )}
            </li>
          ))}
        </ul>
        {error && (
          <p className="field__error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose} ref={(button) => button?.focus()}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

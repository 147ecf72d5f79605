import type { WorkflowRecord } from '@convoflow/engine';
import { useId, useState } from 'react';
import { api } from '../api/client.ts';
import { useCanvasStore } from '../canvas/store.ts';
import { apiErrorText } from './apiErrorText.ts';

/** Published versions, newest first; "restore as draft" loads one into the canvas, unsaved. */
export function VersionsDialog({ record, onClose }: { record: WorkflowRecord; onClose: () => void }) {
  const titleId = useId();
  const [error, setError] = useState<string | null>(null);
  const versions = [...record.versions].sort((a, b) => b.version - a.version);

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
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="versions-dialog"
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose();
        }}
      >
        <h2 id={titleId}>Versions</h2>
        {versions.length === 0 && (
          <p className="muted">Nothing published yet. Publishing freezes the draft as version 1.</p>
        )}
        <ul className="versions">
          {versions.map((info) => (
            <li key={info.version} className="versions__item">
              <span>
                <strong>v{info.version}</strong>
                {info.version === record.publishedVersion && <span className="pill pill--published">live</span>}
                <span className="muted"> · published {new Date(info.publishedAt).toLocaleString()}</span>
              </span>
              <button type="button" className="button button--small" onClick={() => restore(info.version)}>
                Restore as draft
              </button>
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

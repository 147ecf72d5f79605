import type { ApiKeyCreated } from '@convoflow/engine';
import { useId } from 'react';
import { roleNames, withArticle } from '../app/useMe.ts';
import { CopyField } from './CopyField.tsx';

/**
 * The key just made, shown this once (only its hash is kept): copy it now. Closing forgets it;
 * a lost key is revoked and replaced.
 */
export function CreatedKeyDialog({ created, onClose }: { created: ApiKeyCreated; onClose: () => void }) {
  const titleId = useId();
  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="created-key-dialog"
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose();
        }}
      >
        <h2 id={titleId}>Key “{created.name}” created</h2>
        <p>
          {capitalised(withArticle(roleNames[created.role].toLowerCase()))} key. Copy it now and keep it somewhere safe:{' '}
          <strong>it will not be shown again.</strong>
        </p>
        <CopyField value={created.key} label="The new API key" testId="created-key" copyTestId="copy-key" what="key" />
        <div className="dialog__actions">
          <button type="button" className="button button--primary" onClick={onClose} data-testid="created-key-done">
            Done
          </button>
        </div>
      </div>
    </div>
  );
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

import type { ApiKeyCreated } from '@convoflow/engine';
import { useEffect, useId, useRef, useState } from 'react';
import { roleNames, withArticle } from '../app/useMe.ts';

/**
 * The key just made, shown this once (only its hash is kept): copy it now. Closing forgets it;
 * a lost key is revoked and replaced.
 */
export function CreatedKeyDialog({ created, onClose }: { created: ApiKeyCreated; onClose: () => void }) {
  const titleId = useId();
  const field = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'refused'>('idle');

  useEffect(() => {
    field.current?.select();
  }, []);

  const copyKey = async () => {
    try {
      // Undefined on a page served over plain http from another machine: not a secure context.
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(created.key);
      setCopy('copied');
    } catch {
      field.current?.select();
      setCopy('refused');
    }
  };

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
        <div className="team-key-shown">
          <input
            ref={field}
            readOnly
            aria-label="The new API key"
            value={created.key}
            data-testid="created-key"
            onFocus={(event) => event.target.select()}
          />
          <button type="button" className="button" onClick={copyKey} data-testid="copy-key">
            {copy === 'copied' ? 'Copied' : 'Copy'}
          </button>
        </div>
        {copy === 'refused' && (
          <p className="field__error" role="alert">
            This browser does not let the page copy: the key is selected, copy it with Ctrl+C (Cmd+C).
          </p>
        )}
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

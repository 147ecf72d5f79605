import type { AccountLink } from '@convoflow/engine';
import { useId } from 'react';
import { formatDateTime } from '../shared/format.ts';
import { CopyField } from './CopyField.tsx';

/**
 * A one-time link just made (an invitation or a password reset), shown this once: no e-mail
 * server is needed, the owner hands it over. Closing forgets it; a lost link is replaced by a new one.
 */
export function UsersLinkDialog({
  title,
  link,
  forName,
  onClose,
}: {
  title: string;
  link: AccountLink;
  forName: string;
  onClose: () => void;
}) {
  const titleId = useId();
  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="user-link-dialog"
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        <p>
          <strong>No e-mail is sent:</strong> copy this link and give it to {forName} yourself (a chat message, for
          example). It works once, until{' '}
          <strong data-testid="user-link-expiry">{formatDateTime(link.expiresAt)}</strong>, and is not shown again; an
          earlier link for {forName} no longer works.
        </p>
        <CopyField
          value={link.url}
          label={`The link for ${forName}`}
          testId="user-link"
          copyTestId="copy-link"
          what="link"
        />
        <div className="dialog__actions">
          <button type="button" className="button button--primary" onClick={onClose} data-testid="user-link-done">
            Done
          </button>
        </div>
      </div>
    </div>
  );
}

import type { AccountLink } from '@convoflow/engine';
import { Dialog } from '../app/Dialog.tsx';
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
  return (
    <Dialog
      title={title}
      onClose={onClose}
      onSubmit={onClose}
      submitLabel="Done"
      cancelLabel={null}
      testId="user-link-dialog"
      submitTestId="user-link-done"
    >
      <p>
        <strong>No e-mail is sent:</strong> copy this link and give it to {forName} yourself (a chat message, for
        example). It works once, until <strong data-testid="user-link-expiry">{formatDateTime(link.expiresAt)}</strong>,
        and is not shown again; an earlier link for {forName} no longer works.
      </p>
      <CopyField
        value={link.url}
        label={`The link for ${forName}`}
        testId="user-link"
        copyTestId="copy-link"
        what="link"
      />
    </Dialog>
  );
}

import type { ApiKeyCreated } from '@convoflow/engine';
import { Dialog } from '../app/Dialog.tsx';
import { roleNames, withArticle } from '../app/useMe.ts';
import { CopyField } from './CopyField.tsx';

/**
 * The key just made, shown this once (only its hash is kept): copy it now. Closing forgets it;
 * a lost key is revoked and replaced.
 */
export function CreatedKeyDialog({ created, onClose }: { created: ApiKeyCreated; onClose: () => void }) {
  return (
    <Dialog
      title={`Key “${created.name}” created`}
      onClose={onClose}
      onSubmit={onClose}
      submitLabel="Done"
      cancelLabel={null}
      testId="created-key-dialog"
      submitTestId="created-key-done"
    >
      <p>
        {capitalised(withArticle(roleNames[created.role].toLowerCase()))} key. Copy it now and keep it somewhere safe:{' '}
        <strong>it will not be shown again.</strong>
      </p>
      <CopyField value={created.key} label="The new API key" testId="created-key" copyTestId="copy-key" what="key" />
    </Dialog>
  );
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

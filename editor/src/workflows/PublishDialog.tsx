import { VERSION_NOTE_MAX_LENGTH } from '@convoflow/engine';
import { useId, useState } from 'react';
import { Dialog } from '../app/Dialog.tsx';

/**
 * Asks for the optional note of the version about to be published ("what changed, why"), shown
 * in the versions list. Publishing itself, and what it answers, stay with the caller.
 */
export function PublishDialog({ onPublish, onClose }: { onPublish: (note: string) => void; onClose: () => void }) {
  const [note, setNote] = useState('');
  const id = useId();
  return (
    <Dialog
      title="Publish a new version"
      submitLabel="Publish"
      testId="publish-dialog"
      onClose={onClose}
      onSubmit={() => onPublish(note.trim())}
    >
      <div className="field">
        <label className="field__label" htmlFor={id}>
          Version note (optional)
        </label>
        <input
          id={id}
          data-testid="publish-note"
          value={note}
          maxLength={VERSION_NOTE_MAX_LENGTH}
          placeholder="e.g. Friendlier thank-you message"
          onChange={(event) => setNote(event.target.value)}
        />
        <p className="field__help">
          Shown in Versions beside who published and what changed. New runs use this version.
        </p>
      </div>
    </Dialog>
  );
}

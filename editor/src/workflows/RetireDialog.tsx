import type { ActiveRunsChoice } from '@convoflow/engine';
import { type ReactNode, useId, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { Dialog } from '../app/Dialog.tsx';

interface RetireDialogProps {
  title: string;
  submitLabel: string;
  /** Runs in progress as last read; the server's answer corrects it when more started since. */
  activeRuns: number;
  danger?: boolean;
  testId?: string;
  /** What happens to the workflow itself. */
  children: ReactNode;
  onClose: () => void;
  /** Deletes or unpublishes, with the operator's choice when there are runs in progress. */
  onConfirm: (activeRuns: ActiveRunsChoice | undefined) => Promise<void>;
}

const runsText = (count: number) => (count === 1 ? '1 run' : `${count} runs`);

const choices = (count: number): Array<{ value: ActiveRunsChoice; label: string }> =>
  count === 1
    ? [
        { value: 'finish', label: 'Let it finish on the version it started on' },
        { value: 'cancel', label: 'Cancel it now' },
      ]
    : [
        { value: 'finish', label: 'Let them finish on the version they started on' },
        { value: 'cancel', label: 'Cancel them now' },
      ];

/**
 * Deleting or unpublishing a workflow: says how many of its runs are in progress and makes the
 * operator choose whether they finish or are cancelled (the API refuses to guess).
 */
export function RetireDialog({
  title,
  submitLabel,
  activeRuns,
  danger,
  testId,
  children,
  onClose,
  onConfirm,
}: RetireDialogProps) {
  const [count, setCount] = useState(activeRuns);
  const [choice, setChoice] = useState<ActiveRunsChoice | null>(null);
  const name = useId();

  const submit = async () => {
    if (count > 0 && choice === null) throw new Error(`Choose what happens to the ${runsText(count)} in progress.`);
    try {
      await onConfirm(count > 0 && choice !== null ? choice : undefined);
    } catch (error) {
      const started = activeRunsIn(error);
      if (started === null) throw error;
      setCount(started);
      throw new Error(`${runsText(started)} started meanwhile: choose what happens to them.`);
    }
  };

  return (
    <Dialog title={title} submitLabel={submitLabel} danger={danger} testId={testId} onClose={onClose} onSubmit={submit}>
      {children}
      {count > 0 && (
        <fieldset className="field--group" data-testid="active-runs-choice">
          <legend>
            {runsText(count)} of this workflow {count === 1 ? 'is' : 'are'} in progress
          </legend>
          {choices(count).map((option) => (
            <label key={option.value} className="field__check">
              <input
                type="radio"
                name={name}
                value={option.value}
                checked={choice === option.value}
                onChange={() => setChoice(option.value)}
              />
              {option.label}
            </label>
          ))}
        </fieldset>
      )}
    </Dialog>
  );
}

/** The count of a 409 ACTIVE_RUNS: runs that started after the dialog read the count. */
function activeRunsIn(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.code !== 'ACTIVE_RUNS') return null;
  const details = error.details;
  const count =
    typeof details === 'object' && details !== null && 'activeRuns' in details ? details.activeRuns : undefined;
  return typeof count === 'number' ? count : null;
}

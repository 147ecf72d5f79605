import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';

interface DialogProps {
  title: string;
  children?: ReactNode;
  onClose: () => void;
  /** The form's submit; the dialog stays open (showing the error) when it throws. */
  onSubmit: () => Promise<void> | void;
  submitLabel: string;
  danger?: boolean;
  testId?: string;
  submitTestId?: string;
  /**
   * The button that closes the dialog without submitting; "Cancel" unless named. `null`: none, for
   * a notice whose one button (the submit) closes it.
   */
  cancelLabel?: string | null;
  /** A second way out besides submitting, shown between cancel and submit. */
  alternative?: { label: string; onClick: () => Promise<void> | void };
}

/** A modal form: focus moves into it, Escape cancels, errors from `onSubmit` show inside. */
export function Dialog({
  title,
  children,
  onClose,
  onSubmit,
  submitLabel,
  danger,
  testId,
  submitTestId,
  cancelLabel = 'Cancel',
  alternative,
}: DialogProps) {
  const titleId = useId();
  const form = useRef<HTMLFormElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const first = form.current?.querySelector<HTMLElement>('input, textarea, select, button[type="submit"]');
    first?.focus();
  }, []);

  const act = async (action: () => Promise<void> | void) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void act(onSubmit);
  };

  return (
    <div className="dialog-backdrop">
      <form
        ref={form}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        onSubmit={submit}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
        {error && (
          <p className="field__error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog__actions">
          {cancelLabel !== null && (
            <button type="button" className="button" onClick={onClose}>
              {cancelLabel}
            </button>
          )}
          {alternative && (
            <button type="button" className="button" disabled={busy} onClick={() => void act(alternative.onClick)}>
              {alternative.label}
            </button>
          )}
          <button
            type="submit"
            className={`button ${danger ? 'button--danger' : 'button--primary'}`}
            disabled={busy}
            data-testid={submitTestId}
          >
            {submitLabel}
          </button>
        </div>
      </form>
    </div>
  );
}

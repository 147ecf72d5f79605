import { useEffect, useRef, useState } from 'react';

/**
 * A value shown once (a new key, a one-time link): selected on show, with a Copy button that
 * falls back to the selection where the page may not use the clipboard.
 */
export function CopyField({
  value,
  label,
  testId,
  copyTestId,
  what,
}: {
  value: string;
  /** The field's accessible name. */
  label: string;
  testId: string;
  copyTestId: string;
  /** "key", "link": named in the words when the browser refuses to copy. */
  what: string;
}) {
  const field = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'refused'>('idle');

  useEffect(() => {
    field.current?.select();
  }, []);

  const copyValue = async () => {
    try {
      // Undefined on a page served over plain http from another machine: not a secure context.
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(value);
      setCopy('copied');
    } catch {
      field.current?.select();
      setCopy('refused');
    }
  };

  return (
    <>
      <div className="team-key-shown">
        <input
          ref={field}
          readOnly
          aria-label={label}
          value={value}
          data-testid={testId}
          onFocus={(event) => event.target.select()}
        />
        <button type="button" className="button" onClick={copyValue} data-testid={copyTestId}>
          {copy === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {copy === 'refused' && (
        <p className="field__error" role="alert">
          This browser does not let the page copy: the {what} is selected, copy it with Ctrl+C (Cmd+C).
        </p>
      )}
    </>
  );
}

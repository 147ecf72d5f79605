import { useEffect, useState } from 'react';

/** Copies `text` to the clipboard, and says whether it could. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'refused'>('idle');

  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      // Undefined on a page served over plain http from another machine: not a secure context.
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('refused');
    }
  };

  return (
    <>
      <button type="button" className="button button--small" aria-label={label} onClick={copy}>
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      {state === 'refused' && (
        <span className="field__error" role="alert">
          This browser does not let the page copy: select the URL and copy it yourself.
        </span>
      )}
    </>
  );
}

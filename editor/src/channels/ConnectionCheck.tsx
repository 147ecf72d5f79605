import type { ConnectionCheckResult } from '@convoflow/engine';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { apiErrorText } from '../workflows/apiErrorText.ts';

/**
 * "Check connection": the server calls the platform (or Google) with the stored credentials; its
 * answer in words. `onChecked` follows every answer: a check marks or clears a refusal.
 */
export function ConnectionCheck({
  connectionId,
  onChecked,
}: {
  connectionId: string;
  onChecked?: (answer: ConnectionCheckResult) => void;
}) {
  const [answer, setAnswer] = useState<ConnectionCheckResult | null>(null);
  const [checking, setChecking] = useState(false);

  const check = async () => {
    setChecking(true);
    setAnswer(null);
    let result: ConnectionCheckResult;
    try {
      result = await api.connections.check(connectionId);
    } catch (caught) {
      result = { ok: false, problem: `The check could not run: ${apiErrorText(caught)}` };
    }
    setAnswer(result);
    setChecking(false);
    onChecked?.(result);
  };

  return (
    <div className="cf-channel-check">
      <button type="button" className="button" onClick={check} disabled={checking}>
        {checking ? 'Checking…' : 'Check connection'}
      </button>
      {answer?.ok === true && (
        <p className="cf-channel-check__answer cf-channel-check__answer--ok" role="status">
          {answer.detail}
        </p>
      )}
      {answer?.ok === false && (
        <p className="cf-channel-check__answer cf-channel-check__answer--problem" role="alert">
          {answer.problem}
        </p>
      )}
    </div>
  );
}

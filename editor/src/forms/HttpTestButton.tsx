import type { StepTestResult, VariableSpec } from '@convoflow/engine';
import { useState } from 'react';
import { api } from '../api/client.ts';

/** The name the test saves the response under when the node saves none. */
const PROBE = 'testResponse';

/** "Send test request": runs the HTTP step on the server with sample variables, shows status and body. */
export function HttpTestButton({
  nodeType,
  data,
  variables,
}: {
  nodeType: string;
  data: Record<string, unknown>;
  variables: readonly VariableSpec[];
}) {
  const [result, setResult] = useState<StepTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const saveAs = typeof data.saveResponseAs === 'string' && data.saveResponseAs ? data.saveResponseAs : PROBE;

  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.testStep(nodeType, { ...data, saveResponseAs: saveAs }, sampleVariables(variables)));
    } catch (caught) {
      setResult(null);
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  const response = result ? result.variables[saveAs] : undefined;
  const status = isRecord(response) ? response.status : undefined;
  const body = isRecord(response) ? response.body : undefined;
  return (
    <section className="http-test" aria-label="Test request">
      <button type="button" className="button" onClick={send} disabled={busy} data-testid="http-test">
        {busy ? 'Sending…' : 'Send test request'}
      </button>
      <p className="field__help">Uses sample values for variables, e.g. $rating = 4.</p>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div className="http-test__result" data-testid="http-test-result">
          <p>
            <strong>{typeof status === 'number' ? `Status ${status}` : 'No response'}</strong> · exit “
            {result.exit ?? 'none'}” · {Math.round(result.durationMs)} ms
          </p>
          {result.error && <p className="field__error">{result.error}</p>}
          {body !== undefined && (
            <pre className="http-test__body">{typeof body === 'string' ? body : JSON.stringify(body, null, 2)}</pre>
          )}
        </div>
      )}
    </section>
  );
}

/** Plausible values for the variables a step may use: `contact.name` → `{ contact: { name: … } }`. */
export function sampleVariables(variables: readonly VariableSpec[]): Record<string, unknown> {
  const scope: Record<string, unknown> = {};
  for (const variable of variables) {
    const parts = variable.name.split('.');
    let target = scope;
    for (const part of parts.slice(0, -1)) {
      const next = target[part];
      if (isRecord(next)) target = next;
      else {
        const created: Record<string, unknown> = {};
        target[part] = created;
        target = created;
      }
    }
    const leaf = parts[parts.length - 1] ?? variable.name;
    if (target[leaf] !== undefined) continue;
    target[leaf] = sample(variable);
  }
  return scope;
}

function sample(variable: VariableSpec): unknown {
  switch (variable.type) {
    case 'number':
      return 4;
    case 'boolean':
      return true;
    case 'object':
      return {};
    default:
      return variable.name.endsWith('email') ? 'test@example.com' : `test-${variable.name.replace(/\./g, '-')}`;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

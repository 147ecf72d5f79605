import './runs.css';

export interface StepDataProps {
  /** What the step sent (the HTTP request, the row, the message), as the run log keeps it. */
  sent?: unknown;
  /** What it got back (the response, Google's answer, the reply). */
  received?: unknown;
}

/**
 * What a step sent and received, each behind a "Sent"/"Received" disclosure: closed by default so
 * a long log stays easy to scan, with a one-line hint (the request line, the status) on the toggle.
 */
export function StepData({ sent, received }: StepDataProps) {
  if (sent === undefined && received === undefined) return null;
  return (
    <div className="cf-step-data">
      {sent !== undefined && <Disclosure label="Sent" value={sent} testId="step-sent" />}
      {received !== undefined && <Disclosure label="Received" value={received} testId="step-received" />}
    </div>
  );
}

function Disclosure({ label, value, testId }: { label: string; value: unknown; testId: string }) {
  const about = hint(value);
  return (
    <details className="cf-step-data__item" data-testid={testId}>
      <summary>
        <span className="cf-step-data__label">{label}</span>
        {about && <span className="cf-step-data__hint cf-mono">{about}</span>}
      </summary>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region is reached by keyboard to scroll it */}
      <pre className="cf-step-data__value" tabIndex={0}>
        {formatted(value)}
      </pre>
    </details>
  );
}

/** Text as it is (a text body, or a value kept as truncated JSON text); anything else indented. */
export function formatted(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/**
 * One line about the value, when it has a field that says it (the request line, a status, the
 * range written, the tab, the message or the reply): enough to tell which step to open.
 */
function hint(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const fields = value as Record<string, unknown>;
  if (typeof fields.method === 'string' && typeof fields.url === 'string') return `${fields.method} ${fields.url}`;
  if (typeof fields.status === 'number') return `status ${fields.status}`;
  if (typeof fields.error === 'string') return 'error';
  if (typeof fields.updatedRange === 'string') return fields.updatedRange;
  if (typeof fields.sheet === 'string') return `a row to "${fields.sheet}"`;
  if (typeof fields.reply === 'string') return excerpt(`“${fields.reply}”`);
  if (typeof fields.text === 'string') return excerpt(fields.text);
  return null;
}

function excerpt(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

import type { CsatReport } from '@convoflow/engine';
import { useState } from 'react';
import { formatDecimal } from '../shared/format.ts';
import '../shared/ui.css';

type Row = CsatReport['byAgent'][number];
type Column = 'key' | 'answered' | 'score' | 'average';
type Direction = 'ascending' | 'descending';

export interface BreakdownTableProps {
  rows: readonly Row[];
  /** Header of the first column: "Agent", "Channel", "Connection", "Inbox". */
  keyLabel: string;
  /** Header of the score column: "CSAT", "NPS", "CES". */
  scoreLabel: string;
  formatScore: (score: number | null) => string;
  testId?: string;
}

/** Score by agent, channel, connection or inbox; each header sorts, a second click reverses. */
export function BreakdownTable({ rows, keyLabel, scoreLabel, formatScore, testId }: BreakdownTableProps) {
  const [sort, setSort] = useState<{ column: Column; direction: Direction }>({
    column: 'answered',
    direction: 'descending',
  });
  if (rows.length === 0) return <p className="cf-muted">No answers in this period.</p>;
  const sorted = [...rows].sort((a, b) => compare(a, b, sort.column) * (sort.direction === 'ascending' ? 1 : -1));
  const columns: Array<{ column: Column; label: string; numeric: boolean }> = [
    { column: 'key', label: keyLabel, numeric: false },
    { column: 'answered', label: 'Answers', numeric: true },
    { column: 'score', label: scoreLabel, numeric: true },
    { column: 'average', label: 'Average', numeric: true },
  ];
  const toggle = (column: Column) =>
    setSort((current) =>
      current.column === column
        ? { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
        : { column, direction: column === 'key' ? 'ascending' : 'descending' },
    );

  return (
    <table className="cf-table" data-testid={testId}>
      <thead>
        <tr>
          {columns.map(({ column, label, numeric }) => (
            <th
              key={column}
              scope="col"
              className={numeric ? 'cf-num' : undefined}
              aria-sort={sort.column === column ? sort.direction : undefined}
            >
              <button type="button" onClick={() => toggle(column)}>
                {label}
                <span aria-hidden="true">
                  {sort.column === column ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}
                </span>
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sorted.map((row) => (
          <tr key={row.key}>
            <th scope="row" style={{ fontWeight: 500, color: 'inherit' }}>
              {row.key || '(none)'}
            </th>
            <td className="cf-num">{row.answered}</td>
            <td className="cf-num">{formatScore(row.score)}</td>
            <td className="cf-num">{formatDecimal(row.average)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Orders by the column; missing scores sort below every number. */
function compare(a: Row, b: Row, column: Column): number {
  if (column === 'key') return a.key.localeCompare(b.key);
  const left = a[column] ?? Number.NEGATIVE_INFINITY;
  const right = b[column] ?? Number.NEGATIVE_INFINITY;
  return left === right ? a.key.localeCompare(b.key) : left - right;
}

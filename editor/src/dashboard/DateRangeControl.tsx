import { utcDay } from '../shared/format.ts';
import '../shared/ui.css';

/** A preset number of days ending today, or custom days (`YYYY-MM-DD`, UTC, inclusive). */
export type DateRange = { preset: 7 | 30 | 90 } | { preset: 'custom'; from: string; to: string };

const presets = [7, 30, 90] as const;

/** The `from`/`to` days a range stands for, at `now`. */
export function resolveRange(range: DateRange, now: number): { from: string; to: string } {
  if (range.preset === 'custom') return { from: range.from, to: range.to };
  return { from: utcDay(now, range.preset - 1), to: utcDay(now) };
}

export interface DateRangeControlProps {
  range: DateRange;
  onChange: (range: DateRange) => void;
  now: number;
}

/** Last 7 / 30 / 90 days, or two date inputs. */
export function DateRangeControl({ range, onChange, now }: DateRangeControlProps) {
  const { from, to } = resolveRange(range, now);
  return (
    <div className="cf-toolbar" style={{ gap: 8 }}>
      <fieldset className="cf-field" style={{ border: 0, padding: 0, margin: 0 }}>
        <legend className="cf-field__label" style={{ marginBottom: 4 }}>
          Period
        </legend>
        <div className="cf-segmented">
          {presets.map((days) => (
            <button
              key={days}
              type="button"
              aria-pressed={range.preset === days}
              onClick={() => onChange({ preset: days })}
            >
              {days} days
            </button>
          ))}
          <button
            type="button"
            aria-pressed={range.preset === 'custom'}
            onClick={() => onChange({ preset: 'custom', from, to })}
          >
            Custom
          </button>
        </div>
      </fieldset>
      {range.preset === 'custom' && (
        <>
          <label className="cf-field">
            <span className="cf-field__label">From</span>
            <input
              className="cf-input"
              type="date"
              value={range.from}
              max={range.to}
              onChange={(event) => event.target.value && onChange({ ...range, from: event.target.value })}
            />
          </label>
          <label className="cf-field">
            <span className="cf-field__label">To</span>
            <input
              className="cf-input"
              type="date"
              value={range.to}
              min={range.from}
              onChange={(event) => event.target.value && onChange({ ...range, to: event.target.value })}
            />
          </label>
        </>
      )}
    </div>
  );
}

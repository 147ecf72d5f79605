import type { AnyChannelDefinition } from '@convoflow/engine';
import { useId } from 'react';
import { humanize } from '../forms/json-schema.ts';
import { ConnectionCheck } from './ConnectionCheck.tsx';
import { type ChannelConnection, fieldTitle } from './channel-fields.ts';
import { EndpointList } from './EndpointList.tsx';

interface ChannelCardProps {
  connection: ChannelConnection;
  /** Undefined when this editor does not know the connection's kind: it shows as stored. */
  definition: AnyChannelDefinition | undefined;
  /** Just created: say what is left to finish the setup. */
  fresh: boolean;
  /** Absent when the kind is unknown here: there is no form for its fields. */
  onEdit?: () => void;
  /** Absent for a key that may not change connections (a viewer's). */
  onDelete?: () => void;
  /** False for a key that may not check connections (a viewer's): the check calls the platform. */
  checkable?: boolean;
}

/** One channel connection: what it holds, the URLs to paste into its platform, a check, edit, delete. */
export function ChannelCard({ connection, definition, fresh, onEdit, onDelete, checkable = true }: ChannelCardProps) {
  const titleId = useId();
  const platform = definition?.label ?? connection.channel;
  const title = (part: 'settings' | 'secrets', key: string) =>
    definition ? fieldTitle(definition[part], key) : humanize(key);
  return (
    <article
      className={`cf-channel-card${fresh ? ' cf-channel-card--fresh' : ''}`}
      aria-labelledby={titleId}
      data-testid={`channel-${connection.id}`}
    >
      <header className="cf-channel-card__head">
        <span className="cf-channel-icon" aria-hidden="true">
          {definition?.icon ?? '🔌'}
        </span>
        <div className="cf-channel-card__title">
          <h2 id={titleId}>{connection.name}</h2>
          <p className="muted">
            {platform} · id <code>{connection.id}</code>
          </p>
        </div>
        {onEdit && <CardButton label="Edit" name={connection.name} onClick={onEdit} />}
        {onDelete && <CardButton label="Delete" name={connection.name} onClick={onDelete} danger />}
      </header>
      {fresh && (
        <p className="notice" role="status">
          Saved. To finish the setup, paste the URLs below into {platform}, then check the connection.
        </p>
      )}
      <dl className="cf-channel-card__facts">
        {Object.entries(connection.settings).map(([key, value]) => (
          <div key={key}>
            <dt>{title('settings', key)}</dt>
            <dd>{shown(value)}</dd>
          </div>
        ))}
        <div>
          <dt>Secrets stored</dt>
          <dd>{connection.secretsSet.map((key) => title('secrets', key)).join(', ') || 'none'}</dd>
        </div>
      </dl>
      <EndpointList endpoints={connection.endpoints} platform={platform} />
      {checkable && <ConnectionCheck connectionId={connection.id} />}
    </article>
  );
}

/** "Edit", "Delete": named with the connection for a screen reader, as each card has one. */
function CardButton({
  label,
  name,
  onClick,
  danger,
}: {
  label: string;
  name: string;
  onClick: () => void;
  danger?: boolean;
}) {
  return (
    <button
      type="button"
      className={`button button--ghost${danger ? ' button--danger-text' : ''}`}
      aria-label={`${label} ${name}`}
      onClick={onClick}
    >
      {label}
    </button>
  );
}

function shown(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

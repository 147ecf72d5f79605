import { channels } from '@convoflow/channels';
import type { AnyChannelDefinition, ChannelRegistry } from '@convoflow/engine';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { Dialog } from '../app/Dialog.tsx';
import { hrefOf } from '../app/route.ts';
import { useCan } from '../app/useMe.ts';
import { useConnections } from '../forms/useConnections.ts';
import { EmptyState } from '../shared/EmptyState.tsx';
import { ErrorNotice } from '../shared/ErrorNotice.tsx';
import { AddChannelDialog } from './AddChannelDialog.tsx';
import { ChannelCard } from './ChannelCard.tsx';
import { type ChannelConnection, definitionOf } from './channel-fields.ts';
import { EditChannelDialog } from './EditChannelDialog.tsx';

type Pending =
  | { kind: 'add' }
  | { kind: 'edit'; connection: ChannelConnection; definition: AnyChannelDefinition }
  | { kind: 'delete'; connection: ChannelConnection }
  | null;

/** The chat platforms the team runs: add one, paste its URLs into it, check it, edit it, delete it. */
export default function ChannelsPage({ definitions = channels }: { definitions?: ChannelRegistry }) {
  // `add` replaces a connection of the same id: an edited one shows its new values.
  const { connections, loadError, add: show } = useConnections('channel');
  const [deleted, setDeleted] = useState<readonly string[]>([]);
  const [fresh, setFresh] = useState<string | null>(null);
  // Saves by connection id: a card saved anew starts over, its check's answer being about the old values.
  const [saves, setSaves] = useState<Readonly<Record<string, number>>>({});
  const [pending, setPending] = useState<Pending>(null);
  const shown = (connections ?? [])
    .filter((connection) => !deleted.includes(connection.id))
    .sort((a, b) => b.createdAt - a.createdAt);
  const platforms = Object.values(definitions).map((definition) => definition.label);
  // Adding, editing, checking and deleting a connection take an editor's key; a viewer reads them.
  const canChange = useCan('editor');

  return (
    <div className="page">
      <header className="topbar">
        <a className="topbar__back" href={hrefOf({ page: 'list' })} aria-label="Back to workflows">
          ←
        </a>
        <h1 className="cf-channel-title">Channels</h1>
        <div className="topbar__actions">
          {canChange && (
            <button
              type="button"
              className="button button--primary"
              onClick={() => setPending({ kind: 'add' })}
              data-testid="add-channel"
            >
              Add channel
            </button>
          )}
        </div>
      </header>
      <main className="page__body">
        <p className="muted cf-channel-intro">
          The chat platforms your team runs. Each connection gives you URLs to paste into the platform, so that its
          conversations start your workflows and their questions are asked there.
        </p>
        {loadError && <ErrorNotice error={loadError} action="Could not load the channels" />}
        {connections === null && !loadError && <p className="muted">Loading channels…</p>}
        {connections !== null && shown.length === 0 && (
          <EmptyState title="No channels yet.">
            <p>
              {canChange
                ? `Add one to connect ${platforms.join(' or ')}.`
                : 'An editor or owner adds them; they show here once added.'}
            </p>
          </EmptyState>
        )}
        <div className="cf-channel-list" data-testid="channel-list">
          {shown.map((connection) => {
            const definition = definitionOf(definitions, connection.channel);
            return (
              <ChannelCard
                key={`${connection.id}:${saves[connection.id] ?? 0}`}
                connection={connection}
                definition={definition}
                fresh={connection.id === fresh}
                onEdit={
                  canChange && definition ? () => setPending({ kind: 'edit', connection, definition }) : undefined
                }
                onDelete={canChange ? () => setPending({ kind: 'delete', connection }) : undefined}
                checkable={canChange}
              />
            );
          })}
        </div>
      </main>
      {pending?.kind === 'add' && (
        <AddChannelDialog
          definitions={definitions}
          takenIds={shown.map((connection) => connection.id)}
          onClose={() => setPending(null)}
          onCreated={(created) => {
            setPending(null);
            setDeleted((ids) => ids.filter((id) => id !== created.id));
            show(created);
            setFresh(created.id);
          }}
        />
      )}
      {pending?.kind === 'edit' && (
        <EditChannelDialog
          connection={pending.connection}
          definition={pending.definition}
          onClose={() => setPending(null)}
          onSaved={(updated) => {
            setPending(null);
            show(updated);
            setSaves((counts) => ({ ...counts, [updated.id]: (counts[updated.id] ?? 0) + 1 }));
          }}
        />
      )}
      {pending?.kind === 'delete' && (
        <Dialog
          title={`Delete “${pending.connection.name}”?`}
          submitLabel="Delete"
          danger
          testId="confirm-delete-channel"
          onClose={() => setPending(null)}
          onSubmit={async () => {
            await api.connections.delete(pending.connection.id);
            setDeleted((ids) => [...ids, pending.connection.id]);
            setPending(null);
          }}
        >
          <p>
            Its URLs stop working and its secrets are erased. Remove the webhooks that point at them from{' '}
            {definitionOf(definitions, pending.connection.channel)?.label ?? 'the platform'} too.
          </p>
        </Dialog>
      )}
    </div>
  );
}

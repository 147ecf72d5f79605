import type { WorkflowListItem, WorkflowRecord } from '@convoflow/engine';
import { type ChangeEvent, useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client.ts';
import { Dialog } from '../app/Dialog.tsx';
import { editorName } from '../app/editorName.ts';
import { hrefOf, navigate } from '../app/route.ts';
import { roleNames, useCan, useMe } from '../app/useMe.ts';
import { runsHref } from '../runs/filterHash.ts';
import { RelativeTime } from '../shared/RelativeTime.tsx';
import { apiErrorText } from './apiErrorText.ts';
import { draftChangedIn, savedByText } from './draftConflict.ts';
import { downloadWorkflow, newWorkflow, readJsonFile, toFile } from './io.ts';
import { RetireDialog } from './RetireDialog.tsx';
import { TemplateGallery, useTemplates } from './TemplateGallery.tsx';

type Pending =
  | { kind: 'create' }
  | { kind: 'rename'; item: WorkflowListItem }
  | { kind: 'delete'; item: WorkflowListItem }
  | null;

/**
 * Every workflow with its status and recent runs; create, rename, duplicate, delete, import,
 * export (changes for editor keys and up); the owner's Team pages; who is signed in.
 */
export function WorkflowListPage({ onSignOut }: { onSignOut?: () => void }) {
  const [items, setItems] = useState<WorkflowListItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const triggers = useTriggerTypes();
  const who = useMe();
  const canEdit = useCan('editor');
  const isOwner = useCan('owner');

  const refresh = useCallback(() => {
    api.workflows
      .list()
      .then((list) => {
        setItems([...list].sort((a, b) => b.updatedAt - a.updatedAt));
        setError(null);
      })
      .catch((caught: unknown) => setError(apiErrorText(caught)));
  }, []);
  useEffect(refresh, [refresh]);

  const act = async (what: () => Promise<unknown>) => {
    try {
      await what();
      refresh();
    } catch (caught) {
      setError(apiErrorText(caught));
    }
  };

  const duplicate = (item: WorkflowListItem) =>
    act(async () => {
      const record = await api.workflows.get(item.id);
      await api.workflows.create({ ...toFile(record), name: `${record.name} (copy)` });
    });

  const exportOne = (item: WorkflowListItem) => act(async () => downloadWorkflow(await api.workflows.get(item.id)));

  const importFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    try {
      const document = await readJsonFile(file);
      const created = await api.workflows.importDocument(stripId(document));
      navigate({ page: 'workflow', workflowId: created.id, tab: 'design' });
    } catch (caught) {
      setError(`Import failed: ${apiErrorText(caught)}`);
    }
  };

  return (
    <div className="page">
      <header className="topbar">
        <div className="brand">
          <span className="brand__mark" aria-hidden="true">
            ◆
          </span>
          Convoflow
        </div>
        <div className="topbar__actions">
          {who && (
            <span className="muted" data-testid="signed-in-as">
              {/* The install's key is everyone's: its changes go under the name asked at sign-in. */}
              {who.kind === 'install-key' ? editorName.get() : who.name} · {roleNames[who.role]}
            </span>
          )}
          {isOwner && (
            <>
              <a className="button button--ghost" href={hrefOf({ page: 'users' })} data-testid="nav-users">
                Users
              </a>
              <a className="button button--ghost" href={hrefOf({ page: 'keys' })} data-testid="nav-keys">
                API keys
              </a>
              <a className="button button--ghost" href={hrefOf({ page: 'audit' })} data-testid="nav-audit">
                Audit log
              </a>
            </>
          )}
          <a className="button button--ghost" href={hrefOf({ page: 'channels' })} data-testid="nav-channels">
            Channels
          </a>
          {canEdit && (
            <>
              <button
                type="button"
                className="button"
                onClick={() => fileInput.current?.click()}
                data-testid="import-workflow"
              >
                Import JSON
              </button>
              <input
                ref={fileInput}
                type="file"
                accept="application/json,.json"
                className="visually-hidden"
                aria-label="Workflow file to import"
                data-testid="import-file"
                onChange={importFile}
              />
              <button
                type="button"
                className="button button--primary"
                onClick={() => setPending({ kind: 'create' })}
                data-testid="create-workflow"
              >
                New workflow
              </button>
            </>
          )}
          {onSignOut && (
            <button type="button" className="button button--ghost" onClick={onSignOut} data-testid="sign-out">
              Sign out
            </button>
          )}
        </div>
      </header>
      <main className="page__body">
        <h1>Workflows</h1>
        {error && (
          <div className="notice notice--error" role="alert" data-testid="list-error">
            <pre>{error}</pre>
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setError(null)}>
              ×
            </button>
          </div>
        )}
        {items === null && !error && <p className="muted">Loading workflows…</p>}
        {items?.length === 0 && (
          <div className="empty">
            <p>No workflows yet.</p>
            <p className="muted">
              {canEdit
                ? 'Create one, or import a workflow JSON file such as those in examples/.'
                : 'An editor or owner creates them; they show here once made.'}
            </p>
          </div>
        )}
        {items && items.length > 0 && (
          <table className="table" data-testid="workflow-list">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Trigger</th>
                <th scope="col">Status</th>
                <th scope="col">Last edited</th>
                <th scope="col" className="table__number">
                  Runs (24 h)
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id} data-testid={`workflow-row-${item.id}`}>
                  <td>
                    <a className="table__link" href={hrefOf({ page: 'workflow', workflowId: item.id, tab: 'design' })}>
                      {item.name}
                    </a>
                  </td>
                  <td>{item.triggerType ? labelOf(triggers, item.triggerType) : '—'}</td>
                  <td>
                    <StatusPill item={item} />
                  </td>
                  <td>
                    <RelativeTime at={item.updatedAt} />
                  </td>
                  <td className="table__number">
                    {item.runsLast24h}
                    {item.failuresLast24h > 0 && (
                      <a
                        href={runsHref(item.id, { outcome: 'any_failure' })}
                        style={{ marginLeft: 8, color: 'var(--danger)', fontWeight: 600 }}
                        title="Runs that failed or completed with a failed step in the last 24 h"
                        data-testid="workflow-failures"
                      >
                        {item.failuresLast24h} failed
                      </a>
                    )}
                  </td>
                  <td className="table__actions">
                    {canEdit && (
                      <button
                        type="button"
                        className="button button--ghost"
                        aria-label={`Rename ${item.name}`}
                        onClick={() => setPending({ kind: 'rename', item })}
                      >
                        Rename
                      </button>
                    )}
                    {canEdit && (
                      <button
                        type="button"
                        className="button button--ghost"
                        aria-label={`Duplicate ${item.name}`}
                        onClick={() => duplicate(item)}
                      >
                        Duplicate
                      </button>
                    )}
                    <button
                      type="button"
                      className="button button--ghost"
                      aria-label={`Export ${item.name}`}
                      onClick={() => exportOne(item)}
                    >
                      Export
                    </button>
                    {canEdit && (
                      <button
                        type="button"
                        className="button button--ghost button--danger-text"
                        aria-label={`Delete ${item.name}`}
                        onClick={() => setPending({ kind: 'delete', item })}
                      >
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
      {pending?.kind === 'create' && <CreateDialog triggers={triggers} onClose={() => setPending(null)} />}
      {pending?.kind === 'rename' && (
        <RenameDialog
          item={pending.item}
          onClose={() => setPending(null)}
          onDone={() => {
            setPending(null);
            refresh();
          }}
        />
      )}
      {pending?.kind === 'delete' && (
        <RetireDialog
          title={`Delete “${pending.item.name}”?`}
          submitLabel="Delete"
          danger
          testId="confirm-delete"
          activeRuns={pending.item.activeRuns}
          onClose={() => setPending(null)}
          onConfirm={async (activeRuns) => {
            await api.workflows.delete(pending.item.id, activeRuns);
            setPending(null);
            refresh();
          }}
        >
          <p>The workflow and its versions are removed; versions that runs finishing still use stay until they end.</p>
        </RetireDialog>
      )}
    </div>
  );
}

function StatusPill({ item }: { item: WorkflowListItem }) {
  if (item.status === 'draft') return <span className="pill pill--draft">Draft</span>;
  return (
    <span className="pill-group">
      <span className="pill pill--published">Published v{item.publishedVersion}</span>
      {item.hasUnpublishedChanges && <span className="pill pill--changes">Unpublished changes</span>}
    </span>
  );
}

interface TriggerType {
  type: string;
  label: string;
}

/**
 * The trigger types a workflow can start with, from the node registry. The list screen loads
 * before (and without) it, so it comes in its own chunk; until then types show as they are.
 */
function useTriggerTypes(): readonly TriggerType[] {
  const [triggers, setTriggers] = useState<readonly TriggerType[]>([]);
  useEffect(() => {
    let open = true;
    import('@convoflow/nodes').then(({ definitions }) => {
      const found = Object.values(definitions).filter((definition) => definition.trigger);
      if (open) setTriggers(found.map(({ type, label }) => ({ type, label })));
    });
    return () => {
      open = false;
    };
  }, []);
  return triggers;
}

function labelOf(triggers: readonly TriggerType[], type: string): string {
  return triggers.find((trigger) => trigger.type === type)?.label ?? type;
}

function CreateDialog({ triggers, onClose }: { triggers: readonly TriggerType[]; onClose: () => void }) {
  const [name, setName] = useState('');
  const [picked, setTrigger] = useState<string>();
  const trigger = picked ?? triggers[0]?.type ?? '';
  const { templates, error } = useTemplates();
  const [templateId, setTemplateId] = useState<string | null>(null);
  const template = templates?.find((candidate) => candidate.id === templateId);
  return (
    <Dialog
      title="New workflow"
      submitLabel="Create"
      testId="create-dialog"
      onClose={onClose}
      onSubmit={async () => {
        // A template is copied into a new draft with an id of its own: it is never edited in place.
        const created = template
          ? await api.workflows.create({ ...toFile(template.workflow), name: name.trim() || copyName(template.name) })
          : await createBlank();
        navigate({ page: 'workflow', workflowId: created.id, tab: 'design' });
      }}
    >
      <TemplateGallery templates={templates ?? []} selected={templateId} onSelect={setTemplateId} />
      {error && <p className="muted">Templates could not be loaded: {error}</p>}
      <label htmlFor="new-name">Name</label>
      <input
        id="new-name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        placeholder={template ? copyName(template.name) : 'CSAT survey'}
      />
      {!template && (
        <>
          <label htmlFor="new-trigger">Starts when</label>
          <select id="new-trigger" value={trigger} onChange={(event) => setTrigger(event.target.value)}>
            {triggers.map(({ type, label }) => (
              <option key={type} value={type}>
                {label}
              </option>
            ))}
          </select>
        </>
      )}
    </Dialog>
  );

  function createBlank() {
    if (!trigger) throw new Error('The trigger types are still loading: try again in a moment.');
    return api.workflows.create(newWorkflow(name.trim() || 'Untitled workflow', trigger));
  }
}

function copyName(name: string): string {
  return `${name} (copy)`;
}

/**
 * Renames the draft as it was when the dialog opened: if someone saved it meanwhile, the
 * rename is refused (their save is not overwritten) and the dialog says who, when, and what the
 * draft is called now; renaming again then applies to their version.
 */
function RenameDialog({ item, onClose, onDone }: { item: WorkflowListItem; onClose: () => void; onDone: () => void }) {
  const [name, setName] = useState(item.name);
  const [record, setRecord] = useState<WorkflowRecord | null>(null);
  useEffect(() => {
    let open = true;
    api.workflows
      .get(item.id)
      .then((loaded) => open && setRecord(loaded))
      // Submitting reads it again and shows that error.
      .catch(() => undefined);
    return () => {
      open = false;
    };
  }, [item.id]);
  return (
    <Dialog
      title="Rename workflow"
      submitLabel="Rename"
      testId="rename-dialog"
      onClose={onClose}
      onSubmit={async () => {
        const base = record ?? (await api.workflows.get(item.id));
        try {
          await api.workflows.update(item.id, { ...toFile(base), id: item.id, name: name.trim() }, base.revision);
        } catch (error) {
          const conflict = draftChangedIn(error);
          if (!conflict) throw error;
          const theirs = await api.workflows.get(item.id);
          setRecord(theirs);
          throw new Error(
            `Not renamed: ${savedByText(conflict)} saved this workflow since you opened this dialog` +
              ` (it is now called “${theirs.name}”). Rename again to rename their version.`,
          );
        }
        onDone();
      }}
    >
      <label htmlFor="rename-name">Name</label>
      <input id="rename-name" value={name} onChange={(event) => setName(event.target.value)} required />
      {record && (
        <p className="muted" data-testid="rename-last-saved">
          Draft last saved <RelativeTime at={record.updatedAt} />
          {record.savedBy ? ` by ${record.savedBy}` : ''}.
        </p>
      )}
    </Dialog>
  );
}

/** An imported file becomes a new workflow: an `id` in it would overwrite one. */
function stripId(document: unknown): Record<string, unknown> {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new Error('The file is JSON but not a workflow: expected an object with name, nodes and edges.');
  }
  return Object.fromEntries(Object.entries(document).filter(([key]) => key !== 'id'));
}

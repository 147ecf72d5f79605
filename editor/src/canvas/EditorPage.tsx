import '@xyflow/react/dist/style.css';
import { type DraftChangedDetails, ValidationProblem, type WorkflowRecord, WorkflowSettings } from '@convoflow/engine';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { lazy, type MouseEvent, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import { Dialog } from '../app/Dialog.tsx';
import { useLeaveGuard } from '../app/leaveGuard.ts';
import '../app/roles.css';
import { type EditorTab, hrefOf, navigate, parseRoute, type Route } from '../app/route.ts';
import { useRefusal } from '../app/useMe.ts';
import { SchemaForm } from '../forms/SchemaForm.tsx';
import { RunDetailPanel } from '../runs/RunDetailPanel.tsx';
import { RunsPage } from '../runs/RunsPage.tsx';
import { type MenuAction, MenuButton } from '../shared/MenuButton.tsx';
import { useMediaQuery } from '../shared/useMediaQuery.ts';
import { SimulatorPanel } from '../simulator/SimulatorPanel.tsx';
import { apiErrorText } from '../workflows/apiErrorText.ts';
import { draftChangedIn, savedByText } from '../workflows/draftConflict.ts';
import { downloadWorkflow } from '../workflows/io.ts';
import { PublishDialog } from '../workflows/PublishDialog.tsx';
import { RetireDialog } from '../workflows/RetireDialog.tsx';
import { VersionsDialog } from '../workflows/VersionsDialog.tsx';
import { CommandPalette, openCommandPalette } from './CommandPalette.tsx';
import type { Command } from './commandResults.ts';
import { FailureAlertsSettings } from './FailureAlertsSettings.tsx';
import { FlowCanvas, fitViewOn } from './FlowCanvas.tsx';
import { NodePanel } from './NodePanel.tsx';
import { Palette } from './Palette.tsx';
import { ProblemsList } from './ProblemsList.tsx';
import { revealNode } from './revealNode.ts';
import { type PathStep, useCanvasStore } from './store.ts';
import { useEditorShortcuts } from './useEditorShortcuts.ts';
import { useLiveValidation } from './useLiveValidation.ts';

const CsatDashboard = lazy(() => import('../dashboard/CsatDashboard.tsx').then((m) => ({ default: m.CsatDashboard })));

type WorkflowRoute = Extract<Route, { page: 'workflow' }>;
const NOTICE_MS = 5000;

type Notice = { kind: 'ok' | 'error'; text: string } | null;

/** One workflow: toolbar, palette, canvas, and the side panel (node config, simulator, runs). */
export default function EditorPage({ route }: { route: WorkflowRoute }) {
  return (
    <ReactFlowProvider>
      <Editor route={route} />
    </ReactFlowProvider>
  );
}

function Editor({ route }: { route: WorkflowRoute }) {
  const { workflowId, tab } = route;
  const [record, setRecord] = useState<WorkflowRecord | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [serverProblems, setServerProblems] = useState<ValidationProblem[]>([]);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState<'save' | 'publish' | null>(null);
  const [dialog, setDialog] = useState<'versions' | 'settings' | 'unpublish' | 'publish' | null>(null);
  const [simulating, setSimulating] = useState(false);
  const [conflict, setConflict] = useState<DraftChangedDetails | null>(null);
  // The draft's revision as this page last loaded or saved it: a save from it is refused when
  // someone saved since. Publishing and reading the record again leave it as it is.
  const baseRevision = useRef(0);
  const dirty = useCanvasStore((state) => state.dirty);
  const openNodeId = useCanvasStore((state) => state.openNodeId);
  const flow = useReactFlow();
  // A viewer's key reads the workflow: the canvas and panels show it without letting it change.
  const editRefusal = useRefusal('editor');
  const readOnly = editRefusal !== null;

  useEffect(() => {
    let current = true;
    api.workflows
      .get(workflowId)
      .then((loaded) => {
        if (!current) return;
        baseRevision.current = loaded.revision;
        setRecord(loaded);
        useCanvasStore.getState().load(loaded);
      })
      .catch((error: unknown) => current && setLoadError(apiErrorText(error)));
    return () => {
      current = false;
    };
  }, [workflowId]);

  // The server's verdict is about what was saved: once the draft changes, it is stale.
  useEffect(() => {
    if (dirty) setServerProblems([]);
  }, [dirty]);
  useLiveValidation(serverProblems);

  // A view's notice and highlighted path belong to that view: leaving it (another tab, another
  // run, the run closed by the browser's back button) clears both. A cleanup, so it runs before
  // the next view's panel highlights its own path.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the cleanup must run whenever the tab or the open run changes
  useEffect(
    () => () => {
      setNotice(null);
      setSimulating(false);
      useCanvasStore.getState().clearHighlight();
    },
    [tab, route.runId],
  );

  // Confirmations fade by themselves; errors stay until dismissed.
  useEffect(() => {
    if (notice?.kind !== 'ok') return;
    const timer = window.setTimeout(() => setNotice(null), NOTICE_MS);
    return () => window.clearTimeout(timer);
  }, [notice]);

  const asksToLeave = useCallback(
    (hash: string) => useCanvasStore.getState().dirty && leavesWorkflow(hash, workflowId),
    [workflowId],
  );
  const leaving = useLeaveGuard(asksToLeave, isDirty);

  const save = useCallback(async (): Promise<boolean> => {
    const store = useCanvasStore.getState();
    setBusy('save');
    try {
      const saved = await api.workflows.update(workflowId, store.toWorkflow(), baseRevision.current);
      baseRevision.current = saved.revision;
      useCanvasStore.getState().markSaved();
      setRecord(saved);
      const report = await api.workflows.validate(workflowId);
      setServerProblems(report.problems);
      setNotice({
        kind: 'ok',
        text: report.valid ? 'Saved.' : `Saved, with ${report.problems.length} problem(s) to fix before publishing.`,
      });
      return true;
    } catch (error) {
      const changed = draftChangedIn(error);
      if (changed) setConflict(changed);
      else setNotice({ kind: 'error', text: `Not saved: ${apiErrorText(error)}` });
      return false;
    } finally {
      setBusy(null);
    }
  }, [workflowId]);

  const publish = async (note: string) => {
    if (useCanvasStore.getState().dirty && !(await save())) return;
    setBusy('publish');
    try {
      const published = await api.workflows.publish(workflowId, note);
      setRecord(published);
      setServerProblems([]);
      setNotice({ kind: 'ok', text: `Published version ${published.publishedVersion}. New runs use it.` });
    } catch (error) {
      const problems = problemsIn(error);
      if (problems.length) {
        setServerProblems(problems);
        // Bring the marked steps into view, clear of the notice at the bottom.
        const nodeIds = [...new Set(problems.flatMap((problem) => (problem.nodeId ? [problem.nodeId] : [])))];
        requestAnimationFrame(() => void flow.fitView(fitViewOn(nodeIds)));
      }
      setNotice({
        kind: 'error',
        text: problems.length
          ? `Publish refused: fix the ${problems.length} problem${problems.length === 1 ? '' : 's'} marked on the canvas.`
          : `Publish failed: ${apiErrorText(error)}`,
      });
    } finally {
      setBusy(null);
    }
  };

  // The count of runs in progress the dialog shows is read when it opens, not when the page did.
  const openUnpublish = async () => {
    try {
      setRecord(await api.workflows.get(workflowId));
    } catch {
      // The dialog opens with the count already known; the server corrects a stale one.
    }
    setDialog('unpublish');
  };

  const reloadTheirs = async () => {
    const theirs = await api.workflows.get(workflowId);
    baseRevision.current = theirs.revision;
    setRecord(theirs);
    setServerProblems([]);
    useCanvasStore.getState().load(theirs);
    setConflict(null);
    setNotice({ kind: 'ok', text: 'Loaded the saved draft; your changes were discarded.' });
  };

  const saveShortcut = useCallback(() => void save(), [save]);
  const revealPasted = useCallback((ids: string[]) => ids[0] && revealNode(flow, ids[0]), [flow]);
  useEditorShortcuts(saveShortcut, revealPasted, readOnly);

  const setTab = (next: EditorTab) => navigate({ page: 'workflow', workflowId, tab: next });
  const addAtCentre = (type: string) => {
    const bounds = document.querySelector('.canvas')?.getBoundingClientRect();
    const centre = bounds
      ? flow.screenToFlowPosition({ x: bounds.left + bounds.width / 2, y: bounds.top + bounds.height / 2 })
      : { x: 0, y: 0 };
    revealNode(flow, useCanvasStore.getState().addNode(type, { x: centre.x - 120, y: centre.y - 40 }));
  };
  const addNoteAtCentre = () => {
    const bounds = document.querySelector('.canvas')?.getBoundingClientRect();
    const centre = bounds
      ? flow.screenToFlowPosition({ x: bounds.left + bounds.width / 2, y: bounds.top + bounds.height / 2 })
      : { x: 0, y: 0 };
    const id = useCanvasStore.getState().addSticky({ x: centre.x - 100, y: centre.y - 60 });
    // Ready to type into: the note's text area once React Flow has drawn it.
    requestAnimationFrame(() =>
      document.querySelector<HTMLTextAreaElement>(`[data-testid="sticky-${id}"] textarea`)?.focus(),
    );
  };
  const runCommand = (command: Command) => {
    if (command.kind === 'workflow') {
      navigate({ page: 'workflow', workflowId: command.workflowId, tab: 'design' });
      return;
    }
    if (tab !== 'design') setTab('design');
    if (command.kind === 'add') {
      if (!readOnly) addAtCentre(command.type);
    } else {
      useCanvasStore.getState().selectNode(command.nodeId);
      revealNode(flow, command.nodeId, { center: true, focus: true });
    }
  };
  const highlight = useCallback((steps: readonly PathStep[]) => useCanvasStore.getState().highlightPath(steps), []);
  const clearHighlight = useCallback(() => useCanvasStore.getState().clearHighlight(), []);

  if (loadError) {
    return (
      <div className="page">
        <div className="page__body">
          <p className="notice notice--error" role="alert">
            Could not open this workflow: {loadError}
          </p>
          <a href={hrefOf({ page: 'list' })}>Back to workflows</a>
        </div>
      </div>
    );
  }
  if (!record) return <div className="loading">Loading workflow…</div>;

  return (
    <div className={`editor${readOnly ? ' editor--readonly' : ''}`}>
      <Toolbar
        record={record}
        editRefusal={editRefusal}
        tab={tab}
        busy={busy}
        simulating={simulating}
        onTab={setTab}
        onBack={leaving.onLinkClick}
        onSave={() => void save()}
        onPublish={() => setDialog('publish')}
        onUnpublish={() => void openUnpublish()}
        onDialog={setDialog}
        onAddNote={addNoteAtCentre}
        onSimulate={async () => {
          clearHighlight();
          if (simulating) {
            setSimulating(false);
            return;
          }
          // The simulator runs the saved draft: save first so it tests what is on screen.
          if (useCanvasStore.getState().dirty && !(await save())) return;
          setSimulating(true);
        }}
      />
      <div className="editor__body">
        {tab === 'design' && (
          <div className="editor__left">
            {!readOnly && <Palette onAdd={addAtCentre} />}
            <ProblemsList />
          </div>
        )}
        <main className="editor__main">
          {/* Always in the page, so screen readers announce each notice put into it. */}
          <div className="toasts" aria-live="polite">
            {notice && (
              <div
                className={`toast toast--${notice.kind}`}
                role={notice.kind === 'error' ? 'alert' : 'status'}
                data-testid="notice"
              >
                <span>{notice.text}</span>
                <button
                  type="button"
                  className="icon-button"
                  aria-label="Dismiss message"
                  onClick={() => setNotice(null)}
                >
                  ×
                </button>
              </div>
            )}
          </div>
          {tab === 'dashboard' ? (
            <Suspense fallback={<div className="loading">Loading the dashboard…</div>}>
              <div className="editor__scroll">
                <CsatDashboard workflowId={workflowId} />
              </div>
            </Suspense>
          ) : (
            <FlowCanvas readOnly={readOnly} sidePanelOpen={tab === 'runs' || simulating || openNodeId !== null} />
          )}
        </main>
        {tab === 'design' && (simulating || openNodeId) && (
          <aside className="editor__side" aria-label={simulating ? 'Simulator' : 'Step settings'}>
            {simulating ? (
              <SimulatorPanel
                workflowId={workflowId}
                onRunChange={(run) => (run ? highlight(run.steps) : clearHighlight())}
                onClose={() => {
                  setSimulating(false);
                  clearHighlight();
                }}
              />
            ) : (
              openNodeId && <NodePanel key={openNodeId} nodeId={openNodeId} readOnly={readOnly} />
            )}
          </aside>
        )}
        {tab === 'runs' && (
          <aside className="editor__side editor__side--wide" aria-label="Runs">
            {route.runId ? (
              <RunDetailPanel
                key={route.runId}
                runId={route.runId}
                onPath={highlight}
                onClose={() => {
                  clearHighlight();
                  navigate({ page: 'workflow', workflowId, tab: 'runs' });
                }}
              />
            ) : (
              <RunsPage
                workflowId={workflowId}
                onOpenRun={(runId) => navigate({ page: 'workflow', workflowId, tab: 'runs', runId })}
              />
            )}
          </aside>
        )}
      </div>
      <CommandPalette workflowId={workflowId} onChoose={runCommand} />
      {conflict && (
        <Dialog
          title="Saved by someone else"
          testId="conflict-dialog"
          cancelLabel="Keep editing"
          alternative={{ label: 'Reload theirs', onClick: reloadTheirs }}
          submitLabel="Overwrite"
          danger
          onClose={() => setConflict(null)}
          onSubmit={async () => {
            baseRevision.current = conflict.revision;
            setConflict(null);
            await save();
          }}
        >
          <p>Someone else saved this workflow ({savedByText(conflict)}) since you opened it.</p>
          <p className="muted">
            Reload theirs discards your unsaved changes; Overwrite replaces their changes with yours.
          </p>
        </Dialog>
      )}
      {leaving.pending !== null && (
        <Dialog
          title="Leave without saving?"
          testId="leave-dialog"
          cancelLabel="Stay"
          submitLabel="Leave"
          danger
          onClose={leaving.stay}
          onSubmit={leaving.leave}
        >
          <p>Your changes to this workflow are not saved; leaving discards them.</p>
        </Dialog>
      )}
      {dialog === 'publish' && (
        <PublishDialog
          onClose={() => setDialog(null)}
          onPublish={(note) => {
            setDialog(null);
            void publish(note);
          }}
        />
      )}
      {dialog === 'versions' && <VersionsDialog record={record} onClose={() => setDialog(null)} />}
      {dialog === 'settings' && <SettingsDialog readOnly={readOnly} onClose={() => setDialog(null)} />}
      {dialog === 'unpublish' && (
        <RetireDialog
          title="Unpublish this workflow?"
          submitLabel="Unpublish"
          testId="confirm-unpublish"
          activeRuns={record.activeRuns}
          onClose={() => setDialog(null)}
          onConfirm={async (activeRuns) => {
            setRecord(await api.workflows.unpublish(workflowId, activeRuns));
            setDialog(null);
            setNotice({ kind: 'ok', text: 'Unpublished: new conversations no longer start this workflow.' });
          }}
        >
          <p>New conversations no longer start it. The draft and its versions stay: publish again at any time.</p>
        </RetireDialog>
      )}
    </div>
  );
}

interface ToolbarProps {
  record: WorkflowRecord;
  /** Why this key cannot change the workflow (a viewer's), or null when it can. */
  editRefusal: string | null;
  tab: EditorTab;
  busy: 'save' | 'publish' | null;
  simulating: boolean;
  onTab: (tab: EditorTab) => void;
  onBack: (event: MouseEvent<HTMLAnchorElement>) => void;
  onSave: () => void;
  onPublish: () => void;
  onUnpublish: () => void;
  onDialog: (dialog: 'versions' | 'settings') => void;
  onAddNote: () => void;
  onSimulate: () => void;
}

function Toolbar({
  record,
  editRefusal,
  tab,
  busy,
  simulating,
  onTab,
  onBack,
  onSave,
  onPublish,
  onUnpublish,
  onDialog,
  onAddNote,
  onSimulate,
}: ToolbarProps) {
  const name = useCanvasStore((state) => state.name);
  const dirty = useCanvasStore((state) => state.dirty);
  const canUndo = useCanvasStore((state) => state.past.length > 0);
  const canRedo = useCanvasStore((state) => state.future.length > 0);
  const store = useCanvasStore.getState;
  const tabs: { id: EditorTab; label: string }[] = [
    { id: 'design', label: 'Design' },
    { id: 'runs', label: 'Runs' },
    { id: 'dashboard', label: 'Dashboard' },
  ];
  // Below this width the secondary actions fold into "More", so Save and Publish stay on screen.
  const narrow = useMediaQuery('(max-width: 1199px)');
  const readOnly = editRefusal !== null;
  const secondary: MenuAction[] = [
    ...(tab === 'design' && !readOnly
      ? [
          { label: 'Tidy up', onSelect: () => store().layout(), testId: 'tidy-up' },
          { label: 'Add note', onSelect: onAddNote, testId: 'add-note' },
        ]
      : []),
    { label: 'Settings', onSelect: () => onDialog('settings'), testId: 'settings-button' },
    { label: 'Versions', onSelect: () => onDialog('versions'), testId: 'versions-button' },
    { label: 'Export', onSelect: () => downloadWorkflow(store().toWorkflow()), testId: 'export-button' },
    ...(record.status === 'published' && !readOnly
      ? [{ label: 'Unpublish', onSelect: onUnpublish, testId: 'unpublish-button', disabled: busy !== null }]
      : []),
  ];
  return (
    <header className="topbar topbar--editor">
      <a className="topbar__back" href={hrefOf({ page: 'list' })} aria-label="Back to workflows" onClick={onBack}>
        ←
      </a>
      <input
        className="topbar__name"
        aria-label="Workflow name"
        data-testid="workflow-name"
        value={name}
        readOnly={readOnly}
        title={editRefusal ?? undefined}
        onChange={(event) => store().rename(event.target.value)}
      />
      <span className="topbar__status" data-testid="workflow-status">
        {record.status === 'published' ? (
          <span className="pill pill--published">v{record.publishedVersion} live</span>
        ) : (
          <span className="pill pill--draft">Draft</span>
        )}
        {readOnly && (
          <span className="pill pill--draft" title={editRefusal ?? undefined} data-testid="read-only">
            Read only
          </span>
        )}
        {record.status === 'published' && (record.hasUnpublishedChanges || dirty) && (
          <span className="pill pill--changes">Unpublished changes</span>
        )}
        {dirty && (
          <span className="dirty" data-testid="dirty-marker" title="Unsaved changes">
            ● Unsaved
          </span>
        )}
      </span>
      <nav className="tabs" aria-label="Workflow views">
        {tabs.map((entry) => (
          <button
            key={entry.id}
            type="button"
            className={`tabs__tab${tab === entry.id ? ' tabs__tab--active' : ''}`}
            aria-current={tab === entry.id ? 'page' : undefined}
            data-testid={`tab-${entry.id}`}
            onClick={() => onTab(entry.id)}
          >
            {entry.label}
          </button>
        ))}
      </nav>
      <div className="topbar__actions">
        <button
          type="button"
          className="icon-button"
          aria-label="Find or add (Ctrl+K)"
          title="Find a step or workflow, or add a step (Ctrl/Cmd+K)"
          data-testid="command-palette-button"
          onClick={openCommandPalette}
        >
          <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
            <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
            <path d="M10.5 10.5 14 14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
          </svg>
        </button>
        {tab === 'design' && !readOnly && (
          <>
            <button
              type="button"
              className="icon-button"
              aria-label="Undo"
              title="Undo (Ctrl+Z)"
              disabled={!canUndo}
              onClick={() => store().undo()}
            >
              ↶
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label="Redo"
              title="Redo (Shift+Ctrl+Z)"
              disabled={!canRedo}
              onClick={() => store().redo()}
            >
              ↷
            </button>
          </>
        )}
        {narrow ? (
          <MenuButton label="More" actions={secondary} testId="more-actions" />
        ) : (
          secondary.map((action) => (
            <button
              key={action.label}
              type="button"
              className="button button--ghost"
              data-testid={action.testId}
              disabled={action.disabled}
              onClick={action.onSelect}
            >
              {action.label}
            </button>
          ))
        )}
        <button
          type="button"
          className={`button${simulating ? ' button--active' : ''}`}
          aria-pressed={simulating}
          data-testid="simulator-button"
          onClick={onSimulate}
          disabled={tab !== 'design' || readOnly}
          title={editRefusal ?? undefined}
        >
          Test
        </button>
        <button
          type="button"
          className="button"
          onClick={onSave}
          disabled={!dirty || busy !== null || readOnly}
          title={editRefusal ?? undefined}
          data-testid="save-button"
        >
          {busy === 'save' ? 'Saving…' : dirty ? 'Save' : 'Saved'}
        </button>
        <button
          type="button"
          className="button button--primary"
          onClick={onPublish}
          disabled={busy !== null || readOnly}
          title={editRefusal ?? undefined}
          data-testid="publish-button"
        >
          {busy === 'publish' ? 'Publishing…' : 'Publish'}
        </button>
      </div>
    </header>
  );
}

/** The settings the generated form shows; failure alerts have a form of their own. */
const GeneralSettings = WorkflowSettings.omit({ alerts: true });

/** `readOnly` (a viewer's key): the settings shown with every field disabled. */
function SettingsDialog({ readOnly, onClose }: { readOnly: boolean; onClose: () => void }) {
  const [settings, setSettings] = useState<Record<string, unknown>>(() => ({ ...useCanvasStore.getState().settings }));
  return (
    <Dialog
      title="Workflow settings"
      submitLabel={readOnly ? 'Close' : 'Apply'}
      onClose={onClose}
      onSubmit={() => {
        if (readOnly) return onClose();
        const parsed = WorkflowSettings.safeParse(settings);
        if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join('; '));
        useCanvasStore.getState().setSettings(parsed.data);
        onClose();
      }}
    >
      <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <SchemaForm schema={GeneralSettings} value={settings} onChange={setSettings} idPrefix="settings" />
        <FailureAlertsSettings
          workflowId={useCanvasStore.getState().workflowId}
          value={settings.alerts as WorkflowSettings['alerts']}
          onChange={(alerts) => setSettings(({ alerts: _dropped, ...rest }) => (alerts ? { ...rest, alerts } : rest))}
        />
      </fieldset>
    </Dialog>
  );
}

const isDirty = () => useCanvasStore.getState().dirty;

/** Switching tabs or opening a run stays in the workflow: only another page or workflow leaves it. */
function leavesWorkflow(hash: string, workflowId: string): boolean {
  const next = parseRoute(hash);
  return next.page !== 'workflow' || next.workflowId !== workflowId;
}

function problemsIn(error: unknown): ValidationProblem[] {
  if (!(error instanceof ApiError) || typeof error.details !== 'object' || error.details === null) return [];
  const parsed = ValidationProblem.array().safeParse('problems' in error.details ? error.details.problems : undefined);
  return parsed.success ? parsed.data : [];
}

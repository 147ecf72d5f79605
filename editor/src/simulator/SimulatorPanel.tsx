import type { RunDetail } from '@convoflow/engine';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client.ts';
import { ErrorNotice } from '../shared/ErrorNotice.tsx';
import { useLiveRun } from '../shared/useLiveRun.ts';
import { ChatView } from './ChatView.tsx';
import { defaultTestSetup, SimulatorSetup, type TestSetup, toSimulationRequest } from './SimulatorSetup.tsx';
import '../shared/ui.css';

export interface SimulatorPanelProps {
  /** The workflow whose SAVED draft is run. */
  workflowId: string;
  /**
   * Called with the run each time it changes (new step, new message, new status), and with
   * null when the test is reset, so the canvas can highlight the path taken so far.
   */
  onRunChange?: (run: RunDetail | null) => void;
  /** Closes the panel. */
  onClose: () => void;
}

/**
 * The chat simulator: fires the workflow's trigger for a test contact, shows the bot's
 * messages as they come, and lets the operator answer as the contact.
 */
export function SimulatorPanel({ workflowId, onRunChange, onClose }: SimulatorPanelProps) {
  const [setup, setSetup] = useState<TestSetup>(defaultTestSetup);
  const [runId, setRunId] = useState<string | null>(null);
  const [chatOpen, setChatOpen] = useState(false);
  const [starting, setStarting] = useState(false);
  const [sending, setSending] = useState(false);
  const [actionError, setActionError] = useState<{ action: string; error: unknown } | null>(null);
  const live = useLiveRun(runId, 500);

  const onRunChangeRef = useRef(onRunChange);
  useEffect(() => {
    onRunChangeRef.current = onRunChange;
  });
  useEffect(() => {
    onRunChangeRef.current?.(live.data ?? null);
  }, [live.data]);

  const start = async () => {
    setStarting(true);
    setActionError(null);
    setRunId(null);
    setChatOpen(true);
    try {
      const conversationId = `sim-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
      const { runId: started } = await api.simulate(workflowId, toSimulationRequest(setup, conversationId));
      setRunId(started);
    } catch (error) {
      setChatOpen(false);
      setActionError({ action: 'The test run could not start', error });
    } finally {
      setStarting(false);
    }
  };

  const reply = async (text: string) => {
    if (runId === null) return;
    setSending(true);
    setActionError(null);
    try {
      await api.reply(runId, text);
      live.refresh();
    } catch (error) {
      setActionError({ action: 'The reply was not delivered', error });
    } finally {
      setSending(false);
    }
  };

  const reset = () => {
    setRunId(null);
    setChatOpen(false);
    setActionError(null);
  };

  const inChat = chatOpen;
  return (
    <section className="cf-panel" aria-label="Chat simulator" data-testid="simulator">
      <header className="cf-panel__header">
        <h2 className="cf-panel__title">Chat simulator</h2>
        <button type="button" className="cf-button cf-button--ghost" onClick={onClose} aria-label="Close simulator">
          ✕
        </button>
      </header>
      {inChat && (
        <div className="cf-panel__toolbar">
          <button
            type="button"
            className="cf-button cf-button--small"
            onClick={start}
            disabled={starting}
            data-testid="sim-restart"
          >
            Restart
          </button>
          <button type="button" className="cf-button cf-button--ghost cf-button--small" onClick={reset}>
            Change contact
          </button>
        </div>
      )}
      <div className="cf-panel__body">
        {actionError && <ErrorNotice action={actionError.action} error={actionError.error} />}
        {inChat ? (
          <>
            <p className="cf-muted" style={{ margin: 0 }}>
              {setup.contactName || defaultTestSetup.contactName}
              {setup.channel && ` on ${setup.channel}`}
              {setup.agentName && `, agent ${setup.agentName}`} · runs the last saved draft
            </p>
            {live.error !== undefined && <ErrorNotice action="The run could not be read" error={live.error} />}
            <ChatView run={live.data} sending={sending} onReply={reply} />
          </>
        ) : (
          <SimulatorSetup setup={setup} onChange={setSetup} onStart={start} starting={starting} />
        )}
      </div>
    </section>
  );
}

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one process; `/metrics` serves `registry`. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    runsStarted: new Counter({
      name: 'convoflow_runs_started_total',
      help: 'Runs created, by workflow',
      labelNames: ['workflow'] as const,
      registers: [registry],
    }),
    runsEnded: new Counter({
      name: 'convoflow_runs_ended_total',
      help: 'Runs that reached a final status, by workflow and status (completed, failed, cancelled)',
      labelNames: ['workflow', 'status'] as const,
      registers: [registry],
    }),
    runsRequeued: new Counter({
      name: 'convoflow_runs_reenqueued_total',
      help: 'Runs found queued or running with no job and no lock (a lost enqueue), and enqueued again, by workflow',
      labelNames: ['workflow'] as const,
      registers: [registry],
    }),
    alertsSent: new Counter({
      name: 'convoflow_failure_alerts_total',
      help: 'Failure alerts, by workflow and outcome (sent; failed: a destination did not take it, tried again later)',
      labelNames: ['workflow', 'outcome'] as const,
      registers: [registry],
    }),
    stepDuration: new Histogram({
      name: 'convoflow_step_duration_seconds',
      help: 'Duration of one step execution, by node type and outcome',
      labelNames: ['node_type', 'outcome'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'convoflow_queue_jobs',
      help: 'Jobs in the run queue, by state (waiting, active, delayed; scheduled = wait deadlines not due yet)',
      labelNames: ['state'] as const,
      registers: [registry],
    }),
    waitingRuns: new Gauge({
      name: 'convoflow_waiting_runs',
      help: 'Runs paused for a reply or a delay',
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

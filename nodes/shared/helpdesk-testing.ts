import { type NodeRunner, type StepOutcome, testStepContext } from '@convoflow/engine';

/** Runs a helpdesk step whose channel's `act` fails with `error`, as the engine or the platform fails it. For tests. */
export function runRefused<Data>(runner: NodeRunner<Data>, data: Data, error: Error): Promise<StepOutcome> {
  const channel = { send: async () => {}, act: () => Promise.reject(error) };
  return runner.run(testStepContext(data, { services: { channel } }));
}

import type { ActiveRunsChoice, WorkflowRecord } from '../contract/workflows.ts';
import { AppError } from '../errors.ts';
import type { WorkflowStore } from '../stores/workflow-store.ts';
import type { RunCanceller } from './run-cancel.ts';

/**
 * Deleting and unpublishing a workflow: new events stop enrolling first, then its active runs
 * are cancelled or left to finish, as the caller chose. Finishing runs keep their version: the
 * store deletes a deleted workflow's versions only when its last run ends.
 */
export class WorkflowRetirement {
  constructor(
    private readonly workflows: WorkflowStore,
    private readonly canceller: RunCanceller,
  ) {}

  async delete(id: string, activeRuns?: ActiveRunsChoice): Promise<void> {
    await this.retire(id, 'delete', activeRuns);
    await this.workflows.delete(id);
  }

  async unpublish(id: string, activeRuns?: ActiveRunsChoice): Promise<WorkflowRecord> {
    await this.retire(id, 'unpublish', activeRuns);
    return this.workflows.get(id);
  }

  private async retire(id: string, action: 'delete' | 'unpublish', choice?: ActiveRunsChoice): Promise<void> {
    const { activeRuns } = await this.workflows.get(id);
    if (activeRuns > 0 && choice === undefined) throw activeRunsUndecided(id, action, activeRuns);
    await this.workflows.unpublish(id);
    if (choice !== 'cancel') return;
    const left = await this.canceller.cancelAll(id);
    if (left > 0) {
      throw new AppError(
        'CONFLICT',
        `Workflow "${id}" no longer enrols new conversations, but ${left} of its runs ${left === 1 ? 'is' : 'are'} executing a step and could not be cancelled yet: send the same request again in a moment.`,
        { activeRuns: left },
      );
    }
  }
}

function activeRunsUndecided(id: string, action: 'delete' | 'unpublish', count: number): AppError {
  const runs = count === 1 ? '1 active run' : `${count} active runs`;
  return new AppError(
    'ACTIVE_RUNS',
    `Workflow "${id}" has ${runs}: say what happens to ${count === 1 ? 'it' : 'them'} before you ${action} it, with ?activeRuns=finish (they run to their end on the version they started on) or ?activeRuns=cancel (they are cancelled now).`,
    { activeRuns: count },
  );
}

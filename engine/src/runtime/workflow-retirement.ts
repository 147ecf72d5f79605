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
    if (activeRuns > 0 && choice === undefined) {
      throw new AppError('ACTIVE_RUNS', { id, action, count: activeRuns }, { activeRuns });
    }
    await this.workflows.unpublish(id);
    if (choice !== 'cancel') return;
    const left = await this.canceller.cancelAll(id);
    if (left > 0) {
      throw new AppError('RUNS_BUSY', { id, left }, { activeRuns: left });
    }
  }
}

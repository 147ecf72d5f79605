import type { WorkflowInput } from '@convoflow/engine';
import example from '../../../examples/csat-sheets-and-crm.json';

/** The CSAT workflow of DESIGN.md's format v1 section, as shipped in `examples/`, for tests. */
export const csatWorkflow: WorkflowInput & { id: string } = { ...(example as WorkflowInput), id: 'csat' };

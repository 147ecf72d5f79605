import { Workflow, type WorkflowTemplate } from '@convoflow/engine';
import type { Logger } from 'pino';
import { examplesDir, readExamples } from './examples.ts';

/**
 * The templates "New workflow" offers: the examples shipped with this release, read once on
 * first use (they do not change while the server runs) and served by `GET /api/templates`.
 */
export function exampleTemplates(logger: Logger, dir = examplesDir): () => Promise<WorkflowTemplate[]> {
  let loading: Promise<WorkflowTemplate[]> | undefined;
  return () => {
    if (loading) return loading;
    const current = readExamples(dir, logger).then((examples) =>
      examples.map(({ input }): WorkflowTemplate => {
        // Parsing fills the defaults (settings, node data) the file may leave out.
        const workflow = Workflow.parse(input);
        return { id: workflow.id, name: workflow.name, description: workflow.description ?? null, workflow };
      }),
    );
    // A failed read is tried again on the next request instead of being served forever.
    current.catch(() => {
      loading = undefined;
    });
    loading = current;
    return current;
  };
}

import type { WorkflowInput } from '@convoflow/engine';
import { useMemo } from 'react';
import { definitionOf } from '../canvas/registry.ts';
import { variablesAt } from '../canvas/validation.ts';
import { ConnectionField } from './ConnectionField.tsx';
import { HeaderSecrets } from './HeaderSecrets.tsx';
import { HttpTestButton } from './HttpTestButton.tsx';
import { SchemaForm, type Widget } from './SchemaForm.tsx';

export interface NodeFormProps {
  workflow: WorkflowInput;
  nodeId: string;
  onChange: (data: Record<string, unknown>) => void;
  /** Problems the workflow validation found in this node's fields, by field path. */
  errors?: Readonly<Record<string, string>>;
}

const widgetsByType: Record<string, Record<string, Widget>> = {
  'googleSheets.addRow': {
    connectionId: ({ id, value, onChange }) => <ConnectionField id={id} value={value} onChange={onChange} />,
  },
};

/** The config form of one node: its schema's form, the variables upstream of it, and extras per type. */
export function NodeForm({ workflow, nodeId, onChange, errors }: NodeFormProps) {
  const node = workflow.nodes.find((candidate) => candidate.id === nodeId);
  const definition = definitionOf(node?.type);
  const variables = useMemo(() => variablesAt(workflow, nodeId), [workflow, nodeId]);
  if (!node) return null;
  if (!definition)
    return <p className="field__error">Unknown node type “{node.type}”: this editor cannot configure it.</p>;
  const data = node.data ?? {};
  return (
    <>
      <SchemaForm
        schema={definition.schema}
        value={data}
        onChange={onChange}
        variables={variables}
        errors={errors}
        widgets={widgetsByType[definition.type]}
        fieldConditions={definition.fieldConditions}
        idPrefix={`node-${nodeId}`}
      />
      {definition.type === 'http.request' && (
        <>
          <HeaderSecrets />
          <HttpTestButton data={data} variables={variables} />
        </>
      )}
    </>
  );
}

import type { FieldWidget, WorkflowInput } from '@convoflow/engine';
import { useMemo } from 'react';
import { definitionOf, useNodeTypes } from '../canvas/node-types.ts';
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

/** The controls a schema field can ask for with `.meta({ widget })`. */
const widgets: Readonly<Record<FieldWidget, Widget>> = {
  connection: ({ id, value, onChange }) => <ConnectionField id={id} value={value} onChange={onChange} />,
};

/** The config form of one node: its schema's form, the variables upstream of it, and the panels it asks for. */
export function NodeForm({ workflow, nodeId, onChange, errors }: NodeFormProps) {
  const types = useNodeTypes();
  const node = workflow.nodes.find((candidate) => candidate.id === nodeId);
  const definition = definitionOf(node?.type, types);
  const variables = useMemo(() => variablesAt(workflow, nodeId, types), [workflow, nodeId, types]);
  if (!node) return null;
  if (!definition)
    return <p className="field__error">Unknown node type “{node.type}”: this editor cannot configure it.</p>;
  const data = node.data ?? {};
  const tools = definition.editorTools ?? [];
  return (
    <>
      <SchemaForm
        schema={definition.schema}
        value={data}
        onChange={onChange}
        variables={variables}
        errors={errors}
        widgets={widgets}
        fieldConditions={definition.fieldConditions}
        idPrefix={`node-${nodeId}`}
      />
      {tools.includes('secrets') && <HeaderSecrets />}
      {tools.includes('testRequest') && <HttpTestButton nodeType={definition.type} data={data} variables={variables} />}
    </>
  );
}

import type { z } from 'zod';
import type { Duration } from '../workflow/duration.ts';
import type { HelpdeskAction } from './define-channel.ts';

/**
 * The node SDK. A node type is two files: `definition.ts` (this shape: schema, exits,
 * variables, editor metadata — browser-safe) and `run.ts` (a `NodeRunner`, server-only).
 */

export type NodeGroup = 'Triggers' | 'Questions' | 'Actions' | 'Logic';

/** The exit of a node that has only one; edges leaving it may omit `sourceHandle`. */
export const DEFAULT_EXIT = 'next';

export type VariableType = 'string' | 'number' | 'boolean' | 'object' | 'unknown';

export interface VariableSpec {
  /** Path without the `$`: `rating`, `contact.name`, `crm.status`. */
  name: string;
  type: VariableType;
  description?: string;
  /** Set only when the node leaves by one of these exits (Ask Question: `['answered']`);
   * absent = set whichever exit it takes. Validation checks `$variable` uses path by path. */
  exits?: readonly string[];
}

export type TriggerEvent = 'conversation.closed' | 'shortcut';

export interface TriggerSpec<Data> {
  event: TriggerEvent;
  /** Whether an incoming event enrolls into a workflow whose trigger has this config. */
  matches?: (data: Data, event: Record<string, unknown>) => boolean;
}

/** A `{{secret:<id>}}` reference in a node's data, and the field holding it (`headers.0.value`). */
export interface SecretReference {
  connectionId: string;
  field: string;
}

/** Editor hint: a field that applies only while another top-level field holds one of some values. */
export interface FieldCondition {
  /** The top-level field it depends on, e.g. `answerType`; its schema default counts when unset. */
  field: string;
  /** The values of that field for which this field applies. */
  oneOf: readonly (string | number | boolean)[];
}

export interface NodeDefinition<Type extends string = string, Schema extends z.ZodType = z.ZodType> {
  type: Type;
  label: string;
  group: NodeGroup;
  description: string;
  /** A short glyph the editor shows on the node. */
  icon: string;
  /** The node's `data`. Field `.meta({ title, description })` feeds the editor's form. */
  schema: Schema;
  /** Branch handles; a single-exit node returns `[DEFAULT_EXIT]`, a terminal one `[]`. */
  exits: (data: z.output<Schema>) => readonly string[];
  /** Variables the run's scope holds after this node ran. */
  variables: (data: z.output<Schema>) => readonly VariableSpec[];
  trigger?: TriggerSpec<z.output<Schema>>;
  /** The fields that take `{{secret:<id>}}` and what they reference: the runner fills in those
   * only, and publishing checks that each names a stored secret. Absent = takes no secrets. */
  secretReferences?: (data: z.output<Schema>) => readonly SecretReference[];
  /** Can pause the run (waits for a reply or a delay): a cycle through it is allowed. */
  pauses?: boolean;
  /** For a node that pauses: what holds the run there before it leaves by `exit`. Absent: a
   * reply. A loop needs a reply or a timer of at least `MIN_LOOP_WAIT_MS` on its way. */
  waitBefore?: (data: z.output<Schema>, exit: string) => ExitWait;
  /** Editor hint, by top-level field of `data`: when the field applies. Unlisted fields always do.
   * Only hides inputs; the schema still decides what is valid. */
  fieldConditions?: Readonly<Record<string, FieldCondition>>;
  /** Editor hint: the one line the node's card shows under its title; absent or empty shows
   * `description`. Reads the data being edited, which may not be valid yet. */
  summary?: (data: Draft<z.input<Schema>>) => string | undefined;
  /** Editor hint: the text on an exit's handle (a branch's label); absent or empty shows the exit. */
  exitLabel?: (data: Draft<z.input<Schema>>, exit: string) => string | undefined;
  /** Editor hint: panels under the node's form. */
  editorTools?: readonly EditorTool[];
  /** The helpdesk action this node asks of the run's channel; publishing checks the channels the
   * trigger is limited to can do it. */
  helpdesk?: HelpdeskAction;
}

/**
 * What a paused run waits for before it leaves a node by one exit: the contact's reply (the
 * contact sets the pace), or a timer set by the data field `field` to `duration`.
 */
export type ExitWait = { kind: 'reply' } | { kind: 'timer'; field: string; duration: Duration };

export type AnyNodeDefinition = NodeDefinition<string, z.ZodType>;

/**
 * A node's data as the editor holds it while the operator edits: any part may still be
 * missing, so the editor's hints (`summary`, `exitLabel`) read it defensively.
 */
export type Draft<T> = T extends readonly (infer Item)[]
  ? Draft<Item>[]
  : T extends object
    ? { [Key in keyof T]?: Draft<T[Key]> }
    : T;

/** Editor hint: a control other than the one the field's type gets. `connection`: a Google connection picker. */
export type FieldWidget = 'connection';

/** Editor hint: a panel under a node's form. `secrets`: the stored secrets to reference as
 * `{{secret:<id>}}`; `testRequest`: runs the step on the server with sample variables and shows
 * the response it saved under `saveResponseAs`. */
export type EditorTool = 'secrets' | 'testRequest';

declare module 'zod/v4/core' {
  /** Editor hints a schema field carries in `.meta()`, next to `title` and `description`. */
  interface GlobalMeta {
    widget?: FieldWidget;
    /** A text field edited in several lines. */
    multiline?: boolean;
    /** `false`: a text field that takes no `$variables` (a name, an id): no variable picker. */
    variables?: boolean;
    /** The words a choice field shows for each of its values (`multipleChoice` → "Multiple choice"). */
    optionLabels?: Readonly<Record<string, string>>;
  }
}

export function defineNode<const Type extends string, Schema extends z.ZodType>(
  definition: NodeDefinition<Type, Schema>,
): NodeDefinition<Type, Schema> {
  return definition;
}

/** Every node type by its `type`; `nodes/index.ts` builds it. */
export type NodeRegistry = Readonly<Record<string, AnyNodeDefinition>>;

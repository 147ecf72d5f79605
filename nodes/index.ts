import type { Draft, NodeRegistry } from '@convoflow/engine';
import type { z } from 'zod';
import { askQuestion } from './ask-question/definition.ts';
import { branch } from './branch/definition.ts';
import { addRow } from './google-sheets-add-row/definition.ts';
import { helpdeskAssign } from './helpdesk-assign/definition.ts';
import { helpdeskLabels } from './helpdesk-labels/definition.ts';
import { helpdeskNote } from './helpdesk-note/definition.ts';
import { helpdeskResolve } from './helpdesk-resolve/definition.ts';
import { httpRequest } from './http-request/definition.ts';
import { sendMessage } from './send-message/definition.ts';
import { conversationClosed } from './trigger-conversation-closed/definition.ts';
import { shortcut } from './trigger-shortcut/definition.ts';
import { wait } from './wait/definition.ts';

/**
 * Every node type, by `type`. Browser-safe: the editor imports this, so only definitions
 * belong here, never run code. Adding a node type = a folder plus one line here and one in
 * `runners.ts`.
 */
export const definitions = {
  [conversationClosed.type]: conversationClosed,
  [shortcut.type]: shortcut,
  [askQuestion.type]: askQuestion,
  [sendMessage.type]: sendMessage,
  [branch.type]: branch,
  [wait.type]: wait,
  [addRow.type]: addRow,
  [httpRequest.type]: httpRequest,
  [helpdeskNote.type]: helpdeskNote,
  [helpdeskLabels.type]: helpdeskLabels,
  [helpdeskAssign.type]: helpdeskAssign,
  [helpdeskResolve.type]: helpdeskResolve,
} satisfies NodeRegistry;

export type NodeType = keyof typeof definitions;

/** A workflow node as the editor holds it, typed by its node type: `data` may still be incomplete. */
export type NodeOf<Type extends NodeType = NodeType> = {
  [T in Type]: { type: T; data: Draft<z.input<(typeof definitions)[T]['schema']>> };
}[Type];

export const nodeTypes: readonly NodeType[] = Object.keys(definitions).filter((type): type is NodeType =>
  Object.hasOwn(definitions, type),
);

export { askQuestionSchema, ratingScale, surveyMetric } from './ask-question/definition.ts';
export { branchOperators, ELSE_EXIT } from './branch/definition.ts';

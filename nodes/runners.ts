import { type RunnerRegistry, type RunnersFor, triggerRunner } from '@convoflow/engine';
import { askQuestionRunner } from './ask-question/run.ts';
import { branchRunner } from './branch/run.ts';
import { addRowRunner } from './google-sheets-add-row/run.ts';
import { helpdeskAssignRunner } from './helpdesk-assign/run.ts';
import { helpdeskLabelsRunner } from './helpdesk-labels/run.ts';
import { helpdeskNoteRunner } from './helpdesk-note/run.ts';
import { helpdeskResolveRunner } from './helpdesk-resolve/run.ts';
import { httpRequestRunner } from './http-request/run.ts';
import type { definitions } from './index.ts';
import { sendMessageRunner } from './send-message/run.ts';
import { waitRunner } from './wait/run.ts';

/**
 * Server-only: run code with network side effects. The editor never imports this file. One
 * runner per definition: a node type added to `definitions` without one does not compile. A
 * trigger that does nothing itself takes `triggerRunner` and has no `run.ts`.
 */
export const runners = {
  'trigger.conversationClosed': triggerRunner,
  'trigger.shortcut': triggerRunner,
  askQuestion: askQuestionRunner,
  sendMessage: sendMessageRunner,
  branch: branchRunner,
  wait: waitRunner,
  'googleSheets.addRow': addRowRunner,
  'http.request': httpRequestRunner,
  'helpdesk.note': helpdeskNoteRunner,
  'helpdesk.labels': helpdeskLabelsRunner,
  'helpdesk.assign': helpdeskAssignRunner,
  'helpdesk.resolve': helpdeskResolveRunner,
} satisfies RunnersFor<typeof definitions> satisfies RunnerRegistry;

import type { WorkflowInput } from '@convoflow/engine';

/** The CSAT workflow of DESIGN.md's format v1 section, for tests. */
export const csatWorkflow: WorkflowInput & { id: string } = {
  id: 'csat',
  name: 'CSAT survey to Google Sheets and CRM',
  nodes: [
    { id: 'start', type: 'trigger.conversationClosed', position: { x: 0, y: 0 }, data: {} },
    {
      id: 'ask',
      type: 'askQuestion',
      position: { x: 0, y: 150 },
      data: {
        question: 'How satisfied are you with this experience?',
        answerType: 'rating',
        min: 1,
        max: 5,
        saveAs: 'rating',
        retryMessage: 'Please answer with a number from 1 to 5.',
        maxRetries: 2,
        timeout: { value: 24, unit: 'hours' },
      },
    },
    {
      id: 'sheet',
      type: 'googleSheets.addRow',
      position: { x: 0, y: 300 },
      data: {
        connectionId: 'google',
        spreadsheetId: '1AbC',
        sheet: 'CSAT',
        columns: [
          { column: 'Conversation', value: '$conversation.id' },
          { column: 'Contact', value: '$contact.name' },
          { column: 'Agent', value: '$assignee.name' },
          { column: 'Rating', value: '$rating' },
        ],
      },
    },
    {
      id: 'crm',
      type: 'http.request',
      position: { x: 0, y: 450 },
      data: {
        method: 'POST',
        url: 'https://crm.example.com/api/csat',
        headers: [{ name: 'Content-Type', value: 'application/json' }],
        body: '{"conversationId": "$conversation.id", "rating": $rating}',
        saveResponseAs: 'crm',
      },
    },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'ask' },
    { id: 'e2', source: 'ask', sourceHandle: 'answered', target: 'sheet' },
    { id: 'e3', source: 'sheet', sourceHandle: 'success', target: 'crm' },
  ],
  settings: { reenrollment: { mode: 'after', after: { value: 24, unit: 'hours' } } },
};

import { defineChannel } from '@convoflow/engine';
import { z } from 'zod';

export const chatwoot = defineChannel({
  kind: 'chatwoot',
  label: 'Chatwoot',
  description:
    'Starts workflows when a Chatwoot conversation is resolved or an agent runs a macro, and asks questions in the conversation with native options where the inbox shows them.',
  icon: '💬',
  settings: z.object({
    baseUrl: z
      .url({ protocol: /^https?$/, error: 'enter the address of your Chatwoot, starting with http:// or https://' })
      .meta({ title: 'Chatwoot URL', description: 'e.g. https://app.chatwoot.com or your own install' }),
    accountId: z
      .number()
      .int()
      .positive('the account id is the number after /accounts/ in your Chatwoot URL')
      .meta({ title: 'Account id', description: 'The number after /app/accounts/ in the address bar, e.g. 3' }),
    resolveAfterAnswer: z.boolean().default(false).meta({
      title: 'Resolve again after the answer',
      description: "A contact's reply reopens a resolved conversation; resolve it again once the survey is answered",
    }),
  }),
  secrets: z.object({
    apiAccessToken: z.string().trim().min(1, 'paste the access token of an agent or bot of this account').meta({
      title: 'API access token',
      description: 'Chatwoot → Profile settings → Access token (an agent or bot that may write to the inboxes)',
    }),
    webhookSecret: z.string().trim().min(1).optional().meta({
      title: 'Webhook secret',
      description:
        'Chatwoot 4.11 and later sign account webhooks: paste the secret shown with the webhook. Older installs leave it empty; the URL token then authenticates.',
    }),
  }),
  endpoints: [
    {
      path: 'webhook',
      methods: ['POST'],
      urlToken: true,
      description:
        'Chatwoot → Settings → Integrations → Webhooks: subscribe to conversation_status_changed, message_created and message_updated',
    },
    {
      path: 'shortcut/:workflowId',
      methods: ['POST'],
      urlToken: true,
      description:
        'Chatwoot → Settings → Macros: a macro with the action "Send webhook event" to this URL starts a shortcut run of that workflow for the conversation',
    },
  ],
  actions: ['note', 'labels', 'assign', 'resolve'],
});

export type ChatwootChannel = typeof chatwoot;

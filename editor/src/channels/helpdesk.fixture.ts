import { defineChannel } from '@convoflow/engine';
import { z } from 'zod';

/** Test-only channels: what the screens render comes from a definition, whichever platform it is. */
export const helpdesk = defineChannel({
  kind: 'helpdesk',
  label: 'Test Helpdesk',
  description: 'Starts workflows when a ticket is closed.',
  icon: '🛎',
  settings: z.object({
    baseUrl: z.url({ error: 'enter the address of your helpdesk' }).meta({
      title: 'Helpdesk URL',
      description: 'e.g. https://help.example.com',
    }),
    region: z.enum(['eu', 'us']).default('eu').meta({ title: 'Region' }),
    queue: z
      .string()
      .regex(/^[a-z]+$/, 'a queue name is lower-case letters')
      .optional()
      .meta({ title: 'Queue' }),
  }),
  secrets: z.object({
    apiToken: z.string().min(1, 'paste the token from your profile page').meta({ title: 'API token' }),
    signingKey: z.string().min(1).optional().meta({ title: 'Signing key' }),
  }),
  endpoints: [
    { path: 'webhook', methods: ['POST'], urlToken: true, description: 'Helpdesk → Settings → Webhooks' },
    { path: 'shortcut/:workflowId', methods: ['POST'], urlToken: true, description: 'Helpdesk → Macros' },
  ],
  actions: ['note'],
});

export const sms = defineChannel({
  kind: 'sms',
  label: 'Test SMS',
  description: 'Text messages through a gateway.',
  icon: '✉',
  settings: z.object({ sender: z.string().meta({ title: 'Sender number' }) }),
  secrets: z.object({ key: z.string().meta({ title: 'Gateway key' }) }),
  endpoints: [{ path: 'inbound', methods: ['POST'], description: 'Gateway → Inbound URL' }],
  actions: [],
});

export const fixtureChannels = { helpdesk, sms };

/** A stored connection of the Test Helpdesk, as `GET /api/connections` lists it. */
export const deskConnection = {
  id: 'desk',
  type: 'channel' as const,
  name: 'Support desk',
  channel: 'helpdesk',
  settings: { baseUrl: 'https://help.example.com', region: 'eu' },
  secretsSet: ['apiToken'],
  endpoints: [
    {
      url: '/api/channels/helpdesk/desk/webhook?token=t0k3n',
      methods: ['POST' as const],
      description: 'Helpdesk → Settings → Webhooks',
    },
    {
      url: '/api/channels/helpdesk/desk/shortcut/:workflowId?token=t0k3n',
      methods: ['POST' as const],
      description: 'Helpdesk → Macros',
    },
  ],
  createdAt: 1,
};

import { defineChannel } from '@convoflow/engine';
import { z } from 'zod';

const secret = (title: string, description: string) =>
  z.string().trim().min(1, `enter the ${title.toLowerCase()}`).max(4096).meta({ title, description });

export const whatsapp = defineChannel({
  kind: 'whatsapp',
  label: 'WhatsApp Cloud API',
  description:
    'A WhatsApp Business number on Meta’s Cloud API: questions go as reply buttons or a list, and as the approved template outside the 24-hour window.',
  icon: '🟢',
  settings: z.object({
    phoneNumberId: z
      .string()
      .trim()
      .regex(/^\d{1,30}$/, 'the phone number ID is digits only (Meta app → WhatsApp → API Setup)')
      .meta({
        title: 'Phone number ID',
        description: 'Meta app → WhatsApp → API Setup → Phone number ID (not the phone number itself)',
      }),
    graphApiVersion: z
      .string()
      .trim()
      .regex(/^v\d+\.\d+$/, 'a Graph API version looks like v21.0')
      .default('v21.0')
      .meta({ title: 'Graph API version', description: 'e.g. v21.0' }),
    graphBaseUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .default('https://graph.facebook.com')
      .meta({ title: 'Graph API URL', description: 'https://graph.facebook.com unless a proxy stands in front of it' }),
    templateName: z
      .string()
      .trim()
      .regex(/^[a-z0-9_]{1,512}$/, 'a template name is lower-case letters, digits and "_"')
      .optional()
      .meta({
        title: 'Template',
        description:
          'An approved template sent when the contact has not written for 24 hours; give it one quick-reply button per option',
      }),
    templateLanguage: z
      .string()
      .trim()
      .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a template language code looks like en_US or fr')
      .default('en_US')
      .meta({ title: 'Template language', description: 'The language of the approved template, e.g. en_US' }),
  }),
  secrets: z.object({
    accessToken: secret('Access token', 'A system user’s permanent token with whatsapp_business_messaging'),
    appSecret: secret('App secret', 'Meta app → App settings → Basic → App secret: checks the webhooks’ signatures'),
    verifyToken: secret('Verify token', 'Any text you choose; paste the same into Meta’s webhook configuration'),
  }),
  endpoints: [
    {
      path: 'webhook',
      methods: ['GET', 'POST'],
      description:
        'Meta app → WhatsApp → Configuration → Webhook: callback URL (and the verify token), subscribe to messages',
    },
  ],
  // WhatsApp has no helpdesk: the engine refuses helpdesk steps on it before publishing.
  actions: [],
});

import { defineNode, findSecretReferences, type SecretReference } from '@convoflow/engine';
import { z } from 'zod';
import { variableName } from '../shared/fields.ts';

export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export const HttpHeader = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a header name is letters, digits and "-"')
    .meta({ title: 'Header', description: 'e.g. Authorization', variables: false }),
  value: z.string().max(8192).default('').meta({
    title: 'Value',
    description:
      '$variables are filled in; a stored secret goes in as {{secret:<id>}}, e.g. Bearer {{secret:crm-token}}',
  }),
});
export type HttpHeader = z.infer<typeof HttpHeader>;

/** Only header values are filled with secrets: a token in a URL or body ends up in logs and echoes. */
const SECRETS_IN_HEADERS_ONLY = 'a {{secret:…}} reference works in header values only; move the token to a header';
const noSecretReference = (text: string) => findSecretReferences(text).length === 0;

export const httpRequestSchema = z.object({
  method: z.enum(httpMethods).default('POST').meta({ title: 'Method', description: 'HTTP method' }),
  url: z
    .string()
    .trim()
    .min(1, 'enter the URL to call')
    .max(8192)
    .refine((url) => /^(https?:\/\/|\$)/i.test(url), 'the URL starts with http:// or https:// (or is a $variable)')
    .refine(noSecretReference, SECRETS_IN_HEADERS_ONLY)
    .meta({
      title: 'URL',
      description: 'e.g. https://crm.example.com/api/csat?conversation=$conversation.id (values are URL-encoded)',
    }),
  headers: z
    .array(HttpHeader)
    .max(50)
    .default([])
    .meta({ title: 'Headers', description: 'Sent with the request; $variables are filled in' }),
  body: z.string().max(1_000_000).refine(noSecretReference, SECRETS_IN_HEADERS_ONLY).optional().meta({
    title: 'Body',
    description: 'JSON bodies keep variable types: {"rating": $rating} sends a number; strings are escaped',
    multiline: true,
  }),
  timeoutMs: z
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(10_000)
    .meta({ title: 'Timeout (ms)', description: 'Per attempt, at most 60000' }),
  retries: z
    .number()
    .int()
    .min(0)
    .max(5)
    .default(2)
    .meta({ title: 'Retries', description: 'Extra attempts after a network error, 429 or 5xx, with backoff' }),
  saveResponseAs: variableName()
    .optional()
    .meta({ title: 'Save response as', description: '"crm" makes $crm.status and $crm.body', variables: false }),
});
export type HttpRequestData = z.infer<typeof httpRequestSchema>;

export const httpRequest = defineNode({
  type: 'http.request',
  label: 'HTTP request',
  group: 'Actions',
  description: 'Calls an HTTP API (a CRM, a webhook) and saves the response.',
  icon: '🌐',
  schema: httpRequestSchema,
  exits: () => ['success', 'failure'],
  secretReferences: headerSecrets,
  summary: (data) => {
    const url = data.url?.trim();
    return url ? `${data.method?.trim() || 'POST'} ${url}` : undefined;
  },
  editorTools: ['secrets', 'testRequest'],
  variables: (data) =>
    data.saveResponseAs
      ? [
          { name: data.saveResponseAs, type: 'object', description: 'The response: status and body' },
          { name: `${data.saveResponseAs}.status`, type: 'number', description: 'HTTP status code' },
          { name: `${data.saveResponseAs}.body`, type: 'unknown', description: 'Parsed JSON, else text' },
        ]
      : [],
});

/** Header values are where this node takes `{{secret:<id>}}`. */
export function headerSecrets(data: HttpRequestData): SecretReference[] {
  return data.headers.flatMap((header, index) =>
    findSecretReferences(header.value).map((connectionId) => ({ connectionId, field: `headers.${index}.value` })),
  );
}

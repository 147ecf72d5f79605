import { z } from 'zod';

export const ServiceAccountKey = z
  .object({
    type: z.literal('service_account').optional(),
    client_email: z.string().email(),
    private_key: z.string().includes('PRIVATE KEY', { message: 'must be a PEM private key' }),
  })
  .loose();

/** `POST /api/connections`. The key is encrypted at rest and never returned. */
export const ConnectionInput = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'use 1–64 letters, digits, "-" or "_"'),
  type: z.literal('google'),
  name: z.string().trim().min(1).max(200),
  serviceAccountKey: ServiceAccountKey,
  apiEndpoint: z.string().url().optional(),
});
export type ConnectionInput = z.infer<typeof ConnectionInput>;

export const ConnectionSummary = z.object({
  id: z.string(),
  type: z.literal('google'),
  name: z.string(),
  /** The service account's e-mail: share the spreadsheet with it. Not a secret. */
  clientEmail: z.string(),
  apiEndpoint: z.string().optional(),
  createdAt: z.number(),
});
export type ConnectionSummary = z.infer<typeof ConnectionSummary>;

import { z } from 'zod';

export const ServiceAccountKey = z
  .object({
    type: z.literal('service_account').optional(),
    client_email: z.string().email(),
    private_key: z.string().includes('PRIVATE KEY', { message: 'must be a PEM private key' }),
  })
  .loose();

/** What a connection id may be; `{{secret:<id>}}` references match the same text. */
export const connectionIdPattern = '[A-Za-z0-9_-]{1,64}';
const ConnectionId = z.string().regex(new RegExp(`^${connectionIdPattern}$`), 'use 1–64 letters, digits, "-" or "_"');
const ConnectionName = z.string().trim().min(1).max(200);

/** A Google service account. The key is encrypted at rest and never returned. */
export const GoogleConnectionInput = z.object({
  id: ConnectionId,
  type: z.literal('google'),
  name: ConnectionName,
  serviceAccountKey: ServiceAccountKey,
  apiEndpoint: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
});

/**
 * A token or password that HTTP header values take by reference (`{{secret:<id>}}`). Encrypted
 * at rest, never returned, masked wherever a step reports. At least 8 characters so masking it
 * cannot blank out common text; surrounding blanks (a pasted line end) are dropped.
 */
export const SecretConnectionInput = z.object({
  id: ConnectionId,
  type: z.literal('secret'),
  name: ConnectionName,
  value: z
    .string()
    .trim()
    .min(8, 'a secret is at least 8 characters')
    .max(8192)
    .regex(/^[^\r\n]*$/, 'a secret goes into a header value, which cannot hold a line break'),
});

/**
 * A chat platform the team runs (Chatwoot, a WhatsApp number): `channel` names its kind, and
 * `settings` and `secrets` are checked against that channel's definition (`channels/<kind>/`).
 * The secrets are encrypted at rest and never returned.
 */
export const ChannelConnectionInput = z.object({
  id: ConnectionId,
  type: z.literal('channel'),
  name: ConnectionName,
  channel: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'a channel kind, e.g. chatwoot'),
  settings: z.record(z.string(), z.unknown()).default({}),
  secrets: z.record(z.string(), z.string()).default({}),
});

export type ChannelConnectionInput = z.infer<typeof ChannelConnectionInput>;

/**
 * `PATCH /api/connections/:id` of a channel connection: the name, settings merged over the
 * stored ones, secrets added or replaced (the others kept); its URLs and their token stay.
 */
export const ChannelConnectionPatch = z.object({
  name: ConnectionName.optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  secrets: z.record(z.string(), z.string()).optional(),
});
export type ChannelConnectionPatch = z.infer<typeof ChannelConnectionPatch>;

/**
 * `PATCH /api/connections/:id` of a Google connection: its name, a new service-account key (the
 * operator's answer to a refused or expired one: the steps that use the id keep working) or its
 * apiEndpoint. The key is checked as when the connection was added.
 */
export const GoogleConnectionPatch = z.object({
  name: ConnectionName.optional(),
  serviceAccountKey: ServiceAccountKey.optional(),
  apiEndpoint: GoogleConnectionInput.shape.apiEndpoint,
});
export type GoogleConnectionPatch = z.infer<typeof GoogleConnectionPatch>;

/** `PATCH /api/connections/:id`: the fields of the connection's type (a channel's or a Google one's). */
export const ConnectionPatch = z.object({
  ...ChannelConnectionPatch.shape,
  ...GoogleConnectionPatch.shape,
});
export type ConnectionPatch = z.infer<typeof ConnectionPatch>;

/** `POST /api/connections`. */
export const ConnectionInput = z.discriminatedUnion('type', [
  GoogleConnectionInput,
  SecretConnectionInput,
  ChannelConnectionInput,
]);
/** What a caller sends: defaults (a channel's empty settings) may be left out. */
export type ConnectionInput = z.input<typeof ConnectionInput>;

/**
 * Set while the provider refuses the connection's credentials (Google's 401/403, a key that
 * cannot sign): since when, and what it said, in words. A later success, an edit or a
 * successful check clears it.
 */
const Refusal = {
  refusedAt: z.number().optional(),
  refusedReason: z.string().optional(),
};

export const GoogleConnectionSummary = z.object({
  id: z.string(),
  type: z.literal('google'),
  name: z.string(),
  /** The service account's e-mail: share the spreadsheet with it. Not a secret. */
  clientEmail: z.string(),
  apiEndpoint: z.string().optional(),
  createdAt: z.number(),
  ...Refusal,
});

/** Nothing derived from the value, not even its length or last characters. */
export const SecretConnectionSummary = z.object({
  id: z.string(),
  type: z.literal('secret'),
  name: z.string(),
  createdAt: z.number(),
  ...Refusal,
});

/** A URL the platform calls, to paste into it; `url` is the path below the server's address, with the connection's token where it takes one. */
export const ChannelEndpointSummary = z.object({
  url: z.string(),
  methods: z.array(z.enum(['GET', 'POST'])),
  description: z.string(),
});

export const ChannelConnectionSummary = z.object({
  id: z.string(),
  type: z.literal('channel'),
  name: z.string(),
  channel: z.string(),
  settings: z.record(z.string(), z.unknown()),
  /** Which secrets are set: their names only. */
  secretsSet: z.array(z.string()),
  endpoints: z.array(ChannelEndpointSummary),
  createdAt: z.number(),
  ...Refusal,
});
export type ChannelConnectionSummary = z.infer<typeof ChannelConnectionSummary>;

/** `POST /api/connections/:id/check`: what the platform (or Google) answered a cheap authenticated call, in words. */
export const ConnectionCheckResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), detail: z.string() }),
  z.object({ ok: z.literal(false), problem: z.string() }),
]);
export type ConnectionCheckResult = z.infer<typeof ConnectionCheckResult>;

export const ConnectionSummary = z.discriminatedUnion('type', [
  GoogleConnectionSummary,
  SecretConnectionSummary,
  ChannelConnectionSummary,
]);
export type ConnectionSummary = z.infer<typeof ConnectionSummary>;

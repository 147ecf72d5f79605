import type { z } from 'zod';

/**
 * The channel SDK. A channel is the chat platform a team already runs (Chatwoot, a WhatsApp
 * number). Like a node type it is two files in its folder under `channels/`: `definition.ts`
 * (this shape: what a connection holds, the URLs to paste into the platform, what it can do —
 * browser-safe) and `adapter.ts` (a `ChannelAdapter`, server-only). The engine knows channels only
 * through the registry it is given.
 */

/** What a helpdesk step can ask of the run's conversation; a channel lists the ones it can do. */
export const helpdeskActions = ['note', 'labels', 'assign', 'resolve'] as const;
export type HelpdeskAction = (typeof helpdeskActions)[number];

/** A URL the platform calls: `/api/channels/<kind>/<connectionId>/<path>`. */
export interface ChannelEndpoint {
  /** Below the connection's base, e.g. `webhook`, or `shortcut/:workflowId` (a path parameter). */
  path: string;
  methods: readonly ('GET' | 'POST')[];
  /** What the operator does with the URL, e.g. "Chatwoot → Settings → Integrations → Webhooks". */
  description: string;
  /**
   * The platform cannot sign these calls (a Chatwoot macro, an older Chatwoot): the URL carries
   * the connection's own random token as `?token=`, checked in constant time.
   */
  urlToken?: boolean;
}

export interface ChannelDefinition<
  Kind extends string = string,
  Settings extends z.ZodObject = z.ZodObject,
  Secrets extends z.ZodObject = z.ZodObject,
> {
  kind: Kind;
  label: string;
  description: string;
  /** A short glyph the editor shows. */
  icon: string;
  /** What a connection holds that may be shown again (base URL, account id…). Field `.meta({ title, description })` feeds the form. */
  settings: Settings;
  /** What is encrypted at rest and never returned or logged (tokens, app secrets). */
  secrets: Secrets;
  endpoints: readonly ChannelEndpoint[];
  /** The helpdesk steps this platform can carry out; validation refuses the others before publishing. */
  actions: readonly HelpdeskAction[];
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds definitions of any settings shape
export type AnyChannelDefinition = ChannelDefinition<string, any, any>;

export type ChannelRegistry = Readonly<Record<string, AnyChannelDefinition>>;

export function defineChannel<Kind extends string, Settings extends z.ZodObject, Secrets extends z.ZodObject>(
  definition: ChannelDefinition<Kind, Settings, Secrets>,
): ChannelDefinition<Kind, Settings, Secrets> {
  return definition;
}

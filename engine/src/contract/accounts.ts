import { z } from 'zod';

/**
 * Who may do what. `owner`: everything, users and keys included; `editor`: workflows,
 * connections, publishing; `viewer`: reads workflows, runs and the dashboard; `agent`: only runs
 * shortcut workflows (an agent's shortcut, the Chatwoot macro).
 */
export const roles = ['owner', 'editor', 'viewer', 'agent'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

/**
 * What a route asks of its caller, declared on the route (`config.role`) and shown in the
 * OpenAPI document: `read` is viewer and up, `run` is agent, editor and owner, `any` any role.
 */
export const routeRoles = ['owner', 'editor', 'read', 'run', 'any'] as const;
export const RouteRole = z.enum(routeRoles);
export type RouteRole = z.infer<typeof RouteRole>;

/** The roles each route requirement lets through: one table, read by the API and the editor. */
export const rolesAllowed: Readonly<Record<RouteRole, readonly Role[]>> = {
  owner: ['owner'],
  editor: ['owner', 'editor'],
  read: ['owner', 'editor', 'viewer'],
  run: ['owner', 'editor', 'agent'],
  any: roles,
};

/** Whether `role` may call a route that asks for `needed`. */
export function roleAllows(role: Role, needed: RouteRole): boolean {
  return rolesAllowed[needed].includes(role);
}

/**
 * Who made a call: the install's `API_KEY` (owner-level, for integrations set up before named
 * keys), a named API key, or a signed-in user. Never holds a secret.
 */
export const Actor = z.object({
  kind: z.enum(['install-key', 'key', 'user']),
  /** The key's or the user's id; `api-key` for the install's key. */
  id: z.string(),
  /** A person's or a key's name, as the audit log and the versions list show it. */
  name: z.string(),
  role: Role,
});
export type Actor = z.infer<typeof Actor>;

/** `GET /api/me`: who the caller is, so the editor shows only what the role can do. */
export const Me = Actor;
export type Me = Actor;

/** `POST /api/keys`: a named key for an integration or an agent. */
export const ApiKeyInput = z.object({
  name: z.string().trim().min(1).max(100).describe('What the key is for, e.g. "Chatwoot macro" or "n8n"'),
  role: Role,
});
export type ApiKeyInput = z.infer<typeof ApiKeyInput>;

/** A named key as listed: never the key itself, which is stored hashed. */
export const ApiKeySummary = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  /** The key's first characters, to tell keys apart in a config file. */
  prefix: z.string(),
  createdAt: z.number(),
  createdBy: z.string(),
  lastUsedAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
});
export type ApiKeySummary = z.infer<typeof ApiKeySummary>;

/** `POST /api/keys`'s answer: the only time the key is shown. */
export const ApiKeyCreated = ApiKeySummary.extend({ key: z.string() });
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;

export const auditActions = [
  'workflow.created',
  'workflow.saved',
  'workflow.published',
  'workflow.unpublished',
  'workflow.deleted',
  'connection.created',
  'connection.updated',
  'connection.deleted',
  'key.created',
  'key.revoked',
  'user.invited',
  'user.changed',
  'user.deactivated',
] as const;
export const AuditAction = z.enum(auditActions);
export type AuditAction = z.infer<typeof AuditAction>;

/** One line of the audit log: who did what to which thing, and when. */
export const AuditEntry = z.object({
  id: z.string(),
  at: z.number(),
  actor: Actor,
  action: AuditAction,
  target: z.object({
    kind: z.enum(['workflow', 'connection', 'key', 'user']),
    id: z.string(),
    name: z.string().optional(),
  }),
  /** What changed, in words or small values (a version number, a new role); never a secret. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** `GET /api/audit`: newest first, a page at a time. */
export const AuditQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  action: AuditAction.optional(),
  /** Entries older than this entry id (the last one of the previous page). */
  before: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditPage = z.object({ entries: z.array(AuditEntry), more: z.boolean() });
export type AuditPage = z.infer<typeof AuditPage>;

/** `GET /api/audit.csv`: the same filters as a page, without the page size: the export holds every match. */
export const AuditCsvQuery = AuditQuery.omit({ limit: true });
export type AuditCsvQuery = z.infer<typeof AuditCsvQuery>;

/** A person's account as the owner's users page lists it: never a password hash or a session. */
export const UserSummary = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
  createdAt: z.number(),
  lastSignInAt: z.number().nullable(),
  /** Deactivated users cannot sign in; their sessions end. */
  deactivatedAt: z.number().nullable(),
  /** Invited but not yet set a password. */
  pending: z.boolean(),
});
export type UserSummary = z.infer<typeof UserSummary>;

const Email = z.string().trim().toLowerCase().max(254).pipe(z.email('an e-mail address, e.g. ana@example.com'));
/** Long enough to resist guessing; no composition rules (NIST SP 800-63B). */
const Password = z.string().min(12, 'at least 12 characters').max(200);

/** `POST /api/session`: signing in with e-mail and password. */
export const SignInInput = z.object({ email: Email, password: z.string().min(1).max(200) });
export type SignInInput = z.infer<typeof SignInInput>;

/** `POST /api/users` (owner): an invitation; the answer carries the link to hand over. */
export const InviteInput = z.object({ email: Email, name: z.string().trim().min(1).max(100), role: Role });
export type InviteInput = z.infer<typeof InviteInput>;

/** `PATCH /api/users/:id` (owner): a new role, or deactivating / reactivating. */
export const UserPatch = z
  .object({ role: Role.optional(), active: z.boolean().optional() })
  .refine((patch) => patch.role !== undefined || patch.active !== undefined, 'send role or active');
export type UserPatch = z.infer<typeof UserPatch>;

/**
 * A one-time link (an invitation, a password reset, or the owner's first start): the token is
 * in the link's fragment, so it never reaches a server log; it expires and works once.
 */
export const AccountLink = z.object({ url: z.string(), expiresAt: z.number() });
export type AccountLink = z.infer<typeof AccountLink>;

/** `POST /api/account/password`: a one-time link's token and the password to set (and, for the owner's first start, the account). */
export const SetPasswordInput = z.object({
  token: z.string().min(1).max(200),
  password: Password,
  name: z.string().trim().min(1).max(100).optional(),
  email: Email.optional(),
});
export type SetPasswordInput = z.infer<typeof SetPasswordInput>;

/**
 * `GET /api/account/link/:token`: what a one-time link is for, so its page asks for the right
 * things: `first-start` asks for the owner's name and e-mail too; `invite` and `reset` name the
 * account (its name and e-mail, told only to the holder of the link). The editor opens links at
 * `#/welcome/<token>`, `#/invite/<token>` and `#/reset/<token>`.
 */
export const AccountLinkInfo = z.object({
  kind: z.enum(['first-start', 'invite', 'reset']),
  name: z.string().optional(),
  email: z.string().optional(),
});
export type AccountLinkInfo = z.infer<typeof AccountLinkInfo>;

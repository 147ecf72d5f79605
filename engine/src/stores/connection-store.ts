import { createPrivateKey, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import {
  type ChannelConnectionInput,
  type ChannelConnectionPatch,
  ChannelConnectionSummary,
  ConnectionInput,
  type ConnectionPatch,
  type ConnectionSummary,
  type GoogleConnectionPatch,
  GoogleConnectionSummary,
  SecretConnectionSummary,
  ServiceAccountKey,
} from '../contract/connections.ts';
import { AppError, notFound } from '../errors.ts';
import { hostRefusal } from '../net/address-policy.ts';
import type { ChannelConnection } from '../sdk/channel-adapter.ts';
import type { ChannelRegistry } from '../sdk/define-channel.ts';
import { ConnectionNotFoundError } from '../sdk/errors.ts';
import type { Connection, ConnectionResolver } from '../sdk/runner.ts';
import { decrypt, encrypt } from './crypto.ts';

/** A channel connection as the engine works with it: decrypted, with its kind and URL token. */
export interface ResolvedChannel {
  kind: string;
  connection: ChannelConnection;
  /** The random token the URLs of endpoints the platform cannot sign carry (`?token=`). */
  urlToken: string;
}

export interface ConnectionStoreOptions {
  /** `HTTP_ALLOW_PRIVATE`: whether a URL a connection calls may be an internal address. */
  allowPrivateNetwork?: boolean;
  /** The channels a channel connection may be of: its settings and secrets are checked against them. */
  channels?: ChannelRegistry;
}

/**
 * Connections (credentials for third-party services) in one Redis hash `connections`:
 * id → JSON of the summary in clear plus `secret`, encrypted with AES-256-GCM and bound to the
 * connection id: the whole service-account key of a Google connection, the value of a secret,
 * a channel connection's secrets with its URL token. Only `resolve*` and the endpoint URLs
 * decrypt; nothing here logs.
 */
export class ConnectionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly encryptionKey: Buffer,
    private readonly options: ConnectionStoreOptions = {},
  ) {
    if (encryptionKey.length !== 32) {
      throw new Error(`The connection encryption key must be 32 bytes, got ${encryptionKey.length}.`);
    }
  }

  async create(input: ConnectionInput): Promise<ConnectionSummary> {
    const result = ConnectionInput.safeParse(input);
    if (!result.success) {
      throw new AppError('BAD_REQUEST', `Invalid connection: ${z.prettifyError(result.error)}`);
    }
    const checked = result.data.type === 'channel' ? this.checkedChannel(result.data) : result.data;
    if (checked.type === 'google') {
      refuseUnreadableKey(checked.serviceAccountKey.private_key);
      this.refuseInternal(checked.apiEndpoint, 'apiEndpoint');
    }
    const { summary, plaintext } = split(checked);
    const { id } = summary;
    const stored = { ...summary, secret: encrypt(this.encryptionKey, plaintext, id) };
    const created = await this.redis.hsetnx(this.hashKey(), id, JSON.stringify(stored));
    if (created !== 1) throw new AppError('CONNECTION_ID_TAKEN', id);
    // A refusal a step reported while an earlier connection of this id was being deleted is not this one's.
    await this.clearRefused(id);
    return this.summaryOf({ summary, secret: stored.secret });
  }

  /**
   * Changes a channel or Google connection in place, so the steps and platforms that name its id
   * keep working; a field of the other type is refused, named. A secret does not change: add a
   * new one. Whatever the provider refused before is cleared: the next call tells.
   */
  async update(id: string, patch: ConnectionPatch): Promise<ConnectionSummary> {
    const summary = await this.get(id);
    const fields = Object.keys(patch).filter((field) => patch[field as keyof ConnectionPatch] !== undefined);
    const allowed: Record<ConnectionSummary['type'], string[]> = {
      channel: ['name', 'settings', 'secrets'],
      google: ['name', 'serviceAccountKey', 'apiEndpoint'],
      secret: [],
    };
    const foreign = fields.filter((field) => !allowed[summary.type].includes(field));
    if (foreign.length > 0) {
      const takes = allowed[summary.type];
      throw new AppError(
        'BAD_REQUEST',
        `Connection "${id}" is a ${summary.type} connection: ${foreign.join(', ')} ${foreign.length === 1 ? 'does' : 'do'} not apply to it${takes.length > 0 ? ` (it takes ${takes.join(', ')})` : '; add a new secret instead'}.`,
      );
    }
    return summary.type === 'google' ? this.updateGoogle(id, patch) : this.updateChannel(id, patch);
  }

  /** A Google connection with a new name, key or endpoint, checked as when it was added. */
  private async updateGoogle(id: string, patch: GoogleConnectionPatch): Promise<ConnectionSummary> {
    const stored = await this.read(id);
    if (stored?.summary.type !== 'google') throw notFound('Connection', id);
    const { summary } = stored;
    // Every call sends a token the stored key signed to apiEndpoint: moving it without the key
    // would let whoever may edit connections collect tokens Google accepts for an hour.
    if (patch.apiEndpoint !== undefined && patch.apiEndpoint !== summary.apiEndpoint && !patch.serviceAccountKey) {
      throw new AppError(
        'BAD_REQUEST',
        `Connection "${id}": apiEndpoint changes only with a serviceAccountKey in the same request (the key signs what is sent there); send the key again with it.`,
      );
    }
    const key =
      patch.serviceAccountKey ?? ServiceAccountKey.parse(JSON.parse(decrypt(this.encryptionKey, stored.secret, id)));
    if (patch.serviceAccountKey) refuseUnreadableKey(patch.serviceAccountKey.private_key);
    this.refuseInternal(patch.apiEndpoint, 'apiEndpoint');
    const apiEndpoint = patch.apiEndpoint ?? summary.apiEndpoint;
    const next: StoredSummary = {
      id,
      type: 'google',
      name: patch.name ?? summary.name,
      clientEmail: key.client_email,
      ...(apiEndpoint === undefined ? {} : { apiEndpoint }),
      createdAt: summary.createdAt,
    };
    return this.saveEdited(id, next, encrypt(this.encryptionKey, JSON.stringify(key), id));
  }

  /** Changes a channel connection in place: its id, URLs and their token stay what the platform has. */
  private async updateChannel(id: string, patch: ChannelConnectionPatch): Promise<ConnectionSummary> {
    const stored = await this.read(id);
    if (!stored) throw notFound('Connection', id);
    const { summary } = stored;
    if (summary.type !== 'channel') {
      throw new AppError(
        'BAD_REQUEST',
        `Connection "${id}" is a ${summary.type} connection: it does not change in place; add a new one.`,
      );
    }
    const current = ChannelSecrets.parse(JSON.parse(decrypt(this.encryptionKey, stored.secret, id)));
    const checked = this.checkedChannel({
      id,
      type: 'channel',
      name: patch.name ?? summary.name,
      channel: summary.channel,
      settings: { ...summary.settings, ...patch.settings },
      secrets: { ...current.secrets, ...patch.secrets },
    });
    const next: StoredSummary = {
      ...summary,
      name: checked.name,
      settings: checked.settings,
      secretsSet: Object.keys(checked.secrets).sort(),
    };
    const secret = encrypt(
      this.encryptionKey,
      JSON.stringify({ secrets: checked.secrets, urlToken: current.urlToken }),
      id,
    );
    return this.saveEdited(id, next, secret);
  }

  /** Stores an edited connection. An edit is the operator's answer to a refusal: the next call tells whether it worked. */
  private async saveEdited(id: string, next: StoredSummary, secret: string): Promise<ConnectionSummary> {
    await this.redis
      .multi()
      .hset(this.hashKey(), id, JSON.stringify({ ...next, secret }))
      .hdel(this.refusalsKey(), id)
      .exec();
    return this.summaryOf({ summary: next, secret });
  }

  /** Every connection's summary, by name. */
  async list(): Promise<ConnectionSummary[]> {
    const [all, refusals] = await Promise.all([
      this.redis.hvals(this.hashKey()),
      this.redis.hgetall(this.refusalsKey()),
    ]);
    return all
      .map((raw) => {
        const stored = parseStored(raw);
        return withRefusal(this.summaryOf(stored), refusals[stored.summary.id]);
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(id: string): Promise<ConnectionSummary> {
    const [stored, refusal] = await Promise.all([this.read(id), this.redis.hget(this.refusalsKey(), id)]);
    if (!stored) throw notFound('Connection', id);
    return withRefusal(this.summaryOf(stored), refusal ?? undefined);
  }

  async delete(id: string): Promise<void> {
    const results = await this.redis.multi().hdel(this.hashKey(), id).hdel(this.refusalsKey(), id).exec();
    if (results?.[0]?.[1] !== 1) throw notFound('Connection', id);
  }

  /**
   * Marks the connection refused by its provider, keeping when the refusal began: "refused since"
   * is the first refusal of a streak. A connection deleted meanwhile stays deleted.
   */
  async reportRefused(id: string, reason: string, now = Date.now()): Promise<void> {
    const [exists, current] = await Promise.all([
      this.redis.hexists(this.hashKey(), id),
      this.redis.hget(this.refusalsKey(), id),
    ]);
    if (exists !== 1) return;
    const since = current === null ? now : StoredRefusal.parse(JSON.parse(current)).at;
    const refusal: StoredRefusal = { at: since, reason: reason.slice(0, MAX_REFUSAL_REASON) };
    await this.redis.hset(this.refusalsKey(), id, JSON.stringify(refusal));
  }

  /** The provider accepted the connection: its refusal, if any, is over. */
  async clearRefused(id: string): Promise<void> {
    await this.redis.hdel(this.refusalsKey(), id);
  }

  /** The connection with its decrypted key or value, for a step that calls the service. */
  async resolve(id: string): Promise<Connection> {
    const stored = await this.read(id);
    if (!stored) throw new ConnectionNotFoundError(id);
    const { summary } = stored;
    if (summary.type === 'channel') throw new ConnectionNotFoundError(id);
    const plaintext = decrypt(this.encryptionKey, stored.secret, id);
    if (summary.type === 'secret') return { id, type: 'secret', name: summary.name, value: plaintext };
    return {
      id,
      type: 'google',
      name: summary.name,
      serviceAccountKey: ServiceAccountKey.parse(JSON.parse(plaintext)),
      ...(summary.apiEndpoint === undefined ? {} : { apiEndpoint: summary.apiEndpoint }),
    };
  }

  /** A channel connection of `kind`, decrypted; null when there is none (or it is of another kind). */
  async resolveChannel(id: string, kind?: string): Promise<ResolvedChannel | null> {
    const stored = await this.read(id);
    if (stored?.summary.type !== 'channel' || (kind !== undefined && stored.summary.channel !== kind)) return null;
    const { summary } = stored;
    const { secrets, urlToken } = ChannelSecrets.parse(JSON.parse(decrypt(this.encryptionKey, stored.secret, id)));
    return {
      kind: summary.channel,
      connection: { id, name: summary.name, settings: summary.settings, secrets },
      urlToken,
    };
  }

  /** The `ConnectionResolver` steps receive in their services. */
  resolver(): ConnectionResolver {
    return {
      get: (id) => this.resolve(id),
      reportRefused: (id, reason) => this.reportRefused(id, reason).catch(() => {}),
      reportAccepted: (id) => this.clearRefused(id).catch(() => {}),
    };
  }

  /** Settings and secrets as the channel's definition reads them (defaults filled in), or a 400 naming the field. */
  private checkedChannel(input: ChannelConnectionInput): ChannelConnectionInput {
    const channels = this.options.channels ?? {};
    const definition = Object.hasOwn(channels, input.channel) ? channels[input.channel] : undefined;
    if (!definition) {
      const known = Object.keys(channels).join(', ') || 'none';
      throw new AppError('BAD_REQUEST', `Unknown channel "${input.channel}"; this server knows: ${known}.`);
    }
    const part = (name: 'settings' | 'secrets', schema: z.ZodType, value: unknown) => {
      const parsed = schema.safeParse(value);
      if (parsed.success) return parsed.data as Record<string, unknown>;
      const where = parsed.error.issues.map((issue) => [name, ...issue.path].join('.')).join(', ');
      throw new AppError(
        'BAD_REQUEST',
        `Invalid ${definition.label} connection (${where}): ${z.prettifyError(parsed.error)}`,
      );
    };
    const settings = part('settings', definition.settings, input.settings);
    for (const [name, value] of Object.entries(settings)) this.refuseInternal(value, `settings.${name}`);
    return {
      ...input,
      settings,
      secrets: part('secrets', definition.secrets, input.secrets) as Record<string, string>,
    };
  }

  /** A URL the product will call, unless internal addresses are allowed (`HTTP_ALLOW_PRIVATE`). */
  private refuseInternal(value: unknown, field: string): void {
    if (!this.options.allowPrivateNetwork) refuseInternalUrl(value, field);
  }

  /** What the API shows of a stored connection: a channel's endpoints come with their URLs. */
  private summaryOf(stored: Stored): ConnectionSummary {
    const { summary } = stored;
    if (summary.type !== 'channel') return summary;
    const definition = this.options.channels?.[summary.channel];
    const { urlToken } = ChannelSecrets.parse(JSON.parse(decrypt(this.encryptionKey, stored.secret, summary.id)));
    const base = `/api/channels/${summary.channel}/${encodeURIComponent(summary.id)}/`;
    const endpoints = (definition?.endpoints ?? []).map((endpoint) => ({
      url: `${base}${endpoint.path}${endpoint.urlToken ? `?token=${urlToken}` : ''}`,
      methods: [...endpoint.methods],
      description: endpoint.description,
    }));
    return { ...summary, endpoints };
  }

  private async read(id: string): Promise<Stored | null> {
    const raw = await this.redis.hget(this.hashKey(), id);
    return raw === null ? null : parseStored(raw);
  }

  private hashKey(): string {
    return `${this.prefix}connections`;
  }

  /** id → JSON `{ at, reason }` of the connections their provider refuses now. */
  private refusalsKey(): string {
    return `${this.prefix}connections:refused`;
  }
}

/** Long enough for Google's sentence and our advice; a reason is shown in a list. */
const MAX_REFUSAL_REASON = 600;

const StoredRefusal = z.object({ at: z.number(), reason: z.string() });
type StoredRefusal = z.infer<typeof StoredRefusal>;

function withRefusal(summary: ConnectionSummary, raw: string | undefined): ConnectionSummary {
  if (raw === undefined) return summary;
  const refusal = StoredRefusal.safeParse(JSON.parse(raw));
  if (!refusal.success) return summary;
  return { ...summary, refusedAt: refusal.data.at, refusedReason: refusal.data.reason };
}

/**
 * Refuses a URL the product will call (a Google `apiEndpoint`, a channel's base URL) whose host
 * is plainly internal, when it is saved rather than when a run first fails on it. Names are not
 * looked up here: the guarded dispatcher judges the addresses they resolve to on every call.
 */
function refuseInternalUrl(value: unknown, field: string): void {
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value) || !URL.canParse(value)) return;
  const { hostname } = new URL(value);
  const reason = hostRefusal(hostname);
  if (reason === null) return;
  throw new AppError('FORBIDDEN_ADDRESS', { field, endpoint: value, host: hostname, reason });
}

/** A key that looks like PEM but that OpenSSL cannot read would only fail later, at every step that signs with it. */
function refuseUnreadableKey(privateKey: string): void {
  try {
    createPrivateKey(privateKey);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError(
      'BAD_REQUEST',
      `Invalid connection (serviceAccountKey.private_key): the private key cannot be read (${reason}). Paste the whole JSON key file Google gave you, with its line breaks as \\n.`,
    );
  }
}

/** What is kept in clear (the summary) and what is encrypted, by connection type. */
function split(input: z.output<typeof ConnectionInput>): { summary: StoredSummary; plaintext: string } {
  const { id, name } = input;
  const createdAt = Date.now();
  if (input.type === 'secret') return { summary: { id, type: 'secret', name, createdAt }, plaintext: input.value };
  if (input.type === 'channel') {
    const { channel, settings, secrets } = input;
    const urlToken = randomBytes(24).toString('base64url');
    return {
      summary: { id, type: 'channel', name, channel, settings, secretsSet: Object.keys(secrets).sort(), createdAt },
      plaintext: JSON.stringify({ secrets, urlToken }),
    };
  }
  const { serviceAccountKey, apiEndpoint } = input;
  return {
    summary: {
      id,
      type: 'google',
      name,
      clientEmail: serviceAccountKey.client_email,
      ...(apiEndpoint === undefined ? {} : { apiEndpoint }),
      createdAt,
    },
    plaintext: JSON.stringify(serviceAccountKey),
  };
}

/** A channel connection's summary is stored without its endpoints, which come from its definition. */
const StoredSummary = z.discriminatedUnion('type', [
  GoogleConnectionSummary,
  SecretConnectionSummary,
  ChannelConnectionSummary.omit({ endpoints: true }),
]);
type StoredSummary = z.infer<typeof StoredSummary>;

interface Stored {
  summary: StoredSummary;
  secret: string;
}

const EncryptedPart = z.object({ secret: z.string() });
const ChannelSecrets = z.object({ secrets: z.record(z.string(), z.string()), urlToken: z.string() });

/** The summary schema drops `secret`, so a summary can never carry it. */
function parseStored(raw: string): Stored {
  const json: unknown = JSON.parse(raw);
  return { summary: StoredSummary.parse(json), secret: EncryptedPart.parse(json).secret };
}

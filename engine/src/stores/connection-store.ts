import type { Redis } from 'ioredis';
import { z } from 'zod';
import { ConnectionInput, ConnectionSummary, ServiceAccountKey } from '../contract/connections.ts';
import { AppError, notFound } from '../errors.ts';
import { hostRefusal } from '../net/address-policy.ts';
import { ConnectionNotFoundError } from '../sdk/errors.ts';
import type { Connection, ConnectionResolver } from '../sdk/runner.ts';
import { decrypt, encrypt } from './crypto.ts';

/**
 * Connections (credentials for third-party services) in one Redis hash `connections`:
 * id → JSON of the summary in clear plus `secret`, encrypted with AES-256-GCM and bound to the
 * connection id: the whole service-account key of a Google connection, the value of a secret.
 * Only `resolve` decrypts; nothing here logs.
 */
export class ConnectionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly encryptionKey: Buffer,
    /** `HTTP_ALLOW_PRIVATE`: whether a Google connection's `apiEndpoint` may be an internal address. */
    private readonly policy: { allowPrivateNetwork?: boolean } = {},
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
    if (!this.policy.allowPrivateNetwork && result.data.type === 'google')
      refuseInternalEndpoint(result.data.apiEndpoint);
    const { summary, plaintext } = split(result.data);
    const { id } = summary;
    const stored = { ...summary, secret: encrypt(this.encryptionKey, plaintext, id) };
    const created = await this.redis.hsetnx(this.hashKey(), id, JSON.stringify(stored));
    if (created !== 1) throw new AppError('CONNECTION_ID_TAKEN', id);
    return summary;
  }

  /** Every connection's summary, by name. */
  async list(): Promise<ConnectionSummary[]> {
    const all = await this.redis.hvals(this.hashKey());
    return all.map((raw) => parseStored(raw).summary).sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(id: string): Promise<ConnectionSummary> {
    const stored = await this.read(id);
    if (!stored) throw notFound('Connection', id);
    return stored.summary;
  }

  async delete(id: string): Promise<void> {
    const deleted = await this.redis.hdel(this.hashKey(), id);
    if (deleted !== 1) throw notFound('Connection', id);
  }

  /** The connection with its decrypted key or value, for a step that calls the service. */
  async resolve(id: string): Promise<Connection> {
    const stored = await this.read(id);
    if (!stored) throw new ConnectionNotFoundError(id);
    const { summary } = stored;
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

  /** The `ConnectionResolver` steps receive in their services. */
  resolver(): ConnectionResolver {
    return { get: (id) => this.resolve(id) };
  }

  private async read(id: string): Promise<Stored | null> {
    const raw = await this.redis.hget(this.hashKey(), id);
    return raw === null ? null : parseStored(raw);
  }

  private hashKey(): string {
    return `${this.prefix}connections`;
  }
}

/**
 * Refuses an `apiEndpoint` whose host is plainly internal, when it is saved rather than when a
 * run first fails on it. Names are not looked up here: the guarded dispatcher judges the
 * addresses they resolve to on every call.
 */
function refuseInternalEndpoint(apiEndpoint: string | undefined): void {
  if (apiEndpoint === undefined) return;
  const { hostname } = new URL(apiEndpoint);
  const reason = hostRefusal(hostname);
  if (reason === null) return;
  throw new AppError('FORBIDDEN_ADDRESS', { endpoint: apiEndpoint, host: hostname, reason });
}

/** What is kept in clear (the summary) and what is encrypted, by connection type. */
function split(input: ConnectionInput): { summary: ConnectionSummary; plaintext: string } {
  const { id, name } = input;
  const createdAt = Date.now();
  if (input.type === 'secret') return { summary: { id, type: 'secret', name, createdAt }, plaintext: input.value };
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

interface Stored {
  summary: ConnectionSummary;
  secret: string;
}

const EncryptedPart = z.object({ secret: z.string() });

/** The summary schema drops `secret`, so a summary can never carry it. */
function parseStored(raw: string): Stored {
  const json: unknown = JSON.parse(raw);
  return { summary: ConnectionSummary.parse(json), secret: EncryptedPart.parse(json).secret };
}

import type { Redis } from 'ioredis';
import { z } from 'zod';
import { ConnectionInput, ConnectionSummary, ServiceAccountKey } from '../contract/connections.ts';
import { AppError, notFound } from '../errors.ts';
import { ConnectionNotFoundError } from '../sdk/errors.ts';
import type { Connection, ConnectionResolver } from '../sdk/runner.ts';
import { decrypt, encrypt } from './crypto.ts';

/**
 * Connections (credentials for third-party services) in one Redis hash `connections`:
 * id → JSON of the summary in clear plus `secret`, the whole service-account key encrypted
 * with AES-256-GCM and bound to the connection id. Only `resolve` decrypts; nothing here logs.
 */
export class ConnectionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly encryptionKey: Buffer,
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
    const { id, name, serviceAccountKey, apiEndpoint } = result.data;
    const summary: ConnectionSummary = {
      id,
      type: 'google',
      name,
      clientEmail: serviceAccountKey.client_email,
      ...(apiEndpoint === undefined ? {} : { apiEndpoint }),
      createdAt: Date.now(),
    };
    const stored: StoredConnection = {
      ...summary,
      secret: encrypt(this.encryptionKey, JSON.stringify(serviceAccountKey), id),
    };
    const created = await this.redis.hsetnx(this.hashKey(), id, JSON.stringify(stored));
    if (created !== 1)
      throw new AppError('CONFLICT', `Connection "${id}" already exists: delete it first or pick another id.`);
    return summary;
  }

  /** Every connection's summary, by name. */
  async list(): Promise<ConnectionSummary[]> {
    const all = await this.redis.hvals(this.hashKey());
    return all.map((raw) => summaryOf(parseStored(raw))).sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(id: string): Promise<ConnectionSummary> {
    const stored = await this.read(id);
    if (!stored) throw notFound('Connection', id);
    return summaryOf(stored);
  }

  async delete(id: string): Promise<void> {
    const deleted = await this.redis.hdel(this.hashKey(), id);
    if (deleted !== 1) throw notFound('Connection', id);
  }

  /** The connection with its decrypted key, for a step that calls the service. */
  async resolve(id: string): Promise<Connection> {
    const stored = await this.read(id);
    if (!stored) throw new ConnectionNotFoundError(id);
    const serviceAccountKey = ServiceAccountKey.parse(JSON.parse(decrypt(this.encryptionKey, stored.secret, id)));
    return {
      id: stored.id,
      type: stored.type,
      name: stored.name,
      serviceAccountKey,
      ...(stored.apiEndpoint === undefined ? {} : { apiEndpoint: stored.apiEndpoint }),
    };
  }

  /** The `ConnectionResolver` steps receive in their services. */
  resolver(): ConnectionResolver {
    return { get: (id) => this.resolve(id) };
  }

  private async read(id: string): Promise<StoredConnection | null> {
    const raw = await this.redis.hget(this.hashKey(), id);
    return raw === null ? null : parseStored(raw);
  }

  private hashKey(): string {
    return `${this.prefix}connections`;
  }
}

const StoredConnection = ConnectionSummary.extend({ secret: z.string() });
type StoredConnection = z.infer<typeof StoredConnection>;

function parseStored(raw: string): StoredConnection {
  return StoredConnection.parse(JSON.parse(raw));
}

function summaryOf({ secret: _secret, ...summary }: StoredConnection): ConnectionSummary {
  return summary;
}

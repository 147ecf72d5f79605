import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/**
 * A Lua script run by its SHA, sending the source only when Redis has not cached it yet
 * (first call, or after a restart / SCRIPT FLUSH). Scripts give the stores their atomic
 * check-then-write steps without WATCH, which would be unsafe on a shared connection.
 *
 * The source is read once, when the owning module loads, from `scripts/<name>.lua` beside this
 * file (the compiled build copies `scripts/*.lua` next to it): the named files, joined in order,
 * so a script is preceded by the libraries of functions it calls. Each file states its KEYS and
 * ARGV and what it returns; every key a script touches comes in KEYS.
 */
export class LuaScript {
  private readonly source: string;
  private readonly sha: string;

  constructor(...files: [string, ...string[]]) {
    this.source = files
      .map((file) => readFileSync(new URL(`./scripts/${file}.lua`, import.meta.url), 'utf8'))
      .join('\n');
    this.sha = createHash('sha1').update(this.source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return redis.eval(this.source, keys.length, ...keys, ...args);
      }
      throw error;
    }
  }
}

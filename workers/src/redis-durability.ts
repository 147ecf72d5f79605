import type { Redis } from 'ioredis';

/**
 * The two Redis settings runs and queued jobs depend on: an eviction policy other than
 * `noeviction` deletes them when memory is full, and without AOF a Redis restart loses what was
 * written since its last snapshot. Managed Redis often refuses CONFIG (renamed command, ACL), so
 * each setting is read from INFO when CONFIG GET is refused.
 */
export interface DurabilitySettings {
  /** `maxmemory-policy`; undefined when neither CONFIG GET nor INFO answered. */
  evictionPolicy: string | undefined;
  /** `appendonly`; undefined when neither CONFIG GET nor INFO answered. */
  appendOnly: boolean | undefined;
  /** Why a setting could not be read (Redis's own refusals), when one could not. */
  refusal: string | undefined;
}

interface Setting {
  config: string;
  infoSection: string;
  infoField: string;
  /** The INFO field's value in CONFIG GET's terms. */
  fromInfo: (value: string) => string;
}

const evictionPolicy: Setting = {
  config: 'maxmemory-policy',
  infoSection: 'memory',
  infoField: 'maxmemory_policy',
  fromInfo: (value) => value,
};
const appendOnly: Setting = {
  config: 'appendonly',
  infoSection: 'persistence',
  infoField: 'aof_enabled',
  fromInfo: (value) => (value === '1' ? 'yes' : 'no'),
};

export async function readDurability(redis: Redis): Promise<DurabilitySettings> {
  const [policy, aof] = await Promise.all([read(redis, evictionPolicy), read(redis, appendOnly)]);
  return {
    evictionPolicy: policy.value,
    appendOnly: aof.value === undefined ? undefined : aof.value === 'yes',
    refusal: policy.refusal ?? aof.refusal,
  };
}

/**
 * What to tell the operator: `refusal` stops a production start (keys may be evicted), the
 * warnings are logged. `where` names the Redis without its password.
 */
export function judgeDurability(
  settings: DurabilitySettings,
  where: string,
  production: boolean,
): { refusal: string | undefined; warnings: string[] } {
  const warnings: string[] = [];
  let refusal: string | undefined;
  const { evictionPolicy: policy, appendOnly: aof } = settings;
  if (policy !== undefined && policy !== 'noeviction') {
    const problem = `Redis at ${where} has maxmemory-policy ${policy}: when its memory is full it deletes keys, losing runs and queued jobs. Set "maxmemory-policy noeviction" (redis.conf, or CONFIG SET maxmemory-policy noeviction)`;
    if (production) refusal = `${problem} and start again.`;
    else warnings.push(`${problem}; a start with NODE_ENV=production refuses this Redis.`);
  }
  if (production && aof === false) {
    warnings.push(
      `Redis at ${where} has appendonly no: a Redis restart loses the runs and jobs written since its last snapshot. Set "appendonly yes" (redis.conf, or CONFIG SET appendonly yes).`,
    );
  }
  const unknown = [
    ...(policy === undefined ? ['maxmemory-policy'] : []),
    ...(production && aof === undefined ? ['appendonly'] : []),
  ];
  if (unknown.length > 0) {
    warnings.push(
      `Could not read ${unknown.join(' and ')} of Redis at ${where} (${settings.refusal ?? 'no answer'}): make sure it runs with "maxmemory-policy noeviction" and "appendonly yes", or runs and jobs can be lost.`,
    );
  }
  return { refusal, warnings };
}

async function read(redis: Redis, setting: Setting): Promise<{ value?: string; refusal?: string }> {
  const refusals: string[] = [];
  try {
    const reply = await redis.call('CONFIG', 'GET', setting.config);
    if (Array.isArray(reply) && typeof reply[1] === 'string') return { value: reply[1] };
    refusals.push(`CONFIG GET ${setting.config} answered nothing`);
  } catch (error) {
    refusals.push(`CONFIG GET: ${messageOf(error)}`);
  }
  try {
    const value = infoField(await redis.info(setting.infoSection), setting.infoField);
    if (value !== undefined) return { value: setting.fromInfo(value) };
    refusals.push(`INFO ${setting.infoSection} has no ${setting.infoField}`);
  } catch (error) {
    refusals.push(`INFO: ${messageOf(error)}`);
  }
  return { refusal: refusals.join('; ') };
}

function infoField(info: string, field: string): string | undefined {
  const line = info.split(/\r?\n/).find((candidate) => candidate.startsWith(`${field}:`));
  return line?.slice(field.length + 1).trim();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

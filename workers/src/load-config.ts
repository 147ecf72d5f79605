import { type EnvConfig, parseEnv } from './config.ts';
import { resolveSecrets, type Secrets, type SecretsOrigin } from './secrets.ts';

/** Everything a process needs to start: the parsed environment with its secrets resolved. */
export type Config = Omit<EnvConfig, keyof Secrets> & Secrets & { secretsOrigin: SecretsOrigin };

/** Throws a `ConfigError` (one line, naming the variable) when anything is wrong. */
export async function loadConfig(env: Record<string, string | undefined>): Promise<Config> {
  const parsed = parseEnv(env);
  const { secrets, origin } = await resolveSecrets(parsed);
  return { ...parsed, ...secrets, secretsOrigin: origin };
}

/**
 * One Redis command, as strings, its key (or keys) right after its name: `['SET', key, value]`;
 * or `['@RUN', key, state, entries]`, a write of a run's record (`runRecordWrite` in
 * `run-record.ts`); or `['@RUN_ENDED', count hash, workflow key, versions key, workflow id]`:
 * one active run of the workflow fewer (`WorkflowStore`), and when it was the last one of a
 * deleted workflow, the versions kept for it go too. Applied by `scripts/commands.lua`.
 */
export type Command = [string, ...string[]];

/** How many keys follow a command's name: the one every Redis command we send has, or three. */
function keyCount(name: string): number {
  return name === '@RUN_ENDED' ? 3 : 1;
}

/**
 * The commands as `commands.lua` reads them: their keys, in order, for KEYS, and
 * `count, name, arguments…` per command for ARGV (no JSON to decode in Lua: these scripts run
 * several times per run). The `@RUN` writes of one record merge into one, where the first
 * stood: the last state given, the entries in order.
 */
export function flattenCommands(commands: Command[]): { keys: string[]; args: string[] } {
  const merged: Command[] = [];
  const records = new Map<string, Command>();
  for (const command of commands) {
    const [name, key = '', state = '', entries = ''] = command;
    if (name !== '@RUN') {
      merged.push(command);
      continue;
    }
    const record = records.get(key);
    if (!record) {
      const fresh: Command = ['@RUN', key, state, entries];
      records.set(key, fresh);
      merged.push(fresh);
      continue;
    }
    if (state !== '') record[2] = state;
    record[3] = `${record[3] ?? ''}${entries}`;
  }
  const keys: string[] = [];
  const args: string[] = [];
  for (const [name, ...rest] of merged) {
    const count = keyCount(name);
    keys.push(...rest.slice(0, count));
    args.push(String(rest.length - count + 1), name, ...rest.slice(count));
  }
  return { keys, args };
}

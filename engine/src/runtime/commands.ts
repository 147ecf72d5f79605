/**
 * One Redis command, as strings: `['SET', key, value]`; or `['@RUN', key, state, entries]`,
 * which writes a run's record (see `run-store.ts`): its state line replaced (unless `state` is
 * empty) and `entries` (log lines, each ending in a newline) appended; or
 * `['@RUN_ENDED', count hash, workflow id, workflow key, versions key]`: one active run of the
 * workflow fewer (`WorkflowStore`), and when it was the last one of a deleted workflow, the
 * versions kept for it go too.
 */
export type Command = [string, ...string[]];

/**
 * Lua applying commands flattened as `count, name, args…` from ARGV[first] on (no JSON to
 * decode: these scripts run several times per run). A `@RUN` of a missing record does nothing.
 */
export const APPLY_COMMANDS = `
local function write_run(key, state, entries)
  local record = redis.call('GET', key)
  if not record then return end
  local newline = string.find(record, '\\n', 1, true)
  local head = state
  if head == '' then head = newline and string.sub(record, 1, newline - 1) or record end
  local tail = newline and string.sub(record, newline + 1) or ''
  redis.call('SET', key, head .. '\\n' .. tail .. entries, 'KEEPTTL')
end
local function run_ended(count_key, workflow_id, workflow_key, versions_key)
  if redis.call('HINCRBY', count_key, workflow_id, -1) > 0 then return end
  redis.call('HDEL', count_key, workflow_id)
  if redis.call('EXISTS', workflow_key) == 0 then redis.call('DEL', versions_key) end
end
local function apply_commands(first)
  local i = first
  while i <= #ARGV do
    local n = tonumber(ARGV[i])
    if ARGV[i + 1] == '@RUN' then write_run(ARGV[i + 2], ARGV[i + 3], ARGV[i + 4])
    elseif ARGV[i + 1] == '@RUN_ENDED' then run_ended(ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5])
    else redis.call(unpack(ARGV, i + 1, i + n)) end
    i = i + n + 1
  end
end`;

/**
 * `count, name, args…` per command, as `APPLY_COMMANDS` reads them. The `@RUN` writes of one
 * record merge into one, where the first stood: the last state given, the entries in order.
 */
export function flattenCommands(commands: Command[]): string[] {
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
  const flat: string[] = [];
  for (const command of merged) flat.push(String(command.length), ...command);
  return flat;
}

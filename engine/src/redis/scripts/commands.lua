-- Applies commands as commands.ts flattens them (no JSON to decode: these scripts run several
-- times per run). Each command is `count, name, arguments…` in ARGV, count being the name and
-- its arguments that are not keys; its keys are in KEYS, in the same order: three for
-- `@RUN_ENDED`, one for any other. Needs run-record.lua.

-- One active run of the workflow fewer (`wf:active-runs`); when it was the last one of a
-- deleted workflow, the versions kept for it go too.
local function run_ended(count_key, workflow_key, versions_key, workflow_id)
  if redis.call('HINCRBY', count_key, workflow_id, -1) > 0 then return end
  redis.call('HDEL', count_key, workflow_id)
  if redis.call('EXISTS', workflow_key) == 0 then redis.call('DEL', versions_key) end
end

-- Applies the commands from ARGV[arg] on, their keys from KEYS[key] on.
local function apply_commands(arg, key)
  while arg <= #ARGV do
    local n = tonumber(ARGV[arg])
    local name = ARGV[arg + 1]
    if name == '@RUN' then
      write_run(KEYS[key], ARGV[arg + 2], ARGV[arg + 3])
      key = key + 1
    elseif name == '@RUN_ENDED' then
      run_ended(KEYS[key], KEYS[key + 1], KEYS[key + 2], ARGV[arg + 2])
      key = key + 3
    else
      redis.call(name, KEYS[key], unpack(ARGV, arg + 2, arg + n))
      key = key + 1
    end
    arg = arg + n + 1
  end
end

-- Functions reading and writing a run's record, whose format run-record.ts owns: one string,
-- the run's state as JSON on the first line (short field names: `s` the status, `f.a` 1 when
-- the inflight step asks), then one line per step log entry or transcript message. Scripts
-- touch a record only through these.

-- The state line of a record.
local function run_state_line(record)
  local newline = string.find(record, '\n', 1, true)
  return newline and string.sub(record, 1, newline - 1) or record
end

-- Replaces the state line of the record at `key` with `state` (unless empty) and appends
-- `entries` (lines, each ending in a newline), keeping its TTL. A missing record stays missing.
local function write_run(key, state, entries)
  local record = redis.call('GET', key)
  if not record then return end
  local newline = string.find(record, '\n', 1, true)
  local head = state
  if head == '' then head = newline and string.sub(record, 1, newline - 1) or record end
  local tail = newline and string.sub(record, newline + 1) or ''
  redis.call('SET', key, head .. '\n' .. tail .. entries, 'KEEPTTL')
end

-- Whether a job is executing a step of the run at `key` that asks: that job looks at the inbox
-- when it records its wait, in the same atomic write, so a reply filed now needs no job of its own.
local function job_will_take_reply(key)
  local record = redis.call('GET', key)
  if not record then return false end
  local run = cjson.decode(run_state_line(record))
  return run.s == 'running' and type(run.f) == 'table' and run.f.a == 1
end

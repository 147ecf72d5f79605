-- The runs holding the active claims of a conversation in the workflows named by the fields
-- of the hashes in KEYS, in one round trip (run-store.ts; every inbound reply reads these).
-- Needs run-record.lua.
-- The one script whose keys are not all in KEYS: the claims and records it reads are named by
-- the workflow ids it finds in the hashes, so it builds them from the prefixes in ARGV (a
-- read, like a SCAN; it writes nothing).
-- KEYS the hashes: wf:active-runs (workflows with active runs, published or not), wf:published
-- (their runs enrolled before active runs were counted).
-- ARGV[1] the run record key prefix, ARGV[2] the active claim key prefix, ARGV[3] conversation id.
-- Returns id, state line, id, state line… of the runs found.
local found = {}
local seen = {}
for _, key in ipairs(KEYS) do
  for _, workflow in ipairs(redis.call('HKEYS', key)) do
    if not seen[workflow] then
      seen[workflow] = true
      local id = redis.call('GET', ARGV[2] .. workflow .. ':' .. ARGV[3])
      if id then
        local record = redis.call('GET', ARGV[1] .. id)
        if record then
          found[#found + 1] = id
          found[#found + 1] = run_state_line(record)
        end
      end
    end
  end
end
return found

-- Deletes a workflow (workflow-store.ts). Its versions stay while it has active runs: the last
-- one to end deletes them (run_ended in commands.lua).
-- KEYS[1] wf:<id>, KEYS[2] wf:<id>:versions, KEYS[3] wf:<id>:published-at, KEYS[4] wf:index,
-- KEYS[5] wf:published, KEYS[6] wf:active-runs, KEYS[7] wf:<id>:version-notes. ARGV[1] id.
-- Returns 1 when deleted, 0 when the workflow does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('DEL', KEYS[1], KEYS[3], KEYS[7])
if (tonumber(redis.call('HGET', KEYS[6], ARGV[1])) or 0) <= 0 then redis.call('DEL', KEYS[2]) end
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[5], ARGV[1])
return 1

-- Saves a workflow's draft if the workflow exists (workflow-store.ts).
-- KEYS[1] wf:<id>, KEYS[2] wf:index. ARGV[1] draft JSON, ARGV[2] draft hash, ARGV[3] now, ARGV[4] id.
-- Returns 1 when saved, 0 when the workflow does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'draft', ARGV[1], 'draftHash', ARGV[2], 'updatedAt', ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
return 1

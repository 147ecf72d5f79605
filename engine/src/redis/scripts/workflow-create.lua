-- Creates a workflow's record, its draft at revision 1, unless it exists (workflow-store.ts).
-- KEYS[1] wf:<id>, KEYS[2] wf:index. ARGV[1] draft JSON, ARGV[2] draft hash, ARGV[3] now, ARGV[4] id.
-- Returns 1 when created, 0 when the workflow exists.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'draft', ARGV[1], 'draftHash', ARGV[2], 'createdAt', ARGV[3], 'updatedAt', ARGV[3],
  'revision', 1)
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
return 1

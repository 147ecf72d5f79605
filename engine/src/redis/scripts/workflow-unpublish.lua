-- Unpublishes a workflow (workflow-store.ts).
-- KEYS[1] wf:<id>, KEYS[2] wf:published. ARGV[1] id.
-- Returns 1 when done, 0 when the workflow does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HDEL', KEYS[1], 'publishedVersion', 'publishedHash')
redis.call('HDEL', KEYS[2], ARGV[1])
return 1

-- Publishes a workflow's draft as a new version, unless it is published already (workflow-store.ts).
-- KEYS[1] wf:<id>, KEYS[2] wf:<id>:versions, KEYS[3] wf:<id>:published-at, KEYS[4] wf:published,
-- KEYS[5] wf:version-seq, KEYS[6] wf:<id>:version-notes. ARGV[1] id, ARGV[2] expected draft hash,
-- ARGV[3] draft JSON, ARGV[4] now, ARGV[5] the version's note and publisher as JSON (kept only
-- for a new version: republishing the latest content changes nothing).
-- Returns the published version, -1 when the workflow is gone, -2 when the draft changed.
local current = redis.call('HMGET', KEYS[1], 'draftHash', 'publishedHash', 'publishedVersion')
if not current[1] then return -1 end
if current[1] ~= ARGV[2] then return -2 end
if current[2] == ARGV[2] then return tonumber(current[3]) end
local version = redis.call('HINCRBY', KEYS[5], ARGV[1], 1)
redis.call('HSET', KEYS[2], version, ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[4], version)
redis.call('HSET', KEYS[6], version, ARGV[5])
redis.call('HSET', KEYS[1], 'publishedVersion', version, 'publishedHash', ARGV[2])
redis.call('HSET', KEYS[4], ARGV[1], '{"version":' .. version .. ',"workflow":' .. ARGV[3] .. '}')
return version

-- Saves a workflow's draft if the workflow exists and, when the caller names the revision it
-- loaded, the draft is still at that revision (workflow-store.ts). Each save bumps `revision`;
-- a draft stored before revisions were kept has none and counts as revision 0.
-- KEYS[1] wf:<id>, KEYS[2] wf:index. ARGV[1] draft JSON, ARGV[2] draft hash, ARGV[3] now, ARGV[4] id,
-- ARGV[5] who saves, as the client says ('' when it does not), ARGV[6] the revision the caller
-- loaded ('' to save whatever the current revision).
-- Returns {'saved', new revision}, {'missing'} when the workflow does not exist, or
-- {'changed', current revision, updatedAt, savedBy} when the draft moved on since ARGV[6].
local current = redis.call('HMGET', KEYS[1], 'draft', 'revision', 'updatedAt', 'savedBy')
if not current[1] then return {'missing'} end
local revision = tonumber(current[2] or '0')
if ARGV[6] ~= '' and tonumber(ARGV[6]) ~= revision then
  return {'changed', revision, current[3], current[4] or ''}
end
redis.call('HSET', KEYS[1], 'draft', ARGV[1], 'draftHash', ARGV[2], 'updatedAt', ARGV[3], 'savedBy', ARGV[5],
  'revision', revision + 1)
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
return {'saved', revision + 1}

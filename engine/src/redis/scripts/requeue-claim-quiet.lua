-- Claims a run of the moving set for one look by the requeue sweep (run-requeuer.ts), when its
-- last write is not after the quiet point, by moving its score to now: two sweeps never
-- enqueue the same run twice, and a run found healthy is looked at again only after another
-- quiet period. A run that left the set (it waits or ended) is not put back.
-- KEYS[1] the moving set. ARGV[1] the run id, ARGV[2] the quiet point, ARGV[3] now (epoch ms).
-- Returns 1 when claimed, else 0.
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) > tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1

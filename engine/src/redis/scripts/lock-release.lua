-- Releases a run's lock (locks.ts) only while it holds this token.
-- KEYS[1] the lock. ARGV[1] the token.
-- Returns 1 when released, 0 when the lock holds another token or none.
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0

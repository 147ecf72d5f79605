-- Keeps a run's lock (locks.ts) alive while it holds this token.
-- KEYS[1] the lock. ARGV[1] the token, ARGV[2] the new TTL in ms.
-- Returns 1 when extended, 0 when the lock was lost.
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0

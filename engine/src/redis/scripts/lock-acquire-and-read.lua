-- Takes a run's lock (locks.ts) and, when taken, reads a value in the same round trip.
-- KEYS[1] the lock, KEYS[2] the string to read (the run's record).
-- ARGV[1] the token, ARGV[2] the lock's TTL in ms.
-- Returns {0} when another token holds the lock, else {1, value or false when absent}.
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0} end
return {1, redis.call('GET', KEYS[2])}

-- Deletes a key only while it holds this token: a run's lock (locks.ts), a retry's conversation
-- claim whose write did not happen (run-retry.ts), a failure alert's sending claim
-- (failure-alert-sender.ts).
-- KEYS[1] the lock or claim. ARGV[1] the token (the run id, for a claim).
-- Returns 1 when released, 0 when the key holds another token or none.
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0

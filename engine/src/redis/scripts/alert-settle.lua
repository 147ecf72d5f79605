-- Settles a workflow's failure alert (failure-alert-sender.ts): takes the failures an alert
-- covered (or dropped) off the count, leaving those recorded meanwhile for the next one.
-- KEYS[1] the workflow's alert hash; KEYS[2] the sorted set of due alerts.
-- ARGV[1] how many failures to take off, negated ("-3"; Lua would write minus zero as "-0",
-- which HINCRBY refuses); ARGV[2] the workflow id;
-- ARGV[3] when the alert went out, or '' when none did; ARGV[4] when the next alert is due, or ''.
-- With no next time, the workflow leaves the due set once no failure is left: the next failure
-- makes it due again, at once. Returns the failures left.
local left = redis.call('HINCRBY', KEYS[1], 'count', ARGV[1])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'sentAt', ARGV[3], 'attempts', 0) end
if ARGV[4] ~= '' then
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
elseif left <= 0 then
  redis.call('ZREM', KEYS[2], ARGV[2])
end
-- Only the last alert's time matters, and only for a quiet window (at most a day).
redis.call('PEXPIRE', KEYS[1], 172800000)
return left

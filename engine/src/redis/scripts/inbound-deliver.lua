-- Files a reply without an event id in the run's inbox (inbound.ts). Needs run-record.lua.
-- KEYS[1] the run's inbox, KEYS[2] the run's record. ARGV[1] the inbox entry, ARGV[2] inbox TTL (s).
-- Returns 1 when a resume job must be enqueued, else 0.
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
if job_will_take_reply(KEYS[2]) then return 0 end
return 1

-- First delivery of an inbound event id (inbound.ts): remembers its run (or '' for none) and
-- files the reply in the run's inbox. Needs run-record.lua.
-- KEYS[1] the event's dedup key, KEYS[2] the run's inbox, KEYS[3] the run's record (with no
-- run: KEYS[1] again for both).
-- ARGV[1] run id or '', ARGV[2] dedup TTL (s), ARGV[3] the inbox entry, ARGV[4] inbox TTL (s).
-- Returns {run id, needs job}: needs job is 1 when a resume job must be enqueued. A duplicate
-- returns the first delivery's run, with 1.
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return {redis.call('GET', KEYS[1]), 1} end
if ARGV[1] == '' then return {'', 0} end
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[4])
if job_will_take_reply(KEYS[3]) then return {ARGV[1], 0} end
return {ARGV[1], 1}

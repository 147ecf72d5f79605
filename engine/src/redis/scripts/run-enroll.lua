-- Enrolment in one step (run-store.ts): takes the rule claims (SET NX holding the run id),
-- then creates the run's record only if its id is new and applies the index writes. A claim
-- already holding this run id ("mine": another delivery of the same event) counts as taken by
-- us; claims this call took are released when it creates nothing. Needs run-record.lua and
-- commands.lua.
-- KEYS[1] the run's record, KEYS[2 .. 1 + claims] the claims, then the commands' keys.
-- ARGV[1] run id, ARGV[2] the new record, ARGV[3] claims (how many), ARGV[4 .. 3 + claims]
-- each claim's TTL in ms (0: held until released), then the commands.
-- Returns {1} created, {2} the run exists already, {0, claim number from 1} that claim is
-- held by another run.
local claims = tonumber(ARGV[3])
local held = {}
for i = 1, claims do
  local ttl = tonumber(ARGV[3 + i])
  local ok
  if ttl > 0 then ok = redis.call('SET', KEYS[1 + i], ARGV[1], 'NX', 'PX', ttl)
  else ok = redis.call('SET', KEYS[1 + i], ARGV[1], 'NX') end
  if ok then held[#held + 1] = KEYS[1 + i]
  elseif redis.call('GET', KEYS[1 + i]) ~= ARGV[1] then
    for _, key in ipairs(held) do redis.call('DEL', key) end
    return {0, i}
  end
end
if not redis.call('SET', KEYS[1], ARGV[2], 'NX') then
  for _, key in ipairs(held) do redis.call('DEL', key) end
  return {2}
end
apply_commands(4 + claims, 2 + claims)
return {1}

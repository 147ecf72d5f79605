-- Applies commands (commands.lua) atomically only while the lock still holds this token: a
-- worker that lost its lock (paused too long, or its run was taken over) can no longer write
-- the run. Needs run-record.lua and commands.lua.
-- KEYS[1] the lock; KEYS[2] the list to peek when ARGV[2] is '1'; then the commands' keys.
-- ARGV[1] the token, ARGV[2] '1' to peek or '', then the commands.
-- Returns 0 when the lock is lost (nothing written); else 1, or with a peek
-- {1, the list's head after the writes or false when empty}.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  apply_commands(3, 2)
  return 1
end
apply_commands(3, 3)
return {1, redis.call('LINDEX', KEYS[2], 0)}

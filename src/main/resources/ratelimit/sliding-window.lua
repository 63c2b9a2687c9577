-- Sliding-window counter, atomic. The time comes from the Redis server, so every instance agrees.
-- KEYS[1]: hash {w = index of the current window, c = its count, p = the previous window's count}
-- ARGV: limit, window (ms), cost (> 0 take, 0 look, < 0 give back)
-- Returns {allowed (0/1), remaining, retry-after ms, reset ms}.
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local index = math.floor(now / window)
local elapsed = now - index * window
local state = redis.call('HMGET', KEYS[1], 'w', 'c', 'p')
local stored = tonumber(state[1])
local cur, prev = 0, 0
if stored == index then
  cur, prev = tonumber(state[2]) or 0, tonumber(state[3]) or 0
elseif stored == index - 1 then
  prev = tonumber(state[2]) or 0
end
local weight = (window - elapsed) / window
local estimate = prev * weight + cur
if cost > 0 and estimate + cost > limit then
  local retry
  if cost > limit then
    retry = window
  elseif cur + cost <= limit then
    -- prev > 0 here: wait until enough of the previous window has slid out
    retry = (window - elapsed) - (limit - cost - cur) * window / prev
  else
    -- this window alone is too full: wait into the next one, where this count is the previous
    retry = (window - elapsed) + math.max(0, window - (limit - cost) * window / cur)
  end
  local reset = 2 * window - elapsed
  return {0, math.max(0, math.floor(limit - estimate)), math.max(1, math.ceil(retry)), reset}
end
if cost ~= 0 and (stored ~= nil or cost > 0) then
  if cost > 0 then
    cur = cur + cost
  else
    -- A refund gives back what this window holds first, then what the previous one holds: a unit
    -- taken just before the boundary and given back just after it (a sign-in that straddled it)
    -- must not stay counted in the previous window.
    local back = math.min(cur, -cost)
    cur = cur - back
    prev = math.max(0, prev + cost + back)
  end
  redis.call('HSET', KEYS[1], 'w', index, 'c', cur, 'p', prev)
  redis.call('PEXPIRE', KEYS[1], 2 * window)
end
estimate = prev * weight + cur
local reset = 0
if cur > 0 then
  reset = 2 * window - elapsed
elseif prev > 0 then
  reset = window - elapsed
end
return {1, math.max(0, math.floor(limit - estimate)), 0, reset}

-- Fixed window, atomic: opened by a key's first request, it lasts one window (the key's TTL).
-- KEYS[1]: the count
-- ARGV: limit, window (ms), cost (> 0 take, 0 look, < 0 give back)
-- Returns {allowed (0/1), remaining, retry-after ms, reset ms}.
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local ttl = redis.call('PTTL', KEYS[1])
local count = 0
if ttl > 0 then
  count = tonumber(redis.call('GET', KEYS[1])) or 0
end
if cost > 0 and count + cost > limit then
  local wait = ttl
  if ttl <= 0 or cost > limit then
    wait = window
  end
  return {0, math.max(0, limit - count), wait, wait}
end
if cost > 0 then
  if ttl > 0 then
    count = redis.call('INCRBY', KEYS[1], cost)
  else
    count = cost
    ttl = window
    redis.call('SET', KEYS[1], count, 'PX', window)
  end
elseif cost < 0 and ttl > 0 then
  count = math.max(0, count + cost)
  redis.call('SET', KEYS[1], count, 'KEEPTTL')
end
local reset = 0
if count > 0 then
  reset = ttl
end
return {1, limit - count, 0, reset}

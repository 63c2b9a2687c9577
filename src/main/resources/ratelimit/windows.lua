-- Sliding- and fixed-window counters for all of a request's rules at once: one round trip, atomic.
-- The time comes from the Redis server, so every instance agrees.
-- KEYS[i]: rule i's counter; ARGV[1]: cost (> 0 take, 0 look, < 0 give back), then per rule
-- ARGV[2 + 3(i-1) ..]: kind ('s' sliding, 'f' fixed), limit, window (ms).
--   sliding: a hash {w = index of the current window, c = its count, p = the previous window's count}
--   fixed:   a count, opened by a key's first request; it lasts one window (the key's TTL)
-- All or nothing: when a cost > 0 does not fit one rule, nothing is taken from any of them (a
-- refused request takes nothing from any budget).
-- Returns, per rule, {allowed (0/1), remaining, retry-after ms, reset ms}, flattened.
local cost = tonumber(ARGV[1])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local function sliding(key, limit, window)
  local s = {key = key, limit = limit, window = window, sliding = true}
  s.index = math.floor(now / window)
  s.elapsed = now - s.index * window
  local state = redis.call('HMGET', key, 'w', 'c', 'p')
  s.stored = tonumber(state[1])
  s.cur, s.prev = 0, 0
  if s.stored == s.index then
    s.cur, s.prev = tonumber(state[2]) or 0, tonumber(state[3]) or 0
  elseif s.stored == s.index - 1 then
    s.prev = tonumber(state[2]) or 0
  end
  s.weight = (window - s.elapsed) / window
  local estimate = s.prev * s.weight + s.cur
  if cost > 0 and estimate + cost > limit then
    local retry
    if cost > limit then
      retry = window
    elseif s.cur + cost <= limit then
      -- prev > 0 here: wait until enough of the previous window has slid out
      retry = (window - s.elapsed) - (limit - cost - s.cur) * window / s.prev
    else
      -- this window alone is too full: wait into the next one, where this count is the previous
      retry = (window - s.elapsed) + math.max(0, window - (limit - cost) * window / s.cur)
    end
    s.refusal = {0, math.max(0, math.floor(limit - estimate)), math.max(1, math.ceil(retry)),
                 2 * window - s.elapsed}
  end
  return s
end

local function fixed(key, limit, window)
  local s = {key = key, limit = limit, window = window, sliding = false}
  s.ttl = redis.call('PTTL', key)
  s.count = 0
  if s.ttl > 0 then
    s.count = tonumber(redis.call('GET', key)) or 0
  end
  if cost > 0 and s.count + cost > limit then
    local wait = s.ttl
    if s.ttl <= 0 or cost > limit then
      wait = window
    end
    s.refusal = {0, math.max(0, limit - s.count), wait, wait}
  end
  return s
end

-- Applies c (0: nothing) and answers as an allowed request.
local function apply(s, c)
  if s.sliding then
    if c ~= 0 and (s.stored ~= nil or c > 0) then
      if c > 0 then
        s.cur = s.cur + c
      else
        -- A refund gives back what this window holds first, then what the previous one holds: a unit
        -- taken just before the boundary and given back just after it (a sign-in that straddled it)
        -- must not stay counted in the previous window.
        local back = math.min(s.cur, -c)
        s.cur = s.cur - back
        s.prev = math.max(0, s.prev + c + back)
      end
      redis.call('HSET', s.key, 'w', s.index, 'c', s.cur, 'p', s.prev)
      redis.call('PEXPIRE', s.key, 2 * s.window)
    end
    local reset = 0
    if s.cur > 0 then
      reset = 2 * s.window - s.elapsed
    elseif s.prev > 0 then
      reset = s.window - s.elapsed
    end
    return {1, math.max(0, math.floor(s.limit - (s.prev * s.weight + s.cur))), 0, reset}
  end
  local count, ttl = s.count, s.ttl
  if c > 0 then
    if ttl > 0 then
      count = redis.call('INCRBY', s.key, c)
    else
      count = c
      ttl = s.window
      redis.call('SET', s.key, count, 'PX', s.window)
    end
  elseif c < 0 and ttl > 0 then
    count = math.max(0, count + c)
    redis.call('SET', s.key, count, 'KEEPTTL')
  end
  local reset = 0
  if count > 0 then
    reset = ttl
  end
  return {1, s.limit - count, 0, reset}
end

local rules, refused = {}, false
for i = 1, #KEYS do
  local b = 2 + 3 * (i - 1)
  local check = fixed
  if ARGV[b] == 's' then
    check = sliding
  end
  rules[i] = check(KEYS[i], tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2]))
  refused = refused or rules[i].refusal ~= nil
end
local out = {}
for i = 1, #rules do
  local answer
  if rules[i].refusal then
    answer = rules[i].refusal
  elseif refused then
    answer = apply(rules[i], 0)
  else
    answer = apply(rules[i], cost)
  end
  for j = 1, 4 do
    out[#out + 1] = answer[j]
  end
end
return out

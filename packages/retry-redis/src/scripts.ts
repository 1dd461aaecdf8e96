import { createHash } from "node:crypto";

// The limiter's pacing (GCRA plus a window log, see @oaikit/retry's pacing.ts) run inside Redis,
// so that every process drawing on one key is judged atomically against one state. Time is
// Redis's own (`TIME`), so the processes' clocks need not agree. Per budget: a hash
// `{tat, sum, seq}` and a sorted set of `ticket:cost` members (`seq:cost` without a ticket)
// scored by their expiry; SETTLE moves a member's expiry earlier once its answer came.
// Numbers go back as strings: Redis truncates a Lua number reply to an integer.

const PRELUDE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local function cost_of(member) return tonumber(string.match(member, ':([^:]*)$')) end
local function expire(h, z)
  local sum = tonumber(redis.call('HGET', h, 'sum') or '0')
  local old = redis.call('ZRANGEBYSCORE', z, '-inf', now)
  if #old > 0 then
    for _, m in ipairs(old) do sum = sum - cost_of(m) end
    redis.call('ZREMRANGEBYSCORE', z, '-inf', now)
    if redis.call('ZCARD', z) == 0 then sum = 0 end
    redis.call('HSET', h, 'sum', string.format('%.17g', sum))
  end
  return sum
end
local function keep(h, z, ms)
  local ttl = math.ceil(ms) + 60000
  redis.call('PEXPIRE', h, ttl)
  redis.call('PEXPIRE', z, ttl)
end
`;

/**
 * KEYS: per draw, its hash and its sorted set. ARGV: the number of draws, the ticket ("" for
 * none), then per draw cost, emissionMs, toleranceMs, windowMs, windowLimit. Answers "0" when
 * every draw was taken, else the milliseconds to wait (nothing taken).
 */
const TAKE = `${PRELUDE}
local n = tonumber(ARGV[1])
local ticket = ARGV[2]
local wait = 0
local state = {}
for i = 1, n do
  local h, z = KEYS[2 * i - 1], KEYS[2 * i]
  local a = 2 + (i - 1) * 5
  local cost, em, tol, win, lim = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5])
  local sum = expire(h, z)
  local tat = tonumber(redis.call('HGET', h, 'tat') or '-1e300')
  local span = cost * em
  local w = tat - now - tol
  -- Epoch milliseconds carry ~2e-4 ms of float error: a microsecond of slack.
  if w < 1e-3 then w = 0 end
  if sum > 1e-9 and sum + cost > lim + 1e-9 then
    local entries = redis.call('ZRANGE', z, 0, -1, 'WITHSCORES')
    local s = sum
    local ww = tonumber(entries[#entries]) - now
    for j = 1, #entries, 2 do
      s = s - cost_of(entries[j])
      if s <= 1e-9 or s + cost <= lim + 1e-9 then ww = tonumber(entries[j + 1]) - now break end
    end
    if ww > w then w = ww end
  end
  if w > wait then wait = w end
  state[i] = { h = h, z = z, tat = tat, span = span, cost = cost, raw = ARGV[a + 1], win = win }
end
if wait > 0 then return string.format('%.17g', wait) end
for i = 1, n do
  local s = state[i]
  local tat = math.max(s.tat, now) + s.span
  redis.call('HSET', s.h, 'tat', string.format('%.17g', tat), 'win', string.format('%.17g', s.win))
  local name = ticket
  if name == '' then name = redis.call('HINCRBY', s.h, 'seq', 1) end
  redis.call('ZADD', s.z, now + math.max(s.win, s.span), name .. ':' .. s.raw)
  redis.call('HINCRBYFLOAT', s.h, 'sum', string.format('%.17g', s.cost))
  keep(s.h, s.z, math.max(tat - now, s.win, s.span))
end
return '0'
`;

/** KEYS: hash, sorted set. ARGV: units (< 0 refunds), emissionMs. A charge counts in the window. */
const ADJUST = `${PRELUDE}
local h, z = KEYS[1], KEYS[2]
local units, em = tonumber(ARGV[1]), tonumber(ARGV[2])
local win = tonumber(redis.call('HGET', h, 'win') or '0')
expire(h, z)
local tat = tonumber(redis.call('HGET', h, 'tat') or '-1e300')
tat = math.max(math.max(tat, now) + units * em, now)
redis.call('HSET', h, 'tat', string.format('%.17g', tat))
if units > 0 then
  local seq = redis.call('HINCRBY', h, 'seq', 1)
  redis.call('ZADD', z, now + win, seq .. ':' .. string.format('%.17g', units))
  redis.call('HINCRBYFLOAT', h, 'sum', string.format('%.17g', units))
end
keep(h, z, math.max(tat - now, win))
return '0'
`;

/** KEYS: hash, sorted set. ARGV: ms. Nothing more from this budget before now + ms. */
const HOLD = `${PRELUDE}
local h, z = KEYS[1], KEYS[2]
local tat = tonumber(redis.call('HGET', h, 'tat') or '-1e300')
tat = math.max(tat, now + tonumber(ARGV[1]))
redis.call('HSET', h, 'tat', string.format('%.17g', tat))
keep(h, z, tat - now)
return '0'
`;

/**
 * KEYS: per settled draw, its hash and its sorted set. ARGV: the number of draws, the ticket,
 * then per draw cost, shortenMs. Moves each of the ticket's members that many ms earlier (a
 * member already gone is left alone).
 */
const SETTLE = `
local n = tonumber(ARGV[1])
local ticket = ARGV[2]
for i = 1, n do
  local z = KEYS[2 * i]
  local member = ticket .. ':' .. ARGV[1 + 2 * i]
  local score = redis.call('ZSCORE', z, member)
  if score then
    redis.call('ZADD', z, 'XX', tonumber(score) - tonumber(ARGV[2 + 2 * i]), member)
  end
end
return '0'
`;

/** A script and its SHA-1, for EVALSHA. */
export interface Script {
  readonly source: string;
  readonly sha: string;
}

const script = (source: string): Script => ({
  source,
  sha: createHash("sha1").update(source).digest("hex"),
});

export const SCRIPTS = {
  take: script(TAKE),
  settle: script(SETTLE),
  adjust: script(ADJUST),
  hold: script(HOLD),
};

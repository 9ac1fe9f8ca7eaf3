package cluster

import "github.com/redis/go-redis/v9"

// The store's keys for a path: KEYS[1] the path's owner ("TOKEN URL", with
// the lease as its expiry), KEYS[2] the token counter, KEYS[3] the marker
// that the store has been written to since it started, KEYS[4] the grace
// after a start during which no claim wins.
//
// startPrelude runs first in every write: a store that lost everything
// (restarted without persistence) takes no claims for a lease, so owners
// it forgot can refresh first, and its tokens go on from its clock in
// microseconds, above every token of its earlier lives.
const startPrelude = `
if redis.call('EXISTS', KEYS[3]) == 0 then
  redis.call('SET', KEYS[3], '1')
  redis.call('SET', KEYS[4], '1', 'PX', ARGV[2])
  local t = redis.call('TIME')
  local us = string.format('%.0f', tonumber(t[1]) * 1000000 + tonumber(t[2]))
  if tonumber(redis.call('GET', KEYS[2]) or '0') < tonumber(us) then
    redis.call('SET', KEYS[2], us)
  end
end
`

// claimScript: ARGV[1] the URL, ARGV[2] the lease in ms. It returns
// {won, "TOKEN URL" of the owner after the call or "", remaining ms}.
var claimScript = redis.NewScript(startPrelude + `
local grace = redis.call('PTTL', KEYS[4])
if grace > 0 then return {0, '', grace} end
local cur = redis.call('GET', KEYS[1])
if cur then return {0, cur, redis.call('PTTL', KEYS[1])} end
local v = string.format('%.0f', redis.call('INCR', KEYS[2])) .. ' ' .. ARGV[1]
if not redis.call('SET', KEYS[1], v, 'NX', 'PX', ARGV[2]) then return {0, '', 0} end
return {1, v, tonumber(ARGV[2])}
`)

// refreshScript: ARGV[1] the owner's "TOKEN URL", ARGV[2] the lease in
// ms, ARGV[3] the token. It returns 1 when the owner holds the path after
// the call: it held it, or the store forgot it less than a lease ago.
var refreshScript = redis.NewScript(startPrelude + `
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not cur and redis.call('PTTL', KEYS[4]) > 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  if tonumber(redis.call('GET', KEYS[2]) or '0') < tonumber(ARGV[3]) then
    redis.call('SET', KEYS[2], ARGV[3])
  end
  return 1
end
return 0
`)

// releaseScript: ARGV[1] the owner's "TOKEN URL". It deletes the owner
// key if it is still that owner's.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

// lookupScript returns {"TOKEN URL" or "", remaining ms}, read together.
var lookupScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if not cur then return {'', 0} end
return {cur, redis.call('PTTL', KEYS[1])}
`)

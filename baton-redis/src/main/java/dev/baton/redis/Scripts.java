package dev.baton.redis;

/**
 * The Lua scripts that make each shared change atomic in Redis. Every script touches keys of one hash
 * tag ({@code {scope}}), so they also run on a Redis Cluster.
 */
final class Scripts {

  private Scripts() {}

  /**
   * A sliding 60-second window as a hash of epoch second to count. Adds what the caller counted on its
   * own first (pairs of second and amount after the third argument), drops seconds older than 60, then
   * grants up to {@code want} more while the window holds fewer than {@code limit}. Returns
   * {@code {granted, used, resetMs}}: {@code resetMs} is how long until there is room again when it
   * granted less than asked, else until the oldest second leaves.
   *
   * <p>KEYS[1] the window. ARGV: now (ms), limit, want, then second, amount, ...
   */
  static final String WINDOW = """
      local now = tonumber(ARGV[1])
      local sec = math.floor(now / 1000)
      local limit = tonumber(ARGV[2])
      local want = tonumber(ARGV[3])
      for i = 4, #ARGV, 2 do
        if tonumber(ARGV[i]) > sec - 60 then redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
      end
      local fields = redis.call('HGETALL', KEYS[1])
      local used = 0
      local seconds = {}
      for i = 1, #fields, 2 do
        local s = tonumber(fields[i])
        if s <= sec - 60 then
          redis.call('HDEL', KEYS[1], fields[i])
        else
          local c = tonumber(fields[i + 1])
          used = used + c
          seconds[#seconds + 1] = {s, c}
        end
      end
      local grant = 0
      if want > 0 and used < limit then grant = math.min(want, limit - used) end
      if grant > 0 then
        redis.call('HINCRBY', KEYS[1], sec, grant)
        used = used + grant
        seconds[#seconds + 1] = {sec, grant}
      end
      if used > 0 then redis.call('PEXPIRE', KEYS[1], 61000) end
      table.sort(seconds, function(a, b) return a[1] < b[1] end)
      local reset = 0
      if grant < want then
        local need = used - limit + 1
        local freed = 0
        for _, e in ipairs(seconds) do
          freed = freed + e[2]
          if freed >= need then reset = (e[1] + 60) * 1000 - now break end
        end
      elseif #seconds > 0 then
        reset = (seconds[1][1] + 60) * 1000 - now
      end
      return {grant, used, reset}
      """;

  /**
   * A budget period's spend: a hash of {@code p} (the period's start, ms) and {@code n} (nano-USD). A
   * later period starts it again from zero; an earlier one is over and changes nothing. Raises it to
   * {@code floor} if lower (seeding from the database, or from what an instance knew before Redis lost
   * it), then adds {@code delta} once per batch marker (KEYS[2], when given: a batch retried after a lost
   * answer is not counted twice). Returns
   * {@code {p, n}}.
   *
   * <p>KEYS[1] the spend, KEYS[2] (optional) the batch's marker. ARGV: period start, delta, floor (-1: none).
   */
  static final String SPEND = """
      local period = tonumber(ARGV[1])
      local p = tonumber(redis.call('HGET', KEYS[1], 'p') or '-1')
      if period > p then
        redis.call('HSET', KEYS[1], 'p', ARGV[1], 'n', '0')
        p = period
      end
      if period == p then
        local floor = tonumber(ARGV[3])
        if floor >= 0 and floor > tonumber(redis.call('HGET', KEYS[1], 'n')) then
          redis.call('HSET', KEYS[1], 'n', ARGV[3])
        end
        local delta = tonumber(ARGV[2])
        if delta ~= 0 and (#KEYS < 2 or redis.call('SET', KEYS[2], '1', 'NX', 'EX', 3600)) then
          redis.call('HINCRBY', KEYS[1], 'n', ARGV[2])
        end
      end
      return {p, tonumber(redis.call('HGET', KEYS[1], 'n'))}
      """;

  /**
   * Claims a deployment's one half-open probe: granted when nobody holds it or this instance already
   * does; held for ARGV[2] ms. Returns 1 when granted.
   *
   * <p>KEYS[1] the claim. ARGV: instance, hold (ms).
   */
  static final String CLAIM_PROBE = """
      local holder = redis.call('GET', KEYS[1])
      if holder == false or holder == ARGV[1] then
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
      end
      return 0
      """;

  /**
   * A circuit opened: keeps the later of the held and the new end of its cooldown, and holds its probe
   * claim until that end. An instance whose cooldown ended at the same moment as the failed probe's
   * holder, and has not heard of the new opening yet, finds the probe taken rather than free; at the new
   * end the claim lapses and every instance may ask for it again.
   *
   * <p>KEYS[1] the open circuits (deployment to end, ms), KEYS[2] the deployment's probe claim. ARGV:
   * deployment, end (ms), instance.
   */
  static final String OPENED = """
      local held = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
      local ends = math.max(held, tonumber(ARGV[2]))
      if tonumber(ARGV[2]) > held then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
      redis.call('SET', KEYS[2], ARGV[3], 'PXAT', string.format('%d', ends))
      return 1
      """;
}

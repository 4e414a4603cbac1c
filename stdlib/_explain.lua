-- stdlib/_explain.lua: `deal check --explain`: for each claim, the inputs it
-- depends on most and the value of each at which its verdict flips.
--
-- Private (loaded by vm/check.c in the model's child process). The method:
--
-- 1. While the model runs, claim() hands each uncertain condition to
--    capture(): sensitivity() names the inputs it depends on (the model's
--    locals are still in scope then) and keeps the six with the largest rank
--    correlation, with their ids.
-- 2. The child then reruns the model, once per probe, in a fresh state with
--    one input pinned to one value (samples_pin in vm/samples.c): the same
--    seed, so every other input draws exactly the samples it drew before, and
--    the claims' P differ by the pinned input alone. Phase 1 pins each
--    candidate at its 5%, 25%, 50%, 75% and 95% quantiles (its stated 90%
--    range); a claim's verdict flips where P crosses its threshold between
--    two of them (interpolated in quantile, read off the input's own
--    samples).
-- 3. For an input that moves a claim but does not flip it within its range,
--    phase 2 pins it beyond the range on the side nearer the threshold: one
--    and three range-widths out (halving toward zero for a positive input;
--    clamped to 0-100% for a share).
-- 4. report() ranks each claim's inputs by how far P moves across their
--    range (the tornado's order), keeps three, and says where each flips. A
--    claim that no input flips within its stated range is a sanity bound.
local E = {}

local QS = { 0.05, 0.25, 0.5, 0.75, 0.95 }
local KEEP = 6          -- candidate inputs per claim (by rank correlation)
local SHOW = 3          -- inputs reported per claim (by how far they move P)
local MOVES = 0.005     -- a swing of P below this is no dependence at all

local claims = {}       -- the claim records, in order
local inputs = {}       -- id -> { id, name, x, lo, hi, probes = { {q =, value =, float =, ps =} } }
local order = {}        -- ids in first-seen order
local pending = {}      -- probes of the current phase: { input, probe }

--- Records the inputs an uncertain claim depends on (called by claim()).
function E.capture(c, cond)
  claims[#claims + 1] = c
  if c.p == nil then return end
  local ok, rows = pcall(sensitivity, cond, true)
  if not ok then c.explain_error = tostring(rows); return end
  c.candidates = {}
  for _, r in ipairs(rows) do
    if #c.candidates >= KEEP then break end
    if r.id and r.id > 0 and r.input then
      c.candidates[#c.candidates + 1] = r.id
      if not inputs[r.id] then
        inputs[r.id] = { id = r.id, name = r.name, x = r.input, probes = {}, sides = {} }
        order[#order + 1] = r.id
      end
    end
  end
end

--- Records an exact claim (nothing to pin).
function E.note(c)
  claims[#claims + 1] = c
end

-- a probe of input `inp` at the num `value`
local function probe(inp, value, q)
  local f = num.tofloat(value)
  for _, p in ipairs(inp.probes) do
    if p.float == f then return p end
  end
  local p = { q = q, value = value, float = f }
  inp.probes[#inp.probes + 1] = p
  pending[#pending + 1] = { inp = inp, probe = p }
  return p
end

-- a share: a plain number whose 90% range lies within 0-100% (printed in
-- percent, and never pushed beyond 0 or 100%)
local function isshare(inp)
  return units.dim(inp.lo) == units.dim(num(1)) and inp.lo >= num(0) and inp.hi <= num(1)
end

-- P of claim k in a probe's rerun (nil when the rerun failed)
local function pof(p, k)
  return p.ps and p.ps[k]
end

-- the points of input inp for claim k within its range (probes at quantiles), by q
local function scan(inp, k)
  local pts = {}
  for _, p in ipairs(inp.probes) do
    if p.q and pof(p, k) then pts[#pts + 1] = { q = p.q, f = p.float, p = pof(p, k), probe = p } end
  end
  table.sort(pts, function(a, b) return a.q < b.q end)
  return pts
end

-- the points beyond the range on one side ("high" or "low"), with the end of
-- the range they start from, by value
local function outside(inp, k, within, side)
  local pts = {}
  for _, p in ipairs(inp.probes) do
    if p.side == side and pof(p, k) then pts[#pts + 1] = { f = p.float, p = pof(p, k), probe = p } end
  end
  if #pts == 0 then return pts end
  local e = side == "high" and within[#within] or within[1]
  pts[#pts + 1] = { f = e.f, p = e.p, probe = e.probe }
  table.sort(pts, function(a, b) return a.f < b.f end)
  return pts, e
end

-- where the verdict flips along pts (sorted), nearest `mid` on `key`: the
-- two points either side, and the fraction t of the way from a to b
local function crossing(pts, thr, key, mid)
  local best
  for i = 1, #pts - 1 do
    local a, b = pts[i], pts[i + 1]
    if (a.p >= thr) ~= (b.p >= thr) then
      local d = math.abs((a[key] + b[key]) / 2 - mid)
      if not best or d < best.d then
        local t = (b.p ~= a.p) and (thr - a.p) / (b.p - a.p) or 0.5
        best = { a = a, b = b, t = t, d = d }
      end
    end
  end
  return best
end

-- the inputs claim c depends on, with their scans, swing first; `flat` when
-- none moves P at all (then the first few are looked at beyond their ranges)
local function ranked(c, k)
  local list = {}
  for _, id in ipairs(c.candidates or {}) do
    local inp = inputs[id]
    local pts = scan(inp, k)
    if #pts >= 2 then
      local lo, hi = math.huge, -math.huge
      for _, pt in ipairs(pts) do lo = math.min(lo, pt.p); hi = math.max(hi, pt.p) end
      list[#list + 1] = { inp = inp, pts = pts, swing = hi - lo }
    end
  end
  table.sort(list, function(a, b)
    if a.swing ~= b.swing then return a.swing > b.swing end
    return a.inp.name < b.inp.name
  end)
  local shown, flat = {}, not list[1] or list[1].swing < MOVES
  for _, r in ipairs(list) do
    if #shown >= SHOW or (not flat and r.swing < MOVES) then break end
    shown[#shown + 1] = r
  end
  return shown, flat
end

-- the first probes beyond an input's range on one side
local function go_side(inp, pts, up)
  local width = inp.hi - inp.lo
  local far
  if isshare(inp) then              -- toward 0 or 100% without reaching them
    far = up and { min(inp.hi + width, (1 + inp.hi) / 2), 1 - (1 - inp.hi) / 8 } or { max(inp.lo - width, inp.lo / 2), inp.lo / 8 }
  elseif not up and min(inp.x) > 0 * inp.lo then
    far = { inp.lo / 2, inp.lo / 8 }
  else
    far = up and { inp.hi + width, inp.hi + 3 * width } or { inp.lo - width, inp.lo - 3 * width }
  end
  local side = up and "high" or "low"
  for _, v in ipairs(far) do
    if num.tofloat(v) ~= (up and pts[#pts].f or pts[1].f) then probe(inp, v, nil).side = side end
  end
  return side
end

-- beyond an input's range: on the side where P nears the threshold, or on
-- both when P does not move within the range
local function go_beyond(inp, k, pts, thr, flat)
  local first, last = pts[1], pts[#pts]
  if flat then
    inp.sides[k] = { go_side(inp, pts, true), go_side(inp, pts, false) }
  else
    inp.sides[k] = { go_side(inp, pts, math.abs(last.p - thr) < math.abs(first.p - thr)) }
  end
end

--- The probes of a phase: a list of { id, value } (value in base units, a float).
-- Phase 1 scans every candidate input across its 90% range. Later phases,
-- for the inputs that move each claim most: halve the interval where the
-- verdict flips (down to 2% of the range in quantile), or look beyond the
-- range when it does not flip within it, then halve there too.
function E.probes(phase)
  pending = {}
  if phase == 1 then
    for _, id in ipairs(order) do
      local inp = inputs[id]
      local qv = { quantile(inp.x, QS) }
      inp.lo, inp.hi = qv[1], qv[#qv]
      for i, q in ipairs(QS) do probe(inp, qv[i], q) end
    end
  else
    for k, c in ipairs(claims) do
      if c.p then
        local shown, flat = ranked(c, k)
        for _, r in ipairs(shown) do
          local inp = r.inp
          local x = crossing(r.pts, c.threshold, "q", 0.5)
          if x then
            if x.b.q - x.a.q > 0.02 then
              local q = (x.a.q + x.b.q) / 2
              probe(inp, quantile(inp.x, q), q)
            end
          elseif not inp.sides[k] then
            go_beyond(inp, k, r.pts, c.threshold, flat)
          else
            for _, side in ipairs(inp.sides[k]) do
              local pts, e = outside(inp, k, r.pts, side)
              local y = #pts > 0 and crossing(pts, c.threshold, "f", e.f)
              local span = math.abs(num.tofloat(inp.hi - inp.lo))
              if y and math.abs(y.b.f - y.a.f) > 0.02 * span then
                probe(inp, (y.a.probe.value + y.b.probe.value) / 2, nil).side = side
              end
            end
          end
        end
      end
    end
  end
  local out = {}
  for i, e in ipairs(pending) do out[i] = { id = e.inp.id, value = e.probe.float } end
  return out
end

--- Records a rerun: ps is the list of the claims' P (1/0 for exact claims), or err a message.
function E.result(i, ps, err)
  local e = pending[i]
  if not e then return end
  e.probe.ps = ps
  e.probe.err = err
end

---------------------------------------------------------------------------
-- the report
---------------------------------------------------------------------------

-- a probability as the claims table prints it: two decimals, more when needed
-- so that a P below 1 never reads 1, two significant digits below 0.01
local function fmtp(p)
  if p >= 1 then return "1" elseif p <= 0 then return "0" end
  if p < 0.01 then return ("%.2g"):format(p) end
  local d = 2
  while d < 6 and p > 0.99 and tonumber(("%%.%df"):format(d):format(p)) >= 1 do d = d + 1 end
  return ("%%.%df"):format(d):format(p)
end

-- a value as printed, without the ≈ of an approximate number; a share in percent
local function show(v, share)
  if share then return (("%.3g%%"):format(num.tofloat(v) * 100)) end
  return (tostring(v):gsub("^≈%s*", ""))
end

local function width(s)
  local _, n = s:gsub("[^\128-\191]", "")
  return n
end

local function pad(s, w)
  return s .. (" "):rep(math.max(0, w - width(s)))
end

-- JSON text of a value (strings, numbers, booleans, lists and records)
local function json(v)
  local t = type(v)
  if t == "string" then
    return '"' .. v:gsub('[%c"\\]', function(ch)
      local m = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\t"] = "\\t" }
      return m[ch] or ("\\u%04x"):format(ch:byte())
    end) .. '"'
  elseif t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then return "null" end
    return ("%.6g"):format(v)
  elseif t == "boolean" then
    return tostring(v)
  elseif t == "table" then
    local parts = {}
    if #v > 0 or next(v) == nil then
      for i, x in ipairs(v) do parts[i] = json(x) end
      return "[" .. table.concat(parts, ", ") .. "]"
    end
    local keys = {}
    for key in pairs(v) do keys[#keys + 1] = key end
    table.sort(keys)
    for _, key in ipairs(keys) do parts[#parts + 1] = json(key) .. ": " .. json(v[key]) end
    return "{" .. table.concat(parts, ", ") .. "}"
  end
  return "null"
end

-- the other verdict, and on which side of the flip value it lies
local function flip_text(c, a, b, value, share)
  local rising = b.p > a.p                   -- P grows with the input
  local other = c.holds and "fails" or "holds"
  local below = (other == "fails") == rising -- the other verdict lies below the value
  return ("%s %s %s"):format(other, below and "below" or "above", show(value, share)), below and "below" or "above"
end

-- the flip within the range (quantiles) for one input, or nil
local function within(c, r)
  local x = crossing(r.pts, c.threshold, "q", 0.5)
  if not x then return nil end
  local q = x.a.q + x.t * (x.b.q - x.a.q)
  local value = quantile(r.inp.x, q)
  local text, side = flip_text(c, x.a, x.b, value, r.inp.share)
  return { value = value, text = text, side = side, within = true }
end

-- the flip beyond the range on one side: { value, text, distance } or { none, farthest } or nil
local function beyond_side(c, k, r, side)
  local pts, e = outside(r.inp, k, r.pts, side)
  if #pts == 0 then return nil end
  local x = crossing(pts, c.threshold, "f", e.f)
  if not x then
    local far = side == "high" and pts[#pts] or pts[1]
    return { none = true, farthest = far.probe.value }
  end
  local value = x.a.probe.value + (x.b.probe.value - x.a.probe.value) * x.t
  local text, s = flip_text(c, x.a, x.b, value, r.inp.share)
  return { value = value, text = text, side = s, within = false, distance = math.abs(num.tofloat(value) - e.f) }
end

-- the flip beyond the range nearest to it, over the sides looked at
local function beyond(c, k, r)
  local best, none
  for _, side in ipairs(r.inp.sides[k] or {}) do
    local b = beyond_side(c, k, r, side)
    if b and b.none then none = none or b
    elseif b and (not best or b.distance < best.distance) then best = b end
  end
  return best or none
end

-- the first error among an input's reruns
local function rerun_error(inp)
  for _, p in ipairs(inp.probes) do
    if p.err then
      local msg = p.err:gsub("^[^:]*:%d+: ", "")     -- the message, not where it was raised
      if width(msg) > 90 then msg = msg:match("^" .. ("[%z\1-\127\194-\244][\128-\191]*"):rep(89)) .. "…" end
      return ("%s = %s (%s)"):format(inp.name, show(p.value, inp.share), msg)
    end
  end
end

-- one claim's analysis: its rows { name, range, P, flip }, the JSON fields, and whether it is a sanity bound
local function analyse(c, k)
  local rows, flips, deps = {}, {}, {}
  local any_within = false
  local shown = ranked(c, k)
  for _, r in ipairs(shown) do
    local inp = r.inp
    local f = within(c, r)
    local b = not f and beyond(c, k, r)
    local first, last = r.pts[1], r.pts[#r.pts]
    local ftext
    if f then
      any_within = true
      ftext = f.text
    elseif b and not b.none then
      ftext = "no flip in its range; " .. b.text .. " (beyond it)"
    elseif b then
      ftext = ("no flip in its range, nor out to %s"):format(show(b.farthest, inp.share))
    else
      ftext = "no flip in its range"
    end
    local err = rerun_error(inp)
    if err then ftext = ftext .. "; the model stops at " .. err end
    rows[#rows + 1] = { inp.name, show(inp.lo, inp.share) .. " … " .. show(inp.hi, inp.share),
                        ("P %s … %s"):format(fmtp(first.p), fmtp(last.p)), ftext }
    deps[#deps + 1] = { input = inp.name, low = show(inp.lo, inp.share), high = show(inp.hi, inp.share),
                        p_low = first.p, p_high = last.p }
    local g = f or (b and not b.none and b)
    if g then
      flips[#flips + 1] = { input = inp.name, base = num.tofloat(g.value), text = show(g.value, inp.share),
                            within = g.within, verdict = c.holds and "fails" or "holds", side = g.side,
                            dimension = units.dim(g.value) }
    end
  end
  return rows, flips, deps, not any_within
end

--- The analysis of every claim: a list of { text = lines, json = the fields to add to its JSON record }.
function E.report()
  for _, id in ipairs(order) do inputs[id].share = inputs[id].lo ~= nil and isshare(inputs[id]) end
  local all, w = {}, { 0, 0, 0 }
  for k, c in ipairs(claims) do
    local e = { rows = {} }
    if c.p == nil then
      e.bound = true
      e.note = "    exact: it depends on no uncertain input, so nothing can flip it (a fixed calculation: a sanity bound)"
    elseif c.explain_error then
      e.note = "    (no analysis: " .. c.explain_error .. ")"
    else
      e.rows, e.flips, e.deps, e.bound = analyse(c, k)
      if #e.rows == 0 then e.note = "    no input moves it: P stays " .. fmtp(c.p) .. " whatever any one input is" end
    end
    for _, r in ipairs(e.rows) do
      for i = 1, 3 do w[i] = math.max(w[i], math.min(width(r[i]), 44)) end
    end
    all[k] = e
  end
  local out = {}
  for k, c in ipairs(claims) do
    local e = all[k]
    local lines = { ("  %s: %s, %s"):format(c.text, c.holds and "holds" or "fails",
      c.p and ("P %s (%s %g)"):format(fmtp(c.p), c.holds and "≥" or "<", c.threshold) or tostring(c.value)) }
    for _, r in ipairs(e.rows) do
      lines[#lines + 1] = "    " .. pad(r[1], w[1]) .. "  " .. pad(r[2], w[2]) .. "  " .. pad(r[3], w[3]) .. "  " .. r[4]
    end
    if e.note then lines[#lines + 1] = e.note end
    if e.bound and c.p ~= nil then
      lines[#lines + 1] = "    → a sanity bound: no input within its stated range flips it"
    end
    out[k] = { text = table.concat(lines, "\n"),
               json = json { flip = e.flips or {}, sanity_bound = e.bound == true, depends_on = e.deps or {} } }
  end
  return out
end

return E

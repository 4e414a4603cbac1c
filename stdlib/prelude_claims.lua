-- prelude_claims.lua: claim(text, cond [, threshold]) and the claims table
-- printed after a run (main.c calls __deal.after_run) and gathered by
-- `deal check` (vm/check.c reads __deal.claims). Each claim record has
-- text, holds, value or p and threshold, and file and line (of its claim(
-- call, for the diagnostic of a failing claim). See docs/claims.md.
local D = rawget(_G, "__deal")
local P, fmtprob = rawget(_G, "P"), D and D.fmtprob
local isuncertain = rawget(_G, "isuncertain")
local S = require "_shared"
local claims = {}
D.claims = claims

local DEFAULT = 0.9

--- A checked statement about the model. An exact condition holds or fails;
-- an uncertain one holds when P(cond) >= threshold (default 0.9).
-- @param text what the claim says
-- @param cond true/false or an uncertain condition such as x < 1M chip
-- @param threshold probability needed (uncertain conditions only)
-- @return holds (boolean), and P for an uncertain condition
function claim(text, cond, threshold)
  if type(text) ~= "string" then
    error("claim: the first argument is the claim's text, got " .. type(text), 2)
  end
  -- file and line of the claim( call: where a failing claim is reported
  local c = { text = text }
  c.file, c.line = S.where(2)
  if isuncertain(cond) then
    threshold = threshold or DEFAULT
    if type(threshold) ~= "number" and not (num and num.isnum(threshold)) then
      error("claim: the threshold must be a probability such as 0.9", 2)
    end
    threshold = tonumber(tostring(threshold)) or threshold
    if not (threshold >= 0 and threshold <= 1) then
      error("claim: the threshold must be between 0 and 1", 2)
    end
    local ok, p = pcall(P, cond)
    if not ok then error("claim: " .. tostring(p):gsub("^P: ", ""), 2) end
    c.pnum = p                                -- P as it prints (≈0.97); c.p a float for the gate
    c.p = num.isnum(p) and num.tofloat(p) or p
    c.threshold, c.holds = threshold, c.p >= threshold
  elseif type(cond) == "boolean" then
    c.value, c.holds = cond, cond
  elseif cond == nil then
    error("claim: needs a condition, such as x < 1M chip", 2)
  else
    error(("claim: the condition must be true/false or uncertain, got %s (%s); compare it, e.g. P(x > y) >= 0.9")
      :format(tostring(cond), type(cond)), 2)
  end
  claims[#claims + 1] = c
  return c.holds, c.pnum
end

--- The P column and verdict of a claim.
-- @param c a claim record
-- @return text of P, text of the verdict
function D.claim_cells(c)
  if c.p then
    local ge = c.holds and "≥" or "<"
    return fmtprob(c.p), ("%s (%s %s)"):format(c.holds and "holds" or "fails", ge, ("%g"):format(c.threshold))
  end
  return tostring(c.value), c.holds and "holds" or "fails"
end

--- The claims table as text (nil when there are no claims), laid out by the rule that
-- `deal check` shares (vm/claimtab.c): long claims wrap, nothing is cut.
-- @param list claims (default: this run's)
-- @return text
function D.claims_table(list)
  list = list or claims
  if #list == 0 then return nil end
  local rows = {}
  for i, c in ipairs(list) do
    local pcell, verdict = D.claim_cells(c)
    rows[i] = { c.text, pcell, verdict }
  end
  return D.claims_render(rows)
end

--- Called by `deal FILE` after the script succeeds: prints the claims table.
function D.after_run()
  local t = D.claims_table()
  if t then print(t) end
end

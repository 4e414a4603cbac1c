-- stdlib/tokens.lua: token economics: whether a model fits, prefill and decode
-- throughput per chip, and the cost of input and output tokens.
--
-- Token economics from the chip's own figures: whether a model fits in a chip's (or a
-- group's, or a rack's) HBM, how many tokens per second a chip serves when prefilling a prompt
-- (input tokens: compute-bound) and when decoding (output tokens: memory-bandwidth-bound until
-- the batch is large), and what a million input and output tokens cost.
--
-- **The rooflines.** Prefill runs every prompt token through the weights at once:
-- `tokens/s/chip = MFU x peak FLOP/s / (2 FLOP x active parameters)` (the attention term,
-- small below about 10k tokens of context, is left out). Decode makes one token per sequence
-- per step and each step reads the weights once for the whole batch plus each sequence's KV
-- cache: over a serving group of n chips,
-- `step = max((weights read + batch x KV) / (n x HBM bandwidth x MBU), batch x 2 x active / (n x peak x MFU))`
-- and `tokens/s/chip = batch / (step x n)`. MFU (the share of peak FLOP/s achieved) and MBU
-- (the share of peak HBM bandwidth achieved) are inputs, uncertain if you like: there is no
-- default, because they depend on the software as much as on the chip. For a mixture of experts,
-- a step reads the experts its batch touches: `min(all weights, batch x active weights)`.
--
-- **Fitting.** Weights plus the batch's KV cache must fit in the group's HBM times the usable
-- share (90%, vLLM's default `gpu_memory_utilization`). A 100B-parameter model in FP8 needs
-- 100 GB of weights; one Trainium2 holds 96 GiB (103 GB), 93 GB usable: it does not fit.
-- The default group is the smallest power of two within the chip's scale-up domain whose
-- usable HBM holds the weights with at least as much left for the KV cache; the default batch
-- is the most sequences that fit, up to 256 (vLLM's default `max_num_seqs`).
--
-- **Cost.** `$/M input tokens = chip-hour cost x 1M / (3600 x prefill tokens/s x utilisation)`,
-- and the same with decode for output tokens (SemiAnalysis's identity, split).
--
--   local m = tokens.get "llama-3.1-70b"
--   print(m:weights(), m:kv(8k token))
--   print(tokens.fits(m, chips.get "h100").fits, tokens.fits(m, chips.get "h100", { chips = 2 }).fits)
--   local s = tokens.serve { chip = "b200", model = m, chip_hour = $2.90/chip/h,
--                            mfu = 30% to 50%, mbu = 60% to 80%, context = 4k token, utilisation = 60% }
--   print(s.chips, s.batch, s.prefill, s.decode, s.bound)
--   print(s.input, s.output, s:blended(3))
local S = require "_shared"
local chips = require "chips"
local racks = require "racks"
local REF = require "catalog_sites"

local tokens = {}

local Model = { __name = "model" }
local mmethods = {}
Model.__index = mmethods

local B = num "1 B"
local TOKEN = num "1 token"
local CHIP = num "1 chip"
local MTOK = num "1000000 token"
local FLOP_PER_TOKEN = num "2 FLOP/token"
local BYTES = { fp4 = num "0.5", fp8 = num(1), int8 = num(1), bf16 = num(2), fp16 = num(2), fp32 = num(4) }
local MAX_SEQS = 256     -- vLLM's default max_num_seqs
-- comparisons that work per sample (plain Lua's refuse uncertain values)
local _, _, _, _, _, _, _, _, _, _, _, LE, _, GE = __deal.ops()

-- a condition as true/false when exact, else its probability
local function truth(c)
  if type(c) == "boolean" then return c end
  if isuncertain(c) then return P(c) end
  return c
end

local function precision(p, what)
  return S.oneof(p, { "fp4", "fp8", "int8", "bf16", "fp16", "fp32" }, what)
end

-- a token count: 8k token, or a plain number of tokens
local function tokcount(x, example, what)
  if type(x) == "number" or (num.isnum(x) or type(x) == "userdata") and units.same(x, num(1)) then
    return S.expect(x, "8192", what) * TOKEN
  end
  return S.expect(x, example, what)
end

--- A served model: parameters, precision and the size of its KV cache per token.
-- Give the KV cache as t.kv (bytes per token, e.g. 160 kB/token), or from the architecture:
-- t.layers with t.kv_heads and t.head_dim (grouped-query attention: K and V per head), or
-- t.layers with t.kv_latent (DeepSeek's latent attention: one compressed vector per layer).
-- @param t.params total parameters (e.g. 405B), required; t.active parameters used per token (default: all)
-- @param t.precision of the weights: "fp8" (default), "bf16", "fp4", "int8", "fp16"; t.kv_precision (default "bf16")
-- @param t.name a label; t.sources optional list of { title, url, date }
-- @return a model with :weights(), :kv(context), :flops_per_token()
-- example: local m = tokens.model{ name = "dense 100B", params = num"100B", precision = "fp8", layers = 80, kv_heads = 8, head_dim = 128 }; print(m:weights(), m:kv(num"8192 token"))
function tokens.model(t)
  local fn = "tokens.model"
  S.args(t, fn)
  local m = { name = t.name or "model", sources = t.sources or {}, key = t.key }
  m.params = S.need(t, "params", "405B", fn)
  m.active = S.need(t, "active", "37B", fn, true) or m.params
  m.precision = precision(t.precision or "fp8", fn .. ": field 'precision'")
  m.kv_precision = precision(t.kv_precision or "bf16", fn .. ": field 'kv_precision'")
  local kvb = BYTES[m.kv_precision] * B
  if t.kv ~= nil then
    m.kv_per_token = S.need(t, "kv", "160 kB/token", fn)
  elseif t.layers ~= nil and t.kv_latent ~= nil then
    m.kv_per_token = (S.need(t, "layers", "61", fn) * S.need(t, "kv_latent", "576", fn) * kvb / TOKEN):to "kB/token"
  elseif t.layers ~= nil then
    m.kv_per_token = (2 * S.need(t, "layers", "80", fn) * S.need(t, "kv_heads", "8", fn) * S.need(t, "head_dim", "128", fn)
                      * kvb / TOKEN):to "kB/token"
  else
    S.fail(fn .. ": missing the KV cache size: pass kv = ... (e.g. 160 kB/token), or layers with kv_heads and head_dim, or layers with kv_latent")
  end
  return setmetatable(m, Model)
end

-- parameters in billions, as analysts write them: "70B"
local function billions(x)
  if not S.isexact(x) then return tostring(x) end
  return num.format(x / 1e9) .. "B"
end

Model.__tostring = function(m)
  return ("%s: %s parameters (%s active), %s weights, KV cache %s"):format(m.name, billions(m.params), billions(m.active),
    m.precision:upper(), tostring(m.kv_per_token))
end

--- Bytes of weights (all parameters at the weights' precision).
-- @return Information (GB)
-- example: print(tokens.get("llama-3.1-405b"):weights())   --> 405 GB
function mmethods:weights()
  return (self.params * BYTES[self.precision] * B):to "GB"
end

--- Bytes of KV cache for one sequence of a given length.
-- @param context tokens in the sequence (e.g. 8k token)
-- @return Information
-- example: print(tokens.get("llama-3.1-70b"):kv(num"8192 token"))
function mmethods:kv(context)
  return (self.kv_per_token * tokcount(context, "8192 token", "model:kv: context")):to "GB"
end

--- FLOPs per generated or prefilled token: 2 per active parameter.
-- @return FLOP/token
-- example: print(tokens.get("deepseek-v3"):flops_per_token())
function mmethods:flops_per_token()
  return FLOP_PER_TOKEN * self.active
end

---------------------------------------------------------------------------
-- a small catalog of open models (architectures from their papers)
---------------------------------------------------------------------------

local LLAMA3 = { id = "L3", title = "Llama Team, Meta, \"The Llama 3 Herd of Models\", arXiv 2407.21783, Table 3 (layers, model dimension, attention and key/value heads)",
  url = "https://arxiv.org/abs/2407.21783", date = "2024-07-31" }
local DSV3 = { id = "DS3", title = "DeepSeek-AI, \"DeepSeek-V3 Technical Report\", arXiv 2412.19437: 671B total and 37B activated parameters per token, 61 layers, multi-head latent attention with a 512-dimensional KV compression plus a 64-dimensional decoupled RoPE key",
  url = "https://arxiv.org/abs/2412.19437", date = "2024-12-27" }

local CATALOG = {
  { key = "llama-3.1-70b", name = "Llama 3.1 70B", params = num"70B", layers = 80, kv_heads = 8, head_dim = 128,
    precision = "bf16", sources = { LLAMA3 } },
  { key = "llama-3.1-405b", name = "Llama 3.1 405B", params = num"405B", layers = 126, kv_heads = 8, head_dim = 128,
    precision = "fp8", sources = { LLAMA3 } },
  { key = "deepseek-v3", name = "DeepSeek-V3", params = num"671B", active = num"37B", layers = 61, kv_latent = 576,
    precision = "fp8", sources = { DSV3 } },
}
local byname = {}
for _, e in ipairs(CATALOG) do byname[e.key] = e end

--- A model from the small catalog: "llama-3.1-70b" (BF16), "llama-3.1-405b" (FP8), "deepseek-v3" (FP8).
-- @param key the model's key
-- @param t optional fields to change (precision = "fp8", ...)
-- @return a model (tokens.model)
-- example: local m = tokens.get "deepseek-v3"; print(m, m.sources[1].title)
function tokens.get(key, t)
  local e = byname[type(key) == "string" and key:lower() or ""]
  if not e then
    local keys = {}
    for _, x in ipairs(CATALOG) do keys[#keys + 1] = x.key end
    S.fail(("tokens.get: unknown model %s (known: %s; tokens.model{...} defines one)"):format(S.describe(key), table.concat(keys, ", ")))
  end
  local f = {}
  for k, v in pairs(e) do f[k] = v end
  for k, v in pairs(t or {}) do f[k] = v end
  return tokens.model(f)
end

--- Keys of the model catalog.
-- @return a list of keys
-- example: for _, k in ipairs(tokens.list()) do print(k) end
function tokens.list()
  local out = {}
  for i, e in ipairs(CATALOG) do out[i] = e.key end
  return out
end

---------------------------------------------------------------------------
-- fitting
---------------------------------------------------------------------------

-- the chips of one rack: its count is per rack (72 chip/rack)
local PER_RACK, ONE_RACK = num "1 chip/rack", num "1 rack"
local function rack_chips(r)
  return units.same(r.count, PER_RACK) and r.count * ONE_RACK or r.count
end

local function chip_of(x, fn)
  if chips.is(x) then return x end
  if racks.is(x) then return x.chip, rack_chips(x) end
  if type(x) == "string" then
    local ok, c = pcall(chips.get, x)
    if ok then return c end
    ok, c = pcall(racks.get, x)
    if ok then return c.chip, rack_chips(c) end
  end
  S.fail(("%s: expected a chip (chips.get \"b200\"), a rack or a key, got %s"):format(fn, S.describe(x)))
end

local function model_of(m, fn)
  if getmetatable(m) == Model then return m end
  if type(m) == "string" then return tokens.get(m) end
  S.fail(("%s: field 'model' expected a model (tokens.get \"llama-3.1-70b\" or tokens.model{...}), got %s"):format(fn, S.describe(m)))
end

local function usable(o, fn)
  return o and S.need(o, "usable", "90%", fn, true) or REF.hbm_usable.value
end

-- weights read per decode step: all of them, or for a mixture of experts the experts a batch touches
local function weights_read(m, batch)
  local w = m:weights()
  if m.active == m.params then return w end
  return min(w, (batch * m.active * BYTES[m.precision] * B):to "GB")
end

-- usable HBM of n chips
local function capacity(chip, n, u)
  local h = chip:need "hbm"
  return (h * n * CHIP * u):to "GB"
end

--- Whether a model's weights and KV cache fit in the HBM of a chip, a group of chips, or a rack.
-- @param model a model (tokens.get / tokens.model) or its key
-- @param x a chip, a rack (all its chips), or a key
-- @param o optional { chips = n (a group of the chip), context = 8k token (default 8192), batch = sequences (default 1), usable = 90% }
-- @return { fits, need, have, chips, max_batch (sequences whose KV fits beside the weights) }
-- example: local f = tokens.fits(tokens.model{ params = num"100B", kv = num"160 kB/token" }, "trainium2"); print(f.fits, f.need, f.have)   --> false
function tokens.fits(model, x, o)
  local fn = "tokens.fits"
  model = model_of(model, fn)
  local chip, count = chip_of(x, fn)
  local n = o and o.chips or count and num.tointeger(units.value(count, "chip")) or 1
  if math.type(n) ~= "integer" or n < 1 then S.fail(fn .. ": field 'chips' expected a whole number of chips, got " .. S.describe(n)) end
  local context = tokcount(o and o.context or 8192, "8192 token", fn .. ": field 'context'")
  local batch = o and o.batch or 1
  local have = capacity(chip, n, usable(o, fn))
  local need = model:weights() + batch * model:kv(context)
  local free = have - model:weights()
  local maxb = free / model:kv(context)
  if S.isexact(maxb) then maxb = num.floor(maxb) end
  local fits = truth(LE(need, have))
  return { fits = fits, need = need, have = have, chips = n, max_batch = maxb }
end

-- the default serving group: the smallest power of two within the scale-up domain whose
-- usable HBM holds the weights with as much again left for the KV cache
local function default_group(model, chip, u, fn)
  local limit = chip.scale_up and num.tointeger(units.value(chip.scale_up, "chip")) or 8
  local w = model:weights()
  local n = 1
  while n <= limit do
    if capacity(chip, n, u) >= 2 * w then return n end
    n = n * 2
  end
  if capacity(chip, limit, u) > w then return limit end
  S.fail(("%s: %s (%s of weights) does not fit in '%s''s scale-up domain of %d chips (%s usable); pass chips = ... for a larger group")
         :format(fn, model.name, tostring(w), chip.key, limit, tostring(capacity(chip, limit, u))))
end

---------------------------------------------------------------------------
-- throughput
---------------------------------------------------------------------------

-- the peak FLOP/s at the model's precision (FP8 rate for FP4 and INT8; BF16 when the chip has no FP8)
local function peak(chip, model)
  local p = (model.precision == "bf16" or model.precision == "fp16" or model.precision == "fp32") and "bf16" or "fp8"
  if chip[p] == nil then p = p == "fp8" and "bf16" or "fp8" end
  return chip:flops(p)
end

--- Prefill (input) tokens per second per chip: compute-bound, MFU x peak / (2 x active parameters).
-- @param t.chip a chip or key, required; t.model a model or key, required
-- @param t.mfu the share of peak FLOP/s achieved (e.g. 30% to 50%), required
-- @return token/s/chip
-- example: print(tokens.prefill{ chip = "h100", model = "llama-3.1-70b", mfu = num"40%" })
function tokens.prefill(t)
  local fn = "tokens.prefill"
  S.args(t, fn)
  local chip = chip_of(t.chip, fn)
  local model = model_of(t.model, fn)
  local mfu = S.need(t, "mfu", "40%", fn)
  return (mfu * peak(chip, model) / model:flops_per_token()):to "token/s/chip"
end

--- Decode (output) tokens per second per chip, from the memory and compute rooflines of a serving group.
-- @param t.chip a chip or key, required; t.model a model or key, required
-- @param t.mbu share of peak HBM bandwidth achieved (e.g. 60% to 80%), required; t.mfu share of peak FLOP/s, required
-- @param t.context average tokens in a sequence's KV cache (default 8192); t.batch sequences decoded together (default: the most that fit, up to 256)
-- @param t.chips the serving group (default: see the module notes); t.usable share of HBM (default 90%)
-- @return token/s/chip, and { chips, batch, bound = "memory"|"compute", memory_time, compute_time, fits }
-- example: local r, info = tokens.decode{ chip = "h100", model = "llama-3.1-70b", mbu = num"70%", mfu = num"40%", batch = 32, context = num"4096 token" }; print(r, info.chips, info.bound)
function tokens.decode(t)
  local fn = "tokens.decode"
  S.args(t, fn)
  local chip = chip_of(t.chip, fn)
  local model = model_of(t.model, fn)
  local mbu = S.need(t, "mbu", "70%", fn)
  local mfu = S.need(t, "mfu", "40%", fn)
  local u = usable(t, fn)
  local context = tokcount(t.context or 8192, "8192 token", fn .. ": field 'context'")
  local n = t.chips or default_group(model, chip, u, fn)
  local f = tokens.fits(model, chip, { chips = n, context = context, usable = u })
  local batch = t.batch
  if batch == nil then
    if not S.isexact(f.max_batch) then
      S.fail(fn .. ": with an uncertain context the batch cannot be chosen for you; pass batch = ...")
    end
    if not (f.max_batch >= num(1)) then
      S.fail(("%s: %s fits in %d '%s' chips with no room for a sequence of %s; pass chips = ... for a larger group"):format(fn, model.name, n, chip.key, tostring(context)))
    end
    batch = f.max_batch < num(MAX_SEQS) and f.max_batch or num(MAX_SEQS)
  else
    batch = S.expect(batch, "32", fn .. ": field 'batch'")
    if S.isexact(batch) and batch > f.max_batch then
      S.fail(("%s: a batch of %s sequences of %s needs %s of HBM; %d '%s' chips hold %s usable (at most %s sequences)")
             :format(fn, num.format(batch), tostring(context), tostring(model:weights() + batch * model:kv(context)),
                     n, chip.key, tostring(f.have), num.format(f.max_batch)))
    end
  end
  local group = n * CHIP
  local bytes = weights_read(model, batch) + batch * model:kv(context)
  local tmem = (bytes / (chip:need "hbm_bw" * group * mbu)):to "s"
  local tcmp = (batch * TOKEN * model:flops_per_token() / (peak(chip, model) * group * mfu)):to "s"
  local step = max(tmem, tcmp)
  local rate = (batch * TOKEN / (step * group)):to "token/s/chip"
  local pmem = P(GE(tmem, tcmp))
  return rate, { chips = n, batch = batch, bound = pmem >= 0.5 and "memory" or "compute", p_memory = pmem,
                 memory_time = tmem, compute_time = tcmp, fits = f }
end

---------------------------------------------------------------------------
-- cost
---------------------------------------------------------------------------

local Cost = { __name = "token cost" }
Cost.__index = {}

--- The blended cost per million tokens for a mix of input and output tokens.
-- @param ratio input tokens per output token (e.g. 3)
-- @return money per million tokens
-- example: print(tokens.cost{ chip_hour = num"2 $/chip/h", prefill = num"10000 token/s/chip", decode = num"1000 token/s/chip" }:blended(3))
function Cost.__index:blended(ratio)
  ratio = S.expect(ratio, "3", "cost:blended: ratio")
  return (self.input * ratio + self.output) / (ratio + 1)
end

Cost.__tostring = function(c)
  return ("input %s, output %s per million tokens"):format(tostring(c.input), tostring(c.output))
end

--- Cost per million input and output tokens: chip-hour cost x 1M / (3600 x tokens/s/chip x utilisation).
-- @param t.chip_hour cost per chip-hour ($/chip/h), required
-- @param t.prefill input tokens/s per chip; t.decode output tokens/s per chip (at least one)
-- @param t.utilisation share of capacity sold (default 100%)
-- @return { input, output } in money per million tokens, with :blended(ratio)
-- example: local c = tokens.cost{ chip_hour = num"2 $/chip/h", prefill = num"10000 token/s/chip", decode = num"1000 token/s/chip", utilisation = num"60%" }; print(c.input, c.output)
function tokens.cost(t)
  local fn = "tokens.cost"
  S.args(t, fn)
  local c = S.need(t, "chip_hour", "2 $/chip/h", fn)
  local u = S.need(t, "utilisation", "60%", fn, true) or num(1)
  local pre = S.need(t, "prefill", "10000 token/s/chip", fn, true)
  local dec = S.need(t, "decode", "1000 token/s/chip", fn, true)
  if not pre and not dec then S.fail(fn .. ": missing field 'prefill' or 'decode' (tokens/s per chip)") end
  local out = {}
  if pre then out.input = (c * MTOK / (pre * u)):to "$" end
  if dec then out.output = (c * MTOK / (dec * u)):to "$" end
  return setmetatable(out, Cost)
end

--- Everything at once: fit, prefill and decode throughput, and input and output cost per million tokens.
-- @param t.chip, t.model, t.mfu, t.mbu as for tokens.decode (also t.context, t.batch, t.chips, t.usable)
-- @param t.chip_hour cost per chip-hour, required; t.utilisation (default 100%)
-- @return { chips, batch, bound, prefill, decode, input, output } with :blended(ratio)
-- example: local s = tokens.serve{ chip = "tpu-v7", model = "deepseek-v3", chip_hour = num"1.60 $/chip/h", mfu = num"40%", mbu = num"70%", context = num"8192 token", utilisation = num"60%" }; print(s.chips, s.decode, s.input, s.output)
function tokens.serve(t)
  local fn = "tokens.serve"
  S.args(t, fn)
  local pre = tokens.prefill(t)
  local dec, info = tokens.decode(t)
  local c = tokens.cost { chip_hour = S.need(t, "chip_hour", "2 $/chip/h", fn), prefill = pre, decode = dec,
                          utilisation = t.utilisation }
  c.prefill, c.decode = pre, dec
  for k, v in pairs(info) do c[k] = v end
  return c
end

tokens.Model = Model
return tokens

-- tests/modules/test_tokens.lua: token economics (stdlib/tokens.lua): model sizes and KV
-- caches from the papers' architectures, fitting in HBM, the prefill and decode rooflines,
-- and input and output cost per million tokens. Expected values are worked out by hand.
local T = require "tap"

-- sizes: weights = parameters x bytes; KV per token = 2 x layers x KV heads x head dim x 2 bytes
local l70 = tokens.get "llama-3.1-70b"
T.eq(l70:weights(), num"140 GB", "Llama 3.1 70B in BF16: 140 GB")
T.eq(l70.kv_per_token, num"327.68 kB/token", "2 x 80 layers x 8 KV heads x 128 x 2 bytes = 327,680 bytes per token")
T.eq(l70:kv(num"8192 token"), num"2.68435456 GB", "8,192 tokens of KV cache")
T.eq(tokens.get("llama-3.1-405b"):weights(), num"405 GB", "Llama 3.1 405B in FP8: 405 GB")
T.eq(tokens.get("llama-3.1-405b").kv_per_token, num"516.096 kB/token", "2 x 126 x 8 x 128 x 2 bytes")
local ds = tokens.get "deepseek-v3"
T.eq(ds.kv_per_token, num"70.272 kB/token", "DeepSeek-V3 latent attention: 61 layers x 576 x 2 bytes")
T.eq(ds:flops_per_token(), num"74 GFLOP/token", "2 FLOP per active parameter: 2 x 37B")
T.ok(tostring(l70):find("70B parameters", 1, true) ~= nil, "a model prints its size in billions", tostring(l70))

-- fitting: weights plus KV within 90% of HBM (vLLM's default)
local m100 = tokens.model { name = "dense 100B", params = num"100B", precision = "fp8", kv = num"160 kB/token" }
local trn = tokens.fits(m100, "trainium2")
T.eq(trn.fits, false, "a 100B FP8 model does not fit in one Trainium2 (96 GiB)")
T.eq(trn.have, num"96 GiB" * num"0.9", "usable: 90% of 96 GiB = 92.8 GB")
T.eq(tokens.fits(m100, "trainium2", { chips = 2 }).fits, true, "it fits in two")
T.eq(tokens.fits(l70, "h100").fits, false, "Llama 70B in BF16 does not fit in one H100")
T.eq(tokens.fits(l70, "h100", { chips = 2 }).fits, true, "it fits in two: 140 GB + 2.7 GB of KV within 144 GB")
T.eq(tokens.fits(l70, "h100", { chips = 2 }).max_batch, num(1), "with room for one 8k sequence: (144 - 140) / 2.68 GB")
T.eq(tokens.fits(tokens.get "llama-3.1-405b", racks.get "gb200-nvl72").fits, true, "a rack pools its chips' HBM")

-- prefill: MFU x peak / (2 x active); 40% x 989 TFLOP/s / 140 GFLOP = 2,825.7 tokens/s
T.eq(tokens.prefill { chip = "h100", model = l70, mfu = num"40%" }, num"0.4" * num"989 TFLOP/s/chip" / num"140 GFLOP/token",
     "prefill is compute-bound: 2,826 tokens/s per H100")
T.eq(tokens.prefill { chip = "h100", model = "llama-3.1-405b", mfu = num"40%" }, num"0.4" * num"1979 TFLOP/s/chip" / num"810 GFLOP/token",
     "an FP8 model runs at the FP8 rate")

-- decode, memory-bound: 4 H100, batch 32 at 4,096 tokens:
--   bytes = 140 GB + 32 x 327.68 kB x 4096 = 182.95 GB; 4 x 3.35 TB/s x 70% = 9.38 TB/s
--   step = 19.50 ms (compute would take 2.83 ms); tokens/s/chip = 32 / (19.50 ms x 4) = 410.2
local r, info = tokens.decode { chip = "h100", model = l70, chips = 4, batch = 32, context = num"4096 token", mbu = num"70%", mfu = num"40%" }
local bytes = 140e9 + 32 * 327680 * 4096
T.near(r, num(32 / (bytes / (4 * 3.35e12 * 0.7)) / 4) * num"1 token/s/chip", num"1e-6 token/s/chip", "memory-bound decode: 410 tokens/s per chip")
T.eq(info.bound, "memory", "and it says so")
T.ok(info.compute_time < info.memory_time, "compute would be quicker than reading the weights")
-- decode, compute-bound: a small model with a big batch decodes at the prefill rate
local small = tokens.model { params = num"8B", precision = "fp8", kv = num"1 kB/token" }
local rc, ic = tokens.decode { chip = "h100", model = small, chips = 1, batch = 256, context = num"1000 token", mbu = num"80%", mfu = num"50%" }
T.eq(rc, num"0.5" * num"1979 TFLOP/s/chip" / num"16 GFLOP/token", "compute-bound decode: MFU x peak / (2 x active)")
T.eq(ic.bound, "compute", "and it says so")
-- a mixture of experts reads only the experts its batch touches
local _, one = tokens.decode { chip = "tpu-v7", model = ds, chips = 8, batch = 1, context = num"1000 token", mbu = num"70%", mfu = num"40%" }
local _, many = tokens.decode { chip = "tpu-v7", model = ds, chips = 8, batch = 256, context = num"1000 token", mbu = num"70%", mfu = num"40%" }
T.ok(one.memory_time < many.memory_time / 10, "batch 1 reads 37 GB of experts, batch 256 all 671 GB")
-- defaults: the smallest power-of-two group with as much HBM left as the weights take, up to 256 sequences
local _, d = tokens.decode { chip = "h100", model = l70, mbu = num"70%", mfu = num"40%", context = num"8192 token" }
T.eq(d.chips, 4, "Llama 70B in BF16: 4 H100 (288 GB usable, twice the weights)")
T.eq(d.batch, num(55), "the most 8k sequences that fit beside the weights: (288 - 140) / 2.68 = 55.1")
T.ok(isuncertain((tokens.decode { chip = "b200", model = l70, mbu = range(num"0.6", num"0.8"), mfu = num"40%" })), "uncertain MBU, uncertain throughput")

-- cost per million tokens, input and output apart: $2/h x 1M / (3600 x 10,000) = $0.0556
local c = tokens.cost { chip_hour = num"2 $/chip/h", prefill = num"10000 token/s/chip", decode = num"1000 token/s/chip" }
T.eq(c.input, num"2 $" * 1000000 / (3600 * 10000), "input tokens at the prefill rate")
T.eq(c.output, num"2 $" * 1000000 / (3600 * 1000), "output tokens at the decode rate")
T.eq(c:blended(3), (c.input * 3 + c.output) / 4, "blended: 3 input tokens per output token")
T.eq(tokens.cost { chip_hour = num"2 $/chip/h", decode = num"1000 token/s/chip", utilisation = num"50%" }.output, c.output * 2, "half the capacity sold doubles the cost")
local s = tokens.serve { chip = "tpu-v7", model = ds, chip_hour = num"1.60 $/chip/h", mfu = num"40%", mbu = num"70%", context = num"8192 token" }
T.ok(s.output > s.input, "decode-bound output tokens cost more than input tokens", tostring(s.output) .. " vs " .. tostring(s.input))

-- errors
T.raises(function() tokens.prefill { chip = "h100", model = l70 } end, "missing field 'mfu'", "MFU has no default: it is an input")
T.raises(function() tokens.decode { chip = "h100", model = l70, mfu = num"40%" } end, "missing field 'mbu'", "nor has MBU")
T.raises(function() tokens.decode { chip = "h100", model = l70, chips = 2, batch = 64, mbu = num"70%", mfu = num"40%" } end,
         "a batch of 64 sequences", "a batch that does not fit")
T.raises(function() tokens.decode { chip = "trainium2", model = tokens.model { params = num"10T", kv = num"1 kB/token" }, mbu = num"70%", mfu = num"40%" } end,
         "does not fit in 'trainium2''s scale-up domain", "a model too big for the scale-up domain")
T.raises(function() tokens.model { params = num"70B" } end, "missing the KV cache size", "a model needs its KV cache size")
T.raises(function() tokens.get "gpt-9" end, "unknown model", "an unknown model")
T.done()

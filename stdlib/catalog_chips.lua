-- stdlib/catalog_chips.lua: accelerator data for `chips` (plain data, no logic).
--
-- Every figure comes from the project's domain reference (shared/reference/domain.md,
-- snapshot to Sept 2026), which cites the public source and date recorded in
-- `sources`. Fields:
--   key, aliases, name, vendor
--   Per-chip figures carry "/chip" so that they multiply with chip counts:
--   2307 TFLOP/s/chip * 64 chip = 147.6 PFLOP/s.
--   bf16, fp8          dense FLOP/s per chip (no sparsity); nil when not published
--   hbm, hbm_bw        memory capacity and bandwidth
--   power              chip (or board) power; nil when not published
--   allin_power        all-in power per chip incl. host, network, cooling share
--                      (SemiAnalysis datacenter model, or derived from a pod figure)
--   price              { lo, hi } per chip (a range) or a single value; nil when unknown
--   announced, release dates as reported (text)
--   scale_up, pod      chips in the scale-up domain and in the largest pod
--   cloud              list of { rate, what, kind, date, source } prices per chip-hour
--   tco                SemiAnalysis per-GPU-hour TCO (Aug 2025 survey) { hyperscaler, neocloud, rental_3yr }
--   estimated          set of field names that are estimates or derived, not reported
--   notes              why a field is missing or how it was derived
--   sources            list of { id, title, url, date, kind = "reported"|"estimate"|"derived", covers }
-- Missing figures stay nil (with a note); nothing here is invented.

local SA_TCO = { id = "S19", title = "SemiAnalysis InferenceX constants (\"August 2025 Pricing Surveys & AI Cloud TCO Model\")",
  url = "https://github.com/SemiAnalysisAI/InferenceX-app (packages/app/src/lib/constants.ts, commit 77ca49a)",
  date = "2025-08 (commit 2026-04-03)", kind = "estimate", covers = "allin_power, tco" }

local GCP_PRICES = { id = "S30", title = "Google Cloud TPU pricing (cloud.google.com/tpu/pricing) as quoted in notes",
  url = "https://cloud.google.com/tpu/pricing", date = "2025-2026", kind = "reported", covers = "cloud" }

local function ph(x) return num(x .. " $/chip/h") end

return {
  ---------------------------------------------------------------- Google
  {
    key = "tpu-v4", aliases = { "v4", "tpuv4" }, name = "Google TPU v4", vendor = "Google",
    bf16 = num"275 TFLOP/s/chip", fp8 = nil,
    hbm = num"32 GiB/chip", hbm_bw = num"1200 GB/s/chip",
    power = num"192 W/chip",
    price = nil,
    release = nil,
    scale_up = num"4096 chip", pod = num"4096 chip",
    cloud = {
      { rate = ph"3.22", what = "GCP on-demand", kind = "reported", date = "2023-06-01", source = "S21" },
      { rate = ph"2.03", what = "GCP 1-yr commitment", kind = "reported", date = "2023-06-01", source = "S21" },
      { rate = ph"1.45", what = "GCP 3-yr commitment", kind = "reported", date = "2023-06-01", source = "S21" },
    },
    notes = {
      fp8 = "no FP8 listed (INT8 equals BF16, 275 TOPS)",
      power = "measured maximum; Google reports min/mean/max 90/170/192 W",
      price = "not sold; Epoch uses a 'TPU-equivalent price' of $5,167 (estimate)",
      release = "release date not given in the reference sources",
    },
    sources = {
      { id = "S1", title = "Google Cloud, TPU v4 documentation", url = "https://cloud.google.com/tpu/docs/v4", date = "undated (crawled 2025-26)", kind = "reported", covers = "specs, power, pod" },
      { id = "S21", title = "Epoch AI hardware price dataset (archived GCP prices)", url = "https://github.com/epoch-research/training-cost-trends", date = "2023-06-01 prices; dataset 2024", kind = "reported", covers = "cloud" },
      { id = "S29", title = "Epoch training-cost-trends constants (TPU-equivalent prices)", url = "https://github.com/epoch-research/training-cost-trends", date = "2024-26", kind = "estimate", covers = "price note" },
    },
  },
  {
    key = "tpu-v5e", aliases = { "v5e", "tpuv5e" }, name = "Google TPU v5e", vendor = "Google",
    bf16 = num"197 TFLOP/s/chip", fp8 = nil,
    hbm = num"16 GB/chip", hbm_bw = num"819 GB/s/chip",
    power = nil, price = nil,
    release = "2023-08",
    scale_up = num"256 chip", pod = num"256 chip",
    cloud = { { rate = ph"1.20", what = "GCP on-demand", kind = "reported", date = "2025-26", source = "S30" } },
    notes = {
      fp8 = "no FP8 listed (INT8 393 TOPS)",
      power = "not published by Google",
      price = "not sold",
    },
    sources = {
      { id = "S2", title = "Google Cloud, TPU v5e documentation", url = "https://docs.cloud.google.com/tpu/docs/v5e", date = "undated", kind = "reported", covers = "specs, pod" },
      GCP_PRICES,
    },
  },
  {
    key = "tpu-v5p", aliases = { "v5p", "tpuv5p" }, name = "Google TPU v5p", vendor = "Google",
    bf16 = num"459 TFLOP/s/chip", fp8 = num"459 TFLOP/s/chip",
    hbm = num"95 GiB/chip", hbm_bw = num"2765 GB/s/chip",
    power = nil, price = nil,
    release = "2023-12",
    scale_up = num"8960 chip", pod = num"8960 chip",
    cloud = { { rate = ph"4.20", what = "GCP on-demand", kind = "reported", date = "2025-26", source = "S30" } },
    notes = { fp8 = "FP8 runs at the BF16 rate (no speed-up)", power = "not published by Google", price = "not sold" },
    sources = {
      { id = "S3", title = "Google Cloud, TPU7x documentation (table with v5p, v6e, TPU7x)", url = "https://docs.cloud.google.com/tpu/docs/tpu7x", date = "2025-26", kind = "reported", covers = "specs, pod" },
      GCP_PRICES,
    },
  },
  {
    key = "tpu-v6e", aliases = { "trillium", "v6e", "tpuv6e" }, name = "Google TPU v6e (Trillium)", vendor = "Google",
    bf16 = num"918 TFLOP/s/chip", fp8 = num"918 TFLOP/s/chip",
    hbm = num"32 GB/chip", hbm_bw = num"1638 GB/s/chip",
    power = nil, price = nil,
    announced = "2024 (Cloud Next)", release = "2024-Q4 (GA)",
    scale_up = num"256 chip", pod = num"256 chip",
    cloud = {
      { rate = ph"2.70", what = "GCP on-demand", kind = "reported", date = "2025-26", source = "S30" },
      { rate = ph"1.22", what = "GCP 3-yr commitment (-55%)", kind = "reported", date = "2025-26", source = "S30" },
    },
    notes = { fp8 = "FP8 runs at the BF16 rate (INT8 1,836 TOPS)", hbm = "32 GB (Google's table says GiB)",
              power = "not published by Google", price = "not sold" },
    sources = {
      { id = "S3", title = "Google Cloud, TPU7x documentation (table with v5p, v6e, TPU7x)", url = "https://docs.cloud.google.com/tpu/docs/tpu7x", date = "2025-26", kind = "reported", covers = "specs" },
      { id = "S4", title = "Google Cloud, TPU v6e documentation", url = "https://docs.cloud.google.com/tpu/docs/v6e.md.txt", date = "undated", kind = "reported", covers = "specs, pod" },
      { id = "S18", title = "TPU v6e release timing (secondary)", url = "https://awesomeagents.ai/hardware/google-tpu-v6e-trillium", date = "2026", kind = "reported", covers = "release" },
      GCP_PRICES,
    },
  },
  {
    key = "tpu-v7", aliases = { "ironwood", "tpu7x", "tpu-ironwood", "v7" }, name = "Google TPU7x (Ironwood)", vendor = "Google",
    bf16 = num"2307 TFLOP/s/chip", fp8 = num"4614 TFLOP/s/chip",
    hbm = num"192 GiB/chip", hbm_bw = num"7380 GB/s/chip",
    power = nil,
    allin_power = num"10 MW" / num"9216 chip",
    price = nil,
    in_rack_price = num"25000 $/chip",
    announced = "2025-04-09", release = "2025-11-06 (GA announced, 'coming weeks')",
    scale_up = num"64 chip", pod = num"9216 chip",
    cloud = { { rate = ph"1.60", what = "Anthropic's rate via GCP", kind = "estimate", date = "2025-11", source = "S20" } },
    estimated = { allin_power = true, in_rack_price = true },
    notes = {
      power = "chip TDP not published; the 9,216-chip pod draws about 10 MW",
      allin_power = "derived: 10 MW pod / 9,216 chips = about 1.09 kW per chip, all-in",
      price = "not sold as a chip and no list price; see in_rack_price",
      in_rack_price = "derived from SemiAnalysis: 400k TPUs in finished racks for about $10B, i.e. about $25k per TPU including the rack",
      scale_up = "64 chips per rack (4x4x4 cube); pod of 144 cubes over 48 optical circuit switches; DCN up to 147,456 TPUs",
    },
    sources = {
      { id = "S3", title = "Google Cloud, TPU7x (Ironwood) documentation", url = "https://docs.cloud.google.com/tpu/docs/tpu7x", date = "2025-26", kind = "reported", covers = "specs, pod" },
      { id = "S5", title = "Hot Chips 2025 Ironwood coverage (10 MW pod; 64 chips/rack, >100 kW)", url = "https://afnnews.qaasid.com/143260", date = "2025-08-26", kind = "reported", covers = "pod power, rack" },
      { id = "S20", title = "SemiAnalysis, \"TPUv7: Google Takes a Swing at the King\"", url = "https://newsletter.semianalysis.com/p/tpuv7-google-takes-a-swing-at-the", date = "2025-11", kind = "estimate", covers = "in_rack_price, cloud" },
      { id = "S31", title = "Ironwood GA announcement", url = "https://particle.news/story/google-brings-ironwood-tpus-to-market-rolls-out-axion-cloud-cpus", date = "2025-11-06", kind = "reported", covers = "release" },
    },
  },
  ---------------------------------------------------------------- NVIDIA
  {
    key = "h100", aliases = { "h100-sxm" }, name = "NVIDIA H100 SXM", vendor = "NVIDIA",
    bf16 = num"989 TFLOP/s/chip", fp8 = num"1979 TFLOP/s/chip",
    hbm = num"80 GB/chip", hbm_bw = num"3.35 TB/s/chip",
    power = num"700 W/chip", allin_power = num"1.73 kW/chip",
    price = { lo = num"25000 $/chip", hi = num"30000 $/chip" },
    announced = "2022 (GTC)", release = "2023 (volume)",
    scale_up = num"8 chip", pod = nil,
    cloud = {
      { rate = ph"12.29", what = "AWS p5.48xlarge on-demand, before the June 2025 cut", kind = "reported", date = "pre-2025-06", source = "S56" },
      { rate = ph"4.916", what = "AWS EC2 Capacity Blocks (p5)", kind = "reported", date = "to 2025-01-01", source = "S58" },
      { rate = ph"2.99", what = "Lambda on-demand", kind = "reported", date = "after 2024-01", source = "S21" },
      { rate = ph"1.30", what = "SemiAnalysis 3-yr rental", kind = "estimate", date = "2025-08", source = "S19" },
      { rate = ph"2.00", what = "SemiAnalysis 3-yr rental", kind = "estimate", date = "2026-07", source = "S19b" },
    },
    tco = { hyperscaler = ph"1.30", neocloud = ph"1.69", rental_3yr = ph"1.30" },
    estimated = { price = true, allin_power = true, tco = true },
    notes = {
      price = "estimate $25-30k per GPU; DGX H100 about $270k (about $33.75k per GPU with server); about $318k per 8-GPU server with cluster networking",
      pod = "8-GPU HGX board with NVLink (900 GB/s); larger clusters over InfiniBand/Ethernet",
    },
    sources = {
      { id = "S6", title = "NVIDIA H100 datasheet (copy) and Glenn Lockwood's notes", url = "https://glennklockwood.com/garden/processors/h100", date = "2022-24", kind = "reported", covers = "specs, power" },
      { id = "S24", title = "H100 $25-30k", url = "https://awesomeagents.ai/hardware/nvidia-h100", date = "2026", kind = "estimate", covers = "price" },
      { id = "S22", title = "SemiAnalysis, \"AI Neocloud Playbook and Anatomy\"", url = "https://newsletter.semianalysis.com/p/ai-neocloud-playbook-and-anatomy", date = "2024-10-03", kind = "estimate", covers = "server cost" },
      { id = "S56", title = "AWS p5 $98.32/hr", url = "https://computespec.pages.dev/learn/pricing/cloud-gpu-pricing-explained", date = "pre-2025-06", kind = "reported", covers = "cloud" },
      SA_TCO,
    },
  },
  {
    key = "h200", aliases = { "h200-sxm" }, name = "NVIDIA H200 SXM", vendor = "NVIDIA",
    bf16 = num"989 TFLOP/s/chip", fp8 = num"1979 TFLOP/s/chip",
    hbm = num"141 GB/chip", hbm_bw = num"4.8 TB/s/chip",
    power = num"700 W/chip", allin_power = num"1.73 kW/chip",
    price = nil,
    announced = "2023-11-13", release = "2024-Q2 (shipping)",
    scale_up = num"8 chip", pod = nil,
    cloud = {
      { rate = ph"5.408", what = "AWS EC2 Capacity Blocks (p5e)", kind = "reported", date = "to 2025-01-01", source = "S58" },
      { rate = ph"1.60", what = "SemiAnalysis 3-yr rental", kind = "estimate", date = "2025-08", source = "S19" },
    },
    tco = { hyperscaler = ph"1.41", neocloud = ph"1.74", rental_3yr = ph"1.60" },
    estimated = { allin_power = true, tco = true },
    notes = { price = "no credible public price found", bf16 = "same die as H100" },
    sources = {
      { id = "S7", title = "NVIDIA H200 specifications (secondary copies)", url = "https://aiwiki.ai/wiki/nvidia_h200/raw", date = "2023-11-13 announcement", kind = "reported", covers = "specs" },
      { id = "S58", title = "AWS EC2 Capacity Blocks pricing (mirror)", url = "http://sibshop.uat.jiralog.com/ec2/capacityblocks/pricing", date = "to 2025-01-01", kind = "reported", covers = "cloud" },
      SA_TCO,
    },
  },
  {
    key = "b200", aliases = { "b200-hgx" }, name = "NVIDIA B200 (HGX)", vendor = "NVIDIA",
    bf16 = num"2250 TFLOP/s/chip", fp8 = num"4500 TFLOP/s/chip",
    hbm = num"180 GB/chip", hbm_bw = num"8 TB/s/chip",
    power = num"1000 W/chip", allin_power = num"2.17 kW/chip",
    price = { lo = num"30000 $/chip", hi = num"40000 $/chip" },
    announced = "2024-03-18 (GTC)", release = "late 2024 / 2025 (ramp)",
    scale_up = num"8 chip", pod = nil,
    cloud = {
      { rate = ph"2.90", what = "SemiAnalysis 3-yr rental", kind = "estimate", date = "2025-08", source = "S19" },
      { rate = ph"3.70", what = "SemiAnalysis 3-yr rental", kind = "estimate", date = "2026-07", source = "S19b" },
      { rate = ph"4.50", what = "specialised clouds on-demand, low end ($4.50-6.00)", kind = "estimate", date = "2026-03", source = "S59" },
    },
    tco = { hyperscaler = ph"1.95", neocloud = ph"2.34", rental_3yr = ph"2.90" },
    estimated = { allin_power = true, tco = true },
    notes = {
      hbm = "180-192 GB depending on the SKU; 180 GB usable in HGX",
      hbm_bw = "7.7-8 TB/s",
      price = "$30-40k per Jensen Huang (CNBC, 2024-10-03); manufacturing cost about $6,400 (Epoch, estimate)",
    },
    sources = {
      { id = "S8", title = "NVIDIA B200/GB200 specifications (Glenn Lockwood; spec table copies)", url = "https://glennklockwood.com/garden/processors/B200", date = "2024-26", kind = "reported", covers = "specs, power" },
      { id = "S24", title = "Jensen Huang on B200 price $30-40k (CNBC)", url = "https://briefbriefing.com/2024/10/03/nvidia-ceo-jensen-huang-says-demand-for-next-generation-blackwell-ai-chip-is-insane", date = "2024-10-03", kind = "reported", covers = "price" },
      { id = "S23", title = "Epoch AI, \"Blackwell B200 cost breakdown\"", url = "https://epoch.ai/data-insights/b200-cost-breakdown", date = "2026-04", kind = "estimate", covers = "manufacturing cost note" },
      SA_TCO,
    },
  },
  {
    key = "gb200", aliases = { "gb200-gpu", "b200-nvl72" }, name = "NVIDIA GB200 (per Blackwell GPU in NVL72)", vendor = "NVIDIA",
    bf16 = num"2500 TFLOP/s/chip", fp8 = num"5000 TFLOP/s/chip",
    hbm = num"186 GB/chip", hbm_bw = num"8 TB/s/chip",
    power = num"1200 W/chip", allin_power = num"2.10 kW/chip",
    price = nil,
    announced = "2024-03-18 (GTC)", release = "2025 (volume)",
    scale_up = num"72 chip", pod = num"72 chip",
    cloud = { { rate = ph"3.30", what = "SemiAnalysis 3-yr rental", kind = "estimate", date = "2025-08", source = "S19" } },
    tco = { hyperscaler = ph"2.21", neocloud = ph"2.75", rental_3yr = ph"3.30" },
    estimated = { allin_power = true, tco = true },
    notes = { power = "configurable, up to 1,200 W", price = "sold per rack only: see racks.get 'gb200-nvl72'" },
    sources = {
      { id = "S8", title = "NVIDIA GB200 NVL72 specifications (spec table copies)", url = "https://aiwiki.ai/wiki/nvidia_gb200_nvl72/raw", date = "2024-26", kind = "reported", covers = "specs, power" },
      SA_TCO,
    },
  },
  {
    key = "gb300", aliases = { "b300", "blackwell-ultra" }, name = "NVIDIA GB300 / Blackwell Ultra (per GPU)", vendor = "NVIDIA",
    bf16 = num"2500 TFLOP/s/chip", fp8 = num"5000 TFLOP/s/chip",
    hbm = num"288 GB/chip", hbm_bw = num"8 TB/s/chip",
    power = num"1400 W/chip", allin_power = num"2.10 kW/chip",
    price = nil,
    announced = "2025-03-18 (GTC)", release = "2025-07 (first shipments)",
    scale_up = num"72 chip", pod = num"72 chip",
    cloud = { { rate = ph"3.96", what = "SemiAnalysis 3-yr rental (placeholder: 1.2x GB200)", kind = "estimate", date = "2025-08", source = "S19" } },
    tco = { hyperscaler = ph"2.65", neocloud = ph"3.30", rental_3yr = ph"3.96" },
    estimated = { allin_power = true, tco = true },
    notes = { hbm = "279-288 GB HBM3e", price = "no per-GPU price found", tco = "SemiAnalysis placeholder = 1.2x GB200 NVL72" },
    sources = {
      { id = "S9", title = "GB300/B300 specifications (Verda, Glenn Lockwood, aiwiki)", url = "https://verda.com/blog/gb300-nvl72-architecture", date = "2025", kind = "reported", covers = "specs, power" },
      SA_TCO,
    },
  },
  ---------------------------------------------------------------- AWS
  {
    key = "trainium2", aliases = { "trn2" }, name = "AWS Trainium2", vendor = "AWS",
    bf16 = num"667 TFLOP/s/chip", fp8 = num"1299 TFLOP/s/chip",
    hbm = num"96 GiB/chip", hbm_bw = num"2.9 TB/s/chip",
    power = num"500 W/chip",
    price = nil,
    release = "2024-12-03 (GA)",
    scale_up = num"64 chip", pod = nil,
    cloud = {},
    estimated = { power = true },
    notes = { power = "about 500 W (NAND Research, estimate)", price = "not sold; no verified list price",
              scale_up = "16 per instance (4x4 torus); 64 per Trn2 UltraServer" },
    sources = {
      { id = "S10", title = "AWS Neuron docs, Trainium2 architecture", url = "https://awsdocs-neuron.readthedocs-hosted.com/en/latest/nki/arch/trainium2_arch.html", date = "2025-12", kind = "reported", covers = "specs" },
      { id = "S11", title = "AWS Neuron docs, Trn2 instance / UltraServer; NAND Research (500 W)", url = "https://awsdocs-neuron.readthedocs-hosted.com/en/latest/general/arch/neuron-hardware/trn2-arch.html", date = "2024-12", kind = "reported", covers = "scale_up, release" },
      { id = "S11b", title = "NAND Research note on Trainium2 power", url = "https://nand-research.com/research-note-awss-new-trainium2", date = "2024-12", kind = "estimate", covers = "power" },
    },
  },
  {
    key = "trainium3", aliases = { "trn3" }, name = "AWS Trainium3", vendor = "AWS",
    bf16 = num"671 TFLOP/s/chip", fp8 = num"2517 TFLOP/s/chip",
    hbm = num"144 GiB/chip", hbm_bw = num"4.9 TB/s/chip",
    power = num"1000 W/chip",
    price = nil,
    release = "2025-12 (GA at re:Invent)",
    scale_up = num"144 chip", pod = num"1000000 chip",
    cloud = {},
    estimated = { power = true },
    notes = { fp8 = "MXFP8", power = "about 1 kW hinted, not confirmed (DCD, estimate)", price = "not sold",
              scale_up = "Trn3 UltraServer Gen1 64, Gen2 144 chips", pod = "UltraCluster up to 1M chips" },
    sources = {
      { id = "S12", title = "AWS Neuron docs, Trainium3", url = "https://awsdocs-neuron.readthedocs-hosted.com/en/v2.29.1/_sources/about-neuron/arch/neuron-hardware/trainium3.rst", date = "2025-12-02", kind = "reported", covers = "specs, scale_up" },
      { id = "S13", title = "DCD: Trainium3 likely to consume 1 kW", url = "https://www.datacenterdynamics.com/en/news/aws-trainium3-chips-likely-to-consume-1kw-of-power-company-to-adopt-cold-plate-cooling/", date = "2024", kind = "estimate", covers = "power" },
    },
  },
  ---------------------------------------------------------------- Microsoft
  {
    key = "maia-100", aliases = { "maia100" }, name = "Microsoft Maia 100", vendor = "Microsoft",
    bf16 = num"800 TFLOP/s/chip", fp8 = nil,
    hbm = num"64 GB/chip", hbm_bw = num"1.8 TB/s/chip",
    power = num"700 W/chip",
    price = nil,
    announced = "2023-11 (Ignite)", release = "2024-08 (Hot Chips detail)",
    scale_up = nil, pod = nil,
    cloud = {},
    notes = { fp8 = "no FP8 figure (9-bit 1.5 POPS, 6-bit 3 POPS)", power = "design 700 W, provisioned 500 W",
              price = "not sold", scale_up = "Ethernet, 12x400GbE per chip" },
    sources = {
      { id = "S14", title = "Maia 100 at Hot Chips 2024", url = "https://en.eeworld.com/news/qrs/eic677557.html", date = "2024-08-30", kind = "reported", covers = "specs, power" },
    },
  },
  {
    key = "maia-200", aliases = { "maia200" }, name = "Microsoft Maia 200", vendor = "Microsoft",
    bf16 = nil, fp8 = num"5000 TFLOP/s/chip",
    hbm = num"216 GB/chip", hbm_bw = num"7 TB/s/chip",
    power = num"750 W/chip",
    price = nil,
    release = "2026-01-26 (live in US Central)",
    scale_up = num"4 chip", pod = num"6144 chip",
    cloud = {},
    notes = { bf16 = "not published", fp8 = "reported as 'over 5,000' TFLOP/s (FP4 over 10,000): a lower bound",
              price = "not sold; Microsoft claims about 30% better perf/$ than its current fleet",
              scale_up = "groups of 4 directly linked; Ethernet two-tier scale-up (2.8 TB/s) to clusters of 6,144" },
    sources = {
      { id = "S15", title = "Microsoft blog on Maia 200 (as quoted)", url = "https://windowsforum.com/threads/maia-200-microsoft-inference-first-ai-accelerator-on-tsmc-3nm.399160/latest", date = "2026-01-26", kind = "reported", covers = "specs, power, release" },
    },
  },
  ---------------------------------------------------------------- AMD
  {
    key = "mi300x", aliases = { "mi300" }, name = "AMD Instinct MI300X", vendor = "AMD",
    bf16 = num"1307 TFLOP/s/chip", fp8 = num"2615 TFLOP/s/chip",
    hbm = num"192 GB/chip", hbm_bw = num"5.3 TB/s/chip",
    power = num"750 W/chip", allin_power = num"1.79 kW/chip",
    price = nil,
    release = "2023-12-06",
    scale_up = num"8 chip", pod = nil,
    cloud = { { rate = ph"1.55", what = "SemiAnalysis 3-yr rental", kind = "estimate", date = "2025-08", source = "S19" } },
    tco = { hyperscaler = ph"1.12", neocloud = ph"1.40", rental_3yr = ph"1.55" },
    estimated = { allin_power = true, tco = true },
    notes = { price = "no verified ASP", scale_up = "8-GPU Infinity Fabric" },
    sources = {
      { id = "S16", title = "AMD Instinct MI300X specifications (secondary)", url = "https://aiwiki.ai/wiki/amd_instinct_mi300x", date = "2023-12-06 launch", kind = "reported", covers = "specs, power" },
      SA_TCO,
    },
  },
  {
    key = "mi355x", aliases = { "mi355" }, name = "AMD Instinct MI355X", vendor = "AMD",
    bf16 = num"2500 TFLOP/s/chip", fp8 = num"5000 TFLOP/s/chip",
    hbm = num"288 GB/chip", hbm_bw = num"8 TB/s/chip",
    power = num"1400 W/chip", allin_power = num"2.65 kW/chip",
    price = { lo = num"23000 $/chip", hi = num"25000 $/chip" },
    announced = "2025-06-12", release = "2025-10 (GA)",
    scale_up = num"8 chip", pod = nil,
    cloud = { { rate = ph"2.10", what = "SemiAnalysis 3-yr rental", kind = "estimate", date = "2025-08", source = "S19" } },
    tco = { hyperscaler = ph"1.48", neocloud = ph"1.90", rental_3yr = ph"2.10" },
    estimated = { bf16 = true, price = true, allin_power = true, tco = true },
    notes = { bf16 = "derived: half the FP8 rate", price = "HSBC ASP estimate, cut from $25k to $23k",
              power = "1,400 W total board power (MI350X: 1,000 W)", scale_up = "8-GPU OAM nodes (not rack-scale)" },
    sources = {
      { id = "S17", title = "AMD MI355X (Tom's Hardware; The Register; ISSCC 2026)", url = "https://www.theregister.com/2025/06/12/amd_mi355x/", date = "2025-06-12", kind = "reported", covers = "specs, power" },
      { id = "S25", title = "HSBC MI355 ASP $25k -> $23k", url = "https://moneycheck.com/amd-stock-why-this-analyst-still-loves-amd-despite-price-cut", date = "2025", kind = "estimate", covers = "price" },
      SA_TCO,
    },
  },
}

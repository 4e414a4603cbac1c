-- stdlib/catalog_racks.lua: systems of chips for `racks` (plain data, no logic but
-- the helper that derives `estimated` from `kinds`).
--
-- Conventions as in catalog_chips.lua (kinds, bounds, notes, dated sources).
-- Fields (all optional except key, chip, count):
--   key, aliases, name, chip (a chips key), count (chips per rack/system)
--   power            level "it" (stdlib/watts.lua): IT power of the system at nameplate (what it can draw, with its
--                    hosts, switches, power shelves; no facility overhead), one figure
--                    or { lo, hi } when the sources give a range
--   price            price of the system incl. its share of networking, or { lo, hi }
--   price_per_chip   alternative: price per chip in the finished rack
--   network_share    share of `price` that is networking (informational)
--   overhead         system cost over chip cost (when pricing from chips)
--   kinds            field -> "reported" | "estimate" | "derived", or for a range
--                    { lo = kind, hi = kind } when its two ends come from different kinds
--   notes, bounds, estimated, sources  as in catalog_chips.lua
-- Missing figures stay nil with a note.

local CHECKED = "2026-11-29"

-- fills `estimated` from `kinds` and the check date of each source
local function entry(e)
  e.estimated = {}
  for field, kind in pairs(e.kinds) do
    if type(kind) == "table" then
      if kind.lo ~= "reported" or kind.hi ~= "reported" then e.estimated[field] = true end
    elseif kind ~= "reported" then
      e.estimated[field] = true
    end
  end
  for _, s in ipairs(e.sources) do if s.checked == nil then s.checked = CHECKED end end
  return e
end

local BERNSTEIN = { id = "S27", title = "Bernstein (Rasgon), \"How much does a GW of data center capacity actually cost\": GB200 NVL72 rack about $3.4M of compute hardware plus about $2.5M of physical infrastructure ($5.9M, $35B per GW); networking about 13% of total capex",
  url = "https://ng.investing.com/news/stock-market-news/how-much-does-a-gw-of-data-center-capacity-actually-cost-2169144",
  date = "2025-10", kind = "estimate", covers = { "price", "network_share" },
  also = "https://www.fxbaogao.com/detail/5182980 (the note's summary); press coverage 2025-10-29 and 2025-11-01" }

local HOT_CHIPS_IRONWOOD = { id = "S5", title = "Hot Chips 2025 coverage of Google's Ironwood talk: 16 boards of 4 TPUs per rack, 416 V AC to DC rack power distribution, 'over 100 kW of power consumption becomes possible on a single rack' (liquid-cooled); 144 racks per 9,216-chip superpod",
  url = "https://www.donanimhaber.com/google-en-guclu-yapay-zeka-islemcisi-ironwood-u-detaylandirdi--195401",
  date = "2025-08-26", kind = "reported", covers = { "count", "power" },
  also = "https://en.shiftdelete.net/?p=701294 (English summary of the same talk)" }

local HOT_CHIPS_POD = { id = "S5b", title = "Hot Chips 2025 coverage of Google's Ironwood talk: up to 9,216 chips per pod, 42.5 EF FP8, '10MW of power consumption'",
  url = "https://afnnews.qaasid.com/143260", date = "2025-08-26", kind = "reported", covers = { "count", "power" } }

local SEMIANALYSIS_TPUV7 = { id = "S20", title = "SemiAnalysis, \"TPUv7: Google Takes a Swing at the King\" (400k TPUv7 sold as about $10B of finished racks)",
  url = "https://newsletter.semianalysis.com/p/tpuv7-google-takes-a-swing-at-the",
  date = "2025-11-28", kind = "estimate", covers = { "price_per_chip" } }

return {
  entry {
    key = "gb200-nvl72", aliases = { "nvl72", "gb200nvl72" }, name = "NVIDIA GB200 NVL72",
    chip = "gb200", count = num"72 chip",
    power = num"120 kW",
    price = { lo = num"2M $", hi = num"3.4M $" },
    network_share = num"13" / num"58",
    kinds = { count = "reported", power = "estimate", price = "estimate", network_share = "derived" },
    notes = {
      power = "about 120 kW typical (press and vendor-partner figures; NVIDIA's power service lists 6,667 W per compute tray x 18 trays); the power shelves deliver up to 132 kW DC and Ming-Chi Kuo quoted 130 kW per single-rack NVL72",
      price = "a range of estimates: press put a rack at $2-3M; Bernstein's $3.4M is the rack's compute hardware (GPUs, CPUs, switches, NICs) before about $2.5M of physical data-centre infrastructure per rack (the site's share, see sites 'infra_per_nvl72')",
      network_share = "derived: networking about 13% of total data-centre capex within the 58% ($3.4M of $5.9M) that is compute hardware (Bernstein)",
      chips = "72 Blackwell GPUs + 36 Grace CPUs; 18 compute trays + 9 NVSwitch trays",
    },
    sources = {
      { id = "S8c", title = "AI Wiki, \"NVIDIA GB200 NVL72\" (72 Blackwell GPUs and 36 Grace CPUs in one NVLink domain)",
        url = "https://aiwiki.ai/wiki/nvidia_gb200_nvl72/raw", date = "2026-06-21", kind = "reported", covers = { "count" } },
      { id = "S26", title = "AwesomeAgents, \"NVIDIA GB200 NVL72\": ~120 kW power draw; 'priced at $2-3 million per rack'",
        url = "https://awesomeagents.ai/hardware/nvidia-gb200-nvl72", date = "2025", kind = "estimate", covers = { "power", "price" } },
      { id = "S26b", title = "Ming-Chi Kuo: GB200 NVL72 single-rack version draws 130 kW per rack; NVL36 about 80 kW",
        url = "https://medium.com/@mingchikuo/%E6%BD%9B%E5%9C%A8%E5%BD%B1%E9%9F%BFgb200-nvl36-72%E5%87%BA%E8%B2%A8%E7%9A%84%E7%9F%AD%E6%9C%9F%E5%9B%A0%E7%B4%A0%E5%88%86%E6%9E%90-analysis-of-short-term-factors-potentially-affecting-gb200-nvl36-72-232491580882",
        date = "2024-08-01", kind = "estimate", covers = { "power" } },
      BERNSTEIN,
    },
  },
  entry {
    key = "gb300-nvl72", aliases = { "gb300nvl72" }, name = "NVIDIA GB300 NVL72",
    chip = "gb300", count = num"72 chip",
    power = { lo = num"120 kW", hi = num"132 kW" },
    price = nil,
    kinds = { count = "reported", power = "reported" },
    notes = {
      power = "about 120 kW typical up to the 132 kW DC output of the rack's 8 power shelves (Supermicro figures as quoted); the 140 kW top of the range used before had no source",
      price = "no rack price found; Morgan Stanley puts the liquid-cooling bill of materials at about $49.9k per rack",
    },
    sources = {
      { id = "S9e", title = "Introl, \"Why the NVIDIA GB300 NVL72 (Blackwell Ultra) matters\": 72 Blackwell Ultra GPUs and 36 Grace CPUs, approximately 120 kW; compute trays about 117 kW; 8 power shelves with 132 kW total DC output (Supermicro 2025)",
        url = "https://introl.com/blog/why-nvidia-gb300-nvl72-blackwell-ultra-matters", date = "2025", kind = "reported",
        covers = { "count", "power" } },
      { id = "S28", title = "Epium: Morgan Stanley values GB300 NVL72 liquid cooling at nearly $50,000 per rack",
        url = "https://epium.com/news/nvidia-gb300-blackwell-ultra-nvl72-liquid-cooling-costs-nearly-usd-50000", date = "2025-11",
        kind = "estimate", covers = { "price" }, checked = false },
    },
  },
  entry {
    key = "ironwood-rack", aliases = { "tpu-v7-rack", "tpu7x-rack" }, name = "Google TPU7x (Ironwood) rack",
    chip = "tpu-v7", count = num"64 chip",
    power = { lo = num"10 MW" / num"144", hi = num"100 kW" },
    price_per_chip = num"25000 $/chip",
    kinds = { count = "reported", power = { lo = "derived", hi = "reported" }, price_per_chip = "derived" },
    notes = {
      power = "low end derived: the 9,216-chip pod draws about 10 MW over 144 racks = 69.4 kW per rack on average (including its share of the optical circuit switches and coolant distribution). High end reported: Hot Chips 2025 says the rack's power delivery makes 'over 100 kW' possible, a power-delivery ceiling, not a measured draw. The 130 kW top of the earlier range had no source and is dropped.",
      price_per_chip = "derived from SemiAnalysis: 400k TPUs sold as about $10B of finished racks = about $25k per TPU, about $1.6M per rack",
      chips = "16 trays of 4 TPUs (a 4x4x4 cube) plus host CPU trays and a ToR switch",
    },
    sources = { HOT_CHIPS_IRONWOOD, HOT_CHIPS_POD, SEMIANALYSIS_TPUV7 },
  },
  entry {
    key = "ironwood-pod", aliases = { "tpu-v7-pod", "tpu7x-pod" }, name = "Google TPU7x (Ironwood) 9,216-chip pod",
    chip = "tpu-v7", count = num"9216 chip",
    power = num"10 MW",
    price_per_chip = num"25000 $/chip",
    kinds = { count = "reported", power = "reported", price_per_chip = "derived" },
    notes = {
      power = "about 10 MW for the pod (Hot Chips 2025): 144 racks, 48 optical circuit switches and the liquid-cooling units of the superpod; not the facility's cooling plant",
      price_per_chip = "derived: the in-rack price per TPU (about $25k, SemiAnalysis); excludes the 48 optical circuit switches",
      chips = "144 racks (cubes) over 48 144x144 optical circuit switches; 1.5 transceivers per TPU; 1.77 PB HBM; 42.5 EF FP8",
    },
    sources = { HOT_CHIPS_POD, HOT_CHIPS_IRONWOOD, SEMIANALYSIS_TPUV7 },
  },
  entry {
    key = "trn2-ultraserver", aliases = { "trn2-u", "trainium2-ultraserver" }, name = "AWS Trn2 UltraServer",
    chip = "trainium2", count = num"64 chip",
    power = nil, price = nil,
    kinds = { count = "reported" },
    notes = {
      power = "not published",
      price = "not sold; no price found",
      chips = "4 trn2u.48xlarge instances; 83.2 PF FP8, 42.8 PF BF16, 6 TiB HBM",
    },
    sources = {
      { id = "S11b", title = "AWS Neuron docs, Trn2 instances and UltraServers (64 Trainium2 chips per UltraServer)",
        url = "https://awsdocs-neuron.readthedocs-hosted.com/en/latest/general/arch/neuron-hardware/trn2-arch.html",
        date = "2024-12-03", kind = "reported", covers = { "count" } },
    },
  },
  entry {
    key = "hgx-h100", aliases = { "dgx-h100", "h100-server" }, name = "NVIDIA HGX H100 8-GPU server",
    chip = "h100", count = num"8 chip",
    power = num"10.2 kW",
    price = num"318000 $",
    network_share = num"48" / num"318",
    kinds = { count = "reported", power = "reported", price = "estimate", network_share = "derived" },
    notes = {
      power = "10.2 kW maximum (DGX H100)",
      price = "about $318k per server including cluster networking, excluding storage (NVIDIA reference architecture, SemiAnalysis 2024); the DGX node alone about $270k (SemiAnalysis 2023); $283k optimised",
      network_share = "derived: ($318k - $270k) / $318k, two SemiAnalysis figures a year apart",
    },
    sources = {
      { id = "E2", title = "Epoch AI cost model (H100 server: 10.2 kW per 8 GPUs, DGX H100)",
        url = "https://github.com/epoch-research/training-cost-trends/blob/263c40a/cost_analysis_standalone.py",
        date = "2026-01-27", kind = "reported", covers = { "count", "power" } },
      { id = "S21", title = "Epoch hardware price dataset: SemiAnalysis 'Nvidia sells DGX H100s at around $270,000' (8 GPUs)",
        url = "https://github.com/epoch-research/training-cost-trends/blob/5e8c5c4/data/Hardware%20prices.csv",
        date = "2023-05-29", kind = "estimate", covers = { "network_share" } },
      { id = "S22", title = "SemiAnalysis, \"AI Neocloud Playbook and Anatomy\" (H100 cluster bill of materials: about $318k per server with networking, $283k optimised)",
        url = "https://newsletter.semianalysis.com/p/ai-neocloud-playbook-and-anatomy", date = "2024-10-03", kind = "estimate",
        covers = { "price", "network_share" }, checked = false },
    },
  },
}

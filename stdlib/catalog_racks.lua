-- stdlib/catalog_racks.lua: systems of chips for `racks` (plain data, no logic).
--
-- Figures from the project's domain reference (shared/reference/domain.md), with the
-- public source and date it cites. Fields (all optional except key, chip, count):
--   key, aliases, name, chip (a chips key), count (chips per rack/system)
--   power            rack power (a single figure) or { lo, hi } when sources give a range
--   price            price of the system incl. its share of networking, or { lo, hi }
--   price_per_chip   alternative: price per chip in the finished rack
--   network_share    share of `price` that is networking (informational)
--   overhead         system cost over chip cost (when pricing from chips)
--   notes, estimated, sources  as in catalog_chips.lua
-- Missing figures stay nil with a note.

local BERNSTEIN = { id = "S27", title = "Bernstein (Rasgon), \"How much does a GW of data center capacity actually cost\"",
  url = "https://ng.investing.com/news/stock-market-news/how-much-does-a-gw-of-data-center-capacity-actually-cost-2169144",
  date = "2025-10", kind = "estimate", covers = "price, network share" }

return {
  {
    key = "gb200-nvl72", aliases = { "nvl72", "gb200nvl72" }, name = "NVIDIA GB200 NVL72",
    chip = "gb200", count = num"72 chip",
    power = num"120 kW",
    price = num"3.4M $",
    network_share = num"13" / num"58",
    estimated = { price = true, network_share = true },
    notes = {
      power = "about 120 kW typical; compute trays about 117 kW, power shelves 132 kW DC",
      price = "compute hardware about $3.4M per rack (Bernstein); plus about $2.5M of physical data-center infrastructure = $5.9M all-in (the site's share, see sites)",
      network_share = "derived: networking about 13% of total DC capex within the 58% that is compute hardware (Bernstein)",
      chips = "72 Blackwell GPUs + 36 Grace CPUs; 18 compute trays + 9 NVSwitch trays",
    },
    sources = {
      { id = "S26", title = "GB200 NVL72 power (Supermicro tray figures; introl, awesomeagents)", url = "https://introl.com/blog/why-nvidia-gb300-nvl72-blackwell-ultra-matters", date = "2025", kind = "reported", covers = "power" },
      { id = "S8", title = "NVIDIA GB200 NVL72 spec table (copy)", url = "https://zdszero.github.io/Computer/Artificial_Intelligence/Hardware.html", date = "2024-26", kind = "reported", covers = "chips" },
      BERNSTEIN,
    },
  },
  {
    key = "gb300-nvl72", aliases = { "gb300nvl72" }, name = "NVIDIA GB300 NVL72",
    chip = "gb300", count = num"72 chip",
    power = { lo = num"120 kW", hi = num"140 kW" },
    price = nil,
    estimated = { power = true },
    notes = {
      power = "about 120-140 kW (estimates)",
      price = "no rack price found; Morgan Stanley puts the liquid-cooling bill of materials at about $49.9k per rack",
    },
    sources = {
      { id = "S9", title = "GB300 NVL72 architecture (Verda)", url = "https://verda.com/blog/gb300-nvl72-architecture", date = "2025", kind = "reported", covers = "chips" },
      { id = "S28", title = "Morgan Stanley: GB300 liquid-cooling cost", url = "https://epium.com/news/nvidia-gb300-blackwell-ultra-nvl72-liquid-cooling-costs-nearly-usd-50000", date = "2025-11", kind = "estimate", covers = "cooling BOM note" },
    },
  },
  {
    key = "ironwood-rack", aliases = { "tpu-v7-rack", "tpu7x-rack" }, name = "Google TPU7x (Ironwood) rack",
    chip = "tpu-v7", count = num"64 chip",
    power = { lo = num"100 kW", hi = num"130 kW" },
    price_per_chip = num"25000 $/chip",
    estimated = { power = true, price_per_chip = true },
    notes = {
      power = "reported as 'over 100 kW' per rack (Hot Chips 2025); the 130 kW top of the range is an assumption in line with other liquid-cooled AI racks (40-130+ kW)",
      price_per_chip = "derived from SemiAnalysis: 400k TPUs sold as about $10B of finished racks = about $25k per TPU, about $1.6M per rack",
      chips = "16 trays of 4 TPUs (a 4x4x4 cube) plus host CPU trays and a ToR switch",
    },
    sources = {
      { id = "S5", title = "Hot Chips 2025 Ironwood coverage (64 chips per rack, >100 kW)", url = "https://www.donanimhaber.com/google-en-guclu-yapay-zeka-islemcisi-ironwood-u-detaylandirdi--195401", date = "2025-08-26", kind = "reported", covers = "chips, power" },
      { id = "S20", title = "SemiAnalysis, \"TPUv7: Google Takes a Swing at the King\"", url = "https://newsletter.semianalysis.com/p/tpuv7-google-takes-a-swing-at-the", date = "2025-11", kind = "estimate", covers = "price" },
    },
  },
  {
    key = "ironwood-pod", aliases = { "tpu-v7-pod", "tpu7x-pod" }, name = "Google TPU7x (Ironwood) 9,216-chip pod",
    chip = "tpu-v7", count = num"9216 chip",
    power = num"10 MW",
    price_per_chip = num"25000 $/chip",
    estimated = { price_per_chip = true },
    notes = {
      power = "about 10 MW for the pod (Hot Chips 2025)",
      price_per_chip = "derived: the in-rack price per TPU (about $25k, SemiAnalysis); excludes the 48 optical circuit switches",
      chips = "144 racks (cubes) over 48 144x144 optical circuit switches; 1.5 transceivers per TPU; 1.77 PB HBM; 42.5 EF FP8",
    },
    sources = {
      { id = "S5", title = "Hot Chips 2025 Ironwood coverage (10 MW pod)", url = "https://afnnews.qaasid.com/143260", date = "2025-08-26", kind = "reported", covers = "power, chips" },
      { id = "S20", title = "SemiAnalysis, \"TPUv7: Google Takes a Swing at the King\"", url = "https://newsletter.semianalysis.com/p/tpuv7-google-takes-a-swing-at-the", date = "2025-11", kind = "estimate", covers = "price" },
    },
  },
  {
    key = "trn2-ultraserver", aliases = { "trn2-u", "trainium2-ultraserver" }, name = "AWS Trn2 UltraServer",
    chip = "trainium2", count = num"64 chip",
    power = nil, price = nil,
    notes = {
      power = "not published",
      price = "not sold; no price found",
      chips = "4 trn2u.48xlarge instances; 83.2 PF FP8, 42.8 PF BF16, 6 TiB HBM",
    },
    sources = {
      { id = "S11", title = "AWS Neuron docs, Trn2 instance / UltraServer", url = "https://awsdocs-neuron.readthedocs-hosted.com/en/latest/general/arch/neuron-hardware/trn2-arch.html", date = "2024-12", kind = "reported", covers = "chips, flops" },
    },
  },
  {
    key = "hgx-h100", aliases = { "dgx-h100", "h100-server" }, name = "NVIDIA HGX H100 8-GPU server",
    chip = "h100", count = num"8 chip",
    power = num"10.2 kW",
    price = num"318000 $",
    network_share = num"48" / num"318",
    estimated = { price = true, network_share = true },
    notes = {
      power = "10.2 kW maximum (DGX H100)",
      price = "about $318k per server including cluster networking, excluding storage (NVIDIA reference architecture, SemiAnalysis); the node alone about $270k; $283k optimised",
      network_share = "derived: ($318k - $270k) / $318k",
    },
    sources = {
      { id = "S21", title = "Epoch hardware price dataset (SemiAnalysis DGX H100 about $270k)", url = "https://github.com/epoch-research/training-cost-trends", date = "2023-05-29", kind = "estimate", covers = "price" },
      { id = "S22", title = "SemiAnalysis, \"AI Neocloud Playbook and Anatomy\"", url = "https://newsletter.semianalysis.com/p/ai-neocloud-playbook-and-anatomy", date = "2024-10-03", kind = "estimate", covers = "price, network share" },
    },
  },
}

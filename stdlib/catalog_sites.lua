-- stdlib/catalog_sites.lua: reference figures for data-center sites (plain data, no logic
-- but the helper that sets the check date of each source).
--
-- Each entry is one figure:
--   value     the central figure; lo/hi the range the sources give (lo <= value <= hi)
--   central   how `value` was chosen when no source gives it (e.g. the midpoint of a
--             reported range); required when value sits on an end of its range
--   what      what the figure measures, and at what scale
--   kind      "reported" | "estimate" | "derived" (as in catalog_chips.lua)
--   bound     "lower" | "upper" when the figure is a bound ("over $10.7M")
--   date      the date the figure describes (ISO)
--   source    the source of `value` { id, title, url, date, checked }; sources lists
--             every source (value, lo and hi) when there are several
-- `checked` is the day the figure was compared with the source (false when the source
-- could not be reopened; such figures are kept from the project's reference and flagged).

local CHECKED = "2026-11-29"

local function figure(e)
  e.sources = e.sources or { e.source }
  e.source = e.source or e.sources[1]
  for _, s in ipairs(e.sources) do if s.checked == nil then s.checked = CHECKED end end
  return e
end

local BERNSTEIN = { id = "S27", title = "Bernstein (Rasgon), \"How much does a GW of data center capacity actually cost\" (as reported by Investing.com; it quotes NVIDIA's own $50-60B per GW)",
  url = "https://ng.investing.com/news/stock-market-news/how-much-does-a-gw-of-data-center-capacity-actually-cost-2169144", date = "2025-10" }

local GOOGLE_PUE = { id = "S42b", title = "Google, \"Our 2024 Environmental Report\": average annual PUE of its data centers 1.10 in 2023 (industry average 1.58)",
  url = "https://blog.google/outreach-initiatives/sustainability/2024-environmental-report", date = "2024-07" }

local UPTIME_2025 = { id = "S42", title = "Uptime Institute Global Data Center Survey 2025 as reported: weighted average annual PUE 1.54 in 2025 (1.58 in 2023)",
  url = "https://thefreesheet.com/2026/01/19/data-centre-efficiency-flatlines-for-sixth-year-as-ai-power-demands-soar", date = "2026-01-19" }

local UPTIME_2024 = { id = "S42c", title = "Uptime Institute 14th Global Data Center Survey (2024) as reported: average PUE flat, newer and larger facilities achieve 1.3 or better",
  url = "https://cloudnews.tech/uptime-institute-highlights-decline-in-trust-in-ai-and-need-to-improve-sustainability-metrics-in-data-centers", date = "2024" }

local CBRE_H2_2024 = { id = "S48", title = "CBRE, North America Data Center Trends H2 2024: average monthly asking rate for a 250-500 kW requirement in primary markets $184.06 per kW (+12.6% y/y); volume discounts for larger tenants 'significantly reduced or eliminated'",
  url = "https://www.cbre.com/insights/reports/north-america-data-center-trends-h2-2024", date = "2025-02-26" }

return {
  build_cost = figure {
    value = num"11.7M $/MW", lo = num"9.3M $/MW", hi = num"15M $/MW",
    what = "shell + power + cooling per MW of critical IT load, excluding IT, land and soft costs (19 US markets: San Antonio $9.3M to Reno $15.0M, average $11.7M)",
    kind = "reported", date = "2024-10",
    source = { id = "S37", title = "Cushman & Wakefield, Data Center Development Cost Guide 2025 (released December 2024, data through October 2024)",
               url = "https://cushwake.cld.bz/Data-Center-Development-Cost-Guide-2025/8-9", date = "2024-12" },
  },
  build_cost_cbre = figure {
    value = num"10.7M $/MW", bound = "lower",
    what = "CBRE: average cost to build has climbed from about $7.7M per MW to over $10.7M per MW in two years (a lower bound for the current cost, not a range)",
    kind = "reported", date = "2025",
    source = { id = "S38", title = "build.inc, \"Data Center Construction Costs: What Drives the 2025 Spike\", citing CBRE's North American Data Center Trends",
               url = "https://www.build.inc/data-center-construction-costs-2025", date = "2025" },
  },
  infra_per_nvl72 = figure {
    value = num"2.5M $",
    what = "physical data-center infrastructure per GB200 NVL72 rack (Bernstein: $5.9M all-in = $3.4M compute + $2.5M infrastructure)",
    kind = "estimate", date = "2025-10",
    source = BERNSTEIN,
  },
  campus_per_gw = figure {
    value = num"55B $", lo = num"50B $", hi = num"60B $",
    central = "midpoint of NVIDIA's reported $50-60B range (derived)",
    what = "all-in cost of 1 GW of AI data center, as NVIDIA put it on its Q2 FY26 call (Bernstein's GB200 estimate is about $35B per GW)",
    kind = "reported", date = "2025-08-27",
    sources = {
      BERNSTEIN,
      { id = "S39b", title = "NVIDIA Q2 FY2026 earnings call transcript (2025-08-27)", url = "https://earningscall.biz/e/nasdaq/s/nvda/y/2026/q/q2",
        date = "2025-08-27", checked = false },
    },
  },
  chips_per_gw = figure {
    value = num"35B $",
    what = "NVIDIA hardware in 1 GW (systems and networking, not only chips), NVIDIA Q2 FY26 call",
    kind = "reported", date = "2025-08-27",
    source = { id = "S39", title = "Mint/Bloomberg on NVIDIA's Q2 FY26 call: about $35B of NVIDIA content per GW",
               url = "https://www.livemint.com/companies/nvidia-is-set-to-get-a-big-boost-from-openai-here-s-how-much-11756731303509.html",
               date = "2025-09-01", checked = false },
  },
  pue = figure {
    value = num"1.3", lo = num"1.10", hi = num"1.54",
    what = "PUE of a new large AI campus: newer and larger facilities achieve 1.3 or better (Uptime 2024); best fleets about 1.10 (Google, 2023); the industry average is 1.54 (Uptime 2025), the upper end",
    kind = "reported", date = "2025",
    sources = { UPTIME_2024, GOOGLE_PUE, UPTIME_2025 },
  },
  pue_industry = figure {
    value = num"1.54",
    what = "industry average PUE (all data centers surveyed): 1.54 in 2025, 1.56 in 2024, 1.58 in 2023",
    kind = "reported", date = "2025",
    sources = {
      UPTIME_2025,
      { id = "S42d", title = "Uptime Institute Intelligence, \"Large data centers are mostly more efficient, analysis confirms\" (industry average PUE 1.58 in 2023)",
        url = "https://intelligence.uptimeinstitute.com/resource/large-data-centers-are-mostly-more-efficient-analysis-confirms", date = "2023-11-23" },
    },
  },
  pue_hyperscale = figure {
    value = num"1.10",
    what = "hyperscale fleet PUE: Google's data centers averaged 1.10 in 2023 (Epoch's cost model also assumes 1.1 for hyperscalers)",
    kind = "reported", date = "2023",
    source = GOOGLE_PUE,
  },
  power_price = figure {
    value = num"0.0826 $/kWh", lo = num"0.0604 $/kWh", hi = num"0.0981 $/kWh",
    what = "US average industrial electricity 8.26 c/kWh in 2025 (Epoch's table of average US industrial prices); April 2025 by state: Iowa 6.04, Ohio 7.90, Pennsylvania 8.59, Indiana 9.01, Illinois 9.81 c/kWh",
    kind = "reported", date = "2025",
    sources = {
      { id = "E3", title = "Epoch AI cost model (cost_analysis_standalone.py: average US industrial electricity price by year, 2025 = $0.0826/kWh)",
        url = "https://github.com/epoch-research/training-cost-trends/blob/263c40a/cost_analysis_standalone.py", date = "2026-01-27" },
      { id = "S46", title = "EIA Electric Power Monthly, Table 5.6.A (April 2025 data, released 2025-06-25)",
        url = "https://eia.gov/electricity/monthly/epm_table_grapher.php?t=table_5_06_a", date = "2025-06-25", checked = false },
    },
  },
  wholesale_power = figure {
    value = num"40 $/MWh", lo = num"30 $/MWh", hi = num"55 $/MWh",
    what = "EIA 2025 wholesale forecast: about $40/MWh average; ERCOT about $30, SPP (Texas part) about $55",
    kind = "reported", date = "2025-01",
    source = { id = "S47", title = "EIA Short-Term Energy Outlook via Reuters: higher US wholesale power prices in 2025",
               url = "https://energyheadlines.com/eia-sees-higher-u-s-wholesale-power-prices-in-2025/", date = "2025-01", checked = false },
  },
  colocation = figure {
    value = num"184.06 $/kW/month",
    what = "RETAIL-SCALE colocation: CBRE's average asking rate for a 250-500 kW requirement in North American primary markets, H2 2024. A tenant of hundreds of MW to GW signs long wholesale leases instead: see colocation_wholesale",
    kind = "reported", date = "2024-12",
    source = CBRE_H2_2024,
  },
  colocation_global = figure {
    value = num"217.30 $/kW/month",
    what = "RETAIL-SCALE colocation, global average asking rate, Q1 2025 (CBRE Global Data Centre Trends 2025)",
    kind = "reported", date = "2025-03",
    source = { id = "S50", title = "CBRE Global Data Centre Trends 2025 as reported: global average $217.30 per kW per month",
               url = "https://dataxconnect.com/insights-cbre-data-centre-trends-2025", date = "2025-06", checked = false },
  },
  colocation_wholesale = figure {
    value = num"151.5 $/kW/month", lo = num"148.8 $/kW/month", hi = num"154.2 $/kW/month",
    central = "midpoint of the two deals (derived)",
    what = "GW-SCALE (wholesale) colocation for AI tenants, per kW of critical IT per month, averaged over 10-year terms with their annual escalators; modified gross leases (power billed on top). Derived from reported deal terms: Cipher Mining-Fluidstack $3.0B for 168 MW over 10 years = $148.8; TeraWulf-Fluidstack $3.7B for over 200 MW over 10 years = at most $154.2 (both Google-backstopped)",
    kind = "derived", date = "2025-09",
    sources = {
      { id = "S83", title = "Blockworks: Cipher Mining signs a 10-year HPC colocation agreement with Fluidstack, about $3B of contracted revenue for 168 MW of critical IT load",
        url = "https://blockworks.co/news/cipher-mining-inks-3b-ai-hosting-deal-with-fluidstack", date = "2025-09-25" },
      { id = "S84", title = "ADVFN: TeraWulf signs two 10-year HPC colocation contracts with Fluidstack, about $3.7B for over 200 MW of critical IT (modified gross leases with annual escalators)",
        url = "https://us.advfn-editors.com/2025/08/14/terawulf-shares-jump-after-3-7-billion-ai-data-center-deal", date = "2025-08-14" },
      CBRE_H2_2024,
    },
  },
  load_tpu = figure {
    value = num"0.43", lo = num"0.30", hi = num"0.80",
    what = "AVERAGE draw of a TPU server as a share of its nameplate (server TDP): measured server power of Google's TPU models was 37-53% of server TDP, 43% on average (Epoch's cost model); Epoch gives 0.3 to 0.8 as its 90% interval",
    kind = "estimate", date = "2025-06-20",
    sources = {
      { id = "E4", title = "Epoch AI training-cost-trends, energy.py: server_TDP_fraction (TPU 0.43, other 0.75) and chip_to_server_power (TPU 1.56, GPU 1.8)",
        url = "https://github.com/epoch-research/training-cost-trends/blob/5d4a80392b387472e7cb80dab72f511711b80cb1/energy.py", date = "2025-06-20" },
      { id = "E4b", title = "Epoch AI training-cost-trends, energy.py as first published, with the 90% intervals (TPU 0.3 to 0.8, GPU 0.5 to 1.0)",
        url = "https://github.com/epoch-research/training-cost-trends/blob/af30c59/energy.py", date = "2024-05-26" },
    },
  },
  load_gpu = figure {
    value = num"0.75", lo = num"0.50", hi = num"1.00",
    what = "AVERAGE draw of a GPU server as a share of its nameplate: Epoch's cost model takes 0.75 (the common data-center planning figure); NVIDIA's DGX H100 SuperPOD design expects average power near peak; Epoch gives 0.5 to 1.0 as its 90% interval",
    kind = "estimate", date = "2025-06-20",
    sources = {
      { id = "E4", title = "Epoch AI training-cost-trends, energy.py: server_TDP_fraction (TPU 0.43, other 0.75)",
        url = "https://github.com/epoch-research/training-cost-trends/blob/5d4a80392b387472e7cb80dab72f511711b80cb1/energy.py", date = "2025-06-20" },
      { id = "E4b", title = "Epoch AI training-cost-trends, energy.py as first published, with the 90% intervals",
        url = "https://github.com/epoch-research/training-cost-trends/blob/af30c59/energy.py", date = "2024-05-26" },
    },
  },
  server_ratio_gpu = figure {
    value = num"1.8", lo = num"1.25", hi = num"2.08",
    what = "IT power per GPU over the GPU's TDP (host CPUs, memory, NICs, switches, fans): DGX H100 10.2 kW / 8 / 0.7 kW = 1.82, DGX A100 2.03, DGX-1/DGX-2 V100 1.25-2.08; Epoch's default for other GPUs 1.8",
    kind = "estimate", date = "2025-06-20",
    source = { id = "E4", title = "Epoch AI training-cost-trends, energy.py: chip_to_server_power",
               url = "https://github.com/epoch-research/training-cost-trends/blob/5d4a80392b387472e7cb80dab72f511711b80cb1/energy.py", date = "2025-06-20" },
  },
  server_ratio_tpu = figure {
    value = num"1.56", lo = num"1.47", hi = num"1.64",
    what = "IT power per TPU over the TPU's own power: system/chip power of TPU v2 1.64, v3 1.47, v4i 1.57 (Jouppi et al. 2021); Epoch's default 1.56",
    kind = "estimate", date = "2025-06-20",
    source = { id = "E4", title = "Epoch AI training-cost-trends, energy.py: chip_to_server_power",
               url = "https://github.com/epoch-research/training-cost-trends/blob/5d4a80392b387472e7cb80dab72f511711b80cb1/energy.py", date = "2025-06-20" },
  },
  hbm_usable = figure {
    value = num"0.9",
    what = "share of an accelerator's HBM that serving may fill with weights and KV cache: vLLM's default gpu_memory_utilization (the rest holds activations, CUDA graphs and the runtime)",
    kind = "reported", date = "2025-04-28",
    source = { id = "V1", title = "vLLM documentation, Engine Arguments (v0.8.5): --gpu-memory-utilization, default 0.9",
               url = "https://docs.vllm.ai/en/v0.8.5/serving/engine_args.html", date = "2025-04-28" },
  },
  build_time = figure {
    value = num"27.6 month", lo = num"12 month", hi = num"43.2 month",
    central = "midpoint of Epoch's 1 to 3.6 years (derived)",
    what = "time from the start of construction to 1 GW of facility power at US AI campuses that broke ground in the last three years (Epoch's Frontier Data Centers Hub: 1 to 3.6 years; xAI projects 12 months for Colossus 2)",
    kind = "reported", date = "2025-11-10",
    source = { id = "S43", title = "Epoch AI, \"Build times for gigawatt-scale data centers can be 2 years or less\"",
               url = "https://epoch.ai/data-insights/data-centers-buildout-speeds", date = "2025-11-10" },
  },
  interconnection = figure {
    value = num"30 month", lo = num"18 month", hi = num"48 month",
    central = "midpoint of 18 to 36 months typical, within 18 to 48 months with Northern Virginia's 36-48 (derived)",
    what = "time to connect a new large load (over 10 MW) to the grid: 18-36 months typical; 36-48 months in Northern Virginia. Runs in parallel with construction; on-site generation can bridge it",
    kind = "estimate", date = "2025",
    sources = {
      { id = "S82", title = "Infra Economics: utility interconnection for loads over 10 MW typically takes 18-36 months (secondary)",
        url = "https://www.infra-economics.com/", date = "2025", checked = false },
      { id = "S38", title = "build.inc, \"Data Center Construction Costs: What Drives the 2025 Spike\", citing CBRE: power in Northern Virginia takes 36-48 months",
        url = "https://www.build.inc/data-center-construction-costs-2025", date = "2025", checked = false },
    },
  },
  server_life = figure {
    value = num"5 yr", lo = num"4 yr", hi = num"6 yr",
    what = "useful life of AI servers: hyperscalers depreciate over 5-6 years (Amazon back to 5 from 2025); SemiAnalysis 4-5 economic years; Epoch 5 years",
    kind = "reported", date = "2025",
    source = { id = "S51", title = "Useful life of servers and network assets at tech companies (10-K/10-Q quotes)",
               url = "https://shaulkoral.com/useful-life-of-servers-and-network-assets-at-tech-companies/", date = "2023", checked = false },
  },
}

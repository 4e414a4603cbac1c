-- stdlib/catalog_sites.lua: reference figures for data-center sites (plain data).
-- Each entry: value (a central figure), optional lo/hi (the range sources give),
-- what, kind (reported / estimate / derived), date, source (id, title, url).
-- From the project's domain reference (shared/reference/domain.md §3).

return {
  build_cost = {
    value = num"11.7M $/MW", lo = num"9.3M $/MW", hi = num"15M $/MW",
    what = "shell + power + cooling per MW of critical IT load, excluding IT, land and soft costs (19 US markets: San Antonio $9.3M to Reno $15.0M, average $11.7M)",
    kind = "reported", date = "2025 (data through 2024-10)",
    source = { id = "S37", title = "Cushman & Wakefield, Data Center Development Cost Guide 2025", url = "https://cushwake.cld.bz/Data-Center-Development-Cost-Guide-2025/8-9" },
  },
  build_cost_cbre = {
    value = num"10.7M $/MW", lo = num"7.7M $/MW", hi = num"10.7M $/MW",
    what = "CBRE: about $7.7M/MW rising to over $10.7M/MW in two years",
    kind = "reported", date = "2025",
    source = { id = "S38", title = "build.inc citing CBRE", url = "https://www.build.inc/data-center-construction-costs-2025" },
  },
  infra_per_nvl72 = {
    value = num"2.5M $",
    what = "physical data-center infrastructure per GB200 NVL72 rack (Bernstein)",
    kind = "estimate", date = "2025-10",
    source = { id = "S27", title = "Bernstein, \"How much does a GW of data center capacity actually cost\"", url = "https://ng.investing.com/news/stock-market-news/how-much-does-a-gw-of-data-center-capacity-actually-cost-2169144" },
  },
  campus_per_gw = {
    value = num"50B $", lo = num"50B $", hi = num"60B $",
    what = "all-in cost of 1 GW of AI data center, about $35B of it NVIDIA hardware (NVIDIA, Q2 FY26 call)",
    kind = "reported", date = "2025-08-27",
    source = { id = "S39", title = "NVIDIA Q2 FY26 earnings call (Mint/Bloomberg)", url = "https://www.livemint.com/companies/nvidia-is-set-to-get-a-big-boost-from-openai-here-s-how-much-11756731303509.html" },
  },
  chips_per_gw = {
    value = num"35B $",
    what = "NVIDIA hardware in 1 GW (systems and networking, not only chips)",
    kind = "reported", date = "2025-08-27",
    source = { id = "S39", title = "NVIDIA Q2 FY26 earnings call (Mint/Bloomberg)", url = "https://www.livemint.com/companies/nvidia-is-set-to-get-a-big-boost-from-openai-here-s-how-much-11756731303509.html" },
  },
  pue = {
    value = num"1.56", lo = num"1.1", hi = num"1.58",
    what = "industry average PUE 1.56 (2024), 1.58 (2023); Google fleet about 1.1; Meta 2022 builds 1.09",
    kind = "reported", date = "2024",
    source = { id = "S42", title = "Uptime Institute PUE survey", url = "https://intelligence.uptimeinstitute.com/resource/large-data-centers-are-mostly-more-efficient-analysis-confirms" },
  },
  pue_hyperscale = {
    value = num"1.1", lo = num"1.1", hi = num"1.25",
    what = "Epoch's model: 1.1 for hyperscalers, 1.25 for others (SemiAnalysis: AI data centers aim below 1.3)",
    kind = "estimate", date = "2024-26",
    source = { id = "S35", title = "Epoch AI training-cost-trends code", url = "https://github.com/epoch-research/training-cost-trends" },
  },
  power_price = {
    value = num"0.0826 $/kWh", lo = num"0.0604 $/kWh", hi = num"0.0981 $/kWh",
    what = "US average industrial electricity 8.26 c/kWh (2025); April 2025 by state: Iowa 6.04, Ohio 7.90, Pennsylvania 8.59, Indiana 9.01, Illinois 9.81 c/kWh",
    kind = "reported", date = "2025",
    source = { id = "S46", title = "EIA Electric Power Monthly, Table 5.6.A (and Epoch's EIA-based table)", url = "https://eia.gov/electricity/monthly/epm_table_grapher.php?t=table_5_06_a" },
  },
  wholesale_power = {
    value = num"40 $/MWh", lo = num"30 $/MWh", hi = num"55 $/MWh",
    what = "EIA 2025 wholesale forecast: about $40/MWh average; ERCOT about $30, SPP (Texas part) about $55",
    kind = "reported", date = "2025-01",
    source = { id = "S47", title = "EIA STEO via Reuters", url = "https://energyheadlines.com/eia-sees-higher-u-s-wholesale-power-prices-in-2025/" },
  },
  colocation = {
    value = num"184.06 $/kW/month", lo = num"184.06 $/kW/month", hi = num"217.30 $/kW/month",
    what = "CBRE North America primary markets, 250-500 kW: $184.06/kW-month (H2 2024, +12.6% y/y); global average $217.30 (Q1 2025)",
    kind = "reported", date = "2025-02-26",
    source = { id = "S48", title = "CBRE North America Data Center Trends H2 2024", url = "https://www.cbre.com/insights/reports/north-america-data-center-trends-h2-2024" },
  },
  server_life = {
    value = num"5 yr", lo = num"4 yr", hi = num"6 yr",
    what = "useful life of AI servers: hyperscalers depreciate over 5-6 years; SemiAnalysis 4-5 economic years; Epoch 5 years",
    kind = "reported", date = "2023-2025",
    source = { id = "S51", title = "Depreciation lifetimes from 10-K/10-Q filings", url = "https://shaulkoral.com/useful-life-of-servers-and-network-assets-at-tech-companies/" },
  },
}

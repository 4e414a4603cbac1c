-- stdlib/_report.lua: `deal report model.deal -o model.html` (docs/results.md).
-- Draws a run as one self-contained HTML page: inline CSS and SVG, no script,
-- no font, image or stylesheet from elsewhere, so it opens offline, prints, and
-- makes no request. vm/report.c runs the model, adds to each uncertain result
-- its histogram and quantiles (from the samples, in the result's unit) and
-- calls this module with the document `deal --json` writes; the texts of
-- results and claims are the terminal's own (tostring, the claims table's cells).
local S = require "_shared"

local report = {}

-- {====== text ======
-- Valid UTF-8 without NUL or control characters (a name may hold anything);
-- bytes that are not are shown as U+FFFD.
local function clean(s)
  s = tostring(s)
  if utf8.len(s) and not s:find("[%z\1-\8\11\12\14-\31\127]") then return s end
  local out, i, n = {}, 1, #s
  while i <= n do
    local len = utf8.len(s, i, i) and #utf8.char(utf8.codepoint(s, i)) or nil
    local ok = len and utf8.len(s:sub(i, i + len - 1)) == 1
    local c = s:sub(i, i)
    if ok and not c:find("[%z\1-\8\11\12\14-\31\127]") then
      out[#out + 1] = s:sub(i, i + len - 1); i = i + len
    else
      out[#out + 1] = "\239\191\189"; i = i + 1
    end
  end
  return table.concat(out)
end

local ENTITY = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#x27;" }
-- Text for HTML, in an element or an attribute.
local function esc(s) return (clean(s):gsub("[&<>\"']", ENTITY)) end

-- A number on an axis: 3 significant digits, k/M/B/T above a thousand.
local function tick(v)
  local a = math.abs(v)
  for _, s in ipairs { { 1e12, "T" }, { 1e9, "B" }, { 1e6, "M" }, { 1e3, "k" } } do
    if a >= s[1] then return (("%.3g"):format(v / s[1])) .. s[2] end
  end
  if a ~= 0 and a < 1e-3 then return ("%.2e"):format(v) end
  return ("%.3g"):format(v)
end

-- An integer with thousands separators: 100,000.
local function commas(n)
  local s = ("%d"):format(n)
  local k
  repeat s, k = s:gsub("^(-?%d+)(%d%d%d)", "%1,%2") until k == 0
  return s
end

-- Ticks at 1, 2 or 5 times a power of ten covering [lo, hi].
local function ticks(lo, hi, want)
  local span = hi - lo
  if span <= 0 then return { lo } end
  local raw = span / (want or 5)
  local p = 10 ^ math.floor(math.log(raw, 10))
  local step = p
  for _, m in ipairs { 1, 2, 5, 10 } do
    if m * p >= raw then step = m * p; break end
  end
  local t, v = {}, math.ceil(lo / step) * step
  while v <= hi + step * 1e-9 do
    t[#t + 1] = math.abs(v) < step * 1e-9 and 0 or v
    v = v + step
  end
  return t
end
-- }======

-- {====== SVG ======
local W, H = 400, 210                       -- every chart: 400 x 210 user units
local ML, MR, MT, MB = 52, 14, 12, 44       -- margins: axis labels left and below

local function f(x) return ("%.2f"):format(x) end

-- The frame of a chart: x axis with ticks in [lo, hi] and its label, a y
-- axis label; returns the buffer and the x scale.
local function frame(title, lo, hi, xlabel, ylabel)
  if hi <= lo then lo, hi = lo - 0.5 * math.max(math.abs(lo), 1), hi + 0.5 * math.max(math.abs(hi), 1) end
  local pw = W - ML - MR
  local function X(v) return ML + (v - lo) / (hi - lo) * pw end
  local b = { ('<svg class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">')
    :format(W, H, W, H, esc(title)), ("<title>%s</title>"):format(esc(title)) }
  local y0 = H - MB
  b[#b + 1] = ('<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>'):format(ML, y0, W - MR, y0)
  for _, t in ipairs(ticks(lo, hi, 5)) do
    b[#b + 1] = ('<line class="axis" x1="%s" y1="%d" x2="%s" y2="%d"/><text class="tick" x="%s" y="%d" text-anchor="middle">%s</text>')
      :format(f(X(t)), y0, f(X(t)), y0 + 4, f(X(t)), y0 + 16, esc(tick(t)))
  end
  b[#b + 1] = ('<text class="label" x="%d" y="%d" text-anchor="middle">%s</text>'):format(ML + pw // 2, H - 6, esc(xlabel))
  b[#b + 1] = ('<text class="label" transform="translate(12 %d) rotate(-90)" text-anchor="middle">%s</text>')
    :format(MT + (y0 - MT) // 2, esc(ylabel))
  return b, X, lo, hi
end

-- The x-axis label of a result: its name and unit.
local function xlabel(r)
  return r.unit ~= nil and r.unit ~= "" and ("%s (%s)"):format(r.name, r.unit) or r.name
end

-- Dashed marks at p5, p50 and p95.
local function marks(b, X, r, top)
  local list = { { r.p5, "p5" }, { r.p50, "p50" }, { r.p95, "p95" } }
  if r.p5 == r.p95 then list = { { r.p50, "every sample" } } end
  for _, m in ipairs(list) do
    if m[1] then
      b[#b + 1] = ('<line class="mark" x1="%s" y1="%d" x2="%s" y2="%d"/><text class="tick" x="%s" y="%d" text-anchor="middle">%s</text>')
        :format(f(X(m[1])), top, f(X(m[1])), H - MB, f(X(m[1])), top - 2, m[2])
    end
  end
end

-- Histogram of the samples: bars of equal width over [lo, hi].
local function histogram(r)
  local c = r.chart
  local b, X = frame("Histogram of " .. r.name, c.lo, c.hi, xlabel(r), "share of samples")
  local most, total = 0, 0
  for _, k in ipairs(c.bins) do most = math.max(most, k); total = total + k end
  local top, y0 = MT + 12, H - MB
  local nb = #c.bins
  local width = (c.hi > c.lo) and (c.hi - c.lo) / nb or 0
  for i, k in ipairs(c.bins) do
    if k > 0 then
      local x1, x2
      if width > 0 then x1, x2 = X(c.lo + (i - 1) * width), X(c.lo + i * width)
      else x1, x2 = X(c.lo) - 4, X(c.lo) + 4 end
      local h = (y0 - top) * k / most
      b[#b + 1] = ('<rect class="bar" x="%s" y="%s" width="%s" height="%s"><title>%s to %s: %d samples</title></rect>')
        :format(f(x1), f(y0 - h), f(math.max(x2 - x1 - 0.5, 0.8)), f(h),
          esc(tick(c.lo + (i - 1) * width)), esc(tick(c.lo + i * width)), k)
    end
  end
  b[#b + 1] = ('<text class="tick" x="%d" y="%d" text-anchor="end">%s%%</text>')
    :format(ML - 4, top + 4, ("%.3g"):format(100 * most / math.max(total, 1)))
  marks(b, X, r, top)
  b[#b + 1] = "</svg>"
  return table.concat(b)
end

-- Cumulative distribution: the share of samples at or below x.
local function cdf(r)
  local c = r.chart
  local b, X, lo, hi = frame("Cumulative distribution of " .. r.name, c.lo, c.hi, xlabel(r), "P(≤ x)")
  local top, y0 = MT + 12, H - MB
  local function Y(p) return y0 - p * (y0 - top) end
  for _, p in ipairs { 0, 0.5, 1 } do
    b[#b + 1] = ('<line class="grid" x1="%d" y1="%s" x2="%d" y2="%s"/><text class="tick" x="%d" y="%s" text-anchor="end">%g</text>')
      :format(ML, f(Y(p)), W - MR, f(Y(p)), ML - 4, f(Y(p) + 4), p)
  end
  local pts = { f(X(lo)) .. "," .. f(Y(0)) }
  local n = #c.q
  for i, v in ipairs(c.q) do            -- a clipped chart keeps the line in its frame
    pts[#pts + 1] = f(X(math.max(lo, math.min(hi, v)))) .. "," .. f(Y((i - 1) / (n - 1)))
  end
  pts[#pts + 1] = f(X(hi)) .. "," .. f(Y(1))
  b[#b + 1] = ('<polyline class="line" points="%s"/>'):format(table.concat(pts, " "))
  marks(b, X, r, top)
  b[#b + 1] = "</svg>"
  return table.concat(b)
end

-- Tornado: the inputs that move `what` most, by rank correlation (-1 to 1).
local function tornado(what, rows)
  local n = math.min(#rows, 8)
  local rowh = 22
  local h = MT + n * rowh + 40
  local lw = 170                               -- room for the inputs' names
  local pw = W + 120 - lw - MR
  local function X(v) return lw + (v + 1) / 2 * pw end
  local b = { ('<svg class="chart tornado" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">')
    :format(W + 120, h, W + 120, h, esc("Sensitivity of " .. what)), ("<title>Sensitivity of %s</title>"):format(esc(what)) }
  for i = 1, n do
    local r = rows[i]
    local y = MT + (i - 1) * rowh
    local x1, x2 = X(math.min(0, r.rho)), X(math.max(0, r.rho))
    local name = clean(r.name)
    if utf8.len(name) > 26 then name = name:sub(1, utf8.offset(name, 26) - 1) .. "…" end
    b[#b + 1] = ('<text class="tick" x="%d" y="%d" text-anchor="end">%s</text>'):format(lw - 6, y + 15, esc(name))
    b[#b + 1] = ('<rect class="%s" x="%s" y="%d" width="%s" height="%d"><title>%s: rank correlation %.2f</title></rect>')
      :format(r.rho < 0 and "bar neg" or "bar", f(x1), y + 3, f(math.max(x2 - x1, 0.8)), rowh - 6, esc(r.name), r.rho)
    b[#b + 1] = ('<text class="tick" x="%s" y="%d" text-anchor="%s">%+.2f</text>')
      :format(f(r.rho < 0 and x1 - 3 or x2 + 3), y + 15, r.rho < 0 and "end" or "start", r.rho)
  end
  local y0 = MT + n * rowh
  b[#b + 1] = ('<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>'):format(lw, y0, lw + pw, y0)
  b[#b + 1] = ('<line class="grid" x1="%s" y1="%d" x2="%s" y2="%d"/>'):format(f(X(0)), MT, f(X(0)), y0)
  for _, t in ipairs { -1, -0.5, 0, 0.5, 1 } do
    b[#b + 1] = ('<text class="tick" x="%s" y="%d" text-anchor="middle">%g</text>'):format(f(X(t)), y0 + 14, t)
  end
  b[#b + 1] = ('<text class="label" x="%s" y="%d" text-anchor="middle">rank correlation with %s</text>')
    :format(f(lw + pw / 2), y0 + 32, esc(what))
  b[#b + 1] = "</svg>"
  return table.concat(b)
end

-- Bars by year: the cash flows of a series of money (negative below the axis).
local function cashbars(name, unit, years)
  local lo, hi = 0, 0
  for _, y in ipairs(years) do lo = math.min(lo, y.value); hi = math.max(hi, y.value) end
  if hi == lo then hi = lo + 1 end
  local top, y0 = MT + 6, H - MB
  local function Y(v) return top + (hi - v) / (hi - lo) * (y0 - top) end
  local pw = W - ML - MR
  local bw = pw / #years
  local b = { ('<svg class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">')
    :format(W, H, W, H, esc("Cash flows of " .. name)), ("<title>Cash flows of %s</title>"):format(esc(name)) }
  for _, t in ipairs(ticks(lo, hi, 4)) do
    b[#b + 1] = ('<line class="grid" x1="%d" y1="%s" x2="%d" y2="%s"/><text class="tick" x="%d" y="%s" text-anchor="end">%s</text>')
      :format(ML, f(Y(t)), W - MR, f(Y(t)), ML - 4, f(Y(t) + 4), esc(tick(t)))
  end
  for i, y in ipairs(years) do
    local x = ML + (i - 1) * bw
    local a, z = Y(math.max(y.value, 0)), Y(math.min(y.value, 0))
    b[#b + 1] = ('<rect class="%s" x="%s" y="%s" width="%s" height="%s"><title>%s: %s</title></rect>')
      :format(y.value < 0 and "bar neg" or "bar", f(x + bw * 0.15), f(a), f(bw * 0.7), f(math.max(z - a, 0.5)),
        esc(y.label), esc(y.text))
    if #years <= 16 or i % 2 == 1 then
      b[#b + 1] = ('<text class="tick" x="%s" y="%d" text-anchor="middle">%s</text>'):format(f(x + bw / 2), y0 + 16, esc(y.label))
    end
  end
  b[#b + 1] = ('<line class="axis" x1="%d" y1="%s" x2="%d" y2="%s"/>'):format(ML, f(Y(0)), W - MR, f(Y(0)))
  b[#b + 1] = ('<text class="label" x="%d" y="%d" text-anchor="middle">year</text>'):format(ML + pw // 2, H - 6)
  b[#b + 1] = ('<text class="label" transform="translate(12 %d) rotate(-90)" text-anchor="middle">%s</text>')
    :format(MT + (y0 - MT) // 2, esc(unit))
  b[#b + 1] = "</svg>"
  return table.concat(b)
end
-- }======


-- {====== the page ======
local CSS = [[
:root{--ink:#1b1f24;--mute:#5b6470;--line:#d5dae0;--bar:#3d6fb6;--neg:#c0504d;--ok:#1e7b3a;--bad:#b3261e}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);max-width:64rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.5rem;margin:0 0 .5rem}h2{font-size:1.15rem;margin:2rem 0 .6rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
h3{font-size:1rem;margin:0 0 .3rem}
.summary{white-space:pre-wrap;color:var(--mute);font-size:.9rem;margin:0}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--mute)}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
code,.v{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.86rem}
.run{color:var(--mute);font-size:.85rem}.meta span{margin-right:1.2rem}
.result{margin:1rem 0 1.6rem;break-inside:avoid;page-break-inside:avoid}
.charts{display:flex;flex-wrap:wrap;gap:.5rem 1rem}
svg.chart{max-width:100%;height:auto;font-family:inherit}
.axis{stroke:#6b7480;stroke-width:1}.grid{stroke:var(--line);stroke-width:1}
.bar{fill:var(--bar)}.bar.neg{fill:var(--neg)}.line{fill:none;stroke:var(--bar);stroke-width:2}
.mark{stroke:#8a6d00;stroke-width:1;stroke-dasharray:3 3}
.tick{font-size:11px;fill:var(--mute)}.label{font-size:12px;fill:var(--ink)}
.holds{color:var(--ok);font-weight:600}.fails{color:var(--bad);font-weight:600}
.error{border:2px solid var(--bad);padding:.6rem .8rem;margin:1rem 0;background:#fdf3f2}
.kind{font-size:.8rem;padding:0 .35rem;border-radius:.2rem;background:#eef1f4}
.kind.estimate,.kind.derived{background:#fff2cc}
a{color:#1f5aa6;overflow-wrap:anywhere}
.nw{white-space:nowrap}.wrap{overflow-wrap:anywhere;min-width:8rem}
@media print{body{max-width:none;padding:0;font-size:11pt}h2{break-after:avoid}a{color:inherit}}
]]

-- The leading comment of the model: its first paragraph is the title, the
-- rest the summary (as written, with its line breaks).
local function leading(source, model)
  local lines = {}
  for line in (source or ""):gmatch("([^\n]*)\n?") do
    local text = line:match("^%-%-+ ?(.*)$")
    if not text then
      if line:match("^#!") and #lines == 0 then goto continue end
      break
    end
    lines[#lines + 1] = text:gsub("%s+$", "")
    ::continue::
  end
  local title, i = {}, 1
  while lines[i] and lines[i] ~= "" do title[#title + 1] = lines[i]:gsub("^%s+", ""); i = i + 1 end
  while lines[i] == "" do i = i + 1 end
  local rest = table.move(lines, i, #lines, 1, {})
  local t = table.concat(title, " ")
  if t == "" then t = model end
  return t, table.concat(rest, "\n")
end

local function tr(cells, head)
  local tag = head and "th" or "td"
  local b = { "<tr>" }
  for _, c in ipairs(cells) do
    local cls, text = "", c
    if type(c) == "table" then cls, text = (' class="%s"'):format(c[2]), c[1] end
    b[#b + 1] = ("<%s%s>%s</%s>"):format(tag, cls, text, tag)
  end
  b[#b + 1] = "</tr>"
  return table.concat(b)
end

-- The inputs that move an uncertain value, or nil (not enough of them).
local function drivers(raw)
  local sens = rawget(_G, "sensitivity")
  if not sens or raw == nil then return nil end
  local ok, rows = pcall(sens, raw, true)
  if not ok or type(rows) ~= "table" or #rows < 2 then return nil end
  for _, r in ipairs(rows) do            -- nothing to show when no input moves it
    if type(r.rho) == "number" and math.abs(r.rho) >= 0.05 then return rows end
  end
  return nil
end

local function results_section(out, doc)
  out[#out + 1] = "<h2>Results</h2>"
  if #doc.results == 0 then out[#out + 1] = "<p>The model binds no results.</p>"; return end
  out[#out + 1] = '<table class="results"><thead>' .. tr({ { "line", "n" }, "name", "value" }, true) .. "</thead><tbody>"
  for _, r in ipairs(doc.results) do
    local name = r.kind == "uncertain" and ('<a href="#r-%s">%s</a>'):format(esc(r.anchor), esc(r.name)) or esc(r.name)
    out[#out + 1] = tr { { tostring(r.line or ""), "n" }, { name, "wrap" }, ('<span class="v">%s</span>'):format(esc(r.text or r.error or "")) }
  end
  out[#out + 1] = "</tbody></table>"
  local first = true
  for _, r in ipairs(doc.results) do
    if r.kind == "uncertain" and r.chart then
      if first then out[#out + 1] = "<h2>Uncertain results</h2>"; first = false end
      out[#out + 1] = ('<section class="result uncertain" id="r-%s"><h3>%s <span class="run">line %s</span></h3>')
        :format(esc(r.anchor), esc(r.name), tostring(r.line))
      local c = r.chart
      out[#out + 1] = ('<p class="v">%s</p><p class="run">mean <span class="v">%s</span>, sd <span class="v">%s</span>, median <span class="v">%s</span>; %s samples%s</p>')
        :format(esc(r.text), esc(c.mean_text or tick(r.mean)), esc(c.sd_text or tick(r.sd)), esc(c.p50_text or tick(r.p50)),
          commas(r.samples),
          (r.nan or 0) > 0 and (", %d not a number"):format(r.nan) or "")
      if r.chart.clipped then
        out[#out + 1] = '<p class="run">The charts show the middle 99% of the samples (a long tail would flatten them).</p>'
      end
      out[#out + 1] = '<div class="charts">' .. histogram(r) .. cdf(r)
      local rows = drivers(r.raw)
      if rows then out[#out + 1] = tornado(r.name, rows) end
      out[#out + 1] = "</div></section>"
    end
  end
end

local function claims_section(out, doc, D)
  local list = D and D.claims or {}
  out[#out + 1] = "<h2>Claims</h2>"
  if #list == 0 then out[#out + 1] = "<p>The model makes no claims.</p>"; return end
  out[#out + 1] = '<table class="claims"><thead>' .. tr({ { "line", "n" }, "claim", { "P", "n" }, { "threshold", "n" }, "verdict" }, true) .. "</thead><tbody>"
  for _, c in ipairs(list) do
    local pcell, verdict = D.claim_cells(c)
    out[#out + 1] = tr { { tostring(c.line or ""), "n" }, esc(c.text), { esc(pcell), "n v" },
      { c.threshold and ("%g"):format(c.threshold) or "", "n" }, { esc(verdict), c.holds and "holds" or "fails" } }
  end
  out[#out + 1] = "</tbody></table>"
  for _, c in ipairs(list) do
    local rows = c.cond ~= nil and drivers(c.cond)
    if rows then
      out[#out + 1] = ('<section class="result"><h3>What decides “%s”</h3><div class="charts">%s</div></section>')
        :format(esc(c.text), tornado("the claim", rows))
    end
  end
end

-- The cash flows by year of every result that is a finance series or has
-- :cashflows() (a contract, a deal, a site), as bars; at most 12.
local function cashflows(doc)
  local ok, finance = pcall(require, "finance")
  local Series = ok and type(finance) == "table" and finance.Series
  local out, seen = {}, {}
  for _, r in ipairs(doc.results) do
    local v = r.raw
    local s
    if Series and getmetatable(v) == Series then s = v
    elseif type(v) == "table" and getmetatable(v) and type(v.cashflows) == "function" then
      local okc, got = pcall(v.cashflows, v)
      if okc and Series and getmetatable(got) == Series then s = got end
    end
    if s and not seen[v] and #out < 12 then
      seen[v] = true
      local okb, rows = pcall(s.by_year, s)
      if okb and type(rows) == "table" and #rows > 0 then
        local years, big, unit = {}, 0, "$"
        for _, row in ipairs(rows) do
          local x = doc.tofloat(row.total)
          if x == nil then years = nil; break end
          years[#years + 1] = { label = tostring(row.year), value = x, text = tostring(row.total) }
          big = math.max(big, math.abs(x))
        end
        if years then
          local t = tostring(rows[1].total):gsub("^\226\137\136", ""):gsub("^%-", "")
          unit = t:match("^%$") and "$" or t:match("^(%a+) ") or "money"
          out[#out + 1] = { name = r.name, unit = unit, years = years }
        end
      end
    end
  end
  return out
end

local function cashflow_section(out, flows)
  if not flows or #flows == 0 then return end
  out[#out + 1] = "<h2>Cash flows by year</h2>"
  for _, c in ipairs(flows) do
    out[#out + 1] = ('<section class="result"><h3>%s</h3><div class="charts">%s</div></section>')
      :format(esc(c.name), cashbars(c.name, c.unit, c.years))
  end
end

-- {====== provenance: the catalog entries used ======
-- Fields of chips and racks in the order analysts read them; others after.
local ORDER = { "bf16", "fp8", "hbm", "hbm_bw", "power", "allin_power", "utility_power", "price",
  "in_rack_price", "price_per_chip", "overhead", "network_share", "count", "announced", "release",
  "scale_up", "pod", "cluster", "cloud", "tco" }

local function figure_text(v)
  if type(v) == "table" and getmetatable(v) == nil then
    if v.lo ~= nil then return ("%s to %s"):format(tostring(v.lo), tostring(v.hi)) end
    if v.rate ~= nil then return tostring(v.rate) end
    local parts = {}
    for k, x in pairs(v) do
      if type(x) ~= "table" then parts[#parts + 1] = ("%s %s"):format(k, tostring(x)) end
    end
    table.sort(parts)
    if #parts > 0 then return table.concat(parts, ", ") end
    return #v > 0 and ("%d entries"):format(#v) or ""
  end
  return tostring(v)
end

local function kind_text(k)
  if type(k) == "table" then
    if k.lo == k.hi then return tostring(k.lo) end
    return ("low end %s, high end %s"):format(tostring(k.lo), tostring(k.hi))
  end
  return tostring(k or "?")
end

-- The ids of the sources that cover a field.
local function covering(sources, field)
  local ids = {}
  for _, s in ipairs(sources or {}) do
    for _, c in ipairs(s.covers or {}) do
      if c == field then ids[#ids + 1] = s.id or s.title; break end
    end
  end
  return table.concat(ids, ", ")
end

-- One used entry as { title, what, figures = {field, text, kind, sources}, sources }.
local function describe_used(u)
  local e, out = u.entry, { figures = {}, sources = {} }
  if u.what == "site" then
    out.title, out.what = u.key, ("site figure · sites.typical(%q)"):format(u.key)
    local text = tostring(e.value)
    if e.lo then text = ("%s (range %s to %s)"):format(text, tostring(e.lo), tostring(e.hi)) end
    if e.bound then text = ("%s (a %s bound)"):format(text, e.bound) end
    out.figures[1] = { field = u.key, text = text, kind = e.kind or "?", sources = e.what and clean(e.what) or "" }
    for _, s in ipairs(e.sources or {}) do
      out.sources[#out.sources + 1] = { id = s.id, title = s.title, date = s.date, kind = s.kind or e.kind, url = s.url }
    end
    return out
  end
  out.title = ("%s%s"):format(e.name or u.key, e.name and e.name ~= u.key and (" (" .. u.key .. ")") or "")
  out.what = u.what == "chip" and ("chip · chips.get(%q)"):format(u.key) or ("rack · racks.get(%q)"):format(u.key)
  local seen = {}
  local function add(field)
    local kind = e.kinds and e.kinds[field]
    if seen[field] or kind == nil then return end
    seen[field] = true
    local v = field == "price" and (rawget(e, "_price") or rawget(e, "price")) or rawget(e, field)
    if v == nil then return end
    local text = figure_text(v)
    if e.bounds and e.bounds[field] then text = ("%s (a %s bound)"):format(text, e.bounds[field]) end
    out.figures[#out.figures + 1] = { field = field, text = text, kind = kind_text(kind), sources = covering(e.sources, field) }
  end
  for _, f in ipairs(ORDER) do add(f) end
  local rest = {}
  for f in pairs(e.kinds or {}) do if not seen[f] then rest[#rest + 1] = f end end
  table.sort(rest)
  for _, f in ipairs(rest) do add(f) end
  for _, s in ipairs(e.sources or {}) do out.sources[#out.sources + 1] = s end
  return out
end
-- }======

-- Every catalog entry the model looked up, its figures with their kinds, and
-- its sources with title, date and link.
local function provenance_section(out, used)
  out[#out + 1] = "<h2>Sources of catalog figures</h2>"
  if #used == 0 then out[#out + 1] = "<p>The model uses no catalog figure.</p>"; return end
  out[#out + 1] = '<p class="run">Every catalog entry the run looked up, with each figure it holds and whether a source reports it, an analyst estimated it, or it is derived from sourced figures.</p>'
  for _, raw in ipairs(used) do
    local u = describe_used(raw)
    out[#out + 1] = ('<section class="result"><h3>%s <span class="run">%s</span></h3>'):format(esc(u.title), esc(u.what))
    if #u.figures > 0 then
      out[#out + 1] = '<table class="figures"><thead>' .. tr({ "figure", "value", "kind", "sources" }, true) .. "</thead><tbody>"
      for _, fg in ipairs(u.figures) do
        out[#out + 1] = tr { ("<code>%s</code>"):format(esc(fg.field)), ('<span class="v">%s</span>'):format(esc(fg.text)),
          ('<span class="kind %s">%s</span>'):format(esc(fg.kind), esc(fg.kind)), { esc(fg.sources or ""), #(fg.sources or "") > 24 and "wrap" or "nw" } }
      end
      out[#out + 1] = "</tbody></table>"
    end
    out[#out + 1] = '<table class="sources"><thead>' .. tr({ "id", "source", "date", "kind", "link" }, true) .. "</thead><tbody>"
    for _, s in ipairs(u.sources) do
      local url = s.url and tostring(s.url) or ""
      local link = url:match("^https?://") and ('<a href="%s">%s</a>'):format(esc(url), esc(url)) or esc(url)
      out[#out + 1] = tr { { esc(s.id or ""), "nw" }, esc(s.title or "?"), { esc(s.date or "undated"), "nw" },
        { ('<span class="kind %s">%s</span>'):format(esc(s.kind or "?"), esc(s.kind or "?")), "nw" }, link }
    end
    out[#out + 1] = "</tbody></table></section>"
  end
end

-- The page for the document doc (what --json writes, plus source, chart data,
-- the catalog entries used and cash flows); returns the HTML text.
function report.page(doc)
  local D = rawget(_G, "__deal")
  local title, summary = leading(doc.source, doc.model)
  local seen = {}
  for i, r in ipairs(doc.results) do         -- anchors unique and plain ASCII
    local a = tostring(r.name):gsub("[^%w_%-]", "_")
    if seen[a] then a = a .. "-" .. i end
    seen[a] = true
    r.anchor = a
  end
  local out = { "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
    ("<title>%s</title><style>%s</style></head><body>"):format(esc(title), CSS),
    ("<header><h1>%s</h1>"):format(esc(title)) }
  if summary ~= "" then out[#out + 1] = ('<p class="summary">%s</p>'):format(esc(summary)) end
  out[#out + 1] = ('<p class="run meta"><span>model <code>%s</code></span><span>seed %s</span><span>%s samples</span><span>Dealscript %s</span>%s</p></header>')
    :format(esc(doc.model), esc(tostring(doc.seed)), esc(commas(doc.samples)),
      esc(doc.version), doc.sha256 and ('<span>SHA-256 <code>%s</code></span>'):format(esc(doc.sha256:sub(1, 16) .. "…")) or "")
  if doc.error then
    local e = doc.error
    local where = e.file and ("%s:%s: "):format(e.file, tostring(e.line)) or ""
    if (e.message or ""):sub(1, #where) == where then where = "" end   -- it says where already
    out[#out + 1] = ('<div class="error" role="alert"><strong>The run stopped with an error</strong> (the results below are those it reached):<br><code>%s%s</code></div>')
      :format(esc(where), esc(e.message or ""))
  end
  results_section(out, doc)
  claims_section(out, doc, D)
  cashflow_section(out, cashflows(doc))
  provenance_section(out, S.used)
  out[#out + 1] = '<footer class="run"><p>Written by <code>deal report</code>. Values are printed as the terminal prints them; charts are drawn from the run\'s samples in each result\'s unit.</p></footer>'
  out[#out + 1] = "</body></html>\n"
  return table.concat(out, "\n")
end
-- }======

report.esc, report.tick, report.ticks = esc, tick, ticks
report.histogram, report.cdf, report.tornado, report.cashbars = histogram, cdf, tornado, cashbars
return report

#!/bin/sh
# bench/translate_input.sh [OUT] [BYTES]: writes a realistic .deal file of
# about BYTES bytes (default 1 MiB) for benchmarking the translator: units,
# money, ranges, arithmetic, conditions, functions and tables.
# Default OUT is build/translate_bench.deal (relative to the repository).
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/build/translate_bench.deal}
BYTES=${2:-1048576}
mkdir -p "$(dirname "$OUT")"
awk -v bytes="$BYTES" 'BEGIN {
  n = 0; i = 0
  while (n < bytes) {
    i++
    s = sprintf("do -- site %d: power, chips and money\n", i)
    s = s sprintf("local site%d = sites.new { name = \"campus %d\", power = %d MW, pue = 1.%d,\n", i, i, 100 + i % 900, 10 + i % 30)
    s = s sprintf("  price = $0.0%d/kWh, build = $%d.5M/MW, online = \"202%d-0%d-01\" }\n", 3 + i % 6, 8 + i % 5, 6 + i % 4, 1 + i % 9)
    s = s sprintf("local chips%d = %dk chip * (1.%d to 1.%d)\n", i, 10 + i % 90, i % 5, 5 + i % 5)
    s = s sprintf("local cost%d = ($15k to $25k)/chip * chips%d + EUR %dM + 21B USD / %d\n", i, i, 1 + i % 9, 2 + i % 7)
    s = s sprintf("local energy%d = site%d.power * 8760 h * 0.%d + 4.6 PFLOP/s * 3 h\n", i, i, 50 + i % 49)
    s = s sprintf("local function npv%d(rate, years, ...)\n", i)
    s = s "  local total = 0\n"
    s = s "  for y = 1, years do\n"
    s = s sprintf("    total = total + cost%d / (1 + rate) ^ y - energy%d * $0.05/kWh\n", i, i)
    s = s "  end\n"
    s = s "  if total > $1B and not (rate < 5%) or select(\"#\", ...) > 0 then\n"
    s = s sprintf("    return total * 1.%d, rate and years or 10\n", i % 10)
    s = s "  elseif total <= 0 then return -total end\n"
    s = s "  return total\n"
    s = s "end\n"
    s = s sprintf("claim(\"site %d pays back\", P(npv%d(7.5%%, 10) < $%dB) >= 0.9)\n", i, i, 1 + i % 20)
    s = s sprintf("local t%d = { a = 1, b = \"two\", [3] = 64 chip/rack, list = {1, 2, 3, 0x%X}, f = function(x) return x // 2 %% 7 end }\nend\n\n", i, i)
    printf "%s", s
    n += length(s)
  }
}' > "$OUT"
echo "$OUT"

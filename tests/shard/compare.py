"""tests/shard/compare.py SINGLE MERGED [N]: is MERGED (deal merge --json of
N parts) what SINGLE (deal --json of the same run) says? Prints one line per
disagreement and exits 1 when there is any; else prints a summary (how
many quantiles are equal, the worst relative difference) and exits 0.

The rules are docs/scale.md's: the header, every claim, every mean, sd, P
and count the single run's bit for bit; each quantile equal or within the
grid's bound (2^-12 of the value; values near 0 share a bucket below
top / 2^24); the text of an uncertain value the run's up to the interval
ends; an object's text (merged from its template: docs/scale.md) the
run's up to the interval ends of the values it shows; other results the
run's, or marked as differing between shards (only when N > 1); with one
part, the very document."""
import json
import re
import sys

BOUND = 2.0 ** -12
MARK = "(differs between shards"

single_text = open(sys.argv[1], encoding="utf-8").read()
merged_text = open(sys.argv[2], encoding="utf-8").read()
nparts = int(sys.argv[3]) if len(sys.argv) > 3 else 2
s, m = json.loads(single_text), json.loads(merged_text)
bad, quantiles, equal, worst = [], 0, 0, (0.0, "")
objects, objects_equal = 0, 0
CI = re.compile(r"\(90% CI [^()]*\)")

if nparts == 1 and single_text != merged_text:
    bad.append("one part: the merged document is not the single run's, byte for byte")
for key in ("version", "model", "sha256", "seed", "samples", "error"):
    if s.get(key) != m.get(key):
        bad.append(f"header {key}: {s.get(key)!r} merged as {m.get(key)!r}")
if s["claims"] != m["claims"]:
    bad.append(f"claims differ: {s['claims']} merged as {m['claims']}")
if len(s["results"]) != len(m["results"]):
    bad.append(f"{len(s['results'])} results, merged {len(m['results'])}")


def near_zero(r):
    # the bucket near 0 spans top / 2^24, top <= 2 * the largest |sample|
    big = max(abs(r["p5"]), abs(r["p95"]), abs(r["mean"]) + 10 * r["sd"])
    return 2 * big * 2.0 ** -24


for a, b in zip(s["results"], m["results"]):
    name = f"{a['name']} (line {a['line']})"
    for key in ("name", "line", "kind"):
        if a[key] != b[key]:
            bad.append(f"{name}: {key} {a[key]!r} merged as {b[key]!r}")
    if b["text"].startswith(MARK):
        if nparts == 1 or a["kind"] in ("uncertain", "condition"):
            bad.append(f"{name}: marked as differing between shards")
        continue
    if a["kind"] == "uncertain":
        for key in ("unit", "dimension", "mean", "sd", "samples", "nan", "exact"):
            if a[key] != b[key]:
                bad.append(f"{name}: {key} {a[key]!r} merged as {b[key]!r}")
        for q in ("p5", "p50", "p95"):
            quantiles += 1
            d = abs(a[q] - b[q])
            if d == 0:
                equal += 1
            rel = d / abs(a[q]) if a[q] else d
            if rel > worst[0]:
                worst = (rel, f"{name} {q}: {a[q]!r} merged as {b[q]!r}")
            if d > BOUND * abs(a[q]) + near_zero(a):
                bad.append(f"{name}: {q} {a[q]!r} merged as {b[q]!r}: beyond the bound")
        # the mean as printed is exact; the interval's ends may round apart
        if a["text"].split(" (90% CI")[0] != b["text"].split(" (90% CI")[0]:
            bad.append(f"{name}: text {a['text']!r} merged as {b['text']!r}")
    elif a["kind"] == "object" and a.keys() == b.keys():
        objects += 1
        objects_equal += a == b
        # the values' means as printed are exact; their interval ends may round apart
        if CI.sub("(90% CI)", a["text"]) != CI.sub("(90% CI)", b["text"]):
            bad.append(f"{name}: text {a['text']!r} merged as {b['text']!r}")
    elif a != b:
        bad.append(f"{name}: {a} merged as {b}")

for line in bad:
    print("#", line)
if bad:
    sys.exit(1)
print(f"{quantiles} quantiles, {equal} equal, worst {worst[0]:.2g} ({worst[1]}); "
      f"{objects} objects, {objects_equal} with the run's very text")

#!/usr/bin/env python3
"""merge_compare.py SINGLE.json MERGED.json: is a merge what one run printed?

SINGLE is `deal --json` of a model, MERGED is `deal merge --json` of the parts
of the same model, seed and samples. Everything must be equal, value for
value (means, sds, probabilities, claim verdicts, exact numbers, names,
lines), except:
  - quantiles (keys p1, p5, p50, ...), which may differ by the merge's bound:
    2^-12 of the value (docs/architecture.md, "For shards");
  - the confidence intervals inside a result's text, "(90% CI a … b)", made
    of those quantiles; the rest of the text must be equal;
  - "model", the path the model was named by, compared by its file name.
Prints one line per difference (at most 20) and exits 1 when there is one;
exits 2 when there is nothing to compare (no uncertain result, no claim).
On success prints what it compared.
"""
import json
import math
import os
import re
import sys

QUANTILE = re.compile(r"^p\d+(\.\d+)?$")
CI = re.compile(r"\(\d+(\.\d+)?% CI [^)]*\)")
BOUND = 2.0 ** -12

diffs = []
counts = {"values": 0, "quantiles": 0, "claims": 0, "uncertain": 0}
worst = [0.0]


def differ(path, a, b, why=""):
    diffs.append(f"{path}: single {a!r}, merged {b!r}{why}")


def close_quantile(a, b):
    if a == b:
        return True
    if not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        return False
    rel = abs(a - b) / max(abs(a), abs(b))
    worst[0] = max(worst[0], rel)
    return rel <= BOUND


def walk(path, a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        if a.get("kind") == "uncertain":
            counts["uncertain"] += 1
        for k in sorted(set(a) | set(b)):
            p = f"{path}.{k}" if path else k
            if k not in a or k not in b:
                differ(p, a.get(k, "(absent)"), b.get(k, "(absent)"))
            elif path == "" and k == "model":
                if os.path.basename(str(a[k])) != os.path.basename(str(b[k])):
                    differ(p, a[k], b[k])
            elif QUANTILE.match(k):
                counts["quantiles"] += 1
                if not close_quantile(a[k], b[k]):
                    differ(p, a[k], b[k], f" (beyond 2^-12 of the value)")
            elif k == "text" and isinstance(a[k], str) and isinstance(b[k], str):
                counts["values"] += 1
                if CI.sub("(CI)", a[k]) != CI.sub("(CI)", b[k]):
                    differ(p, a[k], b[k])
            else:
                walk(p, a[k], b[k])
        return
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            differ(path, f"{len(a)} items", f"{len(b)} items")
        for i, (x, y) in enumerate(zip(a, b)):
            walk(f"{path}[{i}]", x, y)
        return
    counts["values"] += 1
    same = a == b and type(a) == type(b)
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        same = True
    if not same:
        differ(path, a, b)


def main():
    single, merged = (json.load(open(f, encoding="utf-8")) for f in sys.argv[1:3])
    walk("", single, merged)
    counts["claims"] = len(single.get("claims") or [])
    if diffs:
        for d in diffs[:20]:
            print(d)
        if len(diffs) > 20:
            print(f"... {len(diffs) - 20} more")
        return 1
    if counts["uncertain"] == 0 or counts["claims"] == 0:
        print(f"nothing to compare: {counts['uncertain']} uncertain results, "
              f"{counts['claims']} claims")
        return 2
    print(f"{counts['uncertain']} uncertain results, {counts['claims']} claims, "
          f"{counts['values']} values equal; {counts['quantiles']} quantiles, "
          f"largest relative difference {worst[0]:.2g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

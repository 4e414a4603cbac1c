# tests/results/check.py DEAL SCHEMA LABEL FILE.json [MODEL]: checks one
# real `deal --json` document and prints TAP lines:
#   - it is valid JSON (UTF-8, strict) and valid against docs/results.schema.json
#     (Debian's python3-jsonschema when /usr/bin/python3 has it);
#   - every number agrees with its text: the leading figure of `text` is
#     `value` (or `mean`, or `p`) rounded to the digits the text shows, so
#     a value in the wrong unit fails;
#   - `value` is the double nearest `fraction` (exact values round-trip);
#   - what deal prints parses back: num("<value> <unit>") has the record's
#     dimension, and for exact values tostring(num("<fraction> <unit>")) is
#     the record's text (run through DEAL itself);
#   - with MODEL: sha256 is the SHA-256 of the model file.
import hashlib, json, re, subprocess, sys, tempfile
from fractions import Fraction

deal, schema_path, label, path = sys.argv[1:5]
model = sys.argv[5] if len(sys.argv) > 5 else None
n = 0


def check(good, name, diag=""):
    global n
    n += 1
    print(("ok - " if good else "not ok - ") + f"{label}: {name}")
    if not good and diag:
        for line in str(diag).splitlines()[:12]:
            print("#   " + line)
    return good


raw = open(path, "rb").read()
try:
    doc = json.loads(raw.decode("utf-8", errors="strict"))
except Exception as e:
    check(False, "valid UTF-8 JSON", f"{e}: {raw[:300]!r}")
    sys.exit(0)
check(True, "valid UTF-8 JSON")

try:
    import jsonschema
    v = jsonschema.Draft202012Validator(json.load(open(schema_path)))
    errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    check(not errors, "valid against docs/results.schema.json",
          "\n".join(f"{list(e.path)}: {e.message[:200]}" for e in errors[:5]))
except ImportError:
    print(f"ok - {label}: schema # SKIP python3-jsonschema is not installed")

if model:
    want = hashlib.sha256(open(model, "rb").read()).hexdigest()
    check(doc.get("sha256") == want, "sha256 is the model's SHA-256", f"{doc.get('sha256')} != {want}")

FIG = re.compile(r"^(?:P )?(?:≈ ?)?(-)?(?:\$|[A-Z]{3} )?([0-9][0-9,]*(?:\.[0-9]+)?)(?:e([+-]?[0-9]+))?([kMBT])?")
SCALE = {"k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12, None: 1}


def figure(text):
    """The leading figure of a text and half a unit of its last nonzero digit."""
    m = FIG.match(text)
    if not m:
        return None
    sign, digits, exp, suf = m.groups()
    d = digits.replace(",", "")
    x = float(d) * (10 ** int(exp) if exp else 1) * SCALE[suf] * (-1 if sign else 1)
    whole, _, frac = d.partition(".")
    if frac.rstrip("0"):
        place = 10.0 ** -len(frac.rstrip("0"))
    else:
        place = 10.0 ** (len(whole) - len(whole.rstrip("0")))
    return x, place / 2 * (10 ** int(exp) if exp else 1) * SCALE[suf]


bad = []
for r in doc.get("results", []):
    kind, text = r["kind"], r["text"]
    shown = {"number": r.get("value"), "uncertain": r.get("mean"), "condition": r.get("p")}.get(kind)
    if isinstance(shown, (int, float)) and not isinstance(shown, bool):
        f = figure(text)
        if f and abs(f[0] - shown) > f[1] * (1 + 1e-9) + 1e-12 * abs(shown):
            bad.append(f"{r['name']}: text {text!r} shows {f[0]}, but the record says {shown} {r.get('unit', '')}")
check(not bad, "text, value and unit agree for every result", "\n".join(bad))

bad = []
for r in doc.get("results", []):
    if "fraction" in r and isinstance(r.get("value"), (int, float)):
        if float(Fraction(r["fraction"])) != r["value"]:
            bad.append(f"{r['name']}: value {r['value']!r} is not the double nearest {r['fraction']}")
check(not bad, "each exact value is the double nearest its fraction", "\n".join(bad))

# through deal: parse back what was exported
lines, expect = [], []
for r in doc.get("results", []):
    shown = r.get("value") if r["kind"] == "number" else r.get("mean") if r["kind"] == "uncertain" else None
    if not isinstance(shown, (int, float)) or isinstance(shown, bool) or "unit" not in r:
        continue
    unit = (" " + r["unit"]) if r["unit"] else ""
    lines.append(f"print(units.dim(num({json.dumps(repr(shown) + unit)})))")
    expect.append((r["name"], "dimension", r["dimension"]))
    if "fraction" in r:
        lines.append(f"print(tostring(num({json.dumps(r['fraction'] + unit)})))")
        expect.append((r["name"], "text", r["text"]))
if lines:
    with tempfile.NamedTemporaryFile("w", suffix=".deal", delete=False) as f:
        f.write("\n".join(lines) + "\n")
    out = subprocess.run([deal, f.name], capture_output=True, text=True)
    got = out.stdout.split("\n")
    bad = [f"{name}: {what} {want!r}, parsed back {g!r}"
           for (name, what, want), g in zip(expect, got) if g != want]
    if out.returncode != 0:
        bad.append("deal failed: " + out.stderr[:300])
    check(not bad, f"{len(expect)} exported figures parse back to their dimension and text", "\n".join(bad))

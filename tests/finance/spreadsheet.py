#!/usr/bin/env python3
"""tests/finance/spreadsheet.py OUTDIR: the spreadsheet-agreement cases.

Writes OUTDIR/cases.fods, a flat ODF spreadsheet with one formula per row
(NPV, IRR, XNPV, XIRR, MIRR, PMT, IPMT, PPMT, PV, FV, NPER, RATE, SLN, DDB,
VDB, EFFECT, NOMINAL) over random inputs, and OUTDIR/cases.lua, the same
cases for deal (tests/finance/compare.lua). LibreOffice computes the sheet
headless (run.sh); deal computes the cases; compare.lua matches them row by
row. The inputs are short decimals, so both sides read the same numbers.
The seed is fixed: the cases are the same on every run.

For the functions whose value is rational (NPV, PMT, IPMT, PPMT, PV, FV, SLN,
DDB and VDB at whole periods, EFFECT), cases.lua also carries the exact value
of the spreadsheet's own formula computed with Python's fractions: where
LibreOffice and deal differ, it says which one rounded.
"""
import datetime
import math
import os
import random
import sys
from fractions import Fraction as Q

rng = random.Random(20260101)
cases = []   # (fn, args) ; args: list of numbers (as text) or lists of them


def dec(x, places):
    """x rounded to `places` decimals, as text without exponent."""
    s = f"{x:.{places}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def rate(lo=-0.05, hi=0.25, places=4):
    return dec(rng.uniform(lo, hi), places)


def money(lo, hi, places=2):
    return dec(rng.uniform(lo, hi), places)


def flows(n, first=(-100000, -100), rest=(-20000, 60000), neg=0.15):
    out = [money(*first)]
    for _ in range(n - 1):
        out.append(money(rest[0], 0) if rng.random() < neg else money(0, rest[1]))
    return out


def dates(n, years=5):
    d = datetime.date(rng.randint(2000, 2030), rng.randint(1, 12), rng.randint(1, 28))
    out = [d]
    for _ in range(n - 1):
        d = d + datetime.timedelta(days=rng.randint(1, int(365 * years / n) * 2 + 1))
        out.append(d)
    return [x.isoformat() for x in out]


def add(fn, *args):
    cases.append((fn, list(args)))


# -- cash flows -------------------------------------------------------------
for _ in range(60):
    add("NPV", rate(-0.5, 0.6), flows(rng.randint(1, 25)))
for _ in range(70):
    n = rng.randint(2, 30)
    f = flows(n, rest=(-20000, rng.choice([30000, 60000, 150000])), neg=rng.choice([0, 0.1, 0.3]))
    add("IRR", f, None)
for _ in range(15):
    add("IRR", flows(rng.randint(3, 12), neg=0.4), rate(-0.3, 0.5, 2))
# several roots: the guess decides which one a spreadsheet returns
for g in ("0.05", "0.15", "0.25", "-0.5"):
    add("IRR", ["-100", "230", "-132"], g)
add("IRR", ["-100", "60", "60", "-10"], None)
add("IRR", ["-100", "60", "60", "-10"], "-0.9")
# high returns, far from the 10% guess
for _ in range(8):
    add("IRR", [money(-1000, -100)] + [money(500, 5000) for _ in range(rng.randint(1, 6))], None)
for _ in range(60):
    n = rng.randint(2, 25)
    add("XNPV", rate(-0.2, 0.4), flows(n), dates(n))
for _ in range(60):
    n = rng.randint(2, 25)
    add("XIRR", flows(n, neg=rng.choice([0, 0.1, 0.3])), dates(n, rng.choice([1, 3, 8])), None)
add("XIRR", ["-10000", "2750", "4250", "3250", "2750"],
    ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"], None)
add("XNPV", "0.09", ["-10000", "2750", "4250", "3250", "2750"],
    ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"])
for _ in range(50):
    add("MIRR", flows(rng.randint(2, 20), neg=0.3), rate(0, 0.2), rate(0, 0.2))
add("MIRR", ["-120000", "39000", "30000", "21000", "37000", "46000"], "0.1", "0.12")

# -- loans and annuities ----------------------------------------------------
def loan():
    r = rate(0.0001, 0.02, 5) if rng.random() < 0.5 else rate(0.001, 0.15)
    n = rng.choice([rng.randint(1, 40), rng.randint(12, 360)])
    return r, n, money(1000, 5e6), money(-1e5, 1e5) if rng.random() < 0.4 else "0", rng.choice(["0", "1"])


for _ in range(45):
    r, n, pv, fv, t = loan()
    add("PMT", r, str(n), pv, fv, t)
add("PMT", "0", "12", "1200", "0", "0")
for _ in range(45):
    r, n, pv, fv, t = loan()
    add("IPMT", r, str(rng.randint(1, n)), str(n), pv, fv, t)
for _ in range(45):
    r, n, pv, fv, t = loan()
    add("PPMT", r, str(rng.randint(1, n)), str(n), pv, fv, t)
for _ in range(25):
    r, n, pv, fv, t = loan()
    add("PV", r, str(n), money(-50000, -100), fv, t)
for _ in range(25):
    r, n, pv, fv, t = loan()
    add("FV", r, str(n), money(-50000, -100), pv, t)
for _ in range(20):
    r, n, pv, fv, t = loan()
    pmt = -float(pv) * (float(r) + 0.02)        # pays more than the interest
    add("NPER", r, dec(pmt, 2), pv, "0", t)
for _ in range(20):
    r, n, pv, fv, t = loan()
    pmt = -float(pv) * (float(r) / (1 - (1 + float(r)) ** -n)) * rng.uniform(0.9, 1.1)
    add("RATE", str(n), dec(pmt, 2), pv, "0", t)
for _ in range(10):
    add("EFFECT", rate(0.001, 0.3), str(rng.choice([1, 2, 4, 12, 52, 365])))
    add("NOMINAL", rate(0.001, 0.3), str(rng.choice([1, 2, 4, 12, 52, 365])))

# -- depreciation -----------------------------------------------------------
for _ in range(20):
    add("SLN", money(1000, 1e6), money(0, 500), dec(rng.uniform(1, 40), rng.choice([0, 1])))
for _ in range(50):
    life = rng.randint(2, 30)
    cost = money(1000, 1e6)
    salvage = money(0, float(cost) * 0.3)
    add("DDB", cost, salvage, str(life), str(rng.randint(1, life)), rng.choice(["2", "1.5", "3", "1"]))
for _ in range(40):
    life = rng.randint(2, 20)
    cost = money(1000, 1e6)
    a = rng.randint(0, life - 1)
    b = rng.randint(a + 1, life)
    add("VDB", cost, money(0, float(cost) * 0.3), str(life), str(a), str(b),
        rng.choice(["2", "1.5", "3"]), rng.choice(["0", "1"]))
for _ in range(30):
    life = rng.randint(2, 20)
    cost = money(1000, 1e6)
    a = round(rng.uniform(0, life - 0.5), 2)
    b = round(rng.uniform(a, life), 2)
    salvage, factor, noswitch = money(0, float(cost) * 0.3), rng.choice(["2", "1.5"]), rng.choice(["0", "1"])
    add("VDB", cost, salvage, str(life), dec(a, 2), dec(b, 2), factor, noswitch)
    # the same asset from 0: shows whether the spreadsheet's VDB is additive
    add("VDB", cost, salvage, str(life), "0", dec(a, 2), factor, noswitch)
    add("VDB", cost, salvage, str(life), "0", dec(b, 2), factor, noswitch)

# -- exact values: the spreadsheet's formulas in rational arithmetic --------
def q(x):
    return Q(x)


def fv_x(r, n, pmt, pv, t):
    if r == 0:
        return -(pv + pmt * n)
    g = (1 + r) ** n
    return -(pv * g + pmt * (1 + r * t) * (g - 1) / r)


def pmt_x(r, n, pv, fv, t):
    if r == 0:
        return -(pv + fv) / n
    g = (1 + r) ** n
    return -(fv + pv * g) * r / ((g - 1) * (1 + r * t))


def ipmt_x(r, per, n, pv, fv, t):
    p = pmt_x(r, n, pv, fv, t)
    if per == 1:
        return Q(0) if t else -pv * r
    if t:
        return (fv_x(r, per - 2, p, pv, 1) - p) * r
    return fv_x(r, per - 1, p, pv, 0) * r


def ddb_x(cost, salvage, life, period, factor):
    rate = factor / life
    if rate >= 1:
        rate, old = Q(1), (cost if period == 1 else Q(0))
    else:
        old = cost * (1 - rate) ** (period - 1)
    new = cost * (1 - rate) ** period
    d = old - salvage if new < salvage else old - new
    return max(d, Q(0))


def intervdb_x(cost, salvage, life, life1, period, factor):
    """LibreOffice's ScInterVDB at a whole period."""
    vdb, left, switched, lia = Q(0), cost - salvage, False, Q(0)
    for i in range(1, period + 1):
        if not switched:
            gda = ddb_x(cost, salvage, life, i, factor)
            lia = left / (life1 - (i - 1))
            if lia > gda:
                term, switched = lia, True
            else:
                term, left = gda, left - gda
        else:
            term = lia
        vdb += term
    return vdb


def vdb_x(cost, salvage, life, a, b, factor, noswitch):
    if noswitch:
        return sum((ddb_x(cost, salvage, life, i, factor) for i in range(a + 1, b + 1)), Q(0))
    cost2 = cost - intervdb_x(cost, salvage, life, life, a, factor)
    return intervdb_x(cost2, salvage, life, life - a, b - a, factor)


def exact(fn, a):
    """The exact value of a case, as text with 25 significant digits, or None."""
    try:
        if fn == "NPV":
            r = q(a[0])
            v = sum(q(x) / (1 + r) ** (i + 1) for i, x in enumerate(a[1]))
        elif fn in ("PMT", "IPMT", "PPMT", "PV", "FV"):
            r = q(a[0])
            if fn == "PMT":
                v = pmt_x(r, int(a[1]), q(a[2]), q(a[3]), int(a[4]))
            elif fn == "PV":
                n, pmt, fv, t = int(a[1]), q(a[2]), q(a[3]), int(a[4])
                v = -(fv + pmt * n) if r == 0 else -(fv / (1 + r) ** n + pmt * (1 + r * t) * (1 - (1 + r) ** -n) / r)
            elif fn == "FV":
                v = fv_x(r, int(a[1]), q(a[2]), q(a[3]), int(a[4]))
            else:
                per, n, pv, fv, t = int(a[1]), int(a[2]), q(a[3]), q(a[4]), int(a[5])
                v = ipmt_x(r, per, n, pv, fv, t)
                if fn == "PPMT":
                    v = pmt_x(r, n, pv, fv, t) - v
        elif fn == "SLN":
            v = (q(a[0]) - q(a[1])) / q(a[2])
        elif fn == "DDB":
            v = ddb_x(q(a[0]), q(a[1]), q(a[2]), int(a[3]), q(a[4]))
        elif fn == "VDB" and "." not in a[3] + a[4]:
            v = vdb_x(q(a[0]), q(a[1]), q(a[2]), int(a[3]), int(a[4]), q(a[5]), a[6] == "1")
        elif fn == "EFFECT":
            m = int(a[1])
            v = (1 + q(a[0]) / m) ** m - 1
        else:
            return None
    except ZeroDivisionError:
        return None
    return sci(v)


def sci(v):
    """A fraction as decimal text with 25 significant digits."""
    if v == 0:
        return "0"
    sign = "-" if v < 0 else ""
    v = abs(v)
    e = math.floor(math.log10(v.numerator) - math.log10(v.denominator))
    m = v / Q(10) ** e
    while m >= 10:
        m, e = m / 10, e + 1
    while m < 1:
        m, e = m * 10, e - 1
    digits = round(m * Q(10) ** 24)
    return f"{sign}{digits}e{e - 24}"


# -- the spreadsheet --------------------------------------------------------
HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:body><office:spreadsheet><table:table table:name="cases">
"""
TAIL = "</table:table></office:spreadsheet></office:body></office:document>\n"
COL0 = 3   # lists start in column C


def colname(i):
    s = ""
    while i > 0:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_num(v):
    return f'<table:table-cell office:value-type="float" office:value="{v}"/>'


def cell_date(d):
    return f'<table:table-cell office:value-type="date" office:date-value="{d}"/>'


def rng_ref(row, n):
    return f"[.{colname(COL0)}{row}:.{colname(COL0 + n - 1)}{row}]"


def formula(fn, args, row):
    """The formula of a case whose lists sit in this row and the next."""
    a = args
    if fn == "NPV":
        return f"NPV({a[0]};{rng_ref(row, len(a[1]))})", [a[1]]
    if fn == "IRR":
        g = f";{a[1]}" if a[1] is not None else ""
        return f"IRR({rng_ref(row, len(a[0]))}{g})", [a[0]]
    if fn == "XNPV":
        return f"XNPV({a[0]};{rng_ref(row, len(a[1]))};{rng_ref(row + 1, len(a[2]))})", [a[1], a[2]]
    if fn == "XIRR":
        return f"XIRR({rng_ref(row, len(a[0]))};{rng_ref(row + 1, len(a[1]))})", [a[0], a[1]]
    if fn == "MIRR":
        return f"MIRR({rng_ref(row, len(a[0]))};{a[1]};{a[2]})", [a[0]]
    return f"{fn}({';'.join(a)})", []


def main(out):
    rows, lua = [], ["-- generated by tests/finance/spreadsheet.py: one case per row of cases.fods", "return {"]
    r = 1
    for fn, args in cases:
        f, lists = formula(fn, args, r)
        cells = [f'<table:table-cell table:formula="of:={f}"/>',
                 f'<table:table-cell office:value-type="string"><text:p>{fn}</text:p></table:table-cell>']
        first = lists[0] if lists else []
        cells += [cell_num(v) for v in first]
        rows.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
        if len(lists) > 1:   # the dates, on the next row
            rows.append("<table:table-row><table:table-cell/><table:table-cell/>"
                        + "".join(cell_date(d) for d in lists[1]) + "</table:table-row>")
        def lit(x):
            if x is None:
                return "false"
            if isinstance(x, list):
                return "{" + ", ".join(lit(y) for y in x) + "}"
            return f'"{x}"'
        x = exact(fn, args)
        ex = f', exact = "{x}"' if x is not None else ""
        lua.append(f'  {{ row = {r}, fn = "{fn}", args = {{ {", ".join(lit(x) for x in args)} }}{ex} }},')
        r += 1 + (len(lists) > 1)
    with open(os.path.join(out, "cases.fods"), "w") as f:
        f.write(HEAD + "\n".join(rows) + "\n" + TAIL)
    lua.append("}")
    with open(os.path.join(out, "cases.lua"), "w") as f:
        f.write("\n".join(lua) + "\n")
    print(f"{len(cases)} cases", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])

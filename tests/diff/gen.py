"""Differential test: random rational expressions, evaluated exactly by
Python's fractions module and by deal's num type. Writes the Lua program
and the expected answers; run.sh compares them line by line."""
import random
import sys
from fractions import Fraction

sys.set_int_max_str_digits(0)
rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 20260101)
N = int(sys.argv[2]) if len(sys.argv) > 2 else 10000


def atom():
    """A rational: small, huge, tiny, negative, decimal or fraction text."""
    kind = rng.random()
    if kind < 0.3:
        n, d = rng.randint(-50, 50), rng.randint(1, 12)
    elif kind < 0.5:
        n, d = rng.randint(-10**40, 10**40), rng.randint(1, 10**20)
    elif kind < 0.6:
        n, d = rng.randint(1, 9), 10 ** rng.randint(20, 60)
    elif kind < 0.7:
        n, d = rng.randint(-10**60, 10**60), 1
    else:
        n, d = rng.randint(-99999, 99999), 10 ** rng.randint(0, 6)
    f = Fraction(n, d)
    if d != 1 and rng.random() < 0.5 and (10 ** 6) % d == 0:
        # decimal text, e.g. "-12.345"
        s = f"{abs(n) // d}.{abs(n) % d * (10**6 // d):06d}"
        return ("-" if n < 0 else "") + s, f
    return (f"{n}/{d}" if d != 1 else f"{n}"), f


def expr(depth):
    if depth == 0 or rng.random() < 0.3:
        text, f = atom()
        return f'num"{text}"', f
    op = rng.choice(["+", "-", "*", "/", "^", "+", "*"])
    a, fa = expr(depth - 1)
    if op == "^":
        e = rng.randint(-4, 6)
        if fa == 0 and e < 0:
            e = 2
        return f"({a})^{e}", fa ** e
    b, fb = expr(depth - 1)
    if op == "/" and fb == 0:
        op = "*"
    val = {"+": fa + fb, "-": fa - fb, "*": fa * fb, "/": fa / fb if fb else 0}[op]
    return f"({a} {op} {b})", val


def text_of(f):
    return f"{f.numerator}/{f.denominator}" if f.denominator != 1 else f"{f.numerator}"


with open(sys.argv[3], "w") as lua, open(sys.argv[4], "w") as want:
    lua.write("local exact = num.exact\n")
    for i in range(N):
        e, f = expr(3)
        if rng.random() < 0.2:   # a comparison
            e2, f2 = expr(2)
            op = rng.choice(["<", "<=", ">", ">="])
            res = {"<": f < f2, "<=": f <= f2, ">": f > f2, ">=": f >= f2}[op]
            lua.write(f"print({e} {op} {e2})\n")
            want.write(("true" if res else "false") + "\n")
        else:
            lua.write(f"print(exact({e}))\n")
            want.write(text_of(f) + "\n")

"""bench/h_fractions.py: exact H(N) with Python's fractions (the slow peer)."""
import sys
from fractions import Fraction

n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
s = Fraction(0)
for k in range(1, n + 1):
    s += Fraction(1, k)
print(f"H({n}): numerator {s.numerator.bit_length()} bits")

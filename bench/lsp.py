#!/usr/bin/env python3
# bench/lsp.py DEAL: the language server's latencies on the seed models
# (examples/*.deal), measured through a real JSON-RPC client
# (tests/lsp/lspclient.py): from the didChange that breaks the model to the
# publishDiagnostics that shows it.
#   syntax: an unclosed "(" appended; target 50 ms (the translator, in-process)
#   unit:   `local bad = 1 GW + $1` appended; target 500 ms (a sandboxed run
#           of the model with 2,000 samples)
# Beside them, the peer in the same run: a fresh `deal --json --samples 2000`
# of the broken text, what an editor without a server would run on save (the
# floor of the unit-error latency: the server adds its pipe and JSON). Best
# and median of N edits each (LSP_BENCH_N, default 5); reported, never
# asserted.
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, os.path.join(ROOT, "tests", "lsp"))
from lspclient import Client  # noqa: E402

DEAL = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "deal"))
N = int(os.environ.get("LSP_BENCH_N", "5"))


def ms(x):
    return "%.1f ms" % (x * 1000)


def peer(argv, text, cwd):
    best = None
    for _ in range(N):
        t0 = time.monotonic()
        subprocess.run(argv, input=text.encode(), capture_output=True, cwd=cwd)
        t = time.monotonic() - t0
        best = t if best is None or t < best else best
    return best


def main():
    models = sorted(f for f in os.listdir(os.path.join(ROOT, "examples")) if f.endswith(".deal"))
    print("   %-28s %22s %22s   %s" % ("model", "syntax (best/median)", "unit (best/median)",
                                        "peers: deal --json run, ratio"))
    worst_syntax = worst_unit = 0.0
    for name in models:
        path = os.path.join(ROOT, "examples", name)
        text = open(path).read()
        c = Client([DEAL, "lsp"], cwd=os.path.dirname(path))
        c.initialize(os.path.dirname(path))
        uri = "file://" + path
        c.open(uri, text, 1)
        c.diagnostics(uri, 1, timeout=60)
        v = 1
        syn, unit = [], []
        for _ in range(N):
            v += 1
            t0 = c.change(uri, v, text + "\nlocal broken = (\n")
            t, d = c.diagnostics(uri, v, timeout=30, after=t0, pred=lambda ds: len(ds) > 0)
            if t:
                syn.append(t - t0)
            v += 1
            bad = text + "\nlocal bad = 1 GW + $1\n"
            t0 = c.change(uri, v, bad)
            line = bad.count("\n") - 1
            t, d = c.diagnostics(uri, v, timeout=60, after=t0,
                                 pred=lambda ds: any(x["range"]["start"]["line"] == line and "cannot add" in x["message"]
                                                    for x in ds))
            if t:
                unit.append(t - t0)
        c.close()
        run = peer([DEAL, "--json", "--samples", "2000", "-"], text + "\nlocal bad = 1 GW + $1\n",
                   os.path.dirname(path))
        if not syn or not unit:
            print("   %-28s no diagnostics (syntax %d, unit %d of %d)" % (name, len(syn), len(unit), N))
            continue
        worst_syntax = max(worst_syntax, min(syn))
        worst_unit = max(worst_unit, min(unit))
        print("   %-28s %10s / %-9s %10s / %-9s   %s, %.2fx" % (
            name, ms(min(syn)), ms(statistics.median(syn)), ms(min(unit)), ms(statistics.median(unit)),
            ms(run), min(unit) / run))
    print("   targets: syntax error within 50 ms (worst best %s: %s), unit error within 500 ms (worst best %s: %s)"
          % (ms(worst_syntax), "met" if worst_syntax <= 0.05 else "MISSED",
             ms(worst_unit), "met" if worst_unit <= 0.5 else "MISSED"))


main()

#!/bin/sh
# tests/fuzz/run.sh [SECONDS]: builds the libFuzzer harnesses and runs each
# for SECONDS (default 60), one after the other, under nice:
#   fuzz_translate  the .deal translator (tests/fuzz/fuzz_translate.c)
#   fuzz_num        num_parse and num(s) with units (fuzz_num.c)
#   fuzz_script     whole .deal models through the sandboxed host (fuzz_script.c)
# Seeds come from tests/fuzz/corpus/NAME; new inputs go to build/fuzz/NAME
# (the committed corpus is not touched). MERGE=1 minimises the combined
# corpus back into tests/fuzz/corpus/NAME. ONLY=name runs one harness.
# Crashes are written to build/fuzz/crash-NAME-*; the script exits 1 if any
# harness found one. Needs clang and libclang-rt-14-dev.
# As a suite of tests/run.sh (called with the path of deal instead of a
# number) it only replays the committed corpora (-runs=0) and prints TAP.
SECS=${1:-60}
[ -n "$SECS" ] || SECS=60
SUITE=0
case $SECS in *[!0-9]*) SUITE=1 ;; esac
. "$(dirname "$0")/../lib/tap.sh"
ROOT=$(cd "$TAP_LIB/../.." && pwd)
cd "$ROOT" || exit 2
CC=${FUZZ_CC:-clang}
B=build/fuzz
mkdir -p "$B"
PCF=$(pkg-config --cflags lua5.4 gmp libcjson 2>/dev/null || echo -I/usr/include/lua5.4 -I/usr/include/cjson)
PCL=$(pkg-config --libs lua5.4 gmp readline libcjson 2>/dev/null || echo "-llua5.4 -lgmp -lreadline -lcjson")
FLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -iquote vm $PCF"
if ! command -v "$CC" >/dev/null; then
  [ $SUITE = 1 ] && { skip "fuzz corpora" "$CC not installed"; exit 0; }
  echo "fuzz: $CC not found"; exit 2
fi
[ -f build/stdlib_data.c ] || make -s build/stdlib_data.c || exit 2

build() {  # name sources...
  n=$1; shift
  out="$B/$n"
  newer=0
  for f in "$@" vm/*.h; do [ "$f" -nt "$out" ] && newer=1; done
  [ -x "$out" ] && [ $newer -eq 0 ] && return 0
  echo "fuzz: building $n"
  $CC $FLAGS "$@" -o "$out" $PCL -lm || { echo "fuzz: cannot build $n"; return 1; }
}

HOST_SRCS=$(ls vm/*.c | grep -v '^vm/main.c$')
build fuzz_translate vm/lex.c vm/translate.c tests/translate/units_stub.c tests/fuzz/fuzz_translate.c || exit 2
# shellcheck disable=SC2086
build fuzz_num $HOST_SRCS build/stdlib_data.c tests/fuzz/fuzz_num.c || exit 2
# shellcheck disable=SC2086
build fuzz_script $HOST_SRCS build/stdlib_data.c tests/fuzz/fuzz_script.c || exit 2

if [ $SUITE = 1 ]; then
  for n in fuzz_translate fuzz_num fuzz_script; do
    seeds=tests/fuzz/corpus/${n#fuzz_}
    ASAN_OPTIONS=detect_leaks=1 timeout 300 "$B/$n" -runs=0 -timeout=20 -rss_limit_mb=2048 \
      -artifact_prefix="$B/replay-$n-" "$seeds" \
      > "$B/$n.replay.log" 2>&1
    check "fuzz $n replays its corpus ($(ls "$seeds" | wc -l) inputs)" $? \
      "see $B/$n.replay.log: $(grep -E 'ERROR|SUMMARY' "$B/$n.replay.log" | head -5)"
  done
  exit 0
fi

found=0
for n in fuzz_translate fuzz_num fuzz_script; do
  [ -z "$ONLY" ] || [ "$ONLY" = "$n" ] || continue
  seeds=tests/fuzz/corpus/${n#fuzz_}
  work="$B/${n#fuzz_}"
  mkdir -p "$work" "$seeds"
  case $n in
    fuzz_num) opts="-max_len=256 -timeout=90 -rss_limit_mb=2048" ;;
    fuzz_script) opts="-max_len=4096 -timeout=20 -rss_limit_mb=2048" ;;
    *) opts="-max_len=8192 -timeout=20" ;;
  esac
  echo "fuzz: $n for ${SECS}s"
  # shellcheck disable=SC2086
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 nice "$B/$n" $opts \
      -max_total_time="$SECS" -print_final_stats=1 -artifact_prefix="$B/crash-$n-" \
      "$work" "$seeds" > "$B/$n.log" 2>&1
  rc=$?
  grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$B/$n.log" | tail -2
  if [ $rc -ne 0 ]; then
    found=1
    echo "fuzz: $n FAILED (exit $rc), see $B/$n.log:"
    grep -E 'ERROR|SUMMARY|deadly|Test unit written' "$B/$n.log" | head -5
  fi
  if [ "$MERGE" = 1 ]; then
    mkdir -p "$B/merge-$n" && rm -f "$B/merge-$n"/*
    # shellcheck disable=SC2086
    "$B/$n" $opts -merge=1 "$B/merge-$n" "$seeds" "$work" > "$B/$n.merge.log" 2>&1 &&
      rm -f "$seeds"/* && cp "$B/merge-$n"/* "$seeds"/
  fi
done
exit $found

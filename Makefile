# Dealscript: build ./deal from vm/*.c with the stdlib embedded.
# `make run` builds and runs the flagship model; `make test` runs everything.

PREFIX   ?= /usr/local
CC       ?= cc
PKGS      = liblua5.4-dev libgmp-dev libreadline-dev libcjson-dev
TESTPKGS  = lua5.4 python3 python3-jsonschema parallel tmux valgrind libreoffice-calc-nogui chromium neovim emacs-nox elpa-eglot \
            rsync openssh-server slurm-wlm munge
DEPS      = sh mk/deps.sh
PC        = lua5.4 gmp readline libcjson
CFLAGS   ?= -O2 -g
WARN      = -std=c11 -Wall -Wextra -Werror -Wmissing-prototypes -Wredundant-decls -D_POSIX_C_SOURCE=200809L
SRCS      = $(wildcard vm/*.c)
STDLIB    = $(wildcard stdlib/*.lua stdlib/*.deal)
OBJS      = $(SRCS:vm/%.c=build/%.o) build/stdlib_data.o
ASAN_OBJS = $(SRCS:vm/%.c=build/asan/%.o) build/asan/stdlib_data.o
ASANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# Test hooks (DEAL_CHECK_CRASH[_AFTER], DEAL_FAIL_AFTER, __deal.ks, __deal.sample,
# __deal.spearman, __deal.json, dist_ks) exist only in the test builds: the files that
# hold them are compiled again with -DDEAL_TEST_HOOKS into deal-test and
# deal-asan-test, which tests/run.sh finds beside the binary it tests. The
# installed deal has none.
HOOKED         = check dist results samples state
TEST_OBJS      = $(filter-out $(HOOKED:%=build/%.o),$(OBJS)) $(HOOKED:%=build/test/%.o)
ASAN_TEST_OBJS = $(filter-out $(HOOKED:%=build/asan/%.o),$(ASAN_OBJS)) $(HOOKED:%=build/asan/test/%.o)

.PHONY: all deps test-deps run test test-slurm docs check-asan valgrind bench fuzz oom-sweep install clean editors
all: deps deal

# Dependencies are checked on every build: cheap, and the error says what to install.
deps:
	@$(DEPS) $(PKGS)
test-deps:
	@$(DEPS) $(PKGS) $(TESTPKGS)

# pkg-config is asked lazily so that `make deps` can run before the packages exist.
PCFLAGS = $(shell pkg-config --cflags $(PC) 2>/dev/null)
PCLIBS  = $(shell pkg-config --libs $(PC) 2>/dev/null) -lm -pthread

build/%.o: vm/%.c vm/*.h | build
	$(CC) $(WARN) $(CFLAGS) $(PCFLAGS) -c $< -o $@
build/embed: mk/embed.c | build
	$(CC) $(WARN) -O1 $< -o $@
build/stdlib_data.c: build/embed $(STDLIB)
	build/embed $(STDLIB) > $@.tmp && mv $@.tmp $@
build/stdlib_data.o: build/stdlib_data.c
	$(CC) $(WARN) $(CFLAGS) -c $< -o $@
build build/asan build/test build/asan/test:
	@mkdir -p $@

deal: $(OBJS)
	$(CC) $(CFLAGS) $(OBJS) -o $@ $(PCLIBS)
build/test/%.o: vm/%.c vm/*.h | build/test
	$(CC) $(WARN) $(CFLAGS) -DDEAL_TEST_HOOKS $(PCFLAGS) -c $< -o $@
deal-test: $(TEST_OBJS)
	$(CC) $(CFLAGS) $(TEST_OBJS) -o $@ $(PCLIBS)

build/asan/%.o: vm/%.c vm/*.h | build/asan
	$(CC) $(WARN) $(ASANFLAGS) $(PCFLAGS) -c $< -o $@
build/asan/stdlib_data.o: build/stdlib_data.c | build/asan
	$(CC) $(WARN) $(ASANFLAGS) -c $< -o $@
deal-asan: $(ASAN_OBJS)
	$(CC) $(ASANFLAGS) $(ASAN_OBJS) -o $@ $(PCLIBS)
build/asan/test/%.o: vm/%.c vm/*.h | build/asan/test
	$(CC) $(WARN) $(ASANFLAGS) -DDEAL_TEST_HOOKS $(PCFLAGS) -c $< -o $@
deal-asan-test: $(ASAN_TEST_OBJS)
	$(CC) $(ASANFLAGS) $(ASAN_TEST_OBJS) -o $@ $(PCLIBS)

run: all
	./deal examples/broadcom_tpu_order.deal

test: all deal-test test-deps
	@sh tests/run.sh ./deal

# The Slurm recipe of docs/scale.md on a one-node cluster the test starts
# (tests/slurm). `make test` runs it too, as a counted SKIP with the reason
# when the daemons cannot start within two minutes; here that is a failure.
test-slurm: all test-deps
	@SLURM_REQUIRED=1 TESTS=tests/slurm/ sh tests/run.sh ./deal

# docs/modules.md from the stdlib's doc comments (what :help shows), and the
# analysis blocks of docs/examples.md from deal check --explain; the tests
# fail when either is stale.
docs: all
	./deal mk/modules_md.lua $(wildcard stdlib/*.lua) > docs/modules.md.tmp && mv docs/modules.md.tmp docs/modules.md
	sh mk/examples_md.sh ./deal docs/examples.md > docs/examples.md.tmp && mv docs/examples.md.tmp docs/examples.md

# The whole suite under AddressSanitizer + UBSan (leak checking included).
check-asan: deps test-deps deal-asan deal-asan-test deal
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  sh tests/run.sh ./deal-asan

valgrind: all test-deps
	@sh tests/valgrind.sh ./deal

bench: all test-deps
	@sh bench/run.sh

fuzz: deps
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS)

oom-sweep: deps test-deps deal-asan-test
	@sh tests/oom/sweep.sh ./deal-asan-test

editors: all
	@sh editors/build.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/deal/stdlib
	install -m 755 deal $(DESTDIR)$(PREFIX)/bin/deal
	install -m 644 $(STDLIB) $(DESTDIR)$(PREFIX)/share/deal/stdlib/

clean:
	rm -rf build deal deal-test deal-asan deal-asan-test

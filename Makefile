# COEXIST - plain Makefile. `make run` sets up and serves the demo; `make test` runs every test.
# SAN=1 builds and tests under AddressSanitizer and UndefinedBehaviorSanitizer (in build-san/).

PKGS      = libmicrohttpd sqlite3 jansson libsodium zlib libcurl xlsxwriter cairo
TEST_PKGS = cmocka
CC       ?= cc

ifeq ($(SAN),1)
BUILD    ?= build-san
SANFLAGS  = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT       = -O1 -g
HARDEN    =
else
BUILD    ?= build
SANFLAGS  =
OPT       = -O2 -g
HARDEN    = -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fstack-clash-protection
endif

WARN     = -std=c17 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla -Wimplicit-fallthrough -Werror
CPPFLAGS = -D_GNU_SOURCE -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CFLAGS  += $(OPT) $(WARN) $(HARDEN) $(SANFLAGS) -fPIE -pthread
LDFLAGS += $(SANFLAGS) -pie -pthread -Wl,-z,relro,-z,now
LDLIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lm

LIB_SRC  = $(sort $(filter-out src/main.c,$(wildcard src/*.c src/*/*.c)))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
MIG_SQL  = $(sort $(wildcard db/migrations/*.sql))
GEN_OBJ  = $(BUILD)/gen/migrations.o
TESTS    = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(sort $(wildcard tests/unit/test_*.c)))

.PHONY: all deps deps-test run test unit bench bench-insight clean format lint demo
all: $(BUILD)/coexist coexist

# ./coexist is a link to the normal build, so the README's commands stay short.
coexist: $(BUILD)/coexist
	@[ "$(SAN)" = 1 ] || ln -sf $(BUILD)/coexist coexist

$(BUILD)/coexist: $(BUILD)/src/main.o $(LIB_OBJ) $(GEN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# Migrations are compiled into the binary: a program always knows the schema it expects.
$(BUILD)/gen/migrations.c: $(MIG_SQL) tools/embed.c
	@mkdir -p $(BUILD)/gen
	$(CC) -O1 -o $(BUILD)/gen/embed tools/embed.c
	$(BUILD)/gen/embed db_migrations $(MIG_SQL) > $@

$(BUILD)/gen/migrations.o: $(BUILD)/gen/migrations.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ) $(GEN_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(shell pkg-config --cflags $(TEST_PKGS)) $(CFLAGS) -Wno-missing-prototypes \
		$(LDFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs $(TEST_PKGS))

deps:
	@sh tools/deps.sh

deps-test:
	@BROWSER=1 sh tools/deps.sh


run: deps
	@$(MAKE) --no-print-directory all
	./coexist demo
	./coexist serve

unit: $(TESTS)

test: deps-test
	@$(MAKE) --no-print-directory $(BUILD)/coexist $(TESTS)
	@BUILD=$(BUILD) SAN=$(SAN) sh tests/run

bench: deps all
	@sh bench/run.sh
	@node bench/signup_stall.mjs

# The analysis engine alone, on generated cases (bench/insight_bench.c): milliseconds per analysis.
INSIGHT_OBJ = $(filter $(BUILD)/src/insight/% $(BUILD)/src/base/%,$(LIB_OBJ))
$(BUILD)/bench/insight_bench: bench/insight_bench.c $(INSIGHT_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

bench-insight: $(BUILD)/bench/insight_bench
	$(BUILD)/bench/insight_bench

format:
	clang-format -i src/*.c src/*.h src/*/*.c src/*/*.h tests/unit/*.c tools/*.c bench/*.c

# clang-format clean, cppcheck and clang-tidy (.clang-tidy) without a finding: CI runs it.
lint:
	@LINT=1 sh tools/deps.sh
	@sh tools/lint.sh

clean:
	rm -rf build build-san coexist

-include $(LIB_OBJ:.o=.d) $(BUILD)/src/main.d

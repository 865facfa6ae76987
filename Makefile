# lwm2m-conform — `make` builds build/lwm2m-conform and build/lwm2m-simdev.
#   make test         unit + end-to-end tests (installs dependencies when missing)
#   make demo         the suite against the bundled simulated device
#   make SANITIZE=1   the same with ASan + UBSan, in build/san/
#   make valgrind     unit tests under valgrind
#   make coverage     docs/coverage.md and README's count from `list --all` (checked by make test)
.DEFAULT_GOAL := all

DEPS_PREFIX := $(CURDIR)/build/deps
DEPS_STAMP  := $(DEPS_PREFIX)/.installed
PKG_CONFIG  := PKG_CONFIG_PATH=$(DEPS_PREFIX)/lib/pkgconfig pkg-config

ifeq ($(SANITIZE),1)
BUILD    := build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD    := build
SANFLAGS :=
endif

CC      ?= cc
CFLAGS  ?= -O2 -g
# Recursively expanded on purpose: pkg-config runs when a recipe needs it, after the
# dependency stamp has built libcoap.
COAP_CFLAGS = $(shell $(PKG_CONFIG) --cflags libcoap-3-mbedtls)
COAP_LIBS   = $(shell $(PKG_CONFIG) --static --libs libcoap-3-mbedtls)
XML_CFLAGS  = $(shell pkg-config --cflags libxml-2.0)
XML_LIBS    = $(shell pkg-config --libs libxml-2.0)
PROJ_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror \
              -Wshadow -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation -MMD -MP -Isrc $(COAP_CFLAGS) $(XML_CFLAGS) \
              -DLC_SOURCE_DIR='"$(CURDIR)"' $(SANFLAGS)
LIBS        = $(COAP_LIBS) $(XML_LIBS) -ljansson -lcbor -lm

LIB_SRC  := $(filter-out src/main.c,$(shell find src -name '*.c' -not -path 'src/sim/*' | sort))
SIM_SRC  := $(shell find src/sim -name '*.c' 2>/dev/null | sort)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
SIM_OBJ  := $(SIM_SRC:%.c=$(BUILD)/obj/%.o)
SIMLIB_OBJ := $(filter-out $(BUILD)/obj/src/sim/main.o,$(SIM_OBJ))
MAIN_OBJ := $(BUILD)/obj/src/main.o
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIBA     := $(BUILD)/liblwm2mconform.a
SIMLIBA  := $(BUILD)/liblwm2msim.a

TOOL  := $(BUILD)/lwm2m-conform
SIMDEV := $(BUILD)/lwm2m-simdev

.PHONY: bench-codecs
# Content-format encode/decode figures (docs/benchmarks.md).
bench-codecs: $(BUILD)/bench/codecs
	$(BUILD)/bench/codecs
$(BUILD)/bench/%: bench/%.c $(LIBA) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PROJ_CFLAGS) -o $@ $< $(LIBA) $(LIBS)

.PHONY: all deps test unit e2e demo clean distclean valgrind sanitize coverage
all: $(TOOL) $(SIMDEV)

deps: $(DEPS_STAMP)
# The patches too: a changed patch set rebuilds libcoap (install-deps compares a hash), also
# in a worktree whose build/deps was copied from another.
$(DEPS_STAMP): scripts/install-deps $(wildcard scripts/patches/libcoap-*.patch)
	./scripts/install-deps
	@touch $@

$(BUILD)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PROJ_CFLAGS) -c $< -o $@

$(LIBA): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(SIMLIBA): $(SIMLIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(TOOL): $(MAIN_OBJ) $(LIBA)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(LIBS)

$(SIMDEV): $(BUILD)/obj/src/sim/main.o $(SIMLIBA) $(LIBA)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(LIBS)

# Unit tests see the simulator's modules too (their own tests live beside the others).
$(BUILD)/tests/%: tests/unit/%.c $(SIMLIBA) $(LIBA) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PROJ_CFLAGS) -Itests -o $@ $< $(SIMLIBA) $(LIBA) $(LIBS) -lcmocka

unit: $(UNIT_BIN)
test: all $(UNIT_BIN)
	BUILD=$(BUILD) ./tests/run-all

e2e: all
	BUILD=$(BUILD) ./tests/run-all --e2e-only

demo: all
	$(TOOL) run --sim --bootstrap

# Every id of the ETS 1.0.1 draft, implemented or why not: tests/e2e/coverage.sh fails
# while docs/coverage.md or README.md's count is stale.
coverage: $(TOOL)
	TOOL=$(TOOL) ./scripts/coverage

sanitize:
	$(MAKE) SANITIZE=1 test

# Unit tests, then the tool itself through a whole suite run, under valgrind.
valgrind: all $(UNIT_BIN)
	BUILD=$(BUILD) VALGRIND=1 ./tests/run-all --unit-only
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	    $(TOOL) run --sim --bootstrap --no-color --timeout 30

clean:
	rm -rf build/obj build/tests build/san build/lwm2m-conform build/lwm2m-simdev build/*.a

distclean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# lwm2m-conform — `make` builds build/lwm2m-conform and build/lwm2m-simdev.
#   make test         unit + end-to-end tests (installs dependencies when missing)
#   make demo         the suite against the bundled simulated device
#   make SANITIZE=1   the same with ASan + UBSan, in build/san/
#   make valgrind     unit tests under valgrind
#   make fuzz         every libFuzzer target for FUZZ_TIME seconds (tests/fuzz)
#   make interop      the whole suite on a real client, Anjay's demo (ANJAY_DEMO=path; skips without it)
#   make coverage     docs/coverage.md and README's count from `list --all` (checked by make test)
#   make install      the tools, the test cases, fixtures and object definitions, the man pages
#                     (PREFIX=/usr/local, DESTDIR=); make uninstall
#   make deb          a Debian package (dpkg-buildpackage) in build/deb/
#   make deb-check    that package installed in a fresh Debian 12 chroot, `run --sim` from /
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
              $(SANFLAGS)
LIBS        = $(COAP_LIBS) $(XML_LIBS) -ljansson -lcbor -lpcap -lmicrohttpd -lcurl -lpthread -lm

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

# libFuzzer targets (the rules are below, with make fuzz)
FUZZ_CC      := clang
FUZZ_DIR     := build/fuzz
FUZZ_FLAGS   := -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
                -fno-sanitize-recover=undefined
# gcc-only warning options in PROJ_CFLAGS are not clang's business
FUZZ_WARN    := -Wno-unknown-warning-option
FUZZ_TIME    ?= 900
FUZZ_RUNS    ?= 1000000
FUZZ_JOBS    ?= 2
# content-format targets: name:Content-Format
FUZZ_CONTENT := text:0 opaque:42 cbor:60 senml-json:110 senml-cbor:112 tlv:11542 \
                omajson:11543 lwm2m-cbor:11544
FUZZ_TARGETS := linkformat regquery config description testcase coap \
                $(foreach c,$(FUZZ_CONTENT),content-$(firstword $(subst :, ,$(c))))
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz-%)
FUZZ_OBJ     := $(LIB_SRC:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_LIBA    := $(FUZZ_DIR)/liblwm2mconform.a

TOOL  := $(BUILD)/lwm2m-conform
SIMDEV := $(BUILD)/lwm2m-simdev

.PHONY: bench-codecs
# Content-format encode/decode figures (docs/benchmarks.md).
bench-codecs: $(BUILD)/bench/codecs
	$(BUILD)/bench/codecs
$(BUILD)/bench/%: bench/%.c $(LIBA) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PROJ_CFLAGS) -o $@ $< $(LIBA) $(LIBS)

.PHONY: interop
# The suite on AVSystem Anjay's demo, then its firmware cases (docs/interop.md): ANJAY_DEMO=path/to/demo, else skipped.
interop: all
	BUILD=$(BUILD) ./tests/interop/anjay.sh; rc=$$?; BUILD=$(BUILD) ./tests/interop/anjay-fw.sh && exit $$rc

.PHONY: all deps test unit e2e demo clean distclean valgrind sanitize coverage fuzz fuzz-build
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

# The programs link libcoap statically: a libcoap rebuilt with another patch set (a newer
# $(DEPS_STAMP)) relinks them.
$(TOOL): $(MAIN_OBJ) $(LIBA) $(DEPS_STAMP)
	$(CC) $(CFLAGS) $(LDFLAGS) $(SANFLAGS) -o $@ $(filter-out $(DEPS_STAMP),$^) $(LIBS)

$(SIMDEV): $(BUILD)/obj/src/sim/main.o $(SIMLIBA) $(LIBA) $(DEPS_STAMP)
	$(CC) $(CFLAGS) $(LDFLAGS) $(SANFLAGS) -o $@ $(filter-out $(DEPS_STAMP),$^) $(LIBS)

# Unit tests see the simulator's modules too (their own tests live beside the others).
$(BUILD)/tests/%: tests/unit/%.c $(SIMLIBA) $(LIBA) $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PROJ_CFLAGS) -Itests -DLC_SOURCE_DIR='"$(CURDIR)"' -o $@ $< $(SIMLIBA) $(LIBA) $(LIBS) -lcmocka

unit: $(UNIT_BIN)
test: all $(UNIT_BIN) $(FUZZ_BIN)
	BUILD=$(BUILD) ./tests/run-all

e2e: all
	BUILD=$(BUILD) ./tests/run-all --e2e-only

# The firmware update cases (int-751..780) run on configuration C.8 with packages of the
# simulated device's own format, made here: the one it installs, one of another type, one
# that fails to install (the tool makes the corrupt and the oversized ones itself).
DEMO_FW := $(BUILD)/demo-firmware
DEMO_FW_ARGS := --firmware $(DEMO_FW)/firmware.bin --firmware-version 2.0.0 \
                --firmware-unsupported $(DEMO_FW)/unsupported.bin \
                --firmware-install-fail $(DEMO_FW)/install-fail.bin
$(DEMO_FW)/firmware.bin: $(SIMDEV)
	@mkdir -p $(@D)
	$(SIMDEV) --make-firmware $@ --firmware-version 2.0.0 --firmware-size 65536
	$(SIMDEV) --make-firmware $(@D)/unsupported.bin --firmware-kind unsupported --firmware-size 8192
	$(SIMDEV) --make-firmware $(@D)/install-fail.bin --firmware-kind install-fail --firmware-version 3.0.0 --firmware-size 8192

demo: all $(DEMO_FW)/firmware.bin
	$(TOOL) run --sim --bootstrap --lwm2m 1.2
	$(TOOL) run --sim --config fixtures/c8.json --only int-771 $(DEMO_FW_ARGS)
	$(TOOL) run --sim --config fixtures/c8.json --only int-751,int-755,int-756,int-760,int-770,int-772,int-773,int-775,int-776,int-777,int-778,int-779,int-780-protocol --readings $(DEMO_FW_ARGS)

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

# ---- fuzzing (tests/fuzz; figures in docs/reliability.md) ----------------------------------
# libFuzzer targets built by clang with ASan + UBSan into build/fuzz. The project's sources
# are compiled again with coverage instrumentation; libcoap, Mbed TLS and the Debian
# libraries are linked as they are (uninstrumented, C ABI), which is all a target needs.
#   make fuzz          every target until FUZZ_RUNS executions (1,000,000) or FUZZ_TIME
#                      seconds (900), FUZZ_JOBS (2) at a time
#   make fuzz-build    only build them (make test does, and runs each FUZZ_BRIEF seconds)

$(FUZZ_DIR)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(PROJ_CFLAGS) $(FUZZ_WARN) -c $< -o $@

$(FUZZ_LIBA): $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_DIR)/fuzz-content-%: tests/fuzz/fuzz_content.c $(FUZZ_LIBA)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $(PROJ_CFLAGS) $(FUZZ_WARN) \
	    -DFUZZ_CF=$(lastword $(subst :, ,$(filter $*:%,$(FUZZ_CONTENT)))) -o $@ $< $(FUZZ_LIBA) $(LIBS)

$(FUZZ_DIR)/fuzz-%: tests/fuzz/fuzz_%.c $(FUZZ_LIBA)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $(PROJ_CFLAGS) $(FUZZ_WARN) -o $@ $< $(FUZZ_LIBA) $(LIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	FUZZ_DIR=$(FUZZ_DIR) FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_JOBS=$(FUZZ_JOBS) ./tests/fuzz/run $(FUZZ_TIME)

# ---- install, man pages, Debian package ---------------------------------------------------
# The data (testcases/, fixtures/) goes to PREFIX/share/lwm2m-conform, where the tools find
# it beside their PREFIX/bin (src/common/datadir.h); nothing of this tree is compiled in.
PREFIX  ?= /usr/local
BINDIR  := $(PREFIX)/bin
SHAREDIR := $(PREFIX)/share/lwm2m-conform
MAN1DIR := $(PREFIX)/share/man/man1
MANS    := $(BUILD)/man/lwm2m-conform.1 $(BUILD)/man/lwm2m-simdev.1
VERSION := $(shell sed -n 's/^\#define CLI_VERSION "\(.*\)"/\1/p' src/cli/options.h)

.PHONY: man install uninstall deb deb-check
man: $(MANS)
$(BUILD)/man/%.1: docs/man/%.1.scd
	@mkdir -p $(@D)
	scdoc <$< >$@

install: all man
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(MAN1DIR)
	install -m 755 $(TOOL) $(SIMDEV) $(DESTDIR)$(BINDIR)/
	install -m 644 $(MANS) $(DESTDIR)$(MAN1DIR)/
	rm -rf $(DESTDIR)$(SHAREDIR)/testcases $(DESTDIR)$(SHAREDIR)/fixtures
	tar -c --owner=0 --group=0 --mode=u+rwX,go+rX,go-w testcases fixtures | tar -x -C $(DESTDIR)$(SHAREDIR)

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/lwm2m-conform $(DESTDIR)$(BINDIR)/lwm2m-simdev
	rm -f $(DESTDIR)$(MAN1DIR)/lwm2m-conform.1 $(DESTDIR)$(MAN1DIR)/lwm2m-simdev.1
	rm -rf $(DESTDIR)$(SHAREDIR)

# dpkg-buildpackage in a copy of the tree with scripts/debian as debian/ (the top level
# stays as it is) and this tree's libcoap build (build/deps) copied in; the package links
# it statically. The .deb lands in build/deb/.
deb: $(DEPS_STAMP)
	rm -rf build/deb
	mkdir -p build/deb/src/build
	tar -c --exclude=./build --exclude=./.git --exclude=./out . | tar -x -C build/deb/src
	cp -a build/deps build/deb/src/build/deps
	cp -r scripts/debian build/deb/src/debian
	rm build/deb/src/debian/changelog.in
	sed -e 's/@VERSION@/$(VERSION)/' -e "s/@DATE@/$$(date -R)/" scripts/debian/changelog.in \
	    >build/deb/src/debian/changelog
	touch build/deb/src/build/deps/.installed
	cd build/deb/src && DEB_BUILD_OPTIONS=noddebs dpkg-buildpackage -b -us -uc >../build.log 2>&1 || \
	    { tail -n 40 ../build.log; echo "make deb: dpkg-buildpackage failed; log: build/deb/build.log"; exit 1; }
	@ls -l build/deb/*.deb

deb-check: deb
	./scripts/deb-check build/deb/lwm2m-conform_$(VERSION)-1_*.deb

clean:
	rm -rf build/obj build/tests build/san build/fuzz build/lwm2m-conform build/lwm2m-simdev build/*.a

distclean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
-include $(shell find $(FUZZ_DIR)/obj -name '*.d' 2>/dev/null)

# SPDX-License-Identifier: GPL-2.0
#
# faultacct: top-level build.
#
#   make                    build/faultacct, build/kmod/$KVER/faultacct.ko for
#                           every installed header set, build/tests/* workloads
#                           (and the floor module, build/tests/floor/$KVER/),
#                           the kernel's mm selftests (build/selftests/SERIES/)
#   make KDIR=/path/to/hdrs the module for that one kernel only
#   make check              deps, build, unit, host and guest tests (every kernel)
#   make check KERNELS=6.12 guest tests on one kernel series (or a version;
#                           7.3-rt is 7.3's PREEMPT_RT flavour)
#   make check-full         every guest suite on every kernel, fuzz, check-debug
#   make check GUEST_TESTS='00-harness 20-acc'   only the guest tests matching
#   make demo | bench       scripts/demo, scripts/bench
#   make unit               the cmocka unit tests only
#   make install [DESTDIR= PREFIX=/usr/local]
#   make clean

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
O := $(TOP)/build
PREFIX ?= /usr/local
# The guest kernels of make check (the quick tier), longest suite first
# (scripts/check runs two at a time): Debian 12's 6.1 and 6.12 and
# trixie-backports' 7.3 (scripts/kernels) run every suite (7.3 all but the
# netlink fuzzer, a test of the policy that 6.1 and 6.12 run, and the
# unload storm, which 7.3-rt runs); 7.2 the accuracy and ledger suites;
# 7.3's PREEMPT_RT flavour, which
# has no THP, the core accuracy and ledger suites and the unload storm,
# but not 22-ledger-programs and 23-ledger-reference: on -rt a fork child
# was seen charged more than the kernel did (an open defect: see the note
# on issue 19). make check-full runs everything on every kernel (RT_ALL on
# -rt, those two included).
# 23-ledger-reference is out of 7.x's quick tier: there the bpftrace trace
# it checks against loses events without saying so (a process's last
# faults, teardown and free missing: see the note on issue 19), and it
# failed 3 runs of 5 on 7.3 with faultacct's own balance exact
# 24-ledger-selftests (the mm selftests, 10 minutes a kernel) runs on 6.1
# and 6.12 in the quick tier, on 7.x in the full one.
Q73 := !30-nlfuzz,!32-unload,!23-ledger-reference,!24-ledger-selftests
Q72 := 00-harness,10-kmod,11-kmod,20-acc,21-ledger,22-ledger
RT_TESTS := 00-harness,10-kmod,11-kmod,20-acc-anon,20-acc-file,20-acc-fork,20-acc-memfd,20-acc-remote,20-acc-shared,20-acc-threads,20-acc-children,21-ledger-insert,21-ledger-uffd,21-ledger-uprobe,32-unload,33-exit
RT_ALL := !20-acc-thp,!20-acc-mthp,!21-ledger-collapse
KERNELS ?= 6.12 6.1 7.3=$(Q73) 7.3-rt=$(RT_TESTS) 7.2=$(Q72)
KERNELS_FULL ?= 6.12 6.1 7.3 7.2 7.3-rt=$(RT_ALL)
GUEST_TESTS ?=

NPROC := $(shell nproc 2>/dev/null || echo 2)
MAKEFLAGS += --no-print-directory
# Parallel by default, unless asked otherwise or run under another make
# (which shares its jobserver).
ifeq ($(MAKELEVEL)$(filter -j%,$(MAKEFLAGS)),0)
MAKEFLAGS += -j$(NPROC)
endif

CC ?= cc
ifeq ($(origin CC),default)
CC := cc
endif

# --- kernels: one module build per header set
ifneq ($(KDIR),)
KDIRS := $(abspath $(KDIR))
else
KDIRS := $(sort $(realpath $(wildcard /usr/src/linux-headers-*-amd64 /lib/modules/*/build)))
endif
# The release the headers were made for, as `uname -r` says it (Debian's
# include/config/kernel.release holds the upstream version instead).
kver_of = $(or $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(1)/include/generated/utsrelease.h 2>/dev/null),$(shell cat $(1)/include/config/kernel.release 2>/dev/null))
# The 7.x kernels (scripts/kernels): their headers live in a Debian 13
# build root, and kbuild runs there (scripts/buildroot, as root).
BUILDROOT := $(or $(FAULTACCT_CACHE),/var/cache/faultacct)/trixie-root
ifeq ($(KDIR)$(shell id -u),0)
ROOT_KDIRS := $(sort $(wildcard $(BUILDROOT)/usr/src/linux-headers-*-amd64))
endif
ROOT_KVERS := $(foreach d,$(ROOT_KDIRS),$(call kver_of,$(d)))
KVERS := $(foreach d,$(KDIRS),$(call kver_of,$(d))) $(ROOT_KVERS)
HAVE_KMOD := $(wildcard $(TOP)/kmod/Kbuild)
KMODS := $(if $(HAVE_KMOD),$(foreach v,$(KVERS),$(O)/kmod/$(v)/faultacct.ko))
# $(call kbuild,KDIR): how to run kbuild for the headers in KDIR
kbuild = $(if $(filter $(BUILDROOT)/%,$(1)),$(TOP)/scripts/buildroot $(BUILDROOT) \
	make -C $(patsubst $(BUILDROOT)%,%,$(1)),$(MAKE) -C $(1))

# --- test workloads: tests/workloads/NAME.c -> build/tests/NAME
WORKLOADS := $(patsubst $(TOP)/tests/workloads/%.c,$(O)/tests/%,$(wildcard $(TOP)/tests/workloads/*.c))
WL_CFLAGS := -O2 -g -std=gnu11 -Wall -Wextra -Werror -pthread -I$(TOP)/include
WL_LDLIBS := $(shell pkg-config --libs libmnl 2>/dev/null || echo -lmnl)

.PHONY: all tool kmod workloads selftests unit check check-full check-debug demo bench deps install \
	dkms-install ynl fuzz clean FORCE
.DELETE_ON_ERROR:

all: tool kmod workloads

tool:
ifneq ($(wildcard $(TOP)/user/Makefile),)
	+$(MAKE) -C $(TOP)/user O=$(O)
else
	@echo "make: no user/Makefile yet: not building the tool"
endif

kmod: $(KMODS)
ifeq ($(HAVE_KMOD),)
	@echo "make: no kmod/Kbuild yet: not building the module"
endif
ifeq ($(KDIRS),)
	@echo "make: no kernel headers found (/usr/src/linux-headers-*-amd64): run scripts/deps" >&2; exit 1
endif

# build/kmod/$KVER/ mirrors kmod/ with symlinks (stale ones pruned), so one
# source tree builds for every kernel side by side.
define kmod_rule
$(O)/kmod/$(2)/faultacct.ko: FORCE
	@mkdir -p $(O)/kmod/$(2)
	@find $(O)/kmod/$(2) -type l ! -exec test -e {} \; -delete
	@cd $(TOP)/kmod && find . -type f \( -name '*.[chS]' -o -name Kbuild \) \
		! -name '*.mod.c' ! -name '.*' | while read -r f; do \
		mkdir -p "$(O)/kmod/$(2)/$$$${f%/*}"; \
		ln -sfn "$(TOP)/kmod/$$$${f#./}" "$(O)/kmod/$(2)/$$$${f#./}"; done
	+$(call kbuild,$(1)) M=$(O)/kmod/$(2) FAULTACCT_INC=$(TOP)/include modules
endef
$(foreach d,$(KDIRS) $(ROOT_KDIRS),$(eval $(call kmod_rule,$(d),$(call kver_of,$(d)))))

# --- the floor module (tests/bench/floor), also a test tool: its directs=
# holds a function's one ftrace direct call (tests/guest/43-direct)
FLOORMODS := $(if $(HAVE_KMOD),$(foreach v,$(KVERS),$(O)/tests/floor/$(v)/faultacct_floor.ko))
define floor_rule
$(O)/tests/floor/$(2)/faultacct_floor.ko: FORCE
	@mkdir -p $(O)/tests/floor/$(2)
	@ln -sfn $(TOP)/tests/bench/floor/faultacct_floor.c $(TOP)/tests/bench/floor/Kbuild \
		$(O)/tests/floor/$(2)/
	+$(call kbuild,$(1)) M=$(O)/tests/floor/$(2) modules
endef
$(foreach d,$(KDIRS) $(ROOT_KDIRS),$(eval $(call floor_rule,$(d),$(call kver_of,$(d)))))

workloads: $(WORKLOADS) $(FLOORMODS) selftests

# --- the kernel's mm selftests, for tests/guest/24-ledger-selftests: one
# build per kernel series whose linux-source is in /usr/src (scripts/deps)
SELFTESTS := $(foreach t,$(wildcard /usr/src/linux-source-6.1.tar.xz /usr/src/linux-source-6.12.tar.xz),\
	$(O)/selftests/$(patsubst linux-source-%.tar.xz,%,$(notdir $(t)))/.done)
selftests: $(SELFTESTS)
$(O)/selftests/%/.done: /usr/src/linux-source-%.tar.xz $(TOP)/scripts/selftests
	$(TOP)/scripts/selftests $* $(O)/selftests/$*
	touch $@

$(O)/tests/%: $(TOP)/tests/workloads/%.c $(wildcard $(TOP)/include/uapi/linux/*.h) | $(O)/tests
	$(CC) $(WL_CFLAGS) $(CFLAGS) -o $@ $< $(WL_LDLIBS)

$(O)/tests:
	mkdir -p $@

# tests/unit/test_*.c: built and run by user/Makefile (links the tool's
# objects); scripts/check counts their cmocka results.
unit:
ifneq ($(wildcard $(TOP)/user/Makefile),)
	+$(MAKE) -C $(TOP)/user O=$(O) unit
endif

deps:
	@$(TOP)/scripts/deps

# The kernel's own YNL command-line client and genetlink schemas, from
# Debian's linux-source-6.12, to hold include/uapi/faultacct.yaml to them.
YNL_SRC = $(lastword $(sort $(wildcard /usr/src/linux-source-6.12*.tar.xz)))
YNL := $(O)/ynl
ynl: $(YNL)/.done
$(YNL)/.done:
	@test -n "$(YNL_SRC)" || { echo "make: no /usr/src/linux-source-6.12.tar.xz: run scripts/deps" >&2; exit 1; }
	rm -rf $(YNL) && mkdir -p $(YNL)
	tar -xJf $(YNL_SRC) -C $(YNL) --strip-components=1 --wildcards \
		'*/tools/net/ynl/cli.py' '*/tools/net/ynl/lib/*' '*/Documentation/netlink/*.yaml'
	touch $@

# scripts/check builds (as a suite of its own), then runs every suite.
# ynl runs in a make of its own, after deps: the sources it unpacks are
# found when the Makefile is read, and deps may be what installs them.
check: deps
	+@$(MAKE) ynl
	+@$(TOP)/scripts/check --kernels "$(KERNELS)" $(GUEST_TESTS)

# The full tier: every suite on every kernel, then the fuzzer and the
# debug kernel's suite. Not part of CI: see README for its duration.
check-full: deps
	+@$(MAKE) ynl
	+@$(TOP)/scripts/check --kernels "$(KERNELS_FULL)" $(GUEST_TESTS)
	+@$(MAKE) fuzz
	+@$(MAKE) check-debug

# libFuzzer on the tool's record parser: make fuzz FUZZ_SECONDS=600
FUZZ_SECONDS ?= 600
fuzz: deps
	+$(MAKE) -C $(TOP)/user O=$(O) fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

# The guest suite on a 6.12 kernel built with KASAN, lockdep and kmemleak.
check-debug: deps
	+@$(TOP)/scripts/check-debug

demo: deps
	@if [ -x $(TOP)/scripts/demo ]; then $(TOP)/scripts/demo; \
	else echo "make: no scripts/demo yet" >&2; exit 1; fi

bench: deps
	@if [ -x $(TOP)/scripts/bench ]; then $(TOP)/scripts/bench; \
	else echo "make: no scripts/bench yet" >&2; exit 1; fi

# The tool in sbin, its man page, and the module of every kernel built
# under /lib/modules/$KVER/updates (depmod runs when installing for real).
install: tool kmod
	install -D -m 0755 $(O)/faultacct $(DESTDIR)$(PREFIX)/sbin/faultacct
	install -D -m 0644 $(TOP)/user/faultacct.8 $(DESTDIR)$(PREFIX)/share/man/man8/faultacct.8
	@set -e; for v in $(KVERS); do \
		echo install -D -m 0644 build/kmod/$$v/faultacct.ko $(DESTDIR)/lib/modules/$$v/updates/faultacct.ko; \
		install -D -m 0644 $(O)/kmod/$$v/faultacct.ko $(DESTDIR)/lib/modules/$$v/updates/faultacct.ko; \
		if [ -z "$(DESTDIR)" ]; then depmod -a $$v; fi; \
	done

# DKMS: rebuild the module for every kernel installed from now on.
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(TOP)/dkms.conf)
DKMS_SRC := $(DESTDIR)/usr/src/faultacct-$(DKMS_VERSION)
dkms-install:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp -r $(TOP)/kmod $(TOP)/include $(TOP)/dkms.conf $(DKMS_SRC)/
	dkms add -m faultacct -v $(DKMS_VERSION)
	dkms build -m faultacct -v $(DKMS_VERSION)
	dkms install -m faultacct -v $(DKMS_VERSION)

clean:
	rm -rf $(O)

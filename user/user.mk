# user/user.mk: user space -- libc, the programs and the initrd.
#
# The top Makefile includes this after setting BUILD, CC, LD, CROSS,
# TARGET_FLAGS, OBJCOPY, OPT and Q, and provides $(BUILD)/gen/.stamp
# (tools/mksyscalls).  It also runs alone, for testing:
#	make -f user/user.mk [CC=clang LD=ld.lld] [-j2] initrd
#
#   $(BUILD)/user/libc.a    user/lib/libc/*.[cS] (but crt0.S), the
#                           system-call stubs, and kernel/lib/string.c
#                           and subr_prf.c: the kernel's own code
#   $(BUILD)/user/libatf-c.a  user/lib/libatf-c: ATF's test library, for
#                           test programs written ATF-style (<atf-c.h>)
#   $(BUILD)/user/libpthread.a  user/lib/libpthread: POSIX threads on
#                           the _lwp_* calls (<pthread.h>, <semaphore.h>;
#                           docs/pthread.md)
#   $(USER_CRT0)            _start (user/lib/libc/crt0.S)
#   (user/common/h_*.h)     no library: header-only helpers shared by
#                           libc, libpthread, programs and tests, on
#                           the include path
#   $(BUILD)/user/D/NAME    one program per user/D/NAME.c, D = bin,
#                           sbin or tests, with debug info (for gdb)
#   $(BUILD)/user/bin/NAME  with USER_EXTRA="a.c b.c ...": one program
#                           of all those files, NAME = a
#   $(BUILD)/initrd.tar     ustar archive of $(BUILD)/initrd/: bin/,
#                           sbin/, tests/ (programs, debug info
#                           stripped), etc/ (user/etc/*), tests/elf/
#                           (what user/tests/mkbadelf.sh makes of
#                           /bin/true).  Reproducible: sorted, owner 0,
#                           mtime 0.
#
# Targets: initrd (the archive), user-libc, user-progs.  Variables the
# top Makefile may use: USER_INITRD (the archive), USER_PROGS (the
# linked programs), USER_LIBC, USER_LIBATF, USER_LIBPTHREAD, USER_CRT0,
# USER_CFLAGS, USER_LDFLAGS.
# Debugging a program: gdb's add-symbol-file build/user/bin/NAME.
# Programs are static non-PIE ELF executables linked at ld's default
# 0x400000, with no segment both writable and executable (the kernel's
# loader refuses those).

# Included, this file must not change the top Makefile's default goal.
USER_SAVED_GOAL := $(.DEFAULT_GOAL)
ifeq ($(notdir $(firstword $(MAKEFILE_LIST))),user.mk)
USER_SAVED_GOAL := all
# Alone: what the top Makefile would have set.
BUILD	?= build
OPT	?= -O2
OBJCOPY	?= $(CROSS)objcopy
ifneq ($(V),1)
Q	:= @
endif
ifneq ($(findstring clang,$(CC)),)
TARGET_FLAGS ?= --target=x86_64-unknown-none-elf
endif
all: initrd
$(BUILD)/gen/.stamp: kernel/syscalls.master tools/mksyscalls
	$(Q)tools/mksyscalls kernel/syscalls.master $(BUILD)/gen && touch $@
endif

USER_AR	?= $(CROSS)ar
TAR	?= $(if $(shell command -v gtar 2>/dev/null),gtar,tar)
USER_GEN := $(BUILD)/gen/.stamp
USER_OBJ := $(BUILD)/user/obj

# Freestanding: the compiler's own headers (stdint.h, stdarg.h, ...)
# and ours, never the host's C library.  One section per function, so
# that the link keeps only what a program uses of libc.
USER_INCLUDES := -nostdinc -isystem $(shell $(CC) $(TARGET_FLAGS) -print-file-name=include) \
	-Iuser/include -Iuser/lib/libatf-c -Iuser/lib/libpthread -Iuser/common \
	-I$(BUILD)/gen/include -Ikernel/include \
	-Iarch/x86_64/include
USER_CFLAGS := $(TARGET_FLAGS) -std=gnu11 -ffreestanding $(USER_INCLUDES) \
	-fno-stack-protector -fno-pic -fno-pie -ffunction-sections -fdata-sections \
	-g $(OPT) -Wall -Wextra -Werror -Wno-unused-parameter -MMD -MP
USER_ASFLAGS := $(TARGET_FLAGS) -D__ASSEMBLER__ -g $(USER_INCLUDES) -MMD -MP
USER_LDFLAGS := -static -nostdlib -z noexecstack -z max-page-size=0x1000 \
	--gc-sections -e _start
# Each segment on pages of its own, at 0x400000 with either linker
# (ld.lld's default base is 0x200000).
ifneq ($(findstring lld,$(LD)),)
USER_LDFLAGS += --image-base=0x400000 -z separate-loadable-segments
else
USER_LDFLAGS += -z separate-code
endif
# make SANITIZE=undefined: UBSan in libc, the libraries and every
# program, with its runtime (kernel/lib/ubsan.c, not itself checked)
# in libc; a report aborts the program (libc's ubsan_die, exit.c).
ifeq ($(SANITIZE),undefined)
USER_CFLAGS += -fsanitize=undefined -DUBSAN
endif
# The compiler's helpers (e.g. 128-bit division) when it has them.
USER_LIBGCC := $(wildcard $(shell $(CC) $(TARGET_FLAGS) -print-libgcc-file-name))

# ---- libc -------------------------------------------------------------
USER_LIBC := $(BUILD)/user/libc.a
USER_CRT0 := $(USER_OBJ)/user/lib/libc/crt0.o
USER_LIBC_SRCS := $(filter-out %/crt0.S %/hdrcheck.c, \
	$(wildcard user/lib/libc/*.c user/lib/libc/*.S)) \
	kernel/lib/string.c kernel/lib/subr_prf.c
ifeq ($(SANITIZE),undefined)
USER_LIBC_SRCS += kernel/lib/ubsan.c
endif
USER_LIBC_OBJS := $(patsubst %,$(USER_OBJ)/%.o,$(basename $(USER_LIBC_SRCS))) \
	$(USER_OBJ)/syscalls.o

# libc has a C-standard strtoul (sign, ERANGE); the kernel's simpler
# one moves out of its way.
$(USER_OBJ)/kernel/lib/string.o: USER_XFLAGS := -Dstrtoul=__libkern_strtoul
$(USER_OBJ)/kernel/lib/ubsan.o: USER_XFLAGS := -fno-sanitize=all

$(USER_LIBC): $(USER_LIBC_OBJS) $(BUILD)/user/hdrcheck.o
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(USER_AR) rcs $@ $(USER_LIBC_OBJS)

$(USER_OBJ)/syscalls.o: $(USER_GEN)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AS      $(BUILD)/gen/user/syscalls.S")
	$(Q)$(CC) $(USER_ASFLAGS) -c -o $@ $(BUILD)/gen/user/syscalls.S

# Every header must stay plain C11 for students' programs.
$(BUILD)/user/hdrcheck.o: user/lib/libc/hdrcheck.c | $(USER_GEN)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< (C11 check)")
	$(Q)$(CC) $(filter-out -std=gnu11,$(USER_CFLAGS)) -std=c11 -pedantic -c -o $@ $<

# ---- libatf-c ----------------------------------------------------------
# The ATF test library: main() and what the ATF_* macros call.  Built
# -std=c11 -pedantic (-Werror), which keeps atf-c.h plain C11 too; so
# is t_atf, its test, which checks the macros where they are used.
USER_LIBATF := $(BUILD)/user/libatf-c.a
USER_LIBATF_OBJS := $(USER_OBJ)/user/lib/libatf-c/atf-c.o
$(USER_LIBATF_OBJS) $(USER_OBJ)/user/tests/t_atf.o: USER_XFLAGS := -std=c11 -pedantic

$(USER_LIBATF): $(USER_LIBATF_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(USER_AR) rcs $@ $(USER_LIBATF_OBJS)

# ---- libpthread ----------------------------------------------------------
# POSIX threads.  Its headers (user/lib/libpthread, on the include path
# like atf-c.h's) are checked to be plain C11 as libc's are.
USER_LIBPTHREAD := $(BUILD)/user/libpthread.a
USER_LIBPTHREAD_OBJS := $(patsubst %,$(USER_OBJ)/%.o,$(basename $(filter-out \
	%/hdrcheck.c,$(wildcard user/lib/libpthread/*.c))))

$(USER_LIBPTHREAD): $(USER_LIBPTHREAD_OBJS) $(BUILD)/user/pthread-hdrcheck.o
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(USER_AR) rcs $@ $(USER_LIBPTHREAD_OBJS)

$(BUILD)/user/pthread-hdrcheck.o: user/lib/libpthread/hdrcheck.c | $(USER_GEN)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< (C11 check)")
	$(Q)$(CC) $(filter-out -std=gnu11,$(USER_CFLAGS)) -std=c11 -pedantic -c -o $@ $<

# ---- programs -----------------------------------------------------------
USER_EXTRA ?=
$(foreach f,$(USER_EXTRA),$(if $(wildcard $(f)),,$(error USER_EXTRA: no file $(f))))
USER_EXTRA_NAME := $(basename $(notdir $(firstword $(USER_EXTRA))))
USER_EXTRA_PROG := $(if $(USER_EXTRA_NAME),$(BUILD)/user/bin/$(USER_EXTRA_NAME))
USER_EXTRA_OBJS := $(patsubst /%,$(BUILD)/user/extra/%.o,$(basename $(abspath $(USER_EXTRA))))
# h_ubsan (planted undefined behaviour) only in the UBSan build; t_kcov
# (/dev/kcov's tests) only in the KCOV=1 build, whose kernel has it.
USER_SAN_ONLY := $(if $(filter undefined,$(SANITIZE)),,user/tests/h_ubsan.c) \
	$(if $(filter 1,$(KCOV)),,user/tests/t_kcov.c)
USER_PLAIN := $(filter-out $(USER_EXTRA_PROG),$(patsubst user/%.c,$(BUILD)/user/%, \
	$(filter-out $(USER_SAN_ONLY),$(wildcard user/bin/*.c user/sbin/*.c user/tests/*.c))))
USER_PROGS := $(USER_PLAIN) $(USER_EXTRA_PROG)

# Every program gets libatf-c.a and libpthread.a, but takes from them
# (as from libc.a) only what it uses: nothing, unless it is an ATF test
# (which has no main) or calls pthread_* or sem_*.
USER_LINK = mkdir -p $(@D) && $(LD) $(USER_LDFLAGS) -o $@ $(USER_CRT0) $(1) \
	$(USER_LIBATF) $(USER_LIBPTHREAD) $(USER_LIBC) $(USER_LIBGCC)
USER_LIBS := $(USER_CRT0) $(USER_LIBATF) $(USER_LIBPTHREAD) $(USER_LIBC)

$(USER_PLAIN): $(BUILD)/user/%: $(USER_OBJ)/user/%.o $(USER_LIBS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(call USER_LINK,$<)

$(USER_EXTRA_PROG): $(USER_EXTRA_OBJS) $(USER_LIBS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(call USER_LINK,$(USER_EXTRA_OBJS))

# ---- compiling ------------------------------------------------------------
# The generated headers must exist before the first compile; after
# that the .d files say who needs them.
$(USER_OBJ)/%.o: %.c | $(USER_GEN)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(USER_CFLAGS) $(USER_XFLAGS) -c -o $@ $<
$(USER_OBJ)/%.o: %.S | $(USER_GEN)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(USER_ASFLAGS) -c -o $@ $<
# A USER_EXTRA program may #include "h_macros.h" (the test helpers:
# NetBSD's tests find their tests/h_macros.h that way).
$(BUILD)/user/extra/%.o: /%.c | $(USER_GEN)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(USER_CFLAGS) -iquote user/tests -c -o $@ $<
$(BUILD)/user/extra/%.o: /%.S | $(USER_GEN)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(USER_ASFLAGS) -c -o $@ $<

USER_ALL_OBJS := $(USER_LIBC_OBJS) $(USER_LIBATF_OBJS) $(USER_LIBPTHREAD_OBJS) \
	$(USER_CRT0) $(BUILD)/user/hdrcheck.o $(BUILD)/user/pthread-hdrcheck.o \
	$(patsubst $(BUILD)/user/%,$(USER_OBJ)/user/%.o,$(USER_PLAIN)) $(USER_EXTRA_OBJS)

# A file that changes only when its contents would: what depends on it
# is rebuilt when the flags (or the list of programs) change.
user_stamp = $(shell mkdir -p $(dir $(1)); echo '$(2)' | cmp -s - $(1) || echo '$(2)' > $(1))
$(call user_stamp,$(BUILD)/user/.flags,$(CC) $(USER_CFLAGS) $(LD) $(USER_LDFLAGS))
$(USER_ALL_OBJS) $(USER_PROGS): $(BUILD)/user/.flags

# ---- the initrd ---------------------------------------------------------------
USER_STAGE := $(BUILD)/initrd
USER_ETC := $(wildcard user/etc/*)
USER_MKBADELF := $(wildcard user/tests/mkbadelf.sh)
$(call user_stamp,$(BUILD)/user/.list,$(USER_PROGS) $(USER_ETC) $(USER_MKBADELF))

# Staged from scratch each time, so nothing stale (a program deleted,
# USER_EXTRA gone) stays in the archive.
$(BUILD)/initrd.tar: $(USER_PROGS) $(USER_ETC) $(USER_MKBADELF) $(BUILD)/user/.list
	@$(if $(Q),echo "  INITRD  $@")
	$(Q)rm -rf $(USER_STAGE) && mkdir -p $(addprefix $(USER_STAGE)/,bin sbin tests etc)
	$(Q)for p in $(patsubst $(BUILD)/user/%,%,$(USER_PROGS)); do \
	    $(OBJCOPY) --strip-debug $(BUILD)/user/$$p $(USER_STAGE)/$$p || exit 1; \
	done
	$(Q)$(if $(USER_ETC),cp -R $(USER_ETC) $(USER_STAGE)/etc/)
	$(Q)$(if $(USER_MKBADELF),test -f $(USER_STAGE)/bin/true || \
	    { echo "$(USER_MKBADELF) needs /bin/true (user/bin/true.c)"; exit 1; }; \
	    mkdir -p $(USER_STAGE)/tests/elf && \
	    sh $(USER_MKBADELF) $(USER_STAGE)/bin/true $(USER_STAGE)/tests/elf)
	$(Q)chmod -R u=rwX,go=rX $(USER_STAGE)
	$(Q)$(TAR) --format=ustar --sort=name --owner=0 --group=0 --numeric-owner \
	    --mtime=@0 -C $(USER_STAGE) -cf $@ bin sbin tests etc

USER_INITRD := $(BUILD)/initrd.tar
initrd: $(USER_INITRD)
user-libc: $(USER_LIBC) $(USER_LIBATF) $(USER_LIBPTHREAD) $(USER_CRT0)
user-progs: $(USER_PROGS)

.PHONY: initrd user-libc user-progs
.SECONDARY:

-include $(USER_ALL_OBJS:.o=.d)

.DEFAULT_GOAL := $(USER_SAVED_GOAL)

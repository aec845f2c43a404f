# lwpkern: build, run, debug and test.  `make help` lists the targets.
#
# Variables (make VAR=value ...):
#   CROSS=x86_64-elf-   toolchain prefix (found automatically off x86-64 Linux)
#   CC=clang            build with clang (links with ld.lld if present)
#   SMP=1 MEM=256M      CPUs and memory of the QEMU machine
#   FW=bios|uefi        SeaBIOS (default) or OVMF
#   BOOT=iso|direct     the ISO through GRUB (default), or direct: QEMU
#                       -kernel loads build/kernel.elf through its PVH note
#                       with the initrd and command line, no GRUB (BIOS only)
#   ACCEL=tcg|kvm       TCG (default; required on the build machines)
#   QEMU=path           another qemu-system-x86_64, e.g. QEMU=$$(tools/qemu-x2apic)
#   CMDLINE="..."       kernel command line, e.g. CMDLINE=ktest=all
#   QEMU_EXTRA="..."    more QEMU arguments, e.g. "-icount shift=0,sleep=off"
#   OPT=-O2             optimisation (-Og for easier stepping in gdb)
#   DIAGNOSTIC=1        KASSERTs on (default); 0 turns them off
#   LOCKDEBUG=1         lock checks and the spin-out detector (default on)
#   TRACE=1             the event trace's hooks compiled in (default; off
#                       until trace= or /bin/trace; docs/trace.md)
#   SANITIZE=undefined  UBSan (kernel, libc, programs) in build/ubsan;
#   SANITIZE=kernel-address  KASAN (the kernel) in build/kasan
#                       (docs/sanitizers.md)
#   KCOV=1              kcov: coverage for the fuzzer, /dev/kcov, in
#                       build/kcov (docs/fuzz.md)
#   LABSTUB=runq,...    build those labs' skeletons (docs/labs/README.md)
#   LAB= TEST= CELL= SEED= JOBS= what `make grade` grades
#   RUN="PROG ARG..."   what `make trace` runs (default /bin/parkpong)
#   SEED= CALLS= FUZZ=  what `make fuzz` runs (user/bin/fuzz.c)
#   MINUTES= SEED=      how long `make soak` runs (user/bin/soak.c)
#   V=1                 show the commands

BUILD   := build
SMP     ?= 1
MEM     ?= 256M
FW      ?= bios
BOOT    ?= iso
ACCEL   ?= tcg
QEMU    ?= qemu-system-x86_64
CMDLINE ?=
QEMU_EXTRA ?=
OPT     ?= -O2
DIAGNOSTIC ?= 1
LOCKDEBUG ?= 1
TRACE   ?= 1

ifneq ($(V),1)
Q := @
endif

# ---- sanitizers (docs/sanitizers.md) -----------------------------------
# SANITIZE=undefined: -fsanitize=undefined in the kernel and all of user
# space, with the runtime kernel/lib/ubsan.c in both.  SANITIZE=
# kernel-address: KASAN in the kernel (outline checks: every access
# calls __asan_loadN/__asan_storeN, so the runtime can let accesses
# through until the shadow exists), runtime kernel/subr_kasan.c and
# arch/x86_64/kasan_machdep.c.  Each builds in a directory of its own
# (build/ubsan, build/kasan) unless BUILD= is given.  The runtimes and
# SAN_PLAIN (the allocators, which work inside their own redzones) are
# compiled without the checks.  Unset, nothing here changes the build.
SANITIZE ?=
# Files only sanitizer builds compile: the runtimes and their planted bugs.
SAN_FILES := kernel/lib/ubsan.c kernel/t_ubsan.c kernel/subr_kasan.c kernel/t_kasan.c \
	arch/x86_64/kasan_machdep.c
SAN_SRCS :=
SAN_PLAIN :=
ifeq ($(SANITIZE),)
else ifeq ($(SANITIZE),undefined)
  SAN_NAME := ubsan
  SAN_SRCS := kernel/lib/ubsan.c kernel/t_ubsan.c
  SAN_PLAIN := kernel/lib/ubsan.c
  SAN_KCFLAGS := -fsanitize=undefined
  SAN_DEFS := -DUBSAN
else ifeq ($(SANITIZE),kernel-address)
  SAN_NAME := kasan
  SAN_SRCS := kernel/subr_kasan.c kernel/t_kasan.c arch/x86_64/kasan_machdep.c
  SAN_PLAIN := kernel/subr_kasan.c arch/x86_64/kasan_machdep.c kernel/subr_pool.c
  KASAN_SHADOW_OFFSET := 0xdffffc0000000000
  ifneq ($(findstring clang,$(CC)),)
    # clang has KASAN for Linux targets only: the kernel's instrumented
    # files are compiled for one (freestanding all the same).
    SAN_TARGET := --target=x86_64-linux-gnu
    SAN_KCFLAGS := -fsanitize=kernel-address -mllvm -asan-mapping-offset=$(KASAN_SHADOW_OFFSET) \
	-mllvm -asan-instrumentation-with-call-threshold=0 -mllvm -asan-stack=1 -mllvm -asan-globals=1
  else
    SAN_KCFLAGS := -fsanitize=kernel-address -fasan-shadow-offset=$(KASAN_SHADOW_OFFSET) \
	--param=asan-instrumentation-with-call-threshold=0 --param=asan-stack=1 --param=asan-globals=1
  endif
  SAN_DEFS := -DKASAN -DKASAN_SHADOW_OFFSET=$(KASAN_SHADOW_OFFSET)UL
  SAN_KLDSCRIPT = $(BUILD)/kernel.ld
else
  $(error SANITIZE= is undefined or kernel-address, not '$(SANITIZE)')
endif
ifneq ($(SANITIZE),)
  ifeq ($(origin BUILD),file)
    BUILD := build/$(SAN_NAME)
  endif
endif

# ---- kcov (docs/fuzz.md) -------------------------------------------------
# KCOV=1: the kernel with /dev/kcov (kernel/subr_kcov.c), built in
# build/kcov unless BUILD= is given.  KCOV_COVER, the files compiled
# with -fsanitize-coverage=trace-pc (every basic block calls
# __sanitizer_cov_trace_pc), is what runs on behalf of an LWP: the
# machine-independent files, and of the arch layer the system-call
# path, signal delivery, contexts, the switch and the pmap.  Left out:
# kcov itself; kernel/lib (its string loops would fill a buffer with one
# PC per word copied); the ktests but t_kcov.c (no system call reaches
# them); the kernel's debugging machinery (KCOV_PLAIN: lock debugging
# and statistics, the event trace, the hang detector, jitter), which
# runs inside everyone's critical sections -- LOCKDEBUG holds one
# global spin lock across each check -- where the hook's calls would
# only make them longer; and the entry and trap code, the interrupt
# handlers, the boot and CPU start-up code (all run where the per-CPU
# pointer is not set up yet, or for no LWP).  MI code that runs in an
# interrupt (hardclock, cross-calls) is instrumented, and kcov drops
# what it records there (cpu_intr_p).  KCOV=0 (the default) changes
# nothing in the build.
KCOV ?= 0
KCOV_FILES := kernel/subr_kcov.c kernel/t_kcov.c
KCOV_SRCS :=
KCOV_PLAIN := kernel/subr_kcov.c kernel/subr_lockdebug.c kernel/subr_lockstat.c \
	kernel/kern_trace.c kernel/kern_tracedump.c kernel/kern_heartbeat.c kernel/kern_jitter.c
ifeq ($(KCOV),1)
  ifneq ($(SANITIZE),)
    $(error KCOV=1 and SANITIZE= are separate builds: choose one)
  endif
  KCOV_SRCS := $(KCOV_FILES)
  KCOV_COVER := $(filter-out $(KCOV_PLAIN) kernel/ht_%.c kernel/t_%.c,$(wildcard kernel/*.c)) \
	kernel/t_kcov.c \
	$(addprefix arch/x86_64/,syscall.c sig_machdep.c mcontext.c vm_machdep.c pmap.c)
  ifeq ($(origin BUILD),file)
    BUILD := build/kcov
  endif
else ifneq ($(KCOV),0)
  $(error KCOV= is 0 or 1, not '$(KCOV)')
endif

# ---- toolchain --------------------------------------------------------
# On x86-64 Linux the host tools build the kernel.  Elsewhere (macOS,
# arm64 Linux) use a cross toolchain: x86_64-elf-* or x86_64-linux-gnu-*.
HOST_OS   := $(shell uname -s)
HOST_ARCH := $(shell uname -m)
ifeq ($(origin CROSS),undefined)
  ifeq ($(HOST_OS)-$(HOST_ARCH),Linux-x86_64)
    CROSS :=
  else ifneq ($(shell command -v x86_64-elf-gcc 2>/dev/null),)
    CROSS := x86_64-elf-
  else ifneq ($(shell command -v x86_64-linux-gnu-gcc 2>/dev/null),)
    CROSS := x86_64-linux-gnu-
  endif
endif
ifeq ($(origin CC),default)
  CC := $(CROSS)gcc
endif
ifneq ($(findstring clang,$(CC)),)
  TARGET_FLAGS := --target=x86_64-unknown-none-elf
  NO_SHRINK_WRAP := -mllvm -enable-shrink-wrap=false
  ifeq ($(origin LD),default)
    LD := $(if $(shell command -v ld.lld 2>/dev/null),ld.lld,$(CROSS)ld)
  endif
else
  NO_SHRINK_WRAP := -fno-shrink-wrap
  ifeq ($(origin LD),default)
    LD := $(CROSS)ld
  endif
endif
NM      ?= $(CROSS)nm
ifeq ($(origin NM),default)
  NM := $(CROSS)nm
endif
OBJCOPY ?= $(CROSS)objcopy
HOSTCC  ?= cc
GRUB_MKRESCUE ?= $(firstword $(foreach t,grub-mkrescue grub2-mkrescue x86_64-elf-grub-mkrescue,$(shell command -v $(t) 2>/dev/null)) grub-mkrescue)

# ---- flags --------------------------------------------------------------
INCLUDES := -Ikernel/include -Iarch/x86_64/include -I$(BUILD)/gen/include
# Freestanding kernel code: no libc, no red zone (interrupts push onto
# the stack below %rsp), the kernel code model (linked in the top 2 GiB),
# no SSE/x87 (their registers are not saved on kernel entry), frame
# pointers for backtraces, debug info always.
KCFLAGS := $(TARGET_FLAGS) -std=gnu11 -ffreestanding -fno-builtin \
	-fno-stack-protector -fno-pic -fno-pie -fno-common \
	-mno-red-zone -mcmodel=kernel -mno-mmx -mno-sse -mno-sse2 -mno-80387 \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-optimize-sibling-calls $(NO_SHRINK_WRAP) \
	-fno-asynchronous-unwind-tables -g $(OPT) \
	-Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter -D_KERNEL -DDIAGNOSTIC=$(DIAGNOSTIC) -DLOCKDEBUG=$(LOCKDEBUG) -DTRACE=$(TRACE) $(INCLUDES) -MMD -MP
KASFLAGS := $(TARGET_FLAGS) -D__ASSEMBLER__ -g $(INCLUDES) -MMD -MP
# arch/x86_64/string.S has the kernel's memcpy and memset (kernel/lib/
# string.c's C ones stay for libc and for KASAN, which checks their
# every access).
ifneq ($(SANITIZE),kernel-address)
KCFLAGS += -D__HAVE_MD_MEMCPY
KASFLAGS += -D__HAVE_MD_MEMCPY
endif
KLDSCRIPT := boot/kernel.ld
ifneq ($(SAN_KLDSCRIPT),)
KLDSCRIPT := $(SAN_KLDSCRIPT)
endif
KLDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack -T $(KLDSCRIPT)
ifneq ($(SANITIZE),)
KCFLAGS_PLAIN := $(KCFLAGS) $(SAN_DEFS)
KCFLAGS += $(SAN_KCFLAGS) $(SAN_DEFS)
ifneq ($(SAN_TARGET),)
KCFLAGS := $(patsubst $(TARGET_FLAGS),$(SAN_TARGET),$(KCFLAGS))
endif
KASFLAGS += $(SAN_DEFS)
endif
ifeq ($(KCOV),1)
KCFLAGS += -DKCOV
KASFLAGS += -DKCOV
endif

# ---- labs -------------------------------------------------------------------
# LABSTUB=sleepq (or sleepq,runq) builds those labs' skeletons from this
# tree: tools/lab writes lab_stub.h (#define LABSTUB_sleepq 1), which
# sys/lab.h includes; it is rewritten only when it changes, so only what
# includes it is rebuilt (kernel/include/sys/lab.h, docs/labs/).  tools/lab
# (Python, a tenth of a second) runs only when LABSTUB differs from the
# last build's, kept in lab_stub.h.arg.
LABSTUB ?=
LAB_STUB_H := $(BUILD)/gen/include/lab_stub.h
LAB_STUB_ERR := $(shell { test -f $(LAB_STUB_H) && \
	echo '$(LABSTUB)' | cmp -s - $(LAB_STUB_H).arg; } 2>/dev/null || \
	{ tools/lab stubheader '$(LABSTUB)' $(LAB_STUB_H) && \
	echo '$(LABSTUB)' > $(LAB_STUB_H).arg; } 2>&1)
ifneq ($(LAB_STUB_ERR),)
$(error $(LAB_STUB_ERR))
endif

# ---- sources -------------------------------------------------------------
# Kernel code is every .c/.S under kernel/ and arch/x86_64/ (ktests t_*.c
# included) plus boot/*.S; ht_*.c files are host unit tests.  kernel/lib/
# (string routines, the printf core) is compiled into user space's libc
# as well (user/user.mk), as NetBSD's common/lib/libc is: it may use
# only <lib/libkern.h>.
KSRCS := $(filter-out kernel/ht_%.c kernel/lib/ht_%.c arch/x86_64/ht_%.c $(SAN_FILES) $(KCOV_FILES),$(wildcard kernel/*.c kernel/lib/*.c \
	arch/x86_64/*.c)) $(wildcard arch/x86_64/*.S boot/*.S) $(SAN_SRCS) $(KCOV_SRCS)
KOBJS := $(patsubst %,$(BUILD)/obj/%.o,$(basename $(KSRCS))) $(BUILD)/obj/gen/syscalls.o
ifneq ($(SAN_PLAIN),)
$(patsubst %,$(BUILD)/obj/%.o,$(basename $(SAN_PLAIN))): KCFLAGS := $(KCFLAGS_PLAIN)
endif
ifeq ($(KCOV),1)
$(patsubst %,$(BUILD)/obj/%.o,$(basename $(KCOV_COVER))): KCFLAGS += -fsanitize-coverage=trace-pc
endif

all: $(BUILD)/kernel.elf

# Changing the compiler or its flags (OPT=, DIAGNOSTIC=, CC=, the files
# KCOV=1 instruments) rebuilds everything: the objects depend on a file
# that holds the flags and is rewritten only when they change.
FLAGS_STAMP := $(BUILD)/.flags
FLAGS_NOW := $(CC) $(KCFLAGS) $(KASFLAGS) $(KLDFLAGS)$(if $(KCOV_COVER), $(KCOV_COVER))
$(shell mkdir -p $(BUILD); echo '$(FLAGS_NOW)' | cmp -s - $(FLAGS_STAMP) || \
	echo '$(FLAGS_NOW)' > $(FLAGS_STAMP))
$(KOBJS): $(FLAGS_STAMP)

# The system-call table, numbers, argument structures and libc stubs
# are generated from kernel/syscalls.master (tools/mksyscalls).
GEN_STAMP := $(BUILD)/gen/.stamp
$(GEN_STAMP): kernel/syscalls.master tools/mksyscalls
	@$(if $(Q),echo "  GEN     syscalls")
	$(Q)tools/mksyscalls kernel/syscalls.master $(BUILD)/gen && touch $@
$(BUILD)/gen/syscalls.c: $(GEN_STAMP)
$(KOBJS): $(GEN_STAMP)
$(BUILD)/obj/gen/syscalls.o: $(BUILD)/gen/syscalls.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(KCFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(KASFLAGS) -c -o $@ $<

# Two links: the first (with an empty symbol table) gives the addresses
# tools/mksyms turns into the real table for the second.  The table is
# the last thing in the image, so no other address changes.
$(BUILD)/ksyms0.S: tools/mksyms
	@mkdir -p $(BUILD)
	$(Q)tools/mksyms $(NM) - > $@
$(BUILD)/kernel.0.elf: $(KOBJS) $(BUILD)/obj/ksyms0.o $(KLDSCRIPT)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/obj/ksyms0.o
$(BUILD)/ksyms.S: $(BUILD)/kernel.0.elf tools/mksyms
	$(Q)tools/mksyms $(NM) $< > $@
$(BUILD)/obj/ksyms%.o: $(BUILD)/ksyms%.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KASFLAGS) -c -o $@ $<
$(BUILD)/obj/ksyms.o: $(BUILD)/ksyms.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KASFLAGS) -c -o $@ $<
$(BUILD)/kernel.elf: $(KOBJS) $(BUILD)/obj/ksyms.o $(KLDSCRIPT)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/obj/ksyms.o

# KASAN: kernel.ld with boot/kasan.ld (the constructors) before .bss.
ifneq ($(SAN_KLDSCRIPT),)
$(SAN_KLDSCRIPT): boot/kernel.ld boot/kasan.ld
	@mkdir -p $(dir $@)
	$(Q)awk '/^\t\.bss : /{ while ((getline l < "boot/kasan.ld") > 0) print l } { print }' \
	    boot/kernel.ld > $@
endif

# ---- user space: libc, programs, the initrd (user/user.mk) ----------
include user/user.mk

# ---- ISO ------------------------------------------------------------------
# One ISO boots under BIOS (SeaBIOS) and UEFI (OVMF).
iso: $(BUILD)/os.iso
$(BUILD)/os.iso: $(BUILD)/kernel.elf boot/grub.cfg $(BUILD)/initrd.tar
	@$(if $(Q),echo "  ISO     $@")
	$(Q)rm -rf $(BUILD)/iso && mkdir -p $(BUILD)/iso/boot/grub
	$(Q)cp $(BUILD)/kernel.elf $(BUILD)/iso/boot/kernel.elf
	$(Q)cp $(BUILD)/initrd.tar $(BUILD)/iso/boot/initrd.tar
	$(Q)cp boot/grub.cfg $(BUILD)/iso/boot/grub/grub.cfg
	$(Q)$(GRUB_MKRESCUE) \
	    --fonts= --locales= --themes= -o $@ $(BUILD)/iso 2> $(BUILD)/grub-mkrescue.log \
	    || { cat $(BUILD)/grub-mkrescue.log; exit 1; }

# ---- run and debug ---------------------------------------------------------
# BOOT_CMDLINE: what the boot gets, CMDLINE unless a target adds to it.
BOOT_CMDLINE = $(CMDLINE)
QEMU_ENV = QEMU="$(QEMU)" FW=$(FW) SMP=$(SMP) MEM=$(MEM) ACCEL=$(ACCEL) \
	BOOT=$(BOOT) CMDLINE="$(strip $(BOOT_CMDLINE))" QEMU_EXTRA="$(QEMU_EXTRA)"
# What a boot needs: the ISO, or for BOOT=direct (tools/qemu-run) only
# the two files it is made of, so no grub-mkrescue runs.
ifeq ($(BOOT),iso)
BOOT_FILES = $(BUILD)/os.iso
else ifeq ($(BOOT),direct)
BOOT_FILES = $(BUILD)/kernel.elf $(BUILD)/initrd.tar
else
$(error BOOT= is iso or direct, not '$(BOOT)')
endif

setup:
	@tools/setup

qemu: setup $(BOOT_FILES)
	$(QEMU_ENV) tools/qemu-run $(BUILD)/os.iso

# QEMU waits for gdb on localhost:1234; run `make gdb` in a second terminal.
qemu-gdb: setup $(BOOT_FILES)
	$(QEMU_ENV) tools/qemu-run --gdb $(BUILD)/os.iso

gdb: $(BUILD)/kernel.elf
	gdb -q -x tools/gdbinit $(BUILD)/kernel.elf

# make trace RUN="/bin/parkpong 100" SMP=2: run a program with the event
# trace on and draw what happened, in build/trace/ (tools/trace/run;
# docs/trace.md).  TRACE_CLASSES=sched+lock records less;
# TRACE_CLASSES=all+syscall adds system calls (sys_enter/sys_exit).
RUN ?= /bin/parkpong
trace: setup $(BOOT_FILES)
	$(QEMU_ENV) TRACE_CLASSES="$(TRACE_CLASSES)" ISO=$(BUILD)/os.iso tools/trace/run $(RUN)

# make fuzz [SEED=S] [CALLS=N] [SMP=K] [FUZZ="batch=500 first=12 ..."]:
# the system-call fuzzer (user/bin/fuzz.c) as init's program, with the
# hang detector's idle check on; the same SEED, CALLS and SMP run the
# same calls again (it prints the command).  Without SEED it picks one.
comma := ,
empty :=
space := $(empty) $(empty)
CALLS ?= 100000
FUZZ ?=
FUZZ_ARGS = $(if $(SEED),$(comma)seed=$(SEED))$(comma)calls=$(CALLS)$(if \
	$(strip $(FUZZ)),$(comma)$(subst $(space),$(comma),$(strip $(FUZZ))))
fuzz: BOOT_CMDLINE = run=/bin/fuzz$(FUZZ_ARGS) hang_idle=1 $(CMDLINE)
fuzz: setup $(BOOT_FILES)
	$(QEMU_ENV) tools/qemu-run $(BUILD)/os.iso

# make soak [MINUTES=30] [SMP=4] [SEED=S]: everything at once for that
# long (user/bin/soak.c: the fuzzer, the user tests round after round,
# LWP and thread and signal storms, fork/exec), the kernel's invariants
# checked every second, leak totals and a one-screen report at the end.
MINUTES ?= 30
soak: BOOT_CMDLINE = run=/bin/soak,minutes=$(MINUTES)$(if $(SEED),$(comma)seed=$(SEED)) \
	hang_idle=1 $(CMDLINE)
soak: setup $(BOOT_FILES)
	$(QEMU_ENV) tools/qemu-run $(BUILD)/os.iso

# ---- tests ------------------------------------------------------------------
# Host unit tests: each kernel/ht_NAME.c tests kernel/NAME.c's pure code,
# compiled for the host with its symbols renamed kern_* so it cannot
# clash with the C library it is linked beside.
HOST_TESTS := $(patsubst kernel/ht_%.c,$(BUILD)/host/ht_%,$(wildcard kernel/ht_*.c)) \
	$(patsubst kernel/lib/ht_%.c,$(BUILD)/host/ht_%,$(wildcard kernel/lib/ht_*.c))
HOST_KCFLAGS := -std=gnu11 -ffreestanding -fno-builtin -fno-stack-protector \
	-fno-pic -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-D_KERNEL -DDIAGNOSTIC=1 $(INCLUDES)
$(BUILD)/host/%.o: kernel/%.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_KCFLAGS) -c -o $@.tmp $<
	$(Q)$(OBJCOPY) --prefix-symbols=kern_ $@.tmp $@ && rm -f $@.tmp
$(BUILD)/host/lib_%.o: kernel/lib/%.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_KCFLAGS) -c -o $@.tmp $<
	$(Q)$(OBJCOPY) --prefix-symbols=kern_ $@.tmp $@ && rm -f $@.tmp
HOST_LINK = $(HOSTCC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -no-pie \
	    -Wno-format-truncation -o $@ $^
$(BUILD)/host/ht_%: kernel/ht_%.c $(BUILD)/host/%.o $(BUILD)/host/lib_string.o
	$(Q)$(HOST_LINK)
$(BUILD)/host/ht_%: kernel/lib/ht_%.c $(BUILD)/host/lib_%.o $(BUILD)/host/lib_string.o
	$(Q)$(HOST_LINK)
host-tests: $(HOST_TESTS)

test: setup $(BUILD)/os.iso host-tests
	@tools/test

# make check: the student's loop after each edit (at most 30 s on two
# cores): the host tests, the static checks, and the in-kernel suite at
# 2 CPUs and the user suite at 1 in two halves, the three boots at once
# (the user tests spend half their time asleep), booted directly
# (BOOT=direct: no GRUB ISO to make, and a faster boot).  A subset of
# make test's checks (same names, same logs), nothing of its own.
CHECK_ONLY = ^(host:|lint$$|ktest-direct-smp2$$|utest-direct-smp1-s[12]$$)
check: setup $(BUILD)/kernel.elf $(BUILD)/initrd.tar host-tests
	@ONLY='$(CHECK_ONLY)' JOBS=$${JOBS:-3} tools/test

# make grade LAB=NAME [TEST=test] [CELL=bios/2] [SEED=1] [JOBS=2]: grade this tree
# on a lab; writes $(BUILD)/grade/NAME/results.json (Gradescope's form).
grade: setup
	@test -n "$(LAB)" || { echo "make grade: say which lab: LAB=NAME (tools/lab list)"; exit 2; }
	@tools/lab run $(LAB) $(if $(TEST),--test $(TEST)) $(if $(CELL),--cell $(CELL)) \
	    $(if $(SEED),--seed $(SEED)) $(if $(JOBS),--jobs $(JOBS))

# The compiler flags, for tools/lab check (which compiles single files).
print-kcflags:
	@echo $(CC) $(KCFLAGS)
print-ucflags:
	@echo $(CC) $(USER_CFLAGS)

# Static checks (tools/lint: the man pages, no x86 in kernel/, each
# header on its own, the lock legend); `make test` runs them too.
# LINT_CHECKS=... picks some, e.g. `make lint LINT_CHECKS=headers`.
LINT_CHECKS ?=
lint: $(GEN_STAMP)
	$(Q)LINT_CC='$(CC)' \
	    LINT_KCFLAGS='$(filter-out -MMD -MP -g,$(KCFLAGS))' \
	    LINT_KASFLAGS='$(filter-out -MMD -MP -g,$(KASFLAGS))' \
	    LINT_UCFLAGS='$(filter-out -std=gnu11 -MMD -MP -g,$(USER_CFLAGS)) -std=c11 -pedantic' \
	    tools/lint $(LINT_CHECKS)

# ---- misc ----------------------------------------------------------------
# For clangd and other editors: the exact command for every kernel source.
compile_commands.json: Makefile $(KSRCS)
	$(Q){ echo "["; sep=" "; for f in $(KSRCS); do \
	    case $$f in *.S) fl='$(KASFLAGS)';; *) fl='$(KCFLAGS)';; esac; \
	    printf '%s{"directory": "%s", "file": "%s", "command": "%s %s -c %s"}\n' \
	        "$$sep" "$(CURDIR)" "$$f" "$(CC)" "$$fl" "$$f"; sep=","; \
	    done; echo "]"; } > $@
	@echo "wrote $@"

clean:
	rm -rf $(BUILD)

help:
	@sed -n '1,/^$$/p' Makefile | sed 's/^# \{0,1\}//'
	@echo "Targets: all (kernel), iso, qemu, qemu-gdb, gdb, trace, test, grade, lint,"
	@echo "         fuzz, soak, host-tests, compile_commands.json, setup, clean"

FORCE:
.SECONDARY:

-include $(KOBJS:.o=.d)

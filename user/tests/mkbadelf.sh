#!/bin/sh
# mkbadelf.sh GOOD_ELF OUTDIR: make broken copies of GOOD_ELF (/bin/true:
# a static ELF64 x86-64 executable) in OUTDIR, for /tests/t_exec, which
# checks that execve refuses each with ENOEXEC.  Each breaks one thing:
#
#   badmagic         e_ident[EI_MAG1] is 'X': "\177XLF"
#   badclass         e_ident[EI_CLASS] is ELFCLASS32
#   badmachine       e_machine is 3 (EM_386)
#   badtype          e_type is ET_REL (ET_DYN may be allowed one day: PIE)
#   truncated        just the first 100 bytes: no program headers
#   trunc_seg        cut in the middle of the text PT_LOAD's file data
#   phoff_out        e_phoff is 1 GiB, past the end of the file
#   kernelseg        the first PT_LOAD's p_vaddr is 0xffffffff80000000
#   straddle         the last PT_LOAD's p_vaddr + p_memsz runs one page
#                    past the top of user space, 0x00007f8000000000
#   overlap          the first PT_LOAD's p_memsz reaches a page into the
#                    second
#   wx               the text PT_LOAD's p_flags is PF_R|PF_W|PF_X
#   filesz_gt_memsz  the text PT_LOAD's p_memsz is its p_filesz - 1
#   entry_out        e_entry is the start of a PT_LOAD that is not
#                    executable (or unmapped, if every PT_LOAD is)
#   empty            0 bytes
#   notelf           a text file
#
# Only one field changes in each, and addresses keep their offset in
# the page (p_vaddr = p_offset modulo p_align), so a loader that checks
# the rest would accept the file but for that field.
#
# POSIX sh, od, dd, printf and head.  ELF numbers are little-endian;
# the offsets are the ELF64 spec's (<elf.h>).
set -e
good=$1
out=$2
if [ $# -ne 2 ] || [ ! -f "$good" ]; then
	echo "usage: mkbadelf.sh GOOD_ELF OUTDIR" >&2
	exit 1
fi
mkdir -p "$out"

# get FILE OFFSET SIZE: the number stored there (SIZE <= 8, < 2^63).
get() {
	_n=0 _sh=0
	for _b in $(od -An -tu1 -j "$2" -N "$3" "$1"); do
		_n=$((_n + (_b << _sh)))
		_sh=$((_sh + 8))
	done
	echo "$_n"
}

# put FILE OFFSET SIZE VALUE: store VALUE there, in place.
put() {
	_v=$4 _i=0 _s=
	while [ "$_i" -lt "$3" ]; do
		_s="$_s\\$(printf '%o' $((_v & 255)))"
		_v=$((_v >> 8))
		_i=$((_i + 1))
	done
	printf "$_s" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# copy NAME: a fresh copy of the good file, named OUTDIR/NAME.
copy() {
	f=$out/$1
	dd if="$good" of="$f" 2>/dev/null
}

# Is it what we expect?  "\177ELF", 64-bit, executable, x86-64.
if [ "$(get "$good" 0 4)" -ne $((0x464c457f)) ] ||
    [ "$(get "$good" 4 1)" -ne 2 ] || [ "$(get "$good" 16 2)" -ne 2 ] ||
    [ "$(get "$good" 18 2)" -ne 62 ]; then
	echo "mkbadelf.sh: $good: not an ELF64 x86-64 executable" >&2
	exit 1
fi

# The program headers (Elf64_Phdr: p_type 0, p_flags 4, p_offset 8,
# p_vaddr 16, p_filesz 32, p_memsz 40, p_align 48).  Note where the
# PT_LOADs are: the first, second and last, the first executable one
# (the text) and the first one that is not.
phoff=$(get "$good" 32 8)
phentsize=$(get "$good" 54 2)
phnum=$(get "$good" 56 2)
first= second= last= text= data=
i=0
while [ "$i" -lt "$phnum" ]; do
	ph=$((phoff + i * phentsize))
	i=$((i + 1))
	[ "$(get "$good" "$ph" 4)" -eq 1 ] || continue		# PT_LOAD
	if [ -z "$first" ]; then
		first=$ph
	elif [ -z "$second" ]; then
		second=$ph
	fi
	last=$ph
	if [ $(($(get "$good" $((ph + 4)) 4) & 1)) -ne 0 ]; then	# PF_X
		[ -n "$text" ] || text=$ph
	else
		[ -n "$data" ] || data=$ph
	fi
done
if [ -z "$second" ] || [ -z "$text" ]; then
	echo "mkbadelf.sh: $good: expected two PT_LOADs, one executable" >&2
	exit 1
fi
vaddr() { get "$good" $(($1 + 16)) 8; }
textoff=$(get "$good" $((text + 8)) 8)
textsize=$(get "$good" $((text + 32)) 8)

copy badmagic
put "$f" 1 1 88

copy badclass
put "$f" 4 1 1

copy badmachine
put "$f" 18 2 3

copy badtype
put "$f" 16 2 1

head -c 100 "$good" > "$out/truncated"

head -c $((textoff + textsize / 2)) "$good" > "$out/trunc_seg"

copy phoff_out
put "$f" 32 8 $((1 << 30))

# The 64-bit address in two halves: the shell's numbers are signed.
copy kernelseg
align=$(get "$good" $((first + 48)) 8)
[ "$align" -gt 0 ] || align=1
put "$f" $((first + 16)) 4 $((0x80000000 + $(vaddr "$first") % align))
put "$f" $((first + 20)) 4 $((0xffffffff))

copy straddle
put "$f" $((last + 40)) 8 $((0x00007f8000000000 - $(vaddr "$last") + 4096))

copy overlap
put "$f" $((first + 40)) 8 $(($(vaddr "$second") - $(vaddr "$first") + 4096))

copy wx
put "$f" $((text + 4)) 4 7

copy filesz_gt_memsz
put "$f" $((text + 40)) 8 $((textsize - 1))

copy entry_out
if [ -n "$data" ]; then
	put "$f" 24 8 "$(vaddr "$data")"
else
	put "$f" 24 8 $((0x00007f0000000000))
fi

: > "$out/empty"

printf 'This is a text file, not a program.\n' > "$out/notelf"

# Executable, so that only the format is wrong (not EACCES).
chmod 755 "$out"/*

/*
 * identcpu.c: identify the CPU (CPUID) and turn on the protection
 * features it offers: NX (no-execute pages), WP (the kernel honours
 * read-only pages), SMEP and SMAP (the kernel neither runs nor touches
 * user pages by accident), UMIP, and global pages.
 */
#include <sys/systm.h>
#include <machine/cpufunc.h>
#include <machine/specialreg.h>
#include "x86_var.h"

struct cpu_feature cpu_feature;

void
identifycpu(void)
{
	struct cpu_feature *f = &cpu_feature;
	uint32_t r[4], maxleaf, maxext;

	x86_cpuid2(0, 0, r);
	maxleaf = r[0];
	memcpy(f->vendor + 0, &r[1], 4);
	memcpy(f->vendor + 4, &r[3], 4);
	memcpy(f->vendor + 8, &r[2], 4);

	x86_cpuid2(1, 0, r);
	f->family = (r[0] >> 8) & 0xf;
	f->model = (r[0] >> 4) & 0xf;
	if (f->family == 0xf)
		f->family += (r[0] >> 20) & 0xff;
	if (f->family >= 6)
		f->model |= ((r[0] >> 16) & 0xf) << 4;
	f->stepping = r[0] & 0xf;
	f->has_pge = (r[3] & CPUID1_EDX_PGE) != 0;
	f->has_x2apic = (r[2] & CPUID1_ECX_X2APIC) != 0;

	if (maxleaf >= 7) {
		x86_cpuid2(7, 0, r);
		f->has_smep = (r[1] & CPUID7_EBX_SMEP) != 0;
		f->has_smap = (r[1] & CPUID7_EBX_SMAP) != 0;
		f->has_umip = (r[2] & CPUID7_ECX_UMIP) != 0;
	}

	x86_cpuid2(0x80000000, 0, r);
	maxext = r[0];
	if (maxext >= 0x80000001) {
		x86_cpuid2(0x80000001, 0, r);
		f->has_nx = (r[3] & CPUIDX_EDX_NX) != 0;
		f->has_pg1g = (r[3] & CPUIDX_EDX_PG1G) != 0;
	}
	if (maxext >= 0x80000004) {
		for (int i = 0; i < 3; i++) {
			x86_cpuid2(0x80000002 + i, 0, r);
			memcpy(f->brand + 16 * i, r, 16);
		}
		/* Brand strings are often padded with leading spaces. */
		char *b = f->brand;
		while (*b == ' ')
			b++;
		memmove(f->brand, b, strlen(b) + 1);
	} else
		strlcpy(f->brand, f->vendor, sizeof(f->brand));
}

/*
 * Per CPU: set %cr0 and %cr4 to exactly what the kernel wants (not
 * whatever the firmware left: every CPU ends up the same) and turn on
 * what identifycpu() found.  (NX is on since locore or the trampoline.)
 */
void
cpu_enable_features(void)
{
	uint64_t cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;

	lcr0(CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG);
	if (cpu_feature.has_pge)
		cr4 |= CR4_PGE;
	if (cpu_feature.has_smep)
		cr4 |= CR4_SMEP;
	if (cpu_feature.has_smap)
		cr4 |= CR4_SMAP;
	if (cpu_feature.has_umip)
		cr4 |= CR4_UMIP;
	lcr4(cr4);
	if (cpu_feature.has_nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	syscall_init_cpu();
}

/* The enabled protection features, as "nx wp smep smap ..." */
const char *
cpu_feature_string(char *buf, size_t size)
{
	uint64_t cr4 = rcr4();

	snprintf(buf, size, "%s%s%s%s%s%s",
	    (rdmsr(MSR_EFER) & EFER_NXE) ? "nx " : "",
	    (rcr0() & CR0_WP) ? "wp " : "",
	    (cr4 & CR4_SMEP) ? "smep " : "",
	    (cr4 & CR4_SMAP) ? "smap " : "",
	    (cr4 & CR4_UMIP) ? "umip " : "",
	    (cr4 & CR4_PGE) ? "pge" : "");
	return buf;
}

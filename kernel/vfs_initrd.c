/*
 * vfs_initrd.c: the initrd, a ustar archive in memory (read-only).
 *
 * GRUB loads build/initrd.tar as a boot module; initrd_init() walks its
 * 512-byte headers once (checking each header's checksum, size and
 * that the data lies inside the module) and builds a table of nodes,
 * one per file or directory, in archive order.  Lookups compare whole
 * paths; a directory's entries are the nodes whose in_parent it is.
 * The files' bytes are read where GRUB put them, through the direct
 * map: nothing is copied.
 *
 * The table is built before any user process runs and never changes,
 * so it needs no lock.
 */
#include <sys/systm.h>
#include <sys/bootinfo.h>
#include <sys/initrd.h>
#include <sys/kmem.h>
#include <sys/param.h>
#include <sys/pmap.h>

#define TAR_BLOCK	512
#define INITRD_MAXNODES	1024
#define INITRD_PATHMAX	256

struct ustar_header {
	char	name[100];
	char	mode[8], uid[8], gid[8];
	char	size[12];
	char	mtime[12];
	char	chksum[8];
	char	typeflag;
	char	linkname[100];
	char	magic[6];		/* "ustar" NUL */
	char	version[2];
	char	uname[32], gname[32];
	char	devmajor[8], devminor[8];
	char	prefix[155];
	char	pad[12];
};
CTASSERT(sizeof(struct ustar_header) == TAR_BLOCK);

static struct initrd_node *initrd_nodes;	/* (c) after initrd_init */
static size_t initrd_nnodes;			/* (c) */
static struct initrd_node initrd_root = {
	.in_path = "/", .in_name = "/", .in_dir = true, .in_ino = 1,
};

/* An octal header field; false if it is not one. */
static bool
tar_octal(const char *f, size_t len, uint64_t *vp)
{
	uint64_t v = 0;
	size_t i = 0;

	while (i < len && f[i] == ' ')
		i++;
	if (i == len || f[i] < '0' || f[i] > '7')
		return false;
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++)
		v = v * 8 + (f[i] - '0');
	if (i < len && f[i] != '\0' && f[i] != ' ')
		return false;
	*vp = v;
	return true;
}

static bool
tar_checksum_ok(const struct ustar_header *h)
{
	const unsigned char *b = (const unsigned char *)h;
	uint64_t want, sum = 0;

	if (!tar_octal(h->chksum, sizeof(h->chksum), &want))
		return false;
	for (size_t i = 0; i < TAR_BLOCK; i++)	/* chksum counts as blanks */
		sum += (i >= 148 && i < 156) ? ' ' : b[i];
	return sum == want;
}

/* The path "/prefix/name" without "./" or trailing slashes. */
static void
tar_path(const struct ustar_header *h, char *buf)
{
	char name[101], prefix[156];
	char *p;
	size_t n;

	strlcpy(name, h->name, sizeof(name));	/* fields need no NUL */
	memcpy(prefix, h->prefix, 155);
	prefix[155] = '\0';
	snprintf(buf, INITRD_PATHMAX, "/%s%s%s", prefix,
	    prefix[0] != '\0' ? "/" : "", name);
	while ((p = strchr(buf, '\0')) > buf + 1 && p[-1] == '/')
		p[-1] = '\0';
	if (strncmp(buf, "/./", 3) == 0)
		memmove(buf, buf + 2, strlen(buf + 2) + 1);
	n = strlen(buf);
	if (n == 2 && buf[1] == '.')
		buf[1] = '\0';
}

static struct initrd_node *
initrd_add(const char *path, bool dir, const char *data, size_t size);

/* The node for directory `path`, made if the archive did not list it. */
static const struct initrd_node *
initrd_dir(const char *path)
{
	const struct initrd_node *n = initrd_lookup(path);

	if (n == NULL)
		n = initrd_add(path, true, NULL, 0);
	return n;
}

static struct initrd_node *
initrd_add(const char *path, bool dir, const char *data, size_t size)
{
	char parent[INITRD_PATHMAX];
	struct initrd_node *n;
	const struct initrd_node *pn;
	char *slash;

	if (strcmp(path, "/") == 0 || initrd_lookup(path) != NULL)
		return NULL;		/* the root, or listed twice */
	strlcpy(parent, path, sizeof(parent));
	slash = parent;
	for (char *c = parent; *c != '\0'; c++)
		if (*c == '/')
			slash = c;
	*slash = '\0';
	pn = parent[0] == '\0' ? &initrd_root : initrd_dir(parent);
	if (pn == NULL || !pn->in_dir || initrd_nnodes == INITRD_MAXNODES)
		return NULL;
	n = &initrd_nodes[initrd_nnodes];
	if ((n->in_path = kmem_strdup(path, KM_SLEEP)) == NULL)
		return NULL;
	n->in_name = strchr(n->in_path, '\0');
	while (n->in_name[-1] != '/')
		n->in_name--;
	n->in_parent = pn;
	n->in_dir = dir;
	n->in_data = data;
	n->in_size = size;
	n->in_ino = ++initrd_nnodes + 1;
	return n;
}

/* Find the initrd module and index it.  Complains, and leaves an empty
 * initrd, if there is none or it is malformed. */
void
initrd_init(void)
{
	const struct bootinfo_module *m = NULL;
	char path[INITRD_PATHMAX];
	const char *base, *p, *end;
	uint64_t size;

	for (int i = 0; i < bootinfo.bi_nmod && m == NULL; i++)
		if (strcmp(bootinfo.bi_mod[i].bmod_cmdline, "initrd") == 0)
			m = &bootinfo.bi_mod[i];
	if (m == NULL && bootinfo.bi_nmod > 0)
		m = &bootinfo.bi_mod[0];
	if (m == NULL) {
		printf("initrd: no boot module: no programs to run\n");
		return;
	}
	initrd_nodes = kmem_zalloc(INITRD_MAXNODES * sizeof(*initrd_nodes),
	    KM_SLEEP);
	KASSERT(initrd_nodes != NULL);
	base = pmap_direct_va(m->bmod_start);
	end = base + (m->bmod_end - m->bmod_start);
	for (p = base; p + TAR_BLOCK <= end; ) {
		const struct ustar_header *h = (const void *)p;

		if (h->name[0] == '\0')
			break;			/* the zero blocks at the end */
		if (memcmp(h->magic, "ustar", 5) != 0 || !tar_checksum_ok(h) ||
		    !tar_octal(h->size, sizeof(h->size), &size) ||
		    size > (size_t)(end - p - TAR_BLOCK)) {
			printf("initrd: bad header at offset %#lx: stopping "
			    "there\n", (u_long)(p - base));
			break;
		}
		tar_path(h, path);
		if (h->typeflag == '5')
			initrd_dir(path);
		else if (h->typeflag == '0' || h->typeflag == '\0')
			initrd_add(path, false, p + TAR_BLOCK, size);
		p += TAR_BLOCK + roundup(size, TAR_BLOCK);
	}
	printf("initrd: %zu files and directories, %lu KiB\n", initrd_nnodes,
	    (u_long)(m->bmod_end - m->bmod_start) / 1024);
}

/*
 * The node for a path, or NULL.  There is no current directory: a
 * relative path starts at the root too.  "/bin/" is "/bin"; "." and
 * ".." components and doubled slashes are not understood.
 */
const struct initrd_node *
initrd_lookup(const char *path)
{
	size_t len, skip = path[0] == '/' ? 0 : 1;

	len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	if ((len == 1 && path[0] == '/') || len == 0)
		return &initrd_root;
	for (size_t i = 0; i < initrd_nnodes; i++) {
		const char *p = initrd_nodes[i].in_path + skip;

		if (strncmp(p, path, len) == 0 && p[len] == '\0')
			return &initrd_nodes[i];
	}
	return NULL;
}

/* Directory dir's entries one by one: *cookie starts at 0; NULL at the
 * end. */
const struct initrd_node *
initrd_child(const struct initrd_node *dir, size_t *cookie)
{
	while (*cookie < initrd_nnodes) {
		const struct initrd_node *n = &initrd_nodes[(*cookie)++];

		if (n->in_parent == dir)
			return n;
	}
	return NULL;
}

size_t
initrd_count(void)
{
	return initrd_nnodes;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * malloc_mismatch.cocci in report mode: 08-mismatch.report lists, by
 * hand, the lines it must report, without columns: each "bug" below, and
 * none of the "fine" ones.
 */
#include <linux/malloc.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

struct item {
	int len;
};

static void bug_kfree(size_t n)
{
	char *buf = malloc(n);

	kfree(buf);		/* bug: may be a vmalloc() block */
}

static void bug_kvfree(void)
{
	struct item *it;

	it = calloc_obj(*it);
	kvfree(it);		/* bug: free() is the family's release */
}

static void bug_krealloc(size_t n)
{
	char *buf = malloc(n), *big;

	big = krealloc(buf, 2 * n, GFP_KERNEL);	/* bug */
	free(big);
}

static void bug_free_kvmalloc(size_t n)
{
	char *buf = kvmalloc(n, GFP_KERNEL);

	free(buf);		/* bug: refused if vmalloc() served it */
}

static void bug_free_vmalloc(size_t n)
{
	char *buf = vzalloc(n);

	free(buf);		/* bug: refused, leaks */
}

static void fine(size_t n)
{
	char *a = malloc(n);
	char *b = kmalloc(n, GFP_KERNEL);
	char *c = kvmalloc(n, GFP_KERNEL);

	a = realloc(a, 2 * n);
	free(a);		/* fine: the family's own */
	free(b);		/* fine: free() takes kmalloc() blocks */
	kvfree(c);		/* fine */
	c = malloc(n);
	free(c);		/* fine: c was reassigned */
}

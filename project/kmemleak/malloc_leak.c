// SPDX-License-Identifier: GPL-2.0
/*
 * Leak one block of each of the malloc() family's backends, for
 * project/kmemleak/run.sh: an object of a kmalloc cache, a large kmalloc()
 * block and a vmalloc()ed block. Only a scrambled copy of each address is
 * kept, so that kmemleak finds no reference to them; the addresses are
 * printed, in halves, for the script to look for in kmemleak's report,
 * with whether each is vmalloc()ed: above KMALLOC_MAX_SIZE, the family
 * takes vmalloc().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/malloc.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#define LEAK_MASK	0x5a5a5a5a5a5a5a5aUL

static const struct {
	const char *name;
	size_t size;
	bool direct;	/* from kmalloc() or vmalloc() itself, to compare */
} leaks[] = {
	{ "kmalloc", 192 },
	{ "large_kmalloc", SZ_16K },
	{ "vmalloc", SZ_4M + PAGE_SIZE },
	{ "kmalloc_direct", 192, true },
	{ "large_kmalloc_direct", SZ_16K, true },
	{ "vmalloc_direct", SZ_4M + PAGE_SIZE, true },
};

static unsigned long hidden[ARRAY_SIZE(leaks)];

static noinline int malloc_leak_blocks(void)
{
	size_t i;
	void *p;

	for (i = 0; i < ARRAY_SIZE(leaks); i++) {
		if (!leaks[i].direct)
			p = malloc(leaks[i].size);
		else if (leaks[i].size > KMALLOC_MAX_SIZE)
			p = vmalloc(leaks[i].size);
		else
			p = kmalloc(leaks[i].size, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		hidden[i] = (unsigned long)p ^ LEAK_MASK;
		/* In halves, so that printk() leaves no pointer behind. */
		pr_info("leak %s %08x %08x %d\n", leaks[i].name,
			upper_32_bits((unsigned long)p), lower_32_bits((unsigned long)p),
			is_vmalloc_addr(p));
	}
	return 0;
}

/*
 * kmemleak scans the stacks of live tasks, and a stack that a task leaves
 * behind is kept for the next one with what it held: overwrite the frames
 * the allocations used, 6 KiB below this one.
 */
static noinline void malloc_leak_clear_stack(int depth)
{
	char buf[1024];

	memzero_explicit(buf, sizeof(buf));
	if (depth > 0)
		malloc_leak_clear_stack(depth - 1);
	barrier_data(buf);
}

static int __init malloc_leak_init(void)
{
	int err = malloc_leak_blocks();

	malloc_leak_clear_stack(5);
	return err;
}
module_init(malloc_leak_init);

MODULE_DESCRIPTION("Leaks of the malloc() family's blocks, for a kmemleak check");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * Reproducer 1, a cast free: test_uaf() of mm/kmsan/kmsan_test.c (7.2),
 * cut down. The block is freed through a cast, kfree((int *)var).
 *
 * Expected: left alone.
 * The cast is an occurrence of var that is neither a plain kfree(var) nor
 * any other use the script knows, so var is not converted; converting the
 * allocation alone would leave a malloc() block freed by kfree().
 */
#include <kunit/test.h>
#include <linux/slab.h>

static void test_uaf(struct kunit *test)
{
	volatile int value;
	volatile int *var;

	kunit_info(test, "use-after-free in kmalloc-ed buffer (UMR report)\n");
	var = kmalloc(80, GFP_KERNEL);
	var[3] = 0xfeedface;
	kfree((int *)var);
	/* Copy the invalid value before checking it. */
	value = var[3];
	USE(value);
}

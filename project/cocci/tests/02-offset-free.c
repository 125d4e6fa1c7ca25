// SPDX-License-Identifier: GPL-2.0
/*
 * Reproducer 2, an offset free: kmalloc_large_invalid_free() of
 * mm/kasan/kasan_test_c.c (7.2), cut down. The pointer freed, ptr + 1, is
 * inside the block.
 *
 * Expected: left alone.
 * ptr + 1 and the KUnit macros are uses of ptr the script does not know,
 * so ptr is not converted.
 */
#include <kunit/test.h>
#include <linux/slab.h>

static void kmalloc_large_invalid_free(struct kunit *test)
{
	char *ptr;
	size_t size = KMALLOC_MAX_CACHE_SIZE + 10;

	ptr = kmalloc(size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ptr);

	KUNIT_EXPECT_KASAN_FAIL(test, kfree(ptr + 1));
}

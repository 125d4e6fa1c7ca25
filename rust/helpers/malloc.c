// SPDX-License-Identifier: GPL-2.0

#include <linux/malloc.h>

#ifdef CONFIG_MALLOC
__realloc_size(3) void *
rust_helper_malloc_realloc_gfp(void *ptr, size_t old_size, size_t size,
			       size_t align, gfp_t flags)
{
	return malloc_realloc_gfp(ptr, old_size, size, align, flags);
}
#endif

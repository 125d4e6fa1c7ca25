// SPDX-License-Identifier: GPL-2.0

#include <linux/malloc.h>

#ifdef CONFIG_MALLOC
__realloc_size(2) void *
rust_helper_malloc_realloc_gfp(void *ptr, size_t size, size_t align, gfp_t flags)
{
	return malloc_realloc_gfp(ptr, size, align, flags);
}
#endif

// SPDX-License-Identifier: GPL-2.0

#include <linux/malloc.h>

#ifdef CONFIG_MALLOC
/*
 * Rust's Malloc calls this from its inline realloc(), so the address this
 * returns to is in the Rust code that allocated: it is named in
 * bad-pointer reports. Where CONFIG_RUST_INLINE_HELPERS inlines this into
 * that code, it is the address that code's function returns to.
 */
__rust_helper void *__realloc_size(3)
rust_helper_malloc_realloc_gfp(void *ptr, size_t old_size, size_t size,
			       size_t align, gfp_t flags, int node)
{
	return alloc_hooks(__malloc_realloc_gfp_noprof(ptr, old_size, size, align,
						       flags, node,
						       __builtin_return_address(0)));
}
#endif

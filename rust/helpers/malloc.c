// SPDX-License-Identifier: GPL-2.0

#include <linux/malloc.h>
#include <linux/mm.h>
#include <linux/pgalloc_tag.h>

#ifdef CONFIG_MALLOC
/*
 * Rust's Malloc calls this from inline functions only, so the address this
 * returns to is in the Rust code that allocated or freed: it is named in
 * bad-pointer reports. Where CONFIG_RUST_INLINE_HELPERS inlines this into
 * that code, it is the address that code's function returns to.
 *
 * Allocation profiling cannot see through it: Rust has no code tags, so
 * /proc/allocinfo charges every Rust allocation to this function's line, as
 * it charges Kmalloc's to rust_helper_krealloc_node_align().
 */
__rust_helper void *__must_check __realloc_size(2)
rust_helper_malloc_realloc_node_align(const void *ptr, size_t size,
				      unsigned long align, gfp_t flags, int node)
{
	return alloc_hooks(__malloc_realloc_node_align_noprof(ptr, size, align, flags, node,
							      __builtin_return_address(0)));
}

/* The GFP flags the calling context allows, for Rust's flag-less interfaces. */
__rust_helper gfp_t rust_helper_malloc_gfp(void)
{
	return malloc_gfp();
}

#if IS_ENABLED(CONFIG_MALLOC_KUNIT_TEST)
/* For Rust's tests: C's malloc(), as C code calls it. */
__rust_helper void *rust_helper_malloc_test_c_malloc(size_t size)
{
	return malloc(size);
}

#ifdef CONFIG_MEM_ALLOC_PROFILING
/*
 * For Rust's tests: the code tag, as /proc/allocinfo names it, that the
 * first page of a page-backed block (a large kmalloc() or a vmalloc()
 * block) is charged to, or NULL.
 */
__rust_helper const struct codetag *rust_helper_malloc_test_page_tag(const void *p)
{
	struct page *page = is_vmalloc_addr(p) ? vmalloc_to_page(p) : virt_to_page(p);
	struct alloc_tag *tag = pgalloc_tag_get(page);

	return tag ? &tag->ct : NULL;
}
#endif
#endif
#endif

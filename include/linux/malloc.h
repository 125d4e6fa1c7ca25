/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C library's allocation interface for kernel code.
 *
 * malloc(), calloc(), realloc(), reallocarray(), aligned_alloc() and free()
 * pick kmalloc() or vmalloc() by size and derive the GFP flags from the
 * calling context. See Documentation/core-api/malloc.rst.
 *
 * Only code that includes this header sees these names. The symbols the
 * linker sees are malloc_noprof() and friends, never "malloc" or "free":
 * the kernel already has code with its own malloc() and free(), and UML
 * links against the host C library.
 */
#ifndef _LINUX_MALLOC_H
#define _LINUX_MALLOC_H

#include <linux/alloc_tag.h>
#include <linux/cleanup.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/mmzone.h>
#include <linux/slab.h>
#include <linux/types.h>

/*
 * Every non-NULL result is aligned to at least MALLOC_MIN_ALIGN, the
 * alignment kmalloc() guarantees, and a result whose size is a power of two
 * no larger than PAGE_SIZE is aligned to its size. aligned_alloc() accepts
 * every power of two up to MALLOC_MAX_ALIGN.
 */
#define MALLOC_MIN_ALIGN	ARCH_KMALLOC_MINALIGN
#define MALLOC_MAX_ALIGN	(PAGE_SIZE << MAX_PAGE_ORDER)

/*
 * Where the caller may sleep, sizes up to MALLOC_KMALLOC_MAX come from
 * kmalloc() and larger ones from vmalloc(). Where it may not, vmalloc() is
 * out of reach: kmalloc() serves sizes up to MALLOC_ATOMIC_MAX and larger
 * requests fail.
 */
#define MALLOC_KMALLOC_MAX	KMALLOC_MAX_CACHE_SIZE
#define MALLOC_ATOMIC_MAX	(PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER)

void *malloc_noprof(size_t size) __alloc_size(1);
#define malloc(...)		alloc_hooks(malloc_noprof(__VA_ARGS__))

void *calloc_noprof(size_t nmemb, size_t size) __alloc_size(1, 2);
#define calloc(...)		alloc_hooks(calloc_noprof(__VA_ARGS__))

void *realloc_noprof(void *ptr, size_t size) __realloc_size(2);
#define realloc(...)		alloc_hooks(realloc_noprof(__VA_ARGS__))

void *reallocarray_noprof(void *ptr, size_t nmemb, size_t size)
	__realloc_size(2, 3);
#define reallocarray(...)	alloc_hooks(reallocarray_noprof(__VA_ARGS__))

void *aligned_alloc_noprof(size_t alignment, size_t size) __alloc_size(2);
#define aligned_alloc(...)	alloc_hooks(aligned_alloc_noprof(__VA_ARGS__))

void malloc_free(void *ptr);

/* For allocators layered on the family that take GFP flags, such as Rust's. */
void *malloc_realloc_gfp_noprof(void *ptr, size_t size, size_t align,
				gfp_t flags) __realloc_size(2);
#define malloc_realloc_gfp(...)	alloc_hooks(malloc_realloc_gfp_noprof(__VA_ARGS__))

#if IS_ENABLED(CONFIG_MALLOC_KUNIT_TEST)
gfp_t malloc_context_gfp(void);
extern atomic_long_t malloc_bad_pointers;
extern bool *malloc_guard_param;
#endif

/**
 * free - free memory allocated by the malloc() family
 * @ptr: pointer returned by malloc(), calloc(), realloc(), reallocarray()
 *       or aligned_alloc(); %NULL; or %ZERO_SIZE_PTR
 *
 * Releases the block @ptr points to. %NULL and the %ZERO_SIZE_PTR that
 * zero-sized requests return are accepted and ignored.
 *
 * This is a function, not a macro, so that members named free (such as
 * ``ops->free()``) keep working in files that include this header.
 *
 * Context: Any context but NMI. Never sleeps where malloc() may not.
 */
static inline void free(void *ptr)
{
	malloc_free(ptr);
}

DEFINE_FREE(free, void *, if (!IS_ERR_OR_NULL(_T)) free(_T))

#endif /* _LINUX_MALLOC_H */

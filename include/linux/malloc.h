/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C library's allocation interface for kernel code.
 *
 * malloc(), calloc(), realloc(), reallocarray(), aligned_alloc() and free()
 * pick kmalloc() or vmalloc() by size and derive the GFP flags from the
 * calling context. See Documentation/core-api/malloc.rst.
 *
 * Only code that includes this header sees these names. The symbols the
 * linker sees are __malloc_noprof() and friends, never "malloc" or "free":
 * the kernel already has code with its own malloc() and free(), and UML
 * links against the host C library.
 */
#ifndef _LINUX_MALLOC_H
#define _LINUX_MALLOC_H

#include <linux/alloc_tag.h>
#include <linux/cleanup.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/gfp_types.h>
#include <linux/irqflags.h>
#include <linux/mmzone.h>
#include <linux/overflow.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
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

/**
 * malloc_gfp - the GFP flags the calling context allows
 *
 * The context inference of the malloc() family, inline in each of its entry
 * points. It sees what __might_resched() checks: preempt_count() sees
 * spinlocks, preempt_disable(), softirq and hardirq because CONFIG_MALLOC
 * selects CONFIG_PREEMPT_COUNT, and rcu_preempt_depth() sees
 * rcu_read_lock() on CONFIG_PREEMPT_RCU kernels, where the preempt count
 * does not.
 *
 * The memalloc_noio/nofs/pin scopes are not applied here: the page
 * allocator, the slab allocator's lockdep annotations and vmalloc() apply
 * them to every allocation, so doing it here too would only cost
 * instructions on the fast path.
 *
 * Return: %GFP_KERNEL where the caller may sleep; %GFP_NOWAIT |
 * %__GFP_NOWARN in atomic context; and 0 where no allocator may be entered
 * at all: NMI, and on PREEMPT_RT any context that disabled preemption or
 * interrupts (the slab allocator's locks sleep there).
 */
static __always_inline gfp_t malloc_gfp(void)
{
	unsigned int pc = preempt_count();
	bool irqs_off = irqs_disabled();

	if (likely(!pc && !irqs_off && !rcu_preempt_depth()))
		return GFP_KERNEL;
	if (unlikely(pc & NMI_MASK))
		return 0;
	if (IS_ENABLED(CONFIG_PREEMPT_RT) && (pc || irqs_off))
		return 0;
	return GFP_NOWAIT | __GFP_NOWARN;
}

void *__malloc_noprof(size_t size) __alloc_size(1);
void *__calloc_noprof(size_t nmemb, size_t size) __alloc_size(1, 2);

/**
 * malloc - allocate memory
 * @size: how many bytes to allocate
 *
 * Allocates @size bytes from kmalloc() or vmalloc(), whichever fits @size,
 * with GFP flags that the calling context allows. The memory is not
 * initialized.
 *
 * Where @size is a compile-time constant that kmalloc() serves and the
 * caller may sleep, this is kmalloc(@size, %GFP_KERNEL), inline.
 *
 * Context: Any context. Sleeps only where the caller may sleep; returns
 * %NULL in NMI context and, where the caller may not sleep, for sizes that
 * kmalloc() does not serve without blocking.
 *
 * Return: a pointer to the block, aligned to %MALLOC_MIN_ALIGN;
 * %ZERO_SIZE_PTR if @size is 0; %NULL on failure.
 */
static __always_inline __alloc_size(1) void *malloc_noprof(size_t size)
{
	if (__builtin_constant_p(size) && size && size <= MALLOC_KMALLOC_MAX &&
	    likely(malloc_gfp() == GFP_KERNEL))
		return kmalloc_noprof(size, GFP_KERNEL);
	return __malloc_noprof(size);
}

#define malloc(...)		alloc_hooks(malloc_noprof(__VA_ARGS__))

/**
 * calloc - allocate zeroed memory for an array
 * @nmemb: number of elements
 * @size: size of one element
 *
 * Like malloc() for @nmemb * @size bytes, which are zeroed.
 *
 * Context: As malloc().
 *
 * Return: a pointer to the zeroed block; %ZERO_SIZE_PTR if @nmemb or @size
 * is 0; %NULL on failure or if @nmemb * @size overflows.
 */
static __always_inline __alloc_size(1, 2) void *calloc_noprof(size_t nmemb,
							      size_t size)
{
	size_t bytes = size_mul(nmemb, size);

	if (__builtin_constant_p(bytes) && bytes && bytes <= MALLOC_KMALLOC_MAX &&
	    likely(malloc_gfp() == GFP_KERNEL))
		return kmalloc_noprof(bytes, GFP_KERNEL | __GFP_ZERO);
	return __calloc_noprof(nmemb, size);
}

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

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
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/types.h>
#include <linux/vmalloc.h>

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
 * kmalloc() and larger ones as the malloc.large= policy says. Where it may
 * not, kmalloc() serves every size up to MALLOC_ATOMIC_MAX, as kvmalloc()
 * with GFP_NOWAIT does. Above a page, where no free block is large enough
 * and for larger sizes, vmalloc() without reclaim serves where the vmap
 * locks may be taken: outside interrupts, with interrupts and bottom
 * halves enabled (under a spinlock, in an RCU reader, with preemption
 * disabled). Elsewhere such requests fail quietly.
 */
#define MALLOC_KMALLOC_MAX	KMALLOC_MAX_CACHE_SIZE
#define MALLOC_ATOMIC_MAX	KMALLOC_MAX_SIZE

/*
 * Inside non_block_start()/non_block_end() (MMU notifiers that may not
 * block), which __might_resched() checks but only CONFIG_DEBUG_ATOMIC_SLEEP
 * records.
 */
#ifdef CONFIG_DEBUG_ATOMIC_SLEEP
#define malloc_non_block()	(current->non_block_count)
#else
#define malloc_non_block()	0
#endif

/**
 * malloc_gfp - the GFP flags the calling context allows
 *
 * The context inference of the malloc() family, inline in each of its entry
 * points. It sees what __might_resched() checks: preempt_count() sees
 * spinlocks, preempt_disable(), softirq and hardirq because CONFIG_MALLOC
 * selects CONFIG_PREEMPT_COUNT, and rcu_preempt_depth() sees
 * rcu_read_lock() on CONFIG_PREEMPT_RCU kernels, where the preempt count
 * does not. With CONFIG_DEBUG_ATOMIC_SLEEP it also sees non_block_start()
 * sections, as __might_resched() does.
 *
 * The memalloc_noio/nofs/pin scopes are not applied here: the page
 * allocator, the slab allocator's lockdep annotations and vmalloc() apply
 * them to every allocation, so doing it here too would only cost
 * instructions on the fast path.
 *
 * Return: %GFP_KERNEL where the caller may sleep; %GFP_NOWAIT |
 * %__GFP_NOWARN in atomic context; and 0 where no allocator may be entered
 * at all: NMI, and on PREEMPT_RT any context that disabled preemption or
 * interrupts or is inside non_block_start() (the slab and page allocators'
 * locks sleep there).
 */
static __always_inline gfp_t malloc_gfp(void)
{
	unsigned int pc = preempt_count();
	bool irqs_off = irqs_disabled();

	if (likely(!pc && !irqs_off && !rcu_preempt_depth() && !malloc_non_block()))
		return GFP_KERNEL;
	if (unlikely(pc & NMI_MASK))
		return 0;
	if (IS_ENABLED(CONFIG_PREEMPT_RT) && (pc || irqs_off || malloc_non_block()))
		return 0;
	return GFP_NOWAIT | __GFP_NOWARN;
}

void malloc_free(void *ptr);
void *realloc_noprof(void *ptr, size_t size) __realloc_size(2);
void *realloc_account_noprof(void *ptr, size_t size) __realloc_size(2);
void *reallocarray_noprof(void *ptr, size_t nmemb, size_t size)
	__realloc_size(2, 3);
/* For allocators layered on the family that take GFP flags, such as Rust's. */
void *__malloc_realloc_gfp_noprof(void *ptr, size_t old_size, size_t size,
				  size_t align, gfp_t flags, int node,
				  const void *caller) __realloc_size(3);

/*
 * -Wmismatched-dealloc (GCC 11 and later): each allocation function is
 * associated with the functions that may free what it returns, so that in
 * files that include this header kfree(), kvfree() or vfree() of a block
 * from the family, and free() or realloc() of a kmalloc() or vmalloc()
 * block, draw a warning. The kmalloc() and vmalloc() functions are
 * redeclared here with their associations, rather than in their own
 * headers, so that only users of the family see them.
 */
#if defined(CONFIG_CC_IS_GCC) && CONFIG_GCC_VERSION >= 110000 && !defined(__CHECKER__)
#define __malloc_family_freed		__attribute__((			\
	__malloc__(malloc_free, 1), __malloc__(realloc_noprof, 1),	\
	__malloc__(realloc_account_noprof, 1),				\
	__malloc__(reallocarray_noprof, 1),				\
	__malloc__(__malloc_realloc_gfp_noprof, 1)))
#define __malloc_kmalloc_freed		__attribute__((			\
	__malloc__(kfree, 1), __malloc__(kvfree, 1),			\
	__malloc__(krealloc_noprof, 1), __malloc__(kvrealloc_noprof, 1)))
#define __malloc_vmalloc_freed		__attribute__((			\
	__malloc__(vfree, 1), __malloc__(kvfree, 1),			\
	__malloc__(vrealloc_noprof, 1), __malloc__(kvrealloc_noprof, 1)))
#define __malloc_kvmalloc_freed		__attribute__((			\
	__malloc__(kvfree, 1), __malloc__(kvrealloc_noprof, 1)))
#else
#define __malloc_family_freed
#define __malloc_kmalloc_freed
#define __malloc_vmalloc_freed
#define __malloc_kvmalloc_freed
#endif

void *__malloc_noprof(size_t size) __alloc_size(1) __malloc_family_freed;
void *__calloc_noprof(size_t nmemb, size_t size) __alloc_size(1, 2) __malloc_family_freed;
void *aligned_alloc_noprof(size_t alignment, size_t size) __alloc_size(2) __malloc_family_freed;
void *realloc_noprof(void *ptr, size_t size) __malloc_family_freed;
void *reallocarray_noprof(void *ptr, size_t nmemb, size_t size) __malloc_family_freed;
void *__malloc_realloc_gfp_noprof(void *ptr, size_t old_size, size_t size,
				  size_t align, gfp_t flags, int node,
				  const void *caller) __malloc_family_freed;
void *malloc_account_noprof(size_t size) __alloc_size(1) __malloc_family_freed;
void *calloc_account_noprof(size_t nmemb, size_t size) __alloc_size(1, 2)
	__malloc_family_freed;
void *realloc_account_noprof(void *ptr, size_t size) __malloc_family_freed;

/* malloc_realloc_gfp() names the code it is written in as the caller. */
#define malloc_realloc_gfp_noprof(...)					\
	__malloc_realloc_gfp_noprof(__VA_ARGS__, (void *)_THIS_IP_)

/*
 * The kmalloc() call of malloc()'s inline path, under its own name: the
 * same function as __kmalloc_cache_noprof(), whose blocks free() frees.
 */
void *__malloc_kmalloc_cache_noprof(struct kmem_cache *s, gfp_t flags,
				    size_t size)
	__asm__("__kmalloc_cache_noprof") __assume_kmalloc_alignment
	__alloc_size(3) __malloc_family_freed;

/* The cache kmalloc(@size, GFP_KERNEL) takes, for a constant @size. */
#define malloc_kmalloc_cache(size)					\
	(kmalloc_caches[kmalloc_type(GFP_KERNEL, _RET_IP_)][kmalloc_index(size)])

void *__kmalloc_noprof(size_t size, gfp_t flags) __malloc_kmalloc_freed;
void *__kmalloc_node_noprof(DECL_BUCKET_PARAMS(size, b), gfp_t flags,
			    int node) __malloc_kmalloc_freed;
void *__kmalloc_cache_noprof(struct kmem_cache *s, gfp_t flags, size_t size) __malloc_kmalloc_freed;
void *__kmalloc_cache_node_noprof(struct kmem_cache *s, gfp_t gfpflags,
				  int node, size_t size) __malloc_kmalloc_freed;
void *__kmalloc_large_noprof(size_t size, gfp_t flags) __malloc_kmalloc_freed;
void *__kmalloc_large_node_noprof(size_t size, gfp_t flags, int node) __malloc_kmalloc_freed;
void *__kmalloc_node_track_caller_noprof(DECL_BUCKET_PARAMS(size, b),
					 gfp_t flags, int node,
					 unsigned long caller) __malloc_kmalloc_freed;
void *krealloc_noprof(const void *objp, size_t new_size, gfp_t flags) __malloc_kmalloc_freed;
void *__kvmalloc_node_noprof(DECL_BUCKET_PARAMS(size, b), gfp_t flags,
			     int node) __malloc_kvmalloc_freed;
void *kvrealloc_noprof(const void *p, size_t size, gfp_t flags) __malloc_kvmalloc_freed;
void *vmalloc_noprof(unsigned long size) __malloc_vmalloc_freed;
void *vzalloc_noprof(unsigned long size) __malloc_vmalloc_freed;
void *vmalloc_node_noprof(unsigned long size, int node) __malloc_vmalloc_freed;
void *vzalloc_node_noprof(unsigned long size, int node) __malloc_vmalloc_freed;
void *__vmalloc_noprof(unsigned long size, gfp_t gfp_mask) __malloc_vmalloc_freed;
void *__vmalloc_node_noprof(unsigned long size, unsigned long align,
			    gfp_t gfp_mask, int node, const void *caller) __malloc_vmalloc_freed;
void *vmalloc_array_noprof(size_t n, size_t size) __malloc_vmalloc_freed;
void *vcalloc_noprof(size_t n, size_t size) __malloc_vmalloc_freed;
void *vrealloc_noprof(const void *p, size_t size, gfp_t flags) __malloc_vmalloc_freed;

#ifdef CONFIG_MALLOC

/**
 * malloc - allocate memory
 * @size: how many bytes to allocate
 *
 * Allocates @size bytes from kmalloc() or vmalloc(), whichever fits @size,
 * with GFP flags that the calling context allows. The memory is not
 * initialized.
 *
 * Where @size is a compile-time constant that kmalloc() serves and the
 * caller may sleep, this is kmalloc(@size, %GFP_KERNEL), inline. Other
 * sizes call a function that reads the context and, where the caller may
 * sleep and kmalloc() serves @size, jumps to kmalloc().
 *
 * Context: Any context. Sleeps only where the caller may sleep; returns
 * %NULL in NMI context and, where the caller may not sleep, for sizes that
 * neither kmalloc() nor, where the vmap locks may be taken, vmalloc()
 * serve without blocking (see %MALLOC_ATOMIC_MAX).
 *
 * Return: a pointer to the block, aligned to %MALLOC_MIN_ALIGN;
 * %ZERO_SIZE_PTR if @size is 0; %NULL on failure.
 */
static __always_inline __alloc_size(1) void *malloc_noprof(size_t size)
{
	if (__builtin_constant_p(size) && size && size <= MALLOC_KMALLOC_MAX &&
	    likely(malloc_gfp() == GFP_KERNEL))
		return __malloc_kmalloc_cache_noprof(malloc_kmalloc_cache(size),
						     GFP_KERNEL, size);
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
		return __malloc_kmalloc_cache_noprof(malloc_kmalloc_cache(bytes),
						     GFP_KERNEL | __GFP_ZERO, bytes);
	return __calloc_noprof(nmemb, size);
}

#define calloc(...)		alloc_hooks(calloc_noprof(__VA_ARGS__))

#define realloc(...)		alloc_hooks(realloc_noprof(__VA_ARGS__))
#define reallocarray(...)	alloc_hooks(reallocarray_noprof(__VA_ARGS__))
#define aligned_alloc(...)	alloc_hooks(aligned_alloc_noprof(__VA_ARGS__))
#define malloc_realloc_gfp(...)	alloc_hooks(malloc_realloc_gfp_noprof(__VA_ARGS__))
#define malloc_account(...)	alloc_hooks(malloc_account_noprof(__VA_ARGS__))
#define calloc_account(...)	alloc_hooks(calloc_account_noprof(__VA_ARGS__))
#define realloc_account(...)	alloc_hooks(realloc_account_noprof(__VA_ARGS__))

#else /* !CONFIG_MALLOC */

/*
 * Without CONFIG_MALLOC, code written for the family, such as callers
 * converted from kmalloc(..., GFP_KERNEL) and kvmalloc(..., GFP_KERNEL),
 * still builds and runs: malloc(), calloc(), realloc() and reallocarray()
 * are kvmalloc(), kvcalloc() and kvrealloc() with GFP_KERNEL, and free() is
 * kvfree(). The results are those of the family where the caller may
 * sleep, zero-sized and overflowing requests included, but there is no
 * context inference: code that calls them where it may not sleep must
 * select MALLOC. aligned_alloc() and the accounting and GFP variants need
 * CONFIG_MALLOC.
 */
static __always_inline __alloc_size(1) void *malloc_noprof(size_t size)
{
	return kvmalloc_noprof(size, GFP_KERNEL);
}

static __always_inline __alloc_size(1, 2) void *calloc_noprof(size_t nmemb,
							      size_t size)
{
	return kvcalloc_noprof(nmemb, size, GFP_KERNEL);
}

static __always_inline __realloc_size(2) void *realloc_kv_noprof(void *ptr,
								 size_t size)
{
	/* kvrealloc() of a vmalloc() block to 0 bytes returns NULL. */
	if (unlikely(!size)) {
		kvfree(ptr);
		return ZERO_SIZE_PTR;
	}
	return kvrealloc_noprof(ptr, size, GFP_KERNEL);
}

static __always_inline __realloc_size(2, 3) void *
reallocarray_kv_noprof(void *ptr, size_t nmemb, size_t size)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(nmemb, size, &bytes)))
		return NULL;
	return realloc_kv_noprof(ptr, bytes);
}

#define malloc(...)		alloc_hooks(malloc_noprof(__VA_ARGS__))
#define calloc(...)		alloc_hooks(calloc_noprof(__VA_ARGS__))
#define realloc(...)		alloc_hooks(realloc_kv_noprof(__VA_ARGS__))
#define reallocarray(...)	alloc_hooks(reallocarray_kv_noprof(__VA_ARGS__))

#endif /* CONFIG_MALLOC */

#if IS_ENABLED(CONFIG_MALLOC_KUNIT_TEST)
gfp_t malloc_context_gfp(void);
extern atomic_long_t malloc_bad_pointers;
extern const void *malloc_bad_caller;
extern bool *malloc_guard_param;
/* malloc.large=, for tests: 0 kmalloc, 1 pages, 2 vmalloc. */
extern int *malloc_large_param;
/* Blocks free() deferred, blocks the worker freed, most pending at once. */
struct malloc_deferred_stats {
	atomic_long_t deferred, released, peak;
};

extern struct malloc_deferred_stats malloc_deferred_stats;
void malloc_flush_deferred(void);
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
 * Context: Any context, NMI included. Never sleeps where malloc() may not,
 * and takes no lock where the caller may not sleep: where a block cannot be
 * freed at once, it is queued without a lock (through its first word, once
 * checked) for a worker that frees it in process context.
 */
static inline void free(void *ptr)
{
#ifdef CONFIG_MALLOC
	malloc_free(ptr);
#else
	kvfree(ptr);
#endif
}

DEFINE_FREE(free, void *, if (!IS_ERR_OR_NULL(_T)) free(_T))

#endif /* _LINUX_MALLOC_H */

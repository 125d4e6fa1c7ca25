/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C library's allocation interface for kernel code.
 *
 * malloc(), calloc(), realloc(), reallocarray(), aligned_alloc() and free()
 * pick kmalloc() or vmalloc() by size and derive the GFP flags from the
 * calling context. See Documentation/core-api/malloc.rst.
 *
 * Only code that includes this header sees these names. The symbols the
 * linker sees are _malloc_noprof() and friends, never "malloc" or "free":
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
#include <linux/jump_label.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/overflow.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sizes.h>
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
 * kmalloc(), larger ones from kmalloc() without retrying hard up to
 * KMALLOC_MAX_SIZE and from vmalloc() where kmalloc() fails, as kvmalloc()
 * does. Where it may not, kmalloc() serves every size up to
 * MALLOC_ATOMIC_MAX, and vmalloc() without reclaim larger sizes and those
 * kmalloc() fails, up to MALLOC_ATOMIC_VMALLOC_MAX (below), where the vmap
 * locks may be taken: outside interrupts, with interrupts and bottom halves
 * enabled (under a spinlock, in an RCU reader, with preemption disabled).
 * Where no lock may be taken (NMI, and on PREEMPT_RT where preemption or
 * interrupts are disabled), sizes up to MALLOC_KMALLOC_MAX come from
 * kmalloc_nolock(). Elsewhere requests fail quietly.
 */
#define MALLOC_KMALLOC_MAX	KMALLOC_MAX_CACHE_SIZE
#define MALLOC_ATOMIC_MAX	KMALLOC_MAX_SIZE

/*
 * Where the caller may not sleep, vmalloc() serves up to the malloc.atomic_max=
 * boot parameter, MALLOC_ATOMIC_VMALLOC_MAX by default: beyond, the family
 * fails at once rather than map pages for long with preemption disabled.
 */
#define MALLOC_ATOMIC_VMALLOC_MAX	SZ_16M

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

#ifdef CONFIG_PROVE_RAW_LOCK_NESTING
bool malloc_spin_only(void);
#else
static inline bool malloc_spin_only(void)
{
	return false;
}
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
 * sections, as __might_resched() does, and with
 * CONFIG_PROVE_RAW_LOCK_NESTING a raw_spinlock_t held or a hardirq that
 * PREEMPT_RT would not thread, as lockdep sees them: there the family
 * allocates as it would on PREEMPT_RT, where such a section disables
 * preemption, instead of drawing lockdep's report.
 *
 * The memalloc_noio/nofs/pin scopes are not applied here: the page
 * allocator, the slab allocator's lockdep annotations and vmalloc() apply
 * them to every allocation, so doing it here too would only cost
 * instructions on the fast path.
 *
 * Return: %GFP_KERNEL where the caller may sleep; %GFP_NOWAIT in atomic
 * context; and 0 where no allocator that takes a lock may be entered: NMI,
 * on PREEMPT_RT any context that disabled preemption or interrupts or is
 * inside non_block_start() (the slab and page allocators' locks sleep
 * there), and where lockdep sees a context that may only spin
 * (malloc_spin_only()). There, only kmalloc_nolock() serves.
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
	if (malloc_spin_only())
		return 0;
	return GFP_NOWAIT;
}

/*
 * Whether free() checks every pointer (malloc.check=), or hands one into
 * the linear map to kfree() where kfree() may be called.
 */
DECLARE_STATIC_KEY_MAYBE(CONFIG_MALLOC_CHECK_DEFAULT_ON, malloc_check);

/*
 * Whether kfree() may be called here: wherever malloc_gfp() is not 0. On a
 * kernel that is not PREEMPT_RT and does not count raw spinlocks, that is
 * everywhere but in NMI, which one read of the preempt count tells.
 */
static __always_inline bool malloc_kfree_ok(void)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT) || IS_ENABLED(CONFIG_PROVE_RAW_LOCK_NESTING))
		return malloc_gfp() != 0;
	return !in_nmi();
}

/*
 * Whether @ptr is in the linear map's range, [PAGE_OFFSET, high_memory),
 * where every kmalloc()ed block is and no vmalloc() address is: two loads
 * and a compare, where is_vmalloc_addr() is a call (its range is not
 * visible to generic headers).
 */
static __always_inline bool malloc_lowmem_addr(const void *ptr)
{
	unsigned long addr = (unsigned long)kasan_reset_tag(ptr);

	return addr - PAGE_OFFSET < (unsigned long)high_memory - PAGE_OFFSET;
}

void malloc_free(void *ptr);
void *_realloc_noprof(void *ptr, DECL_TOKEN_PARAMS(size, token)) __realloc_size(2);
void *_realloc_account_noprof(void *ptr, DECL_TOKEN_PARAMS(size, token))
	__realloc_size(2);
void *_reallocarray_noprof(void *ptr, size_t nmemb, DECL_TOKEN_PARAMS(size, token))
	__realloc_size(2, 3);
/* For allocators layered on the family that take GFP flags, such as Rust's. */
void *__malloc_realloc_gfp_noprof(void *ptr, size_t old_size, size_t size,
				  size_t align, gfp_t flags, int node,
				  const void *caller) __realloc_size(3);
/* For allocators that take GFP flags and use them as given, such as Rust's. */
void *__malloc_realloc_node_align_noprof(const void *ptr, size_t size,
					 unsigned long align, gfp_t flags,
					 int node, const void *caller)
	__realloc_size(2);

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
	__malloc__(malloc_free, 1), __malloc__(_realloc_noprof, 1),	\
	__malloc__(_realloc_account_noprof, 1),				\
	__malloc__(_reallocarray_noprof, 1),				\
	__malloc__(__malloc_realloc_gfp_noprof, 1),			\
	__malloc__(__malloc_realloc_node_align_noprof, 1)))
#define __malloc_kmalloc_freed		__attribute__((			\
	__malloc__(kfree, 1), __malloc__(kvfree, 1),			\
	__malloc__(krealloc_node_align_noprof, 1),			\
	__malloc__(kvrealloc_node_align_noprof, 1)))
#define __malloc_vmalloc_freed		__attribute__((			\
	__malloc__(vfree, 1), __malloc__(kvfree, 1),			\
	__malloc__(vrealloc_node_align_noprof, 1),			\
	__malloc__(kvrealloc_node_align_noprof, 1)))
#define __malloc_kvmalloc_freed		__attribute__((			\
	__malloc__(kvfree, 1), __malloc__(kvrealloc_node_align_noprof, 1)))
#else
#define __malloc_family_freed
#define __malloc_kmalloc_freed
#define __malloc_vmalloc_freed
#define __malloc_kvmalloc_freed
#endif

void *_malloc_noprof(DECL_TOKEN_PARAMS(size, token)) __alloc_size(1)
	__malloc_family_freed;
void *_calloc_noprof(size_t nmemb, DECL_TOKEN_PARAMS(size, token))
	__alloc_size(1, 2) __malloc_family_freed;
void *_aligned_alloc_noprof(size_t alignment, DECL_TOKEN_PARAMS(size, token))
	__alloc_size(2) __malloc_family_freed;
void *_realloc_noprof(void *ptr, DECL_TOKEN_PARAMS(size, token))
	__malloc_family_freed;
void *_reallocarray_noprof(void *ptr, size_t nmemb, DECL_TOKEN_PARAMS(size, token))
	__malloc_family_freed;
void *__malloc_realloc_gfp_noprof(void *ptr, size_t old_size, size_t size,
				  size_t align, gfp_t flags, int node,
				  const void *caller) __malloc_family_freed;
void *__malloc_realloc_node_align_noprof(const void *ptr, size_t size,
					 unsigned long align, gfp_t flags,
					 int node, const void *caller)
	__malloc_family_freed;
void *_malloc_account_noprof(DECL_TOKEN_PARAMS(size, token)) __alloc_size(1)
	__malloc_family_freed;
void *_calloc_account_noprof(size_t nmemb, DECL_TOKEN_PARAMS(size, token))
	__alloc_size(1, 2) __malloc_family_freed;
void *_realloc_account_noprof(void *ptr, DECL_TOKEN_PARAMS(size, token))
	__malloc_family_freed;

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

/*
 * The kfree() call of free()'s inline path, under its own name, so that
 * -Wmismatched-dealloc does not take it for a kfree() of the family's block.
 */
void __malloc_kfree(const void *ptr) __asm__("kfree");

/*
 * The cache kmalloc(@size, GFP_KERNEL) takes at the call site whose
 * partition token is @token, for a constant @size.
 */
#define malloc_kmalloc_cache(size, token)				\
	(kmalloc_caches[kmalloc_type(GFP_KERNEL, token)][kmalloc_index(size)])

void *__kmalloc_noprof(DECL_TOKEN_PARAMS(size, token), gfp_t flags)
	__malloc_kmalloc_freed;
void *__kmalloc_node_noprof(DECL_KMALLOC_PARAMS(size, b, token), gfp_t flags,
			    int node) __malloc_kmalloc_freed;
void *__kmalloc_cache_noprof(struct kmem_cache *s, gfp_t flags, size_t size)
	__malloc_kmalloc_freed;
void *__kmalloc_cache_node_noprof(struct kmem_cache *s, gfp_t gfpflags,
				  int node, size_t size) __malloc_kmalloc_freed;
void *__kmalloc_large_noprof(size_t size, gfp_t flags) __malloc_kmalloc_freed;
void *__kmalloc_large_node_noprof(size_t size, gfp_t flags, int node)
	__malloc_kmalloc_freed;
void *__kmalloc_node_track_caller_noprof(DECL_KMALLOC_PARAMS(size, b, token),
					 gfp_t flags, int node,
					 unsigned long caller) __malloc_kmalloc_freed;
void *krealloc_node_align_noprof(const void *objp,
				 DECL_TOKEN_PARAMS(new_size, token),
				 unsigned long align, gfp_t flags, int nid)
	__malloc_kmalloc_freed;
void *__kvmalloc_node_noprof(DECL_KMALLOC_PARAMS(size, b, token),
			     unsigned long align, gfp_t flags, int node)
	__malloc_kvmalloc_freed;
void *kvrealloc_node_align_noprof(const void *p, DECL_TOKEN_PARAMS(size, token),
				  unsigned long align, gfp_t flags, int nid)
	__malloc_kvmalloc_freed;
void *vmalloc_noprof(unsigned long size) __malloc_vmalloc_freed;
void *vzalloc_noprof(unsigned long size) __malloc_vmalloc_freed;
void *vmalloc_node_noprof(unsigned long size, int node) __malloc_vmalloc_freed;
void *vzalloc_node_noprof(unsigned long size, int node) __malloc_vmalloc_freed;
void *__vmalloc_noprof(unsigned long size, gfp_t gfp_mask) __malloc_vmalloc_freed;
void *__vmalloc_node_noprof(unsigned long size, unsigned long align,
			    gfp_t gfp_mask, int node, const void *caller)
	__malloc_vmalloc_freed;
void *vmalloc_array_noprof(size_t n, size_t size) __malloc_vmalloc_freed;
void *vcalloc_noprof(size_t n, size_t size) __malloc_vmalloc_freed;
void *vrealloc_node_align_noprof(const void *p, size_t size, unsigned long align,
				 gfp_t flags, int nid) __malloc_vmalloc_freed;

#ifdef CONFIG_MALLOC

/* malloc() with the partition token of the caller's line. */
static __always_inline __alloc_size(1) void *
malloc_token_noprof(size_t size, kmalloc_token_t token)
{
	/*
	 * Up to a page: above, vmalloc() takes over where kmalloc() fails,
	 * which the out-of-line path does.
	 */
	if (__builtin_constant_p(size) && size && size <= PAGE_SIZE &&
	    likely(malloc_gfp() == GFP_KERNEL))
		return __malloc_kmalloc_cache_noprof(malloc_kmalloc_cache(size, token),
						     GFP_KERNEL, size);
	return _malloc_noprof(PASS_TOKEN_PARAMS(size, token));
}

#define malloc_noprof(...)	malloc_token_noprof(__VA_ARGS__, __kmalloc_token(__VA_ARGS__))

/**
 * malloc - allocate memory
 * @size: how many bytes to allocate
 *
 * Allocates @size bytes from kmalloc() or vmalloc(), whichever fits @size,
 * with GFP flags that the calling context allows. The memory is not
 * initialized.
 *
 * Where @size is a compile-time constant up to %PAGE_SIZE and the caller
 * may sleep, this is kmalloc(@size, %GFP_KERNEL), inline. Other
 * sizes call a function that reads the context and, where the caller may
 * sleep and kmalloc() serves @size, goes straight to kmalloc(). Either way
 * the kmalloc cache is the one kmalloc() would take at the caller's line
 * (CONFIG_KMALLOC_PARTITION_CACHES).
 *
 * Context: Any context. Sleeps only where the caller may sleep. Where no
 * lock may be taken (NMI; on PREEMPT_RT, preemption or interrupts
 * disabled), serves sizes up to %MALLOC_KMALLOC_MAX from kmalloc_nolock().
 * Where the caller may not sleep, returns %NULL for sizes that neither
 * kmalloc() nor, where the vmap locks may be taken, vmalloc() serve without
 * blocking (see %MALLOC_ATOMIC_MAX and %MALLOC_ATOMIC_VMALLOC_MAX).
 *
 * Return: a pointer to the block, aligned to %MALLOC_MIN_ALIGN;
 * %ZERO_SIZE_PTR if @size is 0; %NULL on failure.
 */
#define malloc(size)		alloc_hooks(malloc_noprof(size))

/* calloc() with the partition token of the caller's line. */
static __always_inline __alloc_size(1, 2) void *
calloc_token_noprof(size_t nmemb, size_t size, kmalloc_token_t token)
{
	size_t bytes = size_mul(nmemb, size);

	if (__builtin_constant_p(bytes) && bytes && bytes <= PAGE_SIZE &&
	    likely(malloc_gfp() == GFP_KERNEL))
		return __malloc_kmalloc_cache_noprof(malloc_kmalloc_cache(bytes, token),
						     GFP_KERNEL | __GFP_ZERO, bytes);
	return _calloc_noprof(nmemb, PASS_TOKEN_PARAMS(size, token));
}

#define calloc_noprof(nmemb, ...)					\
	calloc_token_noprof(nmemb, __VA_ARGS__, __kmalloc_token(__VA_ARGS__))

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
#define calloc(nmemb, size)	alloc_hooks(calloc_noprof(nmemb, size))

#define realloc_noprof(p, ...)						\
	_realloc_noprof(p, PASS_TOKEN_PARAMS(__VA_ARGS__, __kmalloc_token(__VA_ARGS__)))
#define reallocarray_noprof(p, nmemb, ...)				\
	_reallocarray_noprof(p, nmemb,					\
			     PASS_TOKEN_PARAMS(__VA_ARGS__, __kmalloc_token(__VA_ARGS__)))
#define aligned_alloc_noprof(alignment, ...)				\
	_aligned_alloc_noprof(alignment,				\
			      PASS_TOKEN_PARAMS(__VA_ARGS__, __kmalloc_token(__VA_ARGS__)))
#define malloc_account_noprof(...)					\
	_malloc_account_noprof(PASS_TOKEN_PARAMS(__VA_ARGS__, __kmalloc_token(__VA_ARGS__)))
#define calloc_account_noprof(nmemb, ...)				\
	_calloc_account_noprof(nmemb,					\
			       PASS_TOKEN_PARAMS(__VA_ARGS__, __kmalloc_token(__VA_ARGS__)))
#define realloc_account_noprof(p, ...)					\
	_realloc_account_noprof(p, PASS_TOKEN_PARAMS(__VA_ARGS__, __kmalloc_token(__VA_ARGS__)))

/**
 * realloc - change the size of a block
 * @ptr: block from the malloc() family, %NULL or %ZERO_SIZE_PTR
 * @size: the new size in bytes
 *
 * Changes the size of the block at @ptr to @size bytes, moving it between
 * kmalloc() and vmalloc() as the new size requires. The contents are kept
 * up to the smaller of the old and new sizes; bytes beyond the old size are
 * not initialized. If @ptr is %NULL or %ZERO_SIZE_PTR, this is malloc(@size).
 * If @size is 0, @ptr is freed and %ZERO_SIZE_PTR returned, so %NULL always
 * means failure. Extended alignment from aligned_alloc() is not kept. A
 * pointer that is not where a block of the family starts is reported once,
 * naming the caller, and %NULL returned.
 *
 * Context: As malloc(). Where the vmap locks may not be taken (interrupts
 * or bottom halves disabled, hardirq, softirq, NMI), a vmalloc()-backed
 * block is not resized: %NULL. Where no lock may be taken (NMI; on
 * PREEMPT_RT, preemption or interrupts disabled), no block is: %NULL.
 *
 * Return: a pointer to the resized block, which may differ from @ptr;
 * %ZERO_SIZE_PTR if @size is 0; %NULL on failure, in which case the block
 * at @ptr is unchanged and still owned by the caller.
 */
#define realloc(ptr, size)	alloc_hooks(realloc_noprof(ptr, size))

/**
 * reallocarray - change the size of an array
 * @ptr: block from the malloc() family, %NULL or %ZERO_SIZE_PTR
 * @nmemb: new number of elements
 * @size: size of one element
 *
 * Like realloc() for @nmemb * @size bytes.
 *
 * Context: As malloc().
 *
 * Return: as realloc(); also %NULL, with the block at @ptr unchanged, if
 * @nmemb * @size overflows.
 */
#define reallocarray(ptr, nmemb, size)					\
	alloc_hooks(reallocarray_noprof(ptr, nmemb, size))

/**
 * aligned_alloc - allocate aligned memory
 * @alignment: alignment of the block, a power of two up to %MALLOC_MAX_ALIGN
 * @size: how many bytes to allocate
 *
 * Like malloc(), with the block aligned to @alignment. @size need not be a
 * multiple of @alignment.
 *
 * Context: As malloc().
 *
 * Return: a pointer to the block; %ZERO_SIZE_PTR if @size is 0 and
 * @alignment is valid; %NULL on failure or if @alignment is not a power of
 * two or exceeds %MALLOC_MAX_ALIGN.
 */
#define aligned_alloc(alignment, size)					\
	alloc_hooks(aligned_alloc_noprof(alignment, size))

/**
 * malloc_account - allocate memory charged to the caller's memory cgroup
 * @size: how many bytes to allocate
 *
 * Like malloc(), with the block accounted to the memory cgroup of the
 * calling task (%__GFP_ACCOUNT), as memory allocated on behalf of user
 * space should be (see Documentation/core-api/memory-allocation.rst).
 * The block is freed with free(), and resized with realloc_account() to
 * stay accounted.
 *
 * Context: As malloc().
 *
 * Return: as malloc().
 */
#define malloc_account(size)	alloc_hooks(malloc_account_noprof(size))

/**
 * calloc_account - allocate zeroed memory charged to the caller's memory cgroup
 * @nmemb: number of elements
 * @size: size of one element
 *
 * Like calloc(), with the block accounted as malloc_account() accounts it.
 *
 * Context: As malloc().
 *
 * Return: as calloc().
 */
#define calloc_account(nmemb, size)					\
	alloc_hooks(calloc_account_noprof(nmemb, size))

/**
 * realloc_account - change the size of a block, charging the caller's memory cgroup
 * @ptr: block from the malloc() family, %NULL or %ZERO_SIZE_PTR
 * @size: the new size in bytes
 *
 * Like realloc(), with a new or moved block accounted as malloc_account()
 * accounts it. A block resized in place keeps the accounting it had.
 *
 * Context: As realloc().
 *
 * Return: as realloc().
 */
#define realloc_account(ptr, size)					\
	alloc_hooks(realloc_account_noprof(ptr, size))

#define malloc_realloc_gfp(...)	alloc_hooks(malloc_realloc_gfp_noprof(__VA_ARGS__))

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
#define malloc_noprof(size)		kvmalloc_noprof(size, GFP_KERNEL)
#define calloc_noprof(nmemb, size)	kvcalloc_noprof(nmemb, size, GFP_KERNEL)

static __always_inline __realloc_size(2) void *realloc_kv_noprof(void *ptr,
								 size_t size)
{
	/* kvrealloc() of a vmalloc() block to 0 bytes returns NULL. */
	if (unlikely(!size)) {
		kvfree(ptr);
		return ZERO_SIZE_PTR;
	}
	return kvrealloc_node_align_noprof(ptr, PASS_TOKEN_PARAMS(size, __kmalloc_token(size)),
					   1, GFP_KERNEL, NUMA_NO_NODE);
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

/*
 * Typed forms, the family's kmalloc_obj(): the size comes from the type of
 * the variable or type named, counts are overflow-checked (an overflowing
 * count fails the allocation), a __counted_by() counter is set where the
 * compiler supports __builtin_counted_by_ref(), and the result has the
 * type's pointer type. The flags come from the calling
 * context, as for malloc(), so there are none to pass.
 */

/**
 * malloc_obj - allocate one object of a type
 * @VAR_OR_TYPE: the variable or type to allocate
 *
 * Return: a pointer to the object, as malloc() returns it.
 */
#define malloc_obj(VAR_OR_TYPE)						\
	__alloc_objs(__malloc_ignore_gfp, 0, typeof(VAR_OR_TYPE), 1)

/**
 * malloc_objs - allocate an array of objects of a type
 * @VAR_OR_TYPE: the variable or type to allocate an array of
 * @COUNT: how many elements
 *
 * Return: a pointer to the array, as malloc() returns it; %NULL if the
 * size overflows.
 */
#define malloc_objs(VAR_OR_TYPE, COUNT)					\
	__alloc_objs(__malloc_ignore_gfp, 0, typeof(VAR_OR_TYPE), COUNT)

/**
 * malloc_flex - allocate an object with a flexible array member
 * @VAR_OR_TYPE: the variable or type to allocate
 * @FAM: the name of the flexible array member
 * @COUNT: how many elements of @FAM
 *
 * Return: a pointer to the object, as malloc() returns it; %NULL if the
 * size overflows.
 */
#define malloc_flex(VAR_OR_TYPE, FAM, COUNT)				\
	__alloc_flex(__malloc_ignore_gfp, 0, typeof(VAR_OR_TYPE), FAM, COUNT)

/* The zeroed forms: calloc() for malloc(). */
#define calloc_obj(VAR_OR_TYPE)						\
	__alloc_objs(__calloc_ignore_gfp, 0, typeof(VAR_OR_TYPE), 1)
#define calloc_objs(VAR_OR_TYPE, COUNT)					\
	__alloc_objs(__calloc_ignore_gfp, 0, typeof(VAR_OR_TYPE), COUNT)
#define calloc_flex(VAR_OR_TYPE, FAM, COUNT)				\
	__alloc_flex(__calloc_ignore_gfp, 0, typeof(VAR_OR_TYPE), FAM, COUNT)

/* __alloc_objs() and __alloc_flex() pass flags; the family infers them. */
#define __malloc_ignore_gfp(size, ...)	malloc(size)
#define __calloc_ignore_gfp(size, ...)	calloc(1, size)

#if IS_ENABLED(CONFIG_MALLOC_KUNIT_TEST)
gfp_t malloc_context_gfp(void);
extern atomic_long_t malloc_bad_pointers;
extern const void *malloc_bad_caller;
/* For tests: 0 kmalloc() first above MALLOC_KMALLOC_MAX, 2 vmalloc(). */
extern int *malloc_large_param;
/* For tests: the malloc.atomic_max= boot parameter, in bytes. */
extern unsigned long *malloc_atomic_max_param;
/* Blocks free() deferred, blocks the worker freed, most pending at once. */
struct malloc_deferred_stats {
	atomic_long_t deferred, released, peak;
};

extern struct malloc_deferred_stats malloc_deferred_stats;
void malloc_flush_deferred(void);
/* malloc.check='s operations, which set and read the static key. */
extern const struct kernel_param_ops malloc_check_ops;
#endif

#if IS_ENABLED(CONFIG_MALLOC_BENCH)
bool malloc_bench_check(const void *ptr, int steps);
#endif

/**
 * free - free memory allocated by the malloc() family
 * @ptr: pointer returned by malloc(), calloc(), realloc(), reallocarray()
 *       or aligned_alloc(); %NULL; or %ZERO_SIZE_PTR
 *
 * Releases the block @ptr points to. %NULL and the %ZERO_SIZE_PTR that
 * zero-sized requests return are accepted and ignored.
 *
 * A pointer into the vmalloc range is checked to be where one of the
 * family's vmalloc() areas starts, and any other is refused with a
 * rate-limited warning naming the caller and left alone. A pointer into
 * the linear map goes to kfree(), which trusts it, as kvfree() does; with
 * malloc.check= on (%CONFIG_MALLOC_CHECK_DEFAULT_ON), it is first checked
 * to be where an object of a kmalloc cache or a large kmalloc() block
 * starts, and refused otherwise.
 *
 * This is a function, not a macro, so that members named free (such as
 * ``ops->free()``) keep working in files that include this header.
 *
 * Context: Any context, NMI included. Never sleeps where malloc() may not.
 * Where a block cannot be freed at once (where no lock may be taken, and a
 * vmalloc()-backed block where the vmap locks may not be taken), it is
 * queued without a lock and an irq_work hands it to a worker that frees it
 * in process context: a kmalloc()ed block linked through its first word
 * once it is known to be one (and under KASAN, live), a vmalloc() address
 * in a node of its own, which the worker checks.
 */
static inline void free(void *ptr)
{
#ifdef CONFIG_MALLOC
	if (!static_branch_maybe(CONFIG_MALLOC_CHECK_DEFAULT_ON, &malloc_check) &&
	    likely(malloc_lowmem_addr(ptr)) && likely(malloc_kfree_ok()))
		__malloc_kfree(ptr);
	else
		malloc_free(ptr);
#else
	kvfree(ptr);
#endif
}

DEFINE_FREE(free, void *, if (!IS_ERR_OR_NULL(_T)) free(_T))

#endif /* _LINUX_MALLOC_H */

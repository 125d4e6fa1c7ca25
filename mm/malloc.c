// SPDX-License-Identifier: GPL-2.0
/*
 * The C library's allocation interface for kernel code.
 *
 * Sizes up to MALLOC_KMALLOC_MAX come from kmalloc(), larger ones from
 * vmalloc(); the GFP flags follow from the calling context. The policy and
 * its reasons are in Documentation/core-api/malloc.rst.
 */

#include <linux/export.h>
#include <linux/hardirq.h>
#include <linux/irq_work.h>
#include <linux/kasan.h>
#include <linux/llist.h>
#include <linux/log2.h>
#include <linux/malloc.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <kunit/visibility.h>

/*
 * malloc_gfp - the GFP flags the calling context allows
 *
 * Returns GFP_KERNEL where the caller may sleep; GFP_NOWAIT | __GFP_NOWARN
 * in atomic context; and 0 where no allocator may be entered at all: NMI,
 * and on PREEMPT_RT any context that disabled preemption or interrupts (the
 * slab allocator's locks sleep there).
 *
 * This is what __might_resched() checks: preempt_count() sees spinlocks,
 * preempt_disable(), softirq and hardirq because CONFIG_MALLOC selects
 * CONFIG_PREEMPT_COUNT, and rcu_preempt_depth() sees rcu_read_lock() on
 * CONFIG_PREEMPT_RCU kernels, where the preempt count does not.
 *
 * The memalloc_noio/nofs/pin scopes are not applied here: the page
 * allocator, the slab allocator's lockdep annotations and vmalloc() apply
 * them to every allocation, so doing it here too would only cost
 * instructions on the fast path.
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

#if IS_ENABLED(CONFIG_MALLOC_KUNIT_TEST)
/**
 * malloc_context_gfp - the GFP flags malloc() allocates with here
 *
 * For tests: the flags the malloc() family picks in the calling context,
 * with the memalloc scopes applied as the allocators below it apply them,
 * or 0 where it will not allocate.
 *
 * Return: the GFP flags.
 */
gfp_t malloc_context_gfp(void)
{
	return current_gfp_context(malloc_gfp());
}
EXPORT_SYMBOL_IF_KUNIT(malloc_context_gfp);
#endif

static __always_inline size_t malloc_kmalloc_max(gfp_t gfp)
{
	return gfpflags_allow_blocking(gfp) ? MALLOC_KMALLOC_MAX : MALLOC_ATOMIC_MAX;
}

/* More than the machine has: fail at once, without a warning or the OOM killer. */
static __always_inline bool malloc_too_large(size_t size)
{
	return (size >> PAGE_SHIFT) >= totalram_pages();
}

/*
 * Large blocks never invoke the OOM killer: __GFP_RETRY_MAYFAIL reclaims as
 * hard as GFP_KERNEL but fails instead of killing other tasks.
 */
static void *malloc_vmalloc(size_t size, size_t align, gfp_t gfp,
			    const void *caller)
{
	if (unlikely(malloc_too_large(size)))
		return NULL;
	return __vmalloc_node_noprof(size, align, gfp | __GFP_RETRY_MAYFAIL,
				     NUMA_NO_NODE, caller);
}

static __always_inline void *malloc_gfp_noprof(size_t size, gfp_t gfp,
					       const void *caller)
{
	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	if (unlikely(!gfp))
		return NULL;
	if (likely(size <= malloc_kmalloc_max(gfp)))
		return kmalloc_noprof(size, gfp);
	if (!gfpflags_allow_blocking(gfp))
		return NULL;
	return malloc_vmalloc(size, 1, gfp, caller);
}

/**
 * malloc - allocate memory
 * @size: how many bytes to allocate
 *
 * Allocates @size bytes from kmalloc() or vmalloc(), whichever fits @size,
 * with GFP flags that the calling context allows. The memory is not
 * initialized.
 *
 * Context: Any context. Sleeps only where the caller may sleep; returns
 * %NULL in NMI context and, where the caller may not sleep, for sizes that
 * kmalloc() does not serve without blocking.
 *
 * Return: a pointer to the block, aligned to %MALLOC_MIN_ALIGN;
 * %ZERO_SIZE_PTR if @size is 0; %NULL on failure.
 */
void *malloc_noprof(size_t size)
{
	return malloc_gfp_noprof(size, malloc_gfp(), __builtin_return_address(0));
}
EXPORT_SYMBOL(malloc_noprof);

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
void *calloc_noprof(size_t nmemb, size_t size)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(nmemb, size, &bytes)))
		return NULL;
	return malloc_gfp_noprof(bytes, malloc_gfp() | __GFP_ZERO,
				 __builtin_return_address(0));
}
EXPORT_SYMBOL(calloc_noprof);

/* @alignment is a power of two no larger than MALLOC_MAX_ALIGN. */
static void *malloc_aligned(size_t alignment, size_t size, gfp_t gfp,
			    const void *caller)
{
	size_t bytes;

	if (alignment <= MALLOC_MIN_ALIGN || !size)
		return malloc_gfp_noprof(size, gfp, caller);
	if (unlikely(!gfp))
		return NULL;

	/* kmalloc() aligns power-of-two sizes to their size. */
	bytes = max(size, alignment);
	if (bytes <= malloc_kmalloc_max(gfp)) {
		bytes = roundup_pow_of_two(bytes);
		if (bytes <= malloc_kmalloc_max(gfp))
			return kmalloc_noprof(bytes, gfp);
	}
	if (!gfpflags_allow_blocking(gfp))
		return NULL;
	return malloc_vmalloc(size, alignment, gfp, caller);
}

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
void *aligned_alloc_noprof(size_t alignment, size_t size)
{
	if (unlikely(!is_power_of_2(alignment) || alignment > MALLOC_MAX_ALIGN))
		return NULL;
	return malloc_aligned(alignment, size, malloc_gfp(),
			      __builtin_return_address(0));
}
EXPORT_SYMBOL(aligned_alloc_noprof);

/* kmalloc()ed block to vmalloc(), for sizes kmalloc() does not serve here. */
static void *malloc_realloc_to_vmalloc(void *ptr, size_t size, gfp_t gfp,
				       const void *caller)
{
	size_t old = __ksize(ptr);
	void *new;

	if (!gfpflags_allow_blocking(gfp))
		return NULL;
	new = malloc_vmalloc(size, 1, gfp, caller);
	if (!new)
		return NULL;
	/* Like krealloc(): the slack after the requested size is poisoned. */
	kasan_disable_current();
	memcpy(new, kasan_reset_tag(ptr), min(old, size));
	kasan_enable_current();
	kfree(ptr);
	return new;
}

/* The vmalloc() area of a block, or NULL with a warning if there is none. */
static struct vm_struct *malloc_vm_area(const void *ptr)
{
	struct vm_struct *area = find_vm_area(ptr);

	if (WARN_ONCE(!area || area->addr != ptr,
		      "realloc() of %p, not a malloc() block\n", ptr))
		return NULL;
	return area;
}

/* vmalloc()ed block to a new size. */
static void *malloc_realloc_vmalloc(void *ptr, size_t size, gfp_t gfp)
{
	struct vm_struct *area = malloc_vm_area(ptr);
	void *new;

	if (!area)
		return NULL;

	/* Small again: move to kmalloc(); if that fails, shrink in place. */
	if (size <= MALLOC_KMALLOC_MAX && gfpflags_allow_blocking(gfp)) {
		new = kmalloc_noprof(size, gfp);
		if (new) {
			memcpy(new, ptr, min(size, area->requested_size));
			vfree(ptr);
			return new;
		}
	}

	/* Without sleeping, vrealloc() can only resize within the area. */
	if (!gfpflags_allow_blocking(gfp) && size > get_vm_area_size(area))
		return NULL;
	if (unlikely(malloc_too_large(size)))
		return NULL;
	return vrealloc_noprof(ptr, size, gfp | __GFP_RETRY_MAYFAIL);
}

/*
 * Move a block to a new one aligned to @align, for alignments above
 * MALLOC_MIN_ALIGN, which krealloc() and vrealloc() do not keep when they
 * move a block. Blocks that are aligned already and fit stay in place.
 */
static void *malloc_realloc_aligned(void *ptr, size_t size, size_t align,
				    gfp_t gfp, const void *caller)
{
	bool aligned = IS_ALIGNED((unsigned long)ptr, align);
	size_t old;
	void *new;

	if (is_vmalloc_addr(ptr)) {
		struct vm_struct *area = malloc_vm_area(ptr);

		if (!area)
			return NULL;
		if (aligned && size <= get_vm_area_size(area))
			return vrealloc_noprof(ptr, size, gfp);
		old = area->requested_size;
	} else {
		old = __ksize(ptr);
		if (aligned && size <= old)
			return krealloc_noprof(ptr, size, gfp);
	}

	new = malloc_aligned(align, size, gfp, caller);
	if (!new)
		return NULL;
	kasan_disable_current();
	memcpy(new, kasan_reset_tag(ptr), min(old, size));
	kasan_enable_current();
	free(ptr);
	return new;
}

static void *malloc_realloc(void *ptr, size_t size, size_t align, gfp_t gfp,
			    const void *caller)
{
	if (ZERO_OR_NULL_PTR(ptr))
		return malloc_aligned(align, size, gfp, caller);
	if (unlikely(!size)) {
		free(ptr);
		return ZERO_SIZE_PTR;
	}
	if (unlikely(!gfp))
		return NULL;
	if (align > MALLOC_MIN_ALIGN)
		return malloc_realloc_aligned(ptr, size, align, gfp, caller);
	if (is_vmalloc_addr(ptr))
		return malloc_realloc_vmalloc(ptr, size, gfp);
	if (size <= malloc_kmalloc_max(gfp))
		return krealloc_noprof(ptr, size, gfp);
	return malloc_realloc_to_vmalloc(ptr, size, gfp, caller);
}

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
 * means failure. Extended alignment from aligned_alloc() is not kept.
 *
 * Context: As malloc().
 *
 * Return: a pointer to the resized block, which may differ from @ptr;
 * %ZERO_SIZE_PTR if @size is 0; %NULL on failure, in which case the block
 * at @ptr is unchanged and still owned by the caller.
 */
void *realloc_noprof(void *ptr, size_t size)
{
	return malloc_realloc(ptr, size, MALLOC_MIN_ALIGN, malloc_gfp(),
			      __builtin_return_address(0));
}
EXPORT_SYMBOL(realloc_noprof);

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
void *reallocarray_noprof(void *ptr, size_t nmemb, size_t size)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(nmemb, size, &bytes)))
		return NULL;
	return realloc_noprof(ptr, bytes);
}
EXPORT_SYMBOL(reallocarray_noprof);

/* What callers may narrow, and what they may add. */
#define MALLOC_GFP_NARROW	(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define MALLOC_GFP_ADD		(__GFP_ZERO | __GFP_NOWARN | __GFP_HIGH)

/**
 * malloc_realloc_gfp - realloc() for allocators that take GFP flags
 * @ptr: block from the malloc() family, %NULL or %ZERO_SIZE_PTR
 * @size: the new size in bytes
 * @align: alignment of the block, a power of two up to %MALLOC_MAX_ALIGN
 * @flags: GFP flags of the caller
 *
 * The entry point for allocators layered on the family, such as Rust's
 * ``Malloc``. Like realloc(), with the result aligned to @align even when
 * the block moves, and with the flags the calling context allows narrowed
 * by @flags: reclaim, IO and FS are used only if both allow them, so the
 * result is never more permissive than the context. %__GFP_ZERO,
 * %__GFP_NOWARN and %__GFP_HIGH in @flags are honoured; the others are
 * ignored.
 *
 * Context: As malloc().
 *
 * Return: as realloc(); also %NULL if @align is invalid.
 */
void *malloc_realloc_gfp_noprof(void *ptr, size_t size, size_t align,
				gfp_t flags)
{
	gfp_t gfp = malloc_gfp();

	if (unlikely(!is_power_of_2(align) || align > MALLOC_MAX_ALIGN))
		return NULL;
	if (gfp)
		gfp = (gfp & ~MALLOC_GFP_NARROW) | (gfp & flags & MALLOC_GFP_NARROW) |
		      (flags & MALLOC_GFP_ADD);
	return malloc_realloc(ptr, size, align, gfp, __builtin_return_address(0));
}
EXPORT_SYMBOL(malloc_realloc_gfp_noprof);

/*
 * Blocks freed where no allocator may be entered (NMI; hard atomic context
 * on PREEMPT_RT) are queued here and freed from irq_work, which runs in
 * hardirq context or, on PREEMPT_RT, in a per-CPU thread.
 */
static LLIST_HEAD(malloc_deferred);

static void malloc_free_deferred(struct irq_work *work)
{
	struct llist_node *node, *next;

	/*
	 * Not vfree(): this runs in hardirq context, or on PREEMPT_RT in a
	 * thread that holds the RCU read lock, and vfree() may sleep.
	 */
	llist_for_each_safe(node, next, llist_del_all(&malloc_deferred)) {
		if (is_vmalloc_addr(node))
			vfree_atomic(node);
		else
			kfree(node);
	}
}

static DEFINE_IRQ_WORK(malloc_free_work, malloc_free_deferred);

/**
 * malloc_free - free() under its link-level name
 * @ptr: as for free()
 *
 * The implementation of free(), which is what callers should use.
 */
void malloc_free(void *ptr)
{
	gfp_t gfp;

	if (ZERO_OR_NULL_PTR(ptr))
		return;

	gfp = malloc_gfp();
	if (unlikely(!gfp)) {
		/* Every block holds a pointer: kmalloc()'s smallest is 8 bytes. */
		if (llist_add(ptr, &malloc_deferred))
			irq_work_queue(&malloc_free_work);
	} else if (!is_vmalloc_addr(ptr)) {
		kfree(ptr);
	} else if (gfpflags_allow_blocking(gfp)) {
		vfree(ptr);
	} else {
		/* vfree() may sleep outside interrupts. */
		vfree_atomic(ptr);
	}
}
EXPORT_SYMBOL(malloc_free);

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
#include <linux/kfence.h>
#include <linux/log2.h>
#include <linux/malloc.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "slab.h"

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

/* is_vmalloc_addr(), inline: free() takes this branch on every call. */
static __always_inline bool malloc_is_vmalloc(const void *ptr)
{
	unsigned long addr = (unsigned long)kasan_reset_tag(ptr);

	return addr >= VMALLOC_START && addr < VMALLOC_END;
}

/*
 * Whether malloc_gfp() would return 0, without its look at the interrupt
 * flags where only NMI makes it so.
 */
static __always_inline bool malloc_no_allocator(void)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		return !malloc_gfp();
	return in_nmi();
}

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
 * malloc.guard=1 places each vmalloc()-backed block so that its end, rounded
 * up to its alignment, meets the guard page after its area: a linear
 * overflow faults on the first byte past it. With KASAN_VMALLOC the option
 * has no effect; KASAN catches more, at byte granularity.
 */
static bool malloc_guard __read_mostly = IS_ENABLED(CONFIG_MALLOC_GUARD);
module_param_named(guard, malloc_guard, bool, 0444);
MODULE_PARM_DESC(guard, "end vmalloc()-backed blocks at their guard page");

#if IS_ENABLED(CONFIG_MALLOC_KUNIT_TEST)
bool *malloc_guard_param = &malloc_guard;
EXPORT_SYMBOL_IF_KUNIT(malloc_guard_param);
#endif

static __always_inline bool malloc_guarded(size_t align)
{
	return !IS_ENABLED(CONFIG_KASAN_VMALLOC) && READ_ONCE(malloc_guard) &&
	       align <= PAGE_SIZE;
}

/* Where a guarded block of @size bytes starts in its area. */
static size_t malloc_guard_offset(size_t size, size_t align)
{
	return PAGE_ALIGN(size) - ALIGN(size, max_t(size_t, align, MALLOC_MIN_ALIGN));
}

/*
 * Large blocks never invoke the OOM killer: __GFP_RETRY_MAYFAIL reclaims as
 * hard as GFP_KERNEL but fails instead of killing other tasks.
 */
static void *malloc_vmalloc(size_t size, size_t align, gfp_t gfp,
			    const void *caller)
{
	void *p;

	if (unlikely(malloc_too_large(size)))
		return NULL;
	p = __vmalloc_node_noprof(size, align, gfp | __GFP_RETRY_MAYFAIL,
				  NUMA_NO_NODE, caller);
	if (p && malloc_guarded(align))
		p += malloc_guard_offset(size, align);
	return p;
}

/*
 * Whether a block of @size bytes, above MALLOC_KMALLOC_MAX, takes the same
 * pages from kmalloc(), which rounds it up to a power of two of pages, as
 * from vmalloc(), which takes whole pages and bookkeeping on top: then
 * kmalloc() costs no memory and is several times faster (make bench).
 */
static __always_inline bool malloc_large_kmalloc_fits(size_t size)
{
	return size <= KMALLOC_MAX_SIZE && is_power_of_2(PAGE_ALIGN(size));
}

/*
 * A large block from kmalloc() where that takes no more memory, else from
 * vmalloc(). Like kvmalloc(), the kmalloc() attempt neither retries hard
 * nor warns: when no block of that order is free, vmalloc() serves.
 */
static void *malloc_large(size_t size, gfp_t gfp, const void *caller)
{
	void *p;

	if (malloc_large_kmalloc_fits(size)) {
		p = kmalloc_noprof(size, gfp | __GFP_NORETRY | __GFP_NOWARN);
		if (p)
			return p;
	}
	return malloc_vmalloc(size, 1, gfp, caller);
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
	return malloc_large(size, gfp, caller);
}

/*
 * The out-of-line malloc() and calloc(), documented in <linux/malloc.h>:
 * runtime sizes, constant sizes that kmalloc() does not serve, and callers
 * that may not sleep.
 */
void *__malloc_noprof(size_t size)
{
	return malloc_gfp_noprof(size, malloc_gfp(), __builtin_return_address(0));
}
EXPORT_SYMBOL(__malloc_noprof);

void *__calloc_noprof(size_t nmemb, size_t size)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(nmemb, size, &bytes)))
		return NULL;
	return malloc_gfp_noprof(bytes, malloc_gfp() | __GFP_ZERO,
				 __builtin_return_address(0));
}
EXPORT_SYMBOL(__calloc_noprof);

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

/*
 * Whether @ptr is where a kmalloc()ed block of the family starts: a kmalloc
 * cache's object (KFENCE's included), or the first page of a large
 * kmalloc() block, which takes at least two pages. Lock-free, so it works
 * in any context.
 */
static bool malloc_owns_kmalloc(const void *ptr)
{
	const void *p = kasan_reset_tag(ptr);
	struct kmem_cache *s;
	struct folio *folio;
	struct slab *slab;
	unsigned long off;
	unsigned int idx;

	/* virt_addr_valid(), less the kernel image, where no block starts. */
	if ((unsigned long)p < PAGE_OFFSET || p >= high_memory ||
	    !pfn_valid(PHYS_PFN(__pa(p))))
		return false;
	if (is_kfence_address(p))
		return kfence_object_start(p) == p;
	folio = virt_to_folio(p);
	if (!folio_test_slab(folio))
		return folio_test_large(folio) && folio_address(folio) == p;

	slab = folio_slab(folio);
	s = slab->slab_cache;
	if (!is_kmalloc_cache(s))
		return false;
	off = p - slab_address(slab);
	if (off < s->red_left_pad)
		return false;
	idx = __obj_to_index(s, slab_address(slab), (void *)p);
	return idx < slab->objects && off == idx * s->size + s->red_left_pad;
}

/*
 * The area of the vmalloc()ed block that starts at @ptr, at the start of
 * the area or where malloc.guard puts it; NULL if no block starts there.
 * Takes the vmap locks.
 */
static struct vm_struct *malloc_vm_block(const void *ptr)
{
	struct vm_struct *area = find_vm_area(ptr);
	size_t align;

	if (!area || !(area->flags & VM_ALLOC))
		return NULL;
	if (area->addr == ptr)
		return area;
	for (align = MALLOC_MIN_ALIGN; align <= PAGE_SIZE; align <<= 1)
		if (ptr == area->addr + malloc_guard_offset(area->requested_size, align))
			return area;
	return NULL;
}

/*
 * Finish moving a block: copy @n bytes of it to @new and free it. KASAN is
 * told to look away, as krealloc() does, since @n may cover a kmalloc()
 * object's slack after its requested size, which KASAN poisons.
 */
static void *malloc_move(void *new, void *ptr, size_t n)
{
	kasan_disable_current();
	memcpy(new, kasan_reset_tag(ptr), n);
	kasan_enable_current();
	free(ptr);
	return new;
}

/* Move a guarded vmalloc()ed block: its end cannot move within its area. */
static void *malloc_realloc_move(void *ptr, size_t old, size_t size,
				 size_t align, gfp_t gfp, const void *caller)
{
	void *new = malloc_aligned(align, size, gfp, caller);

	return new ? malloc_move(new, ptr, min(old, size)) : NULL;
}

/*
 * Whether this interrupted code that may hold the vmap locks, which are
 * taken with interrupts and bottom halves enabled: hardirq and softirq.
 */
static __always_inline bool malloc_in_irq(void)
{
	return in_hardirq() || in_serving_softirq();
}

#if IS_ENABLED(CONFIG_MALLOC_KUNIT_TEST)
/* For tests: how many bad pointers free() and realloc() refused. */
atomic_long_t malloc_bad_pointers = ATOMIC_LONG_INIT(0);
EXPORT_SYMBOL_IF_KUNIT(malloc_bad_pointers);
#endif

/* One report per bad call, naming the caller; the pointer is left alone. */
static void malloc_bad_pointer(const char *fn, const void *ptr, const void *caller)
{
#if IS_ENABLED(CONFIG_MALLOC_KUNIT_TEST)
	atomic_long_inc(&malloc_bad_pointers);
#endif
	WARN_RATELIMIT(1, "%s() of %p, not a block from the malloc() family, from %pS\n",
		       fn, ptr, caller);
}

/*
 * kmalloc()ed block to a size above what kmalloc() serves here. A block
 * that shrinks by no more than half stays where it is; otherwise it moves
 * to where malloc() would put the new size, or, if it shrinks and that
 * fails, stays: shrinking never fails.
 */
static void *malloc_realloc_large(void *ptr, size_t size, gfp_t gfp,
				  const void *caller)
{
	size_t old = __ksize(ptr);
	void *new = NULL;

	if (size <= old && size > old / 2)
		return krealloc_noprof(ptr, size, gfp);
	if (gfpflags_allow_blocking(gfp))
		new = malloc_large(size, gfp, caller);
	if (new)
		return malloc_move(new, ptr, min(old, size));
	return size <= old ? krealloc_noprof(ptr, size, gfp) : NULL;
}

/* vmalloc()ed block, starting its @area, to a new size. */
static void *malloc_realloc_vmalloc(void *ptr, struct vm_struct *area,
				    size_t size, gfp_t gfp)
{
	void *new;

	/* Small again: move to kmalloc(); if that fails, shrink in place. */
	if (size <= MALLOC_KMALLOC_MAX && gfpflags_allow_blocking(gfp)) {
		new = kmalloc_noprof(size, gfp);
		if (new)
			return malloc_move(new, ptr, min(size, area->requested_size));
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
 * @area is the block's vmalloc() area, NULL for a kmalloc()ed block.
 */
static void *malloc_realloc_aligned(void *ptr, struct vm_struct *area,
				    size_t size, size_t align, gfp_t gfp,
				    const void *caller)
{
	bool aligned = IS_ALIGNED((unsigned long)ptr, align);
	size_t old;
	void *new;

	if (area) {
		if (aligned && size <= get_vm_area_size(area))
			return vrealloc_noprof(ptr, size, gfp);
		old = area->requested_size;
	} else {
		old = __ksize(ptr);
		if (aligned && size <= old)
			return krealloc_noprof(ptr, size, gfp);
	}

	new = malloc_aligned(align, size, gfp, caller);
	return new ? malloc_move(new, ptr, min(old, size)) : NULL;
}

static void *malloc_realloc(void *ptr, size_t size, size_t align, gfp_t gfp,
			    const void *caller)
{
	struct vm_struct *area = NULL;

	if (ZERO_OR_NULL_PTR(ptr))
		return malloc_aligned(align, size, gfp, caller);
	if (unlikely(!size)) {
		free(ptr);
		return ZERO_SIZE_PTR;
	}
	if (unlikely(!gfp))
		return NULL;
	if (is_vmalloc_addr(ptr)) {
		if (malloc_in_irq())
			return NULL;
		area = malloc_vm_block(ptr);
		if (unlikely(!area))
			goto bad;
		if (area->addr != ptr)
			return malloc_realloc_move(ptr, area->requested_size, size,
						   align, gfp, caller);
	} else if (unlikely(!malloc_owns_kmalloc(ptr))) {
		goto bad;
	}
	if (align > MALLOC_MIN_ALIGN)
		return malloc_realloc_aligned(ptr, area, size, align, gfp, caller);
	if (area)
		return malloc_realloc_vmalloc(ptr, area, size, gfp);
	if (size <= malloc_kmalloc_max(gfp))
		return krealloc_noprof(ptr, size, gfp);
	return malloc_realloc_large(ptr, size, gfp, caller);

bad:
	malloc_bad_pointer("realloc", ptr, caller);
	return NULL;
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
 * means failure. Extended alignment from aligned_alloc() is not kept. A
 * pointer that is not where a block of the family starts is reported once,
 * naming the caller, and %NULL returned.
 *
 * Context: As malloc(). In hardirq and softirq context, where the vmap locks
 * may not be taken, a vmalloc()-backed block cannot be resized: %NULL.
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
 * Blocks that cannot be checked and freed where free() is called are queued
 * here, without writing to them: vmalloc() blocks freed in hardirq or
 * softirq context, where the vmap locks must not be taken, and any block freed in
 * NMI or, on PREEMPT_RT, where preemption or interrupts are off. A worker
 * checks and frees them in process context.
 */
#define MALLOC_DEFERRED_SLOTS	128

/*
 * A slot is claimed with cmpxchg() (FREE to BUSY), filled, and published
 * (READY) with release semantics; the worker takes READY slots only, so a
 * slot being filled is left for the run the filler schedules.
 */
enum { MALLOC_SLOT_FREE, MALLOC_SLOT_BUSY, MALLOC_SLOT_READY };

static struct {
	unsigned int state;
	void *ptr;
	const void *caller;	/* named in a bad-pointer report */
} malloc_deferred[MALLOC_DEFERRED_SLOTS];

static __always_inline void malloc_free_from(void *ptr, const void *caller);

static void malloc_free_deferred(struct work_struct *work)
{
	const void *caller;
	void *ptr;
	int i;

	for (i = 0; i < MALLOC_DEFERRED_SLOTS; i++) {
		/* Pairs with the release in malloc_defer_free(): see the fill. */
		if (smp_load_acquire(&malloc_deferred[i].state) != MALLOC_SLOT_READY)
			continue;
		ptr = malloc_deferred[i].ptr;
		caller = malloc_deferred[i].caller;
		/* Read the slot before it can be claimed again. */
		smp_store_release(&malloc_deferred[i].state, MALLOC_SLOT_FREE);
		malloc_free_from(ptr, caller);
	}
}

static DECLARE_WORK(malloc_free_work, malloc_free_deferred);

static void malloc_kick_deferred(struct irq_work *work)
{
	schedule_work(&malloc_free_work);
}

static DEFINE_IRQ_WORK(malloc_free_irq_work, malloc_kick_deferred);

static void malloc_defer_free(void *ptr, const void *caller, bool nmi_safe)
{
	int i;

	for (i = 0; i < MALLOC_DEFERRED_SLOTS; i++) {
		if (cmpxchg(&malloc_deferred[i].state, MALLOC_SLOT_FREE,
			    MALLOC_SLOT_BUSY) != MALLOC_SLOT_FREE)
			continue;
		malloc_deferred[i].ptr = ptr;
		malloc_deferred[i].caller = caller;
		/* Publish the fill: pairs with the worker's acquire. */
		smp_store_release(&malloc_deferred[i].state, MALLOC_SLOT_READY);
		if (nmi_safe)
			irq_work_queue(&malloc_free_irq_work);
		else
			schedule_work(&malloc_free_work);
		return;
	}
	/* Leaking is the one safe thing left to do. */
	WARN_ONCE(1, "free() of %p: deferred-free queue full, block leaked\n", ptr);
}

/* free() of a vmalloc()ed block, or of a bad pointer in vmalloc space. */
static noinline void malloc_free_vmalloc(void *ptr, const void *caller)
{
	gfp_t gfp = malloc_gfp();
	struct vm_struct *area;

	if (unlikely(!gfp)) {
		malloc_defer_free(ptr, caller, true);
		return;
	}
	if (malloc_in_irq()) {
		malloc_defer_free(ptr, caller, false);
		return;
	}
	area = malloc_vm_block(ptr);
	if (unlikely(!area))
		malloc_bad_pointer("free", ptr, caller);
	else if (gfpflags_allow_blocking(gfp))
		vfree(area->addr);
	else
		/* vfree() may sleep outside interrupts. */
		vfree_atomic(area->addr);
}

/* free() on behalf of @caller, who is named if @ptr is bad. */
static __always_inline void malloc_free_from(void *ptr, const void *caller)
{
	if (unlikely(ZERO_OR_NULL_PTR(ptr)))
		return;
	if (unlikely(malloc_is_vmalloc(ptr))) {
		malloc_free_vmalloc(ptr, caller);
		return;
	}
	/* kfree() is safe everywhere malloc_gfp() allows an allocation. */
	if (unlikely(malloc_no_allocator()))
		malloc_defer_free(ptr, caller, true);
	else if (likely(malloc_owns_kmalloc(ptr)))
		kfree(ptr);
	else
		malloc_bad_pointer("free", ptr, caller);
}

/**
 * malloc_free - free() under its link-level name
 * @ptr: as for free()
 *
 * The implementation of free(), which is what callers should use. A pointer
 * that is not where a block of the family starts gets a rate-limited
 * warning naming the caller, and is not freed.
 */
void malloc_free(void *ptr)
{
	malloc_free_from(ptr, __builtin_return_address(0));
}
EXPORT_SYMBOL(malloc_free);

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
#include <linux/hash.h>
#include <linux/irq_work.h>
#include <linux/kasan.h>
#include <linux/kfence.h>
#include <linux/llist.h>
#include <linux/log2.h>
#include <linux/malloc.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/poison.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "slab.h"
#ifdef CONFIG_KFENCE
#include "kfence/kfence.h"
#endif

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
 * Whether malloc_gfp() would return 0 (no allocator may be entered, and
 * kfree() may not be called either), without its look at the interrupt
 * flags where only NMI makes it so.
 */
static __always_inline bool malloc_no_allocator(void)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		return !malloc_gfp();
	return in_nmi();
}

/*
 * Whether the vmap locks may be taken here. vmalloc(), vfree() and
 * find_vm_area() take them with interrupts and bottom halves enabled, so
 * taking them where either is disabled, or in an interrupt, could invert
 * the order against a lock the caller holds that an interrupt handler also
 * takes. Where both are enabled outside interrupts, no lock the caller
 * holds is taken by an interrupt handler (lockdep reports a lock that is
 * held with interrupts enabled and taken in one), so there is no inversion
 * to fear. softirq_count() sees local_bh_disable() on PREEMPT_RT too.
 */
static __always_inline bool malloc_vmap_ok(gfp_t gfp)
{
	return gfp && !irqs_disabled() && !irq_count();
}

/*
 * The largest size kmalloc() serves with @gfp. Where the caller may not
 * sleep that is every size kmalloc() has, as for kvmalloc() with such
 * flags: a large block needs a free block of its order, and the request
 * fails, quietly (malloc_kmalloc_gfp()), where none is left.
 */
static __always_inline size_t malloc_kmalloc_max(gfp_t gfp)
{
	return gfpflags_allow_blocking(gfp) ? MALLOC_KMALLOC_MAX : MALLOC_ATOMIC_MAX;
}

/*
 * @gfp for a kmalloc() or krealloc() of @size: no allocation failure
 * warning for large blocks, as kvmalloc() passes none.
 */
static __always_inline gfp_t malloc_kmalloc_gfp(size_t size, gfp_t gfp)
{
	return size > MALLOC_KMALLOC_MAX ? gfp | __GFP_NOWARN : gfp;
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
 * Marks. Every page-backed block of the family, vmalloc()ed or a large
 * kmalloc() block, carries a mark in the private field of the page it
 * starts in: its address, scrambled with a constant. The family sets it
 * when it allocates or moves such a block and clears it, atomically, when
 * it frees one. The page allocator leaves the field alone while a page is
 * allocated (neither kmalloc() nor vmalloc() use it) and clears it when it
 * hands the page out again. The mark tells free() and realloc(), without a lock and
 * so in any context, that a block of the family starts at exactly that
 * address: not a compound page someone else allocated, not another user's
 * vmalloc() area, not an address inside a block (malloc.guard's offset is
 * recorded with the rest of the address), and not a block freed already.
 */
#define MALLOC_MARK_KEY		GOLDEN_RATIO_PRIME

static __always_inline unsigned long malloc_mark_of(const void *p)
{
	return (unsigned long)kasan_reset_tag(p) ^ MALLOC_MARK_KEY;
}

/* The page a page-backed block at @p starts in; NULL if @p is unmapped. */
static struct page *malloc_first_page(const void *p)
{
	p = kasan_reset_tag(p);
	return malloc_is_vmalloc(p) ? vmalloc_to_page(p) : virt_to_page(p);
}

/* Mark the page-backed block at @p, which the family just allocated. */
static void malloc_mark(const void *p)
{
	WRITE_ONCE(malloc_first_page(p)->private, malloc_mark_of(p));
}

/* Take the mark off the block at @p, which the family is about to move. */
static void malloc_unmark(const void *p)
{
	WRITE_ONCE(malloc_first_page(p)->private, 0);
}

/* Whether @page carries the mark of a block at @p. */
static __always_inline bool malloc_marked(struct page *page, const void *p)
{
	return page && READ_ONCE(page->private) == malloc_mark_of(p);
}

/*
 * Take the mark of the block at @p off @page, if it is there: whoever
 * succeeds owns the block and frees it, and a second free() of the block
 * finds no mark.
 */
static bool malloc_claim(struct page *page, const void *p)
{
	unsigned long mark = malloc_mark_of(p);

	return page && READ_ONCE(page->private) == mark &&
	       cmpxchg(&page->private, mark, 0) == mark;
}

/* The block at @p, allocated by kmalloc(): mark it if it is page-backed. */
static void malloc_mark_kmalloc(const void *p)
{
	if (!ZERO_OR_NULL_PTR(p) && !folio_test_slab(virt_to_folio(kasan_reset_tag(p))))
		malloc_mark(p);
}

/* kmalloc(), marking what it returns above the largest kmalloc() cache. */
static void *malloc_kmalloc(size_t size, gfp_t gfp, int node)
{
	void *p = kmalloc_node_noprof(size, malloc_kmalloc_gfp(size, gfp), node);

	if (size > KMALLOC_MAX_CACHE_SIZE && p)
		malloc_mark(p);
	return p;
}

/*
 * The vm_struct of a vmalloc()ed block of two pages or more is kept in the
 * private field of its second page (the first holds the mark), so that
 * realloc() can resize the block within its area where find_vm_area() may
 * not be called (malloc_vmap_ok()). vmalloc() does not use the field, and
 * the page allocator clears it when it hands the page out again. Called
 * where find_vm_area() may be, for a block that starts its area.
 */
static void malloc_keep_area(void *start)
{
	struct vm_struct *area = find_vm_area(start);

	if (area && get_vm_area_size(area) > PAGE_SIZE)
		set_page_private(malloc_first_page(start + PAGE_SIZE), (unsigned long)area);
}

/*
 * The area of the family's vmalloc()ed block at @ptr, without a lock:
 * NULL for a block of one page (the next page is its guard page, which
 * nothing maps) and for a guarded block, which does not start its area.
 */
static struct vm_struct *malloc_kept_area(const void *ptr)
{
	struct vm_struct *area;
	struct page *page;

	if (!PAGE_ALIGNED(ptr))
		return NULL;
	page = malloc_first_page(ptr + PAGE_SIZE);
	if (!page)
		return NULL;
	area = (struct vm_struct *)page_private(page);
	if (!area || kasan_reset_tag(area->addr) != kasan_reset_tag(ptr))
		return NULL;
	return area;
}

/*
 * Large blocks never invoke the OOM killer: __GFP_RETRY_MAYFAIL reclaims as
 * hard as GFP_KERNEL but fails instead of killing other tasks.
 */
static void *malloc_vmalloc(size_t size, size_t align, gfp_t gfp,
			    int node, const void *caller)
{
	void *p;

	if (unlikely(malloc_too_large(size)))
		return NULL;
	p = __vmalloc_node_noprof(size, align, gfp | __GFP_RETRY_MAYFAIL,
				  node, caller);
	if (!p)
		return NULL;
	malloc_keep_area(p);
	if (malloc_guarded(align))
		p += malloc_guard_offset(size, align);
	malloc_mark(p);
	return p;
}

/*
 * Large blocks. Above MALLOC_KMALLOC_MAX, a size whose pages are a power
 * of two comes from kmalloc(), which takes exactly those pages. For other
 * sizes up to KMALLOC_MAX_SIZE, malloc.large= picks how:
 *
 * kmalloc (the default): kmalloc(), which rounds the pages up to a power
 *	of two, as kvmalloc() does: its speed, and its memory.
 * pages: a page block, the pages the size needs from one allocation of
 *	the order above, split and the tail given back, as
 *	alloc_pages_exact() does: no more memory than the pages, but the
 *	split and the free cost a page allocator operation per page.
 *	The first page carries the block's mark, the second the number of
 *	pages (a block has at least three when allocated, and realloc()
 *	keeps at least two when it gives pages back).
 * vmalloc: vmalloc(), from order-0 pages, which fragmentation does not
 *	deny, but mapped, and slower still.
 *
 * Each attempt but vmalloc() neither retries hard nor warns: vmalloc()
 * serves when no block of the order is free, and above KMALLOC_MAX_SIZE.
 * malloc.guard=1 wants vmalloc() for its guard page, and under KASAN page
 * blocks, which it checks only to the page, give way to vmalloc() too.
 * make bench measures the three (Documentation/core-api/malloc.rst).
 */
enum malloc_large_policy {
	MALLOC_LARGE_KMALLOC,
	MALLOC_LARGE_PAGES,
	MALLOC_LARGE_VMALLOC,
};

static const char * const malloc_large_names[] = {
	[MALLOC_LARGE_KMALLOC] = "kmalloc",
	[MALLOC_LARGE_PAGES] = "pages",
	[MALLOC_LARGE_VMALLOC] = "vmalloc",
};

static int malloc_large_on __read_mostly = MALLOC_LARGE_KMALLOC;

static int malloc_large_set(const char *val, const struct kernel_param *kp)
{
	int policy = sysfs_match_string(malloc_large_names, val);

	if (policy < 0)
		return policy;
	WRITE_ONCE(malloc_large_on, policy);
	return 0;
}

static int malloc_large_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", malloc_large_names[READ_ONCE(malloc_large_on)]);
}

static const struct kernel_param_ops malloc_large_ops = {
	.set = malloc_large_set,
	.get = malloc_large_get,
};

module_param_cb(large, &malloc_large_ops, NULL, 0644);
MODULE_PARM_DESC(large, "large sizes that are not a power of two of pages: kmalloc (default), pages or vmalloc");

#if IS_ENABLED(CONFIG_MALLOC_KUNIT_TEST)
int *malloc_large_param = &malloc_large_on;
EXPORT_SYMBOL_IF_KUNIT(malloc_large_param);
#endif

/* The policy in effect for @size, above MALLOC_KMALLOC_MAX. */
static enum malloc_large_policy malloc_large_policy(size_t size)
{
	int policy = READ_ONCE(malloc_large_on);

	if (size > KMALLOC_MAX_SIZE || READ_ONCE(malloc_guard))
		return MALLOC_LARGE_VMALLOC;
	if (is_power_of_2(PAGE_ALIGN(size)))
		return MALLOC_LARGE_KMALLOC;
	if (policy == MALLOC_LARGE_PAGES && IS_ENABLED(CONFIG_KASAN))
		return MALLOC_LARGE_VMALLOC;
	return policy;
}

static void *malloc_pages(size_t size, gfp_t gfp, int node)
{
	unsigned long nr = PAGE_ALIGN(size) >> PAGE_SHIFT, i;
	unsigned int order = get_order(size);
	struct page *page;
	void *p;

	page = alloc_pages_node_noprof(node, (gfp | __GFP_NORETRY | __GFP_NOWARN) &
					     ~__GFP_COMP, order);
	if (!page)
		return NULL;
	split_page(page, order);
	for (i = nr; i < 1UL << order; i++)
		__free_page(page + i);
	set_page_private(page + 1, nr);
	p = page_address(page);
	malloc_mark(p);
	return p;
}

/* The bytes of the page block starting at @page. */
static size_t malloc_pages_size(struct page *page)
{
	return page_private(page + 1) << PAGE_SHIFT;
}

/* Give back the pages of the page block at @page from page @from on. */
static void malloc_pages_trim(struct page *page, unsigned long from)
{
	unsigned long nr = page_private(page + 1), i;

	if (from < 2)
		set_page_private(page + 1, 0);
	else
		set_page_private(page + 1, min(nr, from));
	for (i = from; i < nr; i++)
		__free_page(page + i);
}

/*
 * The first page of the page block of the family that starts at @ptr, or
 * NULL. Safe for any pointer: a page block's first page is a page of its
 * own, in the direct map, and marked.
 */
static struct page *malloc_pages_block(const void *ptr)
{
	const void *p = kasan_reset_tag(ptr);
	struct page *page;

	if (!PAGE_ALIGNED(p) || (unsigned long)p < PAGE_OFFSET || p >= high_memory ||
	    !pfn_valid(PHYS_PFN(__pa(p))))
		return NULL;
	page = virt_to_page(p);
	if (PageCompound(page) || folio_test_slab(page_folio(page)))
		return NULL;
	return malloc_marked(page, p) ? page : NULL;
}

/*
 * vmalloc() where the caller may not sleep: only where the vmap locks may
 * be taken, and quietly, as kmalloc() fails there. The area, its pages
 * and its page tables come without reclaim, so nothing sleeps.
 */
static void *malloc_vmalloc_nowait(size_t size, size_t align, gfp_t gfp,
				   int node, const void *caller)
{
	if (!malloc_vmap_ok(gfp))
		return NULL;
	return malloc_vmalloc(size, align, gfp | __GFP_NOWARN, node, caller);
}

/*
 * Whether a kmalloc() of @size that returned @p is the answer: it is
 * unless it failed for a large block where the caller may not sleep, as
 * kvmalloc() falls back to vmalloc() above a page.
 */
static __always_inline bool malloc_kmalloc_done(void *p, size_t size, gfp_t gfp)
{
	return likely(p) || size <= PAGE_SIZE || gfpflags_allow_blocking(gfp);
}

/* A large block, as malloc_large_policy() says. */
static void *malloc_large(size_t size, gfp_t gfp, int node, const void *caller)
{
	void *p = NULL;

	switch (malloc_large_policy(size)) {
	case MALLOC_LARGE_KMALLOC:
		p = malloc_kmalloc(size, gfp | __GFP_NORETRY, node);
		break;
	case MALLOC_LARGE_PAGES:
		p = malloc_pages(size, gfp, node);
		break;
	case MALLOC_LARGE_VMALLOC:
		break;
	}
	return p ?: malloc_vmalloc(size, 1, gfp, node, caller);
}

static __always_inline void *malloc_gfp_noprof(size_t size, gfp_t gfp,
					       int node, const void *caller)
{
	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	if (unlikely(!gfp))
		return NULL;
	if (likely(size <= malloc_kmalloc_max(gfp))) {
		void *p = malloc_kmalloc(size, gfp, node);

		if (malloc_kmalloc_done(p, size, gfp))
			return p;
	}
	if (!gfpflags_allow_blocking(gfp))
		return malloc_vmalloc_nowait(size, 1, gfp, node, caller);
	return malloc_large(size, gfp, node, caller);
}

/*
 * The out-of-line malloc() and calloc(), documented in <linux/malloc.h>:
 * runtime sizes, constant sizes that kmalloc() does not serve, and callers
 * that may not sleep.
 */
void *__malloc_noprof(size_t size)
{
	gfp_t gfp = malloc_gfp();

	/*
	 * The common case as a tail call: a kmalloc()ed block of this size
	 * is never page-backed, so it needs no mark. Inlining this into
	 * malloc() would make GCC's -Wmismatched-dealloc lose track of
	 * blocks that come from one of two calls.
	 */
	if (likely(gfp == GFP_KERNEL && size <= KMALLOC_MAX_CACHE_SIZE))
		return __kmalloc_noprof(size, GFP_KERNEL);
	return malloc_gfp_noprof(size, gfp, NUMA_NO_NODE,
				 __builtin_return_address(0));
}
EXPORT_SYMBOL(__malloc_noprof);

/*
 * Add @flags to what the context allows, unless it allows nothing: alone,
 * they must not read as a context that may allocate.
 */
static __always_inline gfp_t malloc_gfp_add(gfp_t gfp, gfp_t flags)
{
	return gfp ? gfp | flags : 0;
}

static __always_inline void *malloc_calloc(size_t nmemb, size_t size, gfp_t gfp,
					   const void *caller)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(nmemb, size, &bytes)))
		return NULL;
	return malloc_gfp_noprof(bytes, malloc_gfp_add(gfp, __GFP_ZERO),
				 NUMA_NO_NODE, caller);
}

void *__calloc_noprof(size_t nmemb, size_t size)
{
	gfp_t gfp = malloc_gfp();
	size_t bytes;

	/* As __malloc_noprof(); an overflowing product is not small. */
	if (likely(gfp == GFP_KERNEL && !check_mul_overflow(nmemb, size, &bytes) &&
		   bytes <= KMALLOC_MAX_CACHE_SIZE))
		return __kmalloc_noprof(bytes, GFP_KERNEL | __GFP_ZERO);
	return malloc_calloc(nmemb, size, gfp, __builtin_return_address(0));
}
EXPORT_SYMBOL(__calloc_noprof);

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
void *malloc_account_noprof(size_t size)
{
	return malloc_gfp_noprof(size, malloc_gfp_add(malloc_gfp(), __GFP_ACCOUNT),
				 NUMA_NO_NODE, __builtin_return_address(0));
}
EXPORT_SYMBOL(malloc_account_noprof);

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
void *calloc_account_noprof(size_t nmemb, size_t size)
{
	return malloc_calloc(nmemb, size, malloc_gfp_add(malloc_gfp(), __GFP_ACCOUNT),
			     __builtin_return_address(0));
}
EXPORT_SYMBOL(calloc_account_noprof);

/* @alignment is a power of two no larger than MALLOC_MAX_ALIGN. */
static void *malloc_aligned(size_t alignment, size_t size, gfp_t gfp,
			    int node, const void *caller)
{
	size_t bytes;

	if (alignment <= MALLOC_MIN_ALIGN || !size)
		return malloc_gfp_noprof(size, gfp, node, caller);
	if (unlikely(!gfp))
		return NULL;

	/* kmalloc() aligns power-of-two sizes to their size. */
	bytes = max(size, alignment);
	if (bytes <= malloc_kmalloc_max(gfp)) {
		bytes = roundup_pow_of_two(bytes);
		if (bytes <= malloc_kmalloc_max(gfp)) {
			void *p = malloc_kmalloc(bytes, gfp, node);

			if (malloc_kmalloc_done(p, bytes, gfp))
				return p;
		}
	}
	if (!gfpflags_allow_blocking(gfp))
		return malloc_vmalloc_nowait(size, alignment, gfp, node, caller);
	return malloc_vmalloc(size, alignment, gfp, node, caller);
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
	return malloc_aligned(alignment, size, malloc_gfp(), NUMA_NO_NODE,
			      __builtin_return_address(0));
}
EXPORT_SYMBOL(aligned_alloc_noprof);

/*
 * Which kind of kmalloc()ed block of the family starts at @ptr, if any:
 * mm/slub.c knows the objects of the kmalloc caches (KFENCE's included),
 * and a large kmalloc() block is the family's if it carries its mark.
 * Lock-free, so it works in any context.
 */
static __always_inline enum kmalloc_block malloc_kmalloc_kind(const void *ptr)
{
	return kmalloc_block(ptr, malloc_mark_of(ptr));
}

/*
 * The bytes a kmalloc()ed block of the family may use: KFENCE's objects
 * are the size that was asked for, not their cache's.
 */
static size_t malloc_ksize(const void *ptr, enum kmalloc_block kind)
{
	const void *p = kasan_reset_tag(ptr);

	if (kind == KMALLOC_BLOCK_LARGE)
		return folio_size(virt_to_folio(p));
	if (is_kfence_address(p))
		return kfence_ksize(p);
	return slab_ksize(virt_to_slab(p)->slab_cache);
}

#if IS_ENABLED(CONFIG_MALLOC_KUNIT_TEST)
/* For tests: bad pointers refused, and the deferred frees. */
atomic_long_t malloc_bad_pointers = ATOMIC_LONG_INIT(0);
EXPORT_SYMBOL_IF_KUNIT(malloc_bad_pointers);
const void *malloc_bad_caller;
EXPORT_SYMBOL_IF_KUNIT(malloc_bad_caller);
struct malloc_deferred_stats malloc_deferred_stats;
EXPORT_SYMBOL_IF_KUNIT(malloc_deferred_stats);

static void malloc_count_deferred(void)
{
	struct malloc_deferred_stats *st = &malloc_deferred_stats;
	long pending = atomic_long_inc_return(&st->deferred) -
		       atomic_long_read(&st->released);
	long peak = atomic_long_read(&st->peak);

	while (pending > peak && !atomic_long_try_cmpxchg(&st->peak, &peak, pending))
		;
}

static void malloc_count_released(void)
{
	atomic_long_inc(&malloc_deferred_stats.released);
}
#else
static inline void malloc_count_deferred(void) { }
static inline void malloc_count_released(void) { }
#endif

/* One report per bad call, naming the caller; the pointer is left alone. */
static void malloc_bad_pointer(const char *fn, const void *ptr, const void *caller)
{
#if IS_ENABLED(CONFIG_MALLOC_KUNIT_TEST)
	WRITE_ONCE(malloc_bad_caller, caller);
	atomic_long_inc(&malloc_bad_pointers);
#endif
	WARN_RATELIMIT(1, "%s() of %p, not a block from the malloc() family, from %pS\n",
		       fn, ptr, caller);
}

/*
 * Deferred frees. Where a block cannot be freed at once, it waits on a
 * per-CPU list linked through its first word, as vfree_atomic() does, for
 * a worker that frees it in process context: any block in NMI and where
 * PREEMPT_RT forbids entering the allocator, and vmalloc()-backed blocks
 * wherever vfree() may not be called. Nothing is written into a block
 * before it has been checked: a kmalloc cache's object by the slab lookup,
 * a page-backed block by claiming its mark, so that a second free() of it
 * is refused at once. The lists have no bound, and pushing a block takes
 * no lock and touches only its CPU's data: only the first block on an
 * empty list kicks that CPU's worker, from NMI through that CPU's
 * irq_work.
 */
struct malloc_deferred {
	struct llist_head list;
	struct work_struct work;
	struct irq_work kick;
};

static void malloc_free_deferred(struct work_struct *work);
static void malloc_kick_deferred(struct irq_work *work);

static DEFINE_PER_CPU(struct malloc_deferred, malloc_deferred) = {
	.kick = IRQ_WORK_INIT(malloc_kick_deferred),
};

/* The workers take every CPU's list, one at a time. */
static DEFINE_MUTEX(malloc_deferred_lock);

/* A work item's list head points to itself, so each CPU's is set up here. */
static int __init malloc_deferred_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		INIT_WORK(&per_cpu_ptr(&malloc_deferred, cpu)->work, malloc_free_deferred);
	return 0;
}
early_initcall(malloc_deferred_init);

/*
 * The link word of a deferred block. A kmalloc cache's object may be
 * smaller than a pointer, and generic KASAN poisons the bytes past the
 * requested size: the word is accessed without KASAN's checks, through an
 * untagged address. Bit 0 marks a block the worker has seen.
 */
static __no_sanitize_address noinline unsigned long malloc_link(const void *block)
{
	return READ_ONCE(*(unsigned long *)kasan_reset_tag(block));
}

static __no_sanitize_address noinline void malloc_set_link(void *block,
							   unsigned long link)
{
	WRITE_ONCE(*(unsigned long *)kasan_reset_tag(block), link);
}

/*
 * Before a deferred object of a kmalloc cache is freed, its first word gets
 * back what the detectors check past a request smaller than a pointer:
 * KFENCE's canary, or slub_debug's red zone. The caller's bytes there are
 * dead.
 */
static __no_sanitize_address noinline void malloc_unlink(void *block)
{
	u8 *b = kasan_reset_tag(block);
	unsigned int i;

	for (i = 0; i < sizeof(unsigned long); i++) {
#ifdef CONFIG_KFENCE
		if (is_kfence_address(b)) {
			b[i] = KFENCE_CANARY_PATTERN_U8(b + i);
			continue;
		}
#endif
		b[i] = SLUB_RED_ACTIVE;
	}
}

static void malloc_kick_deferred(struct irq_work *work)
{
	queue_work(system_wq,
		   &container_of(work, struct malloc_deferred, kick)->work);
}

/* Queue @block, checked and owned by the caller, for the worker. */
static void malloc_defer(void *block)
{
	struct malloc_deferred *d = raw_cpu_ptr(&malloc_deferred);
	struct llist_node *first = READ_ONCE(d->list.first);

	do {
		malloc_set_link(block, (unsigned long)first);
	} while (!try_cmpxchg(&d->list.first, &first, (struct llist_node *)block));
	malloc_count_deferred();
	if (first)
		return;
	if (in_nmi())
		irq_work_queue(&d->kick);
	else
		queue_work(system_wq, &d->work);
}

static void malloc_release(void *block)
{
	struct folio *folio;

	if (malloc_is_vmalloc(block)) {
		vfree(block);
	} else {
		folio = virt_to_folio(kasan_reset_tag(block));
		if (folio_test_slab(folio))
			malloc_unlink(block);
		if (folio_test_slab(folio) || folio_test_large(folio))
			kfree(block);
		else
			malloc_pages_trim(&folio->page, 0);
	}
	malloc_count_released();
}

/*
 * Take every CPU's list, then free what is on them. A block on a list
 * twice (free() called twice on an object of a kmalloc cache, where
 * deferring) would link the lists into a loop or into each other: the
 * first pass marks each block it walks and cuts a list where it reaches a
 * marked block, so each block is freed once and the double free reported.
 * Blocks the second push cut off may leak.
 */
static void malloc_free_deferred(struct work_struct *work)
{
	void *all = NULL, *first, *block, *tail;
	unsigned long next;
	unsigned int n = 0;
	int cpu;

	mutex_lock(&malloc_deferred_lock);
	for_each_possible_cpu(cpu) {
		first = llist_del_all(&per_cpu_ptr(&malloc_deferred, cpu)->list);
		tail = NULL;
		for (block = first; block; block = (void *)next) {
			next = malloc_link(block);
			if (next & 1) {
				WARN_RATELIMIT(1, "free() of %p: freed twice\n", block);
#if IS_ENABLED(CONFIG_MALLOC_KUNIT_TEST)
				atomic_long_inc(&malloc_bad_pointers);
#endif
				if (!tail)
					first = NULL;
				break;
			}
			malloc_set_link(block, next | 1);
			tail = block;
		}
		if (!first)
			continue;
		malloc_set_link(tail, (unsigned long)all | 1);
		all = first;
	}

	for (block = all; block; block = (void *)next) {
		next = malloc_link(block) & ~1UL;
		malloc_release(block);
		if (!(++n % 64))
			cond_resched();
	}
	mutex_unlock(&malloc_deferred_lock);
}

#if IS_ENABLED(CONFIG_MALLOC_KUNIT_TEST)
/**
 * malloc_flush_deferred - wait for the deferred frees queued so far
 *
 * For tests: returns once every block that free() deferred before the call
 * has been freed.
 *
 * Context: Process context; sleeps.
 */
void malloc_flush_deferred(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		irq_work_sync(&per_cpu_ptr(&malloc_deferred, cpu)->kick);
	for_each_possible_cpu(cpu)
		flush_work(&per_cpu_ptr(&malloc_deferred, cpu)->work);
}
EXPORT_SYMBOL_IF_KUNIT(malloc_flush_deferred);
#endif

/* free() of a pointer in vmalloc space. */
static noinline void malloc_free_vmalloc(void *ptr, const void *caller)
{
	void *start = (void *)PAGE_ALIGN_DOWN((unsigned long)ptr);

	if (unlikely(!malloc_claim(malloc_first_page(ptr), ptr)))
		malloc_bad_pointer("free", ptr, caller);
	else if (gfpflags_allow_blocking(malloc_gfp()))
		vfree(start);
	else
		malloc_defer(start);
}

/*
 * free() of a kmalloc()ed block where kfree() may not be called: check it,
 * take a large block's mark, and leave it to the worker.
 */
static noinline void malloc_free_later(void *ptr, const void *caller)
{
	switch (malloc_kmalloc_kind(ptr)) {
	case KMALLOC_BLOCK_OBJECT:
		break;
	case KMALLOC_BLOCK_LARGE:
		if (malloc_claim(malloc_first_page(ptr), ptr))
			break;
		fallthrough;
	default:
		malloc_bad_pointer("free", ptr, caller);
		return;
	}
	malloc_defer(ptr);
}

/*
 * free() on behalf of @caller, who is named if @ptr is bad: everything but a
 * kmalloc()ed block freed where kfree() may be called.
 */
static noinline void malloc_free_slow(void *ptr, const void *caller)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(ptr))
		return;
	if (malloc_is_vmalloc(ptr)) {
		malloc_free_vmalloc(ptr, caller);
		return;
	}
	page = malloc_pages_block(ptr);
	if (page) {
		if (!malloc_claim(page, ptr))
			malloc_bad_pointer("free", ptr, caller);
		else if (malloc_no_allocator())
			malloc_defer(ptr);
		else
			malloc_pages_trim(page, 0);
	} else if (malloc_no_allocator()) {
		malloc_free_later(ptr, caller);
	} else {
		malloc_bad_pointer("free", ptr, caller);
	}
}

/*
 * The fast path: kfree_block() checks and frees a kmalloc()ed block with
 * one lookup of its slab, and finds no block at NULL, ZERO_SIZE_PTR or a
 * vmalloc() address, which are outside the direct map.
 */
static __always_inline void malloc_free_from(void *ptr, const void *caller)
{
	/* kfree() is safe everywhere malloc_gfp() allows an allocation. */
	if (likely(!malloc_no_allocator()) &&
	    likely(kfree_block(ptr, malloc_mark_of(ptr), (unsigned long)caller) !=
		   KMALLOC_BLOCK_NONE))
		return;
	malloc_free_slow(ptr, caller);
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

/*
 * Finish moving a block: copy @n bytes of it to @new and free it. KASAN is
 * told to look away, as krealloc() does, since @n may cover a kmalloc()
 * object's slack after its requested size, which KASAN poisons.
 */
static void *malloc_move(void *new, void *ptr, size_t n, const void *caller)
{
	kasan_disable_current();
	memcpy(new, kasan_reset_tag(ptr), n);
	kasan_enable_current();
	malloc_free_from(ptr, caller);
	return new;
}

/* Move a block to a new one of @size bytes aligned to @align. */
static void *malloc_realloc_move(void *ptr, size_t old, size_t size,
				 size_t align, gfp_t gfp, int node, const void *caller)
{
	void *new = malloc_aligned(align, size, gfp, node, caller);

	return new ? malloc_move(new, ptr, min(old, size), caller) : NULL;
}

/* krealloc() of a kmalloc()ed block, moving its mark to what it returns. */
static void *malloc_krealloc(void *ptr, enum kmalloc_block kind, size_t size,
			     gfp_t gfp)
{
	void *new;

	if (kind == KMALLOC_BLOCK_LARGE)
		malloc_unmark(ptr);
	new = krealloc_noprof(ptr, size, malloc_kmalloc_gfp(size, gfp));
	malloc_mark_kmalloc(new ?: ptr);
	return new;
}

/* vrealloc() of a vmalloc()ed block that starts its area, likewise. */
static void *malloc_vrealloc(void *ptr, size_t size, gfp_t gfp)
{
	void *new;

	malloc_unmark(ptr);
	new = vrealloc_noprof(ptr, size, gfp);
	if (new && new != ptr)
		malloc_keep_area(new);
	malloc_mark(new ?: ptr);
	return new;
}

/*
 * Resize a vmalloc()ed block within its area where the vmap locks may not
 * be taken, as vrealloc() does in place, with the area its second page
 * keeps. NULL beyond the area, for a block of one page or a guarded one,
 * and for an alignment the block does not have: moving would need
 * vmalloc(). Only the block's owner reads or writes ->requested_size.
 */
static void *malloc_vrealloc_in_place(void *ptr, size_t size, size_t align, gfp_t gfp)
{
	struct vm_struct *area = malloc_kept_area(ptr);
	size_t old;

	if (!area || size > get_vm_area_size(area) ||
	    !IS_ALIGNED((unsigned long)ptr, align))
		return NULL;
	old = area->requested_size;
	/* Zero what the block gives up, as vrealloc() does. */
	if (size < old && (want_init_on_free() || want_init_on_alloc(gfp)))
		memset(ptr + size, 0, old - size);
	area->requested_size = size;
	kasan_vrealloc(ptr, old, size);
	return ptr;
}

/*
 * kmalloc()ed block to a new size. A block grows with krealloc() while
 * kmalloc() serves the new size here, and moves to where malloc() would put
 * it beyond. It shrinks in place, except that a page-backed block that
 * shrinks to half its size or less moves to a block of the new size, to
 * give its pages back, unless that fails.
 */
static void *malloc_realloc_kmalloc(void *ptr, enum kmalloc_block kind,
				    size_t size, gfp_t gfp, int node, const void *caller)
{
	size_t old = malloc_ksize(ptr, kind);
	void *new;

	if (size <= old) {
		if (kind == KMALLOC_BLOCK_LARGE && size <= old / 2) {
			new = malloc_gfp_noprof(size, gfp, node, caller);
			if (new)
				return malloc_move(new, ptr, size, caller);
		}
		return malloc_krealloc(ptr, kind, size, gfp);
	}
	if (size <= malloc_kmalloc_max(gfp)) {
		new = malloc_krealloc(ptr, kind, size, gfp);
		if (malloc_kmalloc_done(new, size, gfp))
			return new;
	}
	if (!gfpflags_allow_blocking(gfp))
		new = malloc_vmalloc_nowait(size, 1, gfp, node, caller);
	else
		new = malloc_large(size, gfp, node, caller);
	return new ? malloc_move(new, ptr, old, caller) : NULL;
}

/* vmalloc()ed block, starting its @area, to a new size. */
static void *malloc_realloc_vmalloc(void *ptr, struct vm_struct *area,
				    size_t size, gfp_t gfp, int node, const void *caller)
{
	void *new;

	/* Small again: move to kmalloc(); if that fails, shrink in place. */
	if (size <= MALLOC_KMALLOC_MAX && gfpflags_allow_blocking(gfp)) {
		new = malloc_kmalloc(size, gfp, node);
		if (new)
			return malloc_move(new, ptr, min(size, area->requested_size),
					   caller);
	}

	/*
	 * Without sleeping, vrealloc() resizes within the area only (it
	 * would vfree() the old one): beyond, the block moves, and the old
	 * area is freed later.
	 */
	if (!gfpflags_allow_blocking(gfp) && size > get_vm_area_size(area))
		return malloc_realloc_move(ptr, area->requested_size, size,
					   MALLOC_MIN_ALIGN, gfp, node, caller);
	if (unlikely(malloc_too_large(size)))
		return NULL;
	return malloc_vrealloc(ptr, size, gfp | __GFP_RETRY_MAYFAIL);
}

/*
 * Move a block to a new one aligned to @align, for alignments above
 * MALLOC_MIN_ALIGN, which krealloc() and vrealloc() do not keep when they
 * move a block. Blocks that are aligned already and fit stay in place,
 * unless a page-backed kmalloc()ed block shrinks to half or less.
 * @area is the block's vmalloc() area, NULL for a kmalloc()ed block.
 */
static void *malloc_realloc_aligned(void *ptr, struct vm_struct *area,
				    enum kmalloc_block kind, size_t size,
				    size_t align, gfp_t gfp, int node, const void *caller)
{
	bool aligned = IS_ALIGNED((unsigned long)ptr, align);
	size_t old;
	void *new;

	if (area) {
		if (aligned && size <= get_vm_area_size(area))
			return malloc_vrealloc(ptr, size, gfp);
		old = area->requested_size;
	} else {
		old = malloc_ksize(ptr, kind);
		if (aligned && size <= old &&
		    !(kind == KMALLOC_BLOCK_LARGE && size <= old / 2))
			return malloc_krealloc(ptr, kind, size, gfp);
	}

	new = malloc_aligned(align, size, gfp, node, caller);
	if (new)
		return malloc_move(new, ptr, min(old, size), caller);
	if (!area && aligned && size <= old)
		return malloc_krealloc(ptr, kind, size, gfp);
	return NULL;
}

/*
 * Page block, starting at @page, to a new size. It stays where it is while
 * the new size fits and its alignment holds, giving back the pages it no
 * longer needs, unless it is small enough for kmalloc() again; else it
 * moves.
 */
static void *malloc_realloc_pages(void *ptr, struct page *page, size_t size,
				  size_t align, gfp_t gfp, int node,
				  const void *caller)
{
	size_t old = malloc_pages_size(page);
	void *new;

	if (size <= old && IS_ALIGNED((unsigned long)ptr, align)) {
		if (size <= MALLOC_KMALLOC_MAX && gfpflags_allow_blocking(gfp)) {
			new = malloc_aligned(align, size, gfp, node, caller);
			if (new)
				return malloc_move(new, ptr, size, caller);
		}
		malloc_pages_trim(page, max(PAGE_ALIGN(size) >> PAGE_SHIFT, 2UL));
		return ptr;
	}
	new = malloc_aligned(align, size, gfp, node, caller);
	return new ? malloc_move(new, ptr, min(old, size), caller) : NULL;
}

static void *malloc_realloc(void *ptr, size_t size, size_t align, gfp_t gfp,
			    int node, const void *caller)
{
	enum kmalloc_block kind = KMALLOC_BLOCK_NONE;
	struct vm_struct *area = NULL;

	if (ZERO_OR_NULL_PTR(ptr))
		return malloc_aligned(align, size, gfp, node, caller);
	if (unlikely(!size)) {
		malloc_free_from(ptr, caller);
		return ZERO_SIZE_PTR;
	}
	if (malloc_is_vmalloc(ptr)) {
		if (unlikely(!malloc_marked(malloc_first_page(ptr), ptr)))
			goto bad;
		if (unlikely(!gfp))
			return NULL;
		if (!malloc_vmap_ok(gfp))
			return malloc_vrealloc_in_place(ptr, size, align, gfp);
		area = find_vm_area(ptr);
		if (WARN_ON_ONCE(!area))
			return NULL;
		if (kasan_reset_tag(area->addr) != kasan_reset_tag(ptr))
			/* Guarded: its end cannot move within its area. */
			return malloc_realloc_move(ptr, area->requested_size,
						   size, align, gfp, node, caller);
	} else {
		kind = malloc_kmalloc_kind(ptr);
		if (unlikely(kind == KMALLOC_BLOCK_NONE)) {
			struct page *page = malloc_pages_block(ptr);

			if (unlikely(!page))
				goto bad;
			if (unlikely(!gfp))
				return NULL;
			return malloc_realloc_pages(ptr, page, size, align, gfp,
						    node, caller);
		}
		if (unlikely(!gfp))
			return NULL;
	}
	if (align > MALLOC_MIN_ALIGN)
		return malloc_realloc_aligned(ptr, area, kind, size, align, gfp,
					      node, caller);
	if (area)
		return malloc_realloc_vmalloc(ptr, area, size, gfp, node, caller);
	return malloc_realloc_kmalloc(ptr, kind, size, gfp, node, caller);

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
 * Context: As malloc(). Where the vmap locks may not be taken (interrupts
 * or bottom halves disabled, hardirq, softirq), a vmalloc()-backed block
 * is resized only within its area, and not at all if it is one page or
 * guarded: beyond, %NULL. In NMI, and on PREEMPT_RT where preemption or
 * interrupts are disabled, no block can be resized: %NULL.
 *
 * Return: a pointer to the resized block, which may differ from @ptr;
 * %ZERO_SIZE_PTR if @size is 0; %NULL on failure, in which case the block
 * at @ptr is unchanged and still owned by the caller.
 */
void *realloc_noprof(void *ptr, size_t size)
{
	return malloc_realloc(ptr, size, MALLOC_MIN_ALIGN, malloc_gfp(),
			      NUMA_NO_NODE, __builtin_return_address(0));
}
EXPORT_SYMBOL(realloc_noprof);

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
void *realloc_account_noprof(void *ptr, size_t size)
{
	return malloc_realloc(ptr, size, MALLOC_MIN_ALIGN,
			      malloc_gfp_add(malloc_gfp(), __GFP_ACCOUNT),
			      NUMA_NO_NODE, __builtin_return_address(0));
}
EXPORT_SYMBOL(realloc_account_noprof);

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
	return malloc_realloc(ptr, bytes, MALLOC_MIN_ALIGN, malloc_gfp(),
			      NUMA_NO_NODE, __builtin_return_address(0));
}
EXPORT_SYMBOL(reallocarray_noprof);

/* What callers may narrow, and what they may add. */
#define MALLOC_GFP_NARROW	(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define MALLOC_GFP_ADD		(__GFP_ZERO | __GFP_NOWARN | __GFP_HIGH | __GFP_ACCOUNT)

/**
 * __malloc_realloc_gfp - realloc() for allocators that take GFP flags
 * @ptr: block from the malloc() family, %NULL or %ZERO_SIZE_PTR
 * @old_size: the size @ptr was last allocated or resized to; ignored if
 *            @ptr is %NULL or %ZERO_SIZE_PTR
 * @size: the new size in bytes
 * @align: alignment of the block, a power of two up to %MALLOC_MAX_ALIGN
 * @flags: GFP flags of the caller
 * @node: the NUMA node a new block is preferably taken from, or
 *        %NUMA_NO_NODE
 * @caller: the caller, named in a bad-pointer report and recorded as the
 *          caller of vmalloc()
 *
 * The entry point for allocators layered on the family, such as Rust's
 * ``Malloc``, which call it as malloc_realloc_gfp() or, through a wrapper
 * of their own, pass their caller's address. Like realloc(), with the
 * result aligned to @align even when the block moves, and with the flags
 * the calling context allows narrowed by @flags: reclaim, IO and FS are
 * used only if both allow them, so the result is never more permissive
 * than the context. %__GFP_NOWARN, %__GFP_HIGH and %__GFP_ACCOUNT in
 * @flags are honoured, and %__GFP_ZERO zeroes a new block, and the bytes
 * from @old_size to @size of a block that grows, in place or not; the
 * other flags are ignored. @node applies where a new block is allocated;
 * krealloc() and vrealloc() move a block without regard to it.
 *
 * Context: As realloc().
 *
 * Return: as realloc(); also %NULL if @align is invalid.
 */
void *__malloc_realloc_gfp_noprof(void *ptr, size_t old_size, size_t size,
				  size_t align, gfp_t flags, int node,
				  const void *caller)
{
	bool grow_zeroed = (flags & __GFP_ZERO) && !ZERO_OR_NULL_PTR(ptr);
	gfp_t gfp = malloc_gfp();
	void *new;

	if (unlikely(!is_power_of_2(align) || align > MALLOC_MAX_ALIGN))
		return NULL;
	if (gfp)
		gfp = (gfp & ~MALLOC_GFP_NARROW) | (gfp & flags & MALLOC_GFP_NARROW) |
		      (flags & MALLOC_GFP_ADD);
	/* A block that grows is zeroed past @old_size below, not whole. */
	if (grow_zeroed)
		gfp &= ~__GFP_ZERO;
	new = malloc_realloc(ptr, size, align, gfp, node, caller);
	if (grow_zeroed && !ZERO_OR_NULL_PTR(new) && size > old_size)
		memset(new + old_size, 0, size - old_size);
	return new;
}
EXPORT_SYMBOL(__malloc_realloc_gfp_noprof);

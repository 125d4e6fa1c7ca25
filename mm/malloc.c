// SPDX-License-Identifier: GPL-2.0
/*
 * The C library's allocation interface for kernel code.
 *
 * Blocks come from kmalloc(), kmalloc_nolock() where no lock may be taken,
 * or vmalloc(); the GFP flags follow from the calling context. free() and
 * realloc() tell the family's blocks from anything else by what the kernel
 * already records: the slab of a kmalloc cache, the large kmalloc page
 * type, and the flags and caller of a vmalloc() area. The policy and its
 * reasons are in Documentation/core-api/malloc.rst.
 */

#include <linux/export.h>
#include <linux/hardirq.h>
#include <linux/irq_work.h>
#include <linux/jump_label.h>
#include <linux/kasan.h>
#include <linux/kfence.h>
#include <linux/kstrtox.h>
#include <linux/llist.h>
#include <linux/log2.h>
#include <linux/malloc.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/poison.h>
#include <linux/ratelimit.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
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
 * or 0 where only kmalloc_nolock() serves.
 *
 * Return: the GFP flags.
 */
gfp_t malloc_context_gfp(void)
{
	return current_gfp_context(malloc_gfp());
}
EXPORT_SYMBOL_IF_KUNIT(malloc_context_gfp);
#endif

#ifdef CONFIG_PROVE_RAW_LOCK_NESTING
/**
 * malloc_spin_only - whether lockdep sees a context that may only spin
 *
 * On PREEMPT_RT a raw_spinlock_t section disables preemption, and so does
 * a hardirq handler that is not threaded (a hard hrtimer, a hard
 * irq_work), so malloc_gfp() sees them and takes no lock that sleeps
 * there. Elsewhere only lockdep sees them, and with
 * CONFIG_PROVE_RAW_LOCK_NESTING reports the spinlock_t of an allocator
 * taken inside as an invalid wait context. Where lockdep keeps that count,
 * the family takes it into account, as lockdep's task_wait_context() and
 * its held locks do, so that a debug kernel allocates as PREEMPT_RT will.
 *
 * Return: true in a hardirq that PREEMPT_RT would not thread, or if the
 * current task holds a lock whose section may only spin.
 */
bool malloc_spin_only(void)
{
	struct task_struct *curr = current;
	int i;

	if (lockdep_hardirq_context() && !curr->hardirq_threaded && !curr->irq_config)
		return true;
	for (i = 0; i < curr->lockdep_depth; i++)
		if (curr->held_locks[i].instance->wait_type_inner == LD_WAIT_SPIN)
			return true;
	return false;
}
EXPORT_SYMBOL(malloc_spin_only);
#endif

/*
 * Where no lock may be taken (malloc_gfp() returned no reclaim flag): NMI,
 * on PREEMPT_RT where preemption or interrupts are disabled, and under a
 * raw_spinlock_t that lockdep sees.
 * kmalloc_nolock() serves there, with the only flags it takes.
 */
#define MALLOC_NOLOCK_FLAGS	(__GFP_ZERO | __GFP_ACCOUNT | __GFP_NOWARN)

static __always_inline bool malloc_nolock(gfp_t gfp)
{
	return !(gfp & __GFP_RECLAIM);
}

/*
 * Whether the vmap locks may be taken here. vmalloc(), vfree() and
 * find_vm_area() take them with interrupts and bottom halves enabled, so
 * taking them where either is disabled, or in an interrupt, could invert
 * the order against a lock the caller holds that an interrupt handler also
 * takes; and vmalloc() BUGs in hardirq and NMI. Where both are enabled
 * outside interrupts, no lock the caller holds is taken by an interrupt
 * handler (lockdep reports a lock that is held with interrupts enabled and
 * taken in one). softirq_count() sees local_bh_disable() on PREEMPT_RT too.
 */
static __always_inline bool malloc_vmap_ok(gfp_t gfp)
{
	return !malloc_nolock(gfp) && !irqs_disabled() && !irq_count();
}

/*
 * @gfp for a kmalloc() of @size: above the kmalloc caches, no allocation
 * failure warning and no hard retrying where vmalloc() can take over, as
 * kvmalloc() does.
 */
static __always_inline gfp_t malloc_kmalloc_gfp(size_t size, gfp_t gfp)
{
	if (size <= MALLOC_KMALLOC_MAX)
		return gfp;
	gfp |= __GFP_NOWARN;
	if (gfpflags_allow_blocking(gfp))
		gfp |= __GFP_NORETRY;
	return gfp;
}

/* More than the machine has: fail at once, without a warning or the OOM killer. */
static __always_inline bool malloc_too_large(size_t size)
{
	return (size >> PAGE_SHIFT) >= totalram_pages();
}

/*
 * The largest block vmalloc() serves a caller that may not sleep. Its pages
 * are allocated, mapped and, for calloc(), zeroed with preemption disabled,
 * at a cost that grows with the size (Documentation/core-api/malloc.rst
 * gives the figures): beyond this, the family fails at once with NULL
 * instead of holding the CPU. kmalloc() serves such a caller up to
 * MALLOC_ATOMIC_MAX whatever this is. malloc.atomic_max= sets it, in bytes
 * with an optional K, M or G suffix; 0 restores the default.
 */
static unsigned long malloc_atomic_max __read_mostly = MALLOC_ATOMIC_VMALLOC_MAX;

static int malloc_atomic_max_set(const char *val, const struct kernel_param *kp)
{
	char *end;
	unsigned long long bytes = memparse(val, &end);

	if (end == val || (*end && *end != '\n'))
		return -EINVAL;
	WRITE_ONCE(malloc_atomic_max, bytes ?: MALLOC_ATOMIC_VMALLOC_MAX);
	return 0;
}

static const struct kernel_param_ops malloc_atomic_max_ops = {
	.set = malloc_atomic_max_set,
	.get = param_get_ulong,
};

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "malloc."
module_param_cb(atomic_max, &malloc_atomic_max_ops, &malloc_atomic_max, 0644);
MODULE_PARM_DESC(atomic_max, "largest block vmalloc() serves where the caller may not sleep");

/*
 * Whether free() checks a pointer into the linear map before kfree() takes
 * it (malloc_is_kmalloc()): on with CONFIG_MALLOC_CHECK_DEFAULT_ON, and
 * set by malloc.check= at boot or at run time. Off, free() trusts such a
 * pointer as kfree() and kvfree() do. Pointers into the vmalloc range, and
 * every pointer freed where kfree() may not be called, are checked either
 * way. Documentation/core-api/malloc.rst gives the cost of each check.
 */
#ifdef CONFIG_MALLOC_CHECK_DEFAULT_ON
DEFINE_STATIC_KEY_TRUE(malloc_check);
#else
DEFINE_STATIC_KEY_FALSE(malloc_check);
#endif
EXPORT_SYMBOL(malloc_check);

/*
 * free()'s inline path hands kfree() a pointer in [PAGE_OFFSET, high_memory)
 * while malloc.check= is off, so no vmalloc() address may lie there. No
 * architecture puts its vmalloc range inside the linear map; should one,
 * free() checks every pointer from early boot on.
 */
static int __init malloc_check_layout(void)
{
	if (WARN_ON(VMALLOC_START < (unsigned long)high_memory &&
		    VMALLOC_END > PAGE_OFFSET))
		static_branch_enable(&malloc_check);
	return 0;
}
early_initcall(malloc_check_layout);

static int malloc_check_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret = kstrtobool(val, &on);

	if (ret)
		return ret;
	if (on)
		static_branch_enable(&malloc_check);
	else
		static_branch_disable(&malloc_check);
	return 0;
}

static int malloc_check_get(char *buf, const struct kernel_param *kp)
{
	return sprintf(buf, "%c\n", static_key_enabled(&malloc_check) ? 'Y' : 'N');
}

VISIBLE_IF_KUNIT const struct kernel_param_ops malloc_check_ops = {
	.set = malloc_check_set,
	.get = malloc_check_get,
};
EXPORT_SYMBOL_IF_KUNIT(malloc_check_ops);

module_param_cb(check, &malloc_check_ops, NULL, 0644);
MODULE_PARM_DESC(check, "check every pointer free() is given, not only those kfree() may not take");

/*
 * The family's vmalloc() areas are the VM_ALLOC areas whose recorded
 * caller is this function: /proc/vmallocinfo names it, and free() and
 * realloc() check it. Allocation profiling still names the caller of
 * malloc().
 *
 * Large blocks never invoke the OOM killer: __GFP_RETRY_MAYFAIL reclaims
 * as hard as GFP_KERNEL but fails instead of killing other tasks. Where
 * the caller may not sleep, the area, its pages and its page tables come
 * without reclaim (vmalloc() supports GFP_NOWAIT and GFP_ATOMIC), and only
 * where the vmap locks may be taken. Huge mappings only where it may
 * sleep, as kvmalloc() does.
 */
static noinline void *malloc_vmalloc(size_t size, size_t align, gfp_t gfp, int node)
{
	bool block = gfpflags_allow_blocking(gfp);

	if (unlikely(malloc_too_large(size)) || !malloc_vmap_ok(gfp) ||
	    (!block && size > READ_ONCE(malloc_atomic_max)))
		return NULL;
	return __vmalloc_node_range_noprof(size, align, VMALLOC_START, VMALLOC_END,
					   gfp | (block ? __GFP_RETRY_MAYFAIL : __GFP_NOWARN),
					   PAGE_KERNEL, block ? VM_ALLOW_HUGE_VMAP : 0,
					   node, malloc_vmalloc);
}

/*
 * The area of the family's vmalloc()ed block at @ptr, or NULL if @ptr is
 * not where one starts. Takes the vmap locks: only where malloc_vmap_ok().
 */
static struct vm_struct *malloc_area(const void *ptr)
{
	struct vm_struct *area = find_vm_area(ptr);

	if (!area || kasan_reset_tag(area->addr) != kasan_reset_tag(ptr) ||
	    !(area->flags & VM_ALLOC) || area->caller != malloc_vmalloc)
		return NULL;
	return area;
}

/*
 * The steps of the check that a kmalloc()ed block starts at @ptr, in the
 * order malloc_is_kmalloc() takes them; lib/malloc_bench.c times each.
 */
enum malloc_check_step {
	MALLOC_CHECK_LINEAR = 1,	/* in the linear map */
	MALLOC_CHECK_OWNER,		/* a kmalloc slab or large block */
	MALLOC_CHECK_START,		/* where an object starts */
};

static __always_inline bool malloc_is_kmalloc_steps(const void *ptr,
						    enum malloc_check_step steps)
{
	void *p = kasan_reset_tag(ptr);
	struct page *page;
	struct slab *slab;

	if (!virt_addr_valid(p))
		return false;
	if (steps < MALLOC_CHECK_OWNER)
		return true;
	page = virt_to_page(p);
	if (PageLargeKmalloc(page))
		return p == page_address(page);
	slab = page_slab(page);
	if (!slab || !(slab->slab_cache->flags & SLAB_KMALLOC))
		return false;
	if (steps < MALLOC_CHECK_START)
		return true;
	if (is_kfence_address(p))
		return kfence_object_start(p) == p;
	return nearest_obj(slab->slab_cache, slab, p) == p;
}

/*
 * Whether a kmalloc()ed block starts at @ptr: an object of a kmalloc cache
 * (KFENCE's included), or a large kmalloc() block. Lock-free, from the
 * page type and the slab, so it works in any context; kfree() takes any
 * such block, whoever allocated it.
 */
static bool malloc_is_kmalloc(const void *ptr)
{
	return malloc_is_kmalloc_steps(ptr, MALLOC_CHECK_START);
}

#if IS_ENABLED(CONFIG_MALLOC_BENCH)
/**
 * malloc_bench_check - the first steps of free()'s pointer check
 * @ptr: a pointer
 * @steps: how many steps to take: 0 returns at once (the cost of the call),
 *         1 checks the linear map, 2 the owner as well, 3 the object start
 *
 * For lib/malloc_bench.c, which times free()'s checks one step at a time.
 *
 * Return: whether @ptr passed the steps taken.
 */
bool malloc_bench_check(const void *ptr, int steps)
{
	switch (steps) {
	case MALLOC_CHECK_LINEAR:
		return malloc_is_kmalloc_steps(ptr, MALLOC_CHECK_LINEAR);
	case MALLOC_CHECK_OWNER:
		return malloc_is_kmalloc_steps(ptr, MALLOC_CHECK_OWNER);
	case MALLOC_CHECK_START:
		return malloc_is_kmalloc_steps(ptr, MALLOC_CHECK_START);
	default:
		return true;
	}
}
EXPORT_SYMBOL_FOR_MODULES(malloc_bench_check, "malloc_bench");
#endif

#if IS_ENABLED(CONFIG_MALLOC_KUNIT_TEST)
/*
 * For tests: 2 takes sizes above MALLOC_KMALLOC_MAX that are not a power of
 * two of pages from vmalloc() where the caller may sleep, for
 * vmalloc()-backed blocks of known sizes; 0, the default, kmalloc() first.
 */
static int malloc_large_on;
int *malloc_large_param = &malloc_large_on;
EXPORT_SYMBOL_IF_KUNIT(malloc_large_param);
unsigned long *malloc_atomic_max_param = &malloc_atomic_max;
EXPORT_SYMBOL_IF_KUNIT(malloc_atomic_max_param);

static bool malloc_test_vmalloc(size_t size, gfp_t gfp)
{
	return READ_ONCE(malloc_large_on) == 2 && size > MALLOC_KMALLOC_MAX &&
	       !is_power_of_2(PAGE_ALIGN(size)) && gfpflags_allow_blocking(gfp);
}
#else
static inline bool malloc_test_vmalloc(size_t size, gfp_t gfp)
{
	return false;
}
#endif

/*
 * A block of @size bytes aligned to @align, a power of two: from kmalloc(),
 * and where kmalloc() fails above a page, and beyond KMALLOC_MAX_SIZE, from
 * vmalloc().
 */
static void *malloc_alloc(size_t size, size_t align, gfp_t gfp, int node,
			  kmalloc_token_t token)
{
	size_t bytes = size;
	void *p;

	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	/*
	 * A kmalloc cache aligns a power-of-two size to itself; above the
	 * caches, the pages of a large block are aligned to their order.
	 */
	if (align > MALLOC_MIN_ALIGN) {
		bytes = max(size, align);
		if (bytes <= MALLOC_KMALLOC_MAX)
			bytes = roundup_pow_of_two(bytes);
	}
	if (malloc_nolock(gfp)) {
		if (bytes > MALLOC_KMALLOC_MAX)
			return NULL;
		return _kmalloc_nolock_noprof(PASS_TOKEN_PARAMS(bytes, token),
					      gfp & MALLOC_NOLOCK_FLAGS, node);
	}
	if (bytes <= KMALLOC_MAX_SIZE && !malloc_test_vmalloc(bytes, gfp)) {
		p = __kmalloc_node_noprof(PASS_KMALLOC_PARAMS(bytes, NULL, token),
					  malloc_kmalloc_gfp(bytes, gfp), node);
		if (p || bytes <= PAGE_SIZE)
			return p;
	}
	return malloc_vmalloc(size, align, gfp, node);
}

/*
 * The out-of-line malloc() and calloc(), documented in <linux/malloc.h>:
 * runtime sizes, constant sizes that kmalloc() does not serve, and callers
 * that may not sleep.
 */
void *_malloc_noprof(DECL_TOKEN_PARAMS(size, token))
{
	gfp_t gfp = malloc_gfp();

	/*
	 * The common case, a tail call of kmalloc(). Above a page, where
	 * vmalloc() takes over if kmalloc() fails, malloc_alloc() serves.
	 * Inlining this into malloc() would make GCC's -Wmismatched-dealloc
	 * lose track of blocks that come from one of two calls.
	 */
	if (likely(gfp == GFP_KERNEL && size <= PAGE_SIZE))
		return __kmalloc_noprof(PASS_TOKEN_PARAMS(size, token), GFP_KERNEL);
	return malloc_alloc(size, MALLOC_MIN_ALIGN, gfp, NUMA_NO_NODE,
			    PASS_TOKEN_PARAM(token));
}
EXPORT_SYMBOL(_malloc_noprof);

static void *malloc_calloc(size_t nmemb, size_t size, gfp_t gfp,
			   kmalloc_token_t token)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(nmemb, size, &bytes)))
		return NULL;
	return malloc_alloc(bytes, MALLOC_MIN_ALIGN, gfp | __GFP_ZERO,
			    NUMA_NO_NODE, token);
}

void *_calloc_noprof(size_t nmemb, DECL_TOKEN_PARAMS(size, token))
{
	gfp_t gfp = malloc_gfp();
	size_t bytes;

	/* As _malloc_noprof(); an overflowing product is not small. */
	if (likely(gfp == GFP_KERNEL && !check_mul_overflow(nmemb, size, &bytes) &&
		   bytes <= PAGE_SIZE))
		return __kmalloc_noprof(PASS_TOKEN_PARAMS(bytes, token),
					GFP_KERNEL | __GFP_ZERO);
	return malloc_calloc(nmemb, size, gfp, PASS_TOKEN_PARAM(token));
}
EXPORT_SYMBOL(_calloc_noprof);

/* malloc_account(), documented in <linux/malloc.h>. */
void *_malloc_account_noprof(DECL_TOKEN_PARAMS(size, token))
{
	return malloc_alloc(size, MALLOC_MIN_ALIGN, malloc_gfp() | __GFP_ACCOUNT,
			    NUMA_NO_NODE, PASS_TOKEN_PARAM(token));
}
EXPORT_SYMBOL(_malloc_account_noprof);

/* calloc_account(), documented in <linux/malloc.h>. */
void *_calloc_account_noprof(size_t nmemb, DECL_TOKEN_PARAMS(size, token))
{
	return malloc_calloc(nmemb, size, malloc_gfp() | __GFP_ACCOUNT,
			     PASS_TOKEN_PARAM(token));
}
EXPORT_SYMBOL(_calloc_account_noprof);

/* aligned_alloc(), documented in <linux/malloc.h>. */
void *_aligned_alloc_noprof(size_t alignment, DECL_TOKEN_PARAMS(size, token))
{
	if (unlikely(!is_power_of_2(alignment) || alignment > MALLOC_MAX_ALIGN))
		return NULL;
	return malloc_alloc(size, alignment, malloc_gfp(), NUMA_NO_NODE,
			    PASS_TOKEN_PARAM(token));
}
EXPORT_SYMBOL(_aligned_alloc_noprof);

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
 * Deferred frees, for what mainline has no primitive for: a kmalloc()ed
 * block where kfree() may not be called (where no lock may be taken), and
 * a vmalloc() address where the vmap locks may not be taken (interrupts or
 * bottom halves disabled, any interrupt), so that neither its area can be
 * looked up nor vfree_atomic() called: that queues work, which takes the
 * workqueue pool's lock and may wake a worker, and the caller may hold the
 * scheduler's locks.
 *
 * Each CPU has two lists, and the first entry on an empty one kicks that
 * CPU's irq_work, which is lock-free and NMI-safe; the irq_work queues the
 * work that frees everything in process context. Nothing is written into
 * memory before it is known to be a live block of the family:
 *
 *  - A kmalloc()ed block is checked to start an object of a kmalloc cache,
 *    and under KASAN to be live (not in the quarantine, not freed), and
 *    waits linked through its first word.
 *  - A vmalloc() address cannot be checked here, so it waits in a node of
 *    its own from kmalloc_nolock(), or where that gives up (an NMI that
 *    interrupted the slab allocator) or may not be called (PREEMPT_RT with
 *    preemption disabled), in one of MALLOC_VSLOTS slots of the CPU; the
 *    worker checks its area. Only when
 *    those are taken too is it linked through its first word, as
 *    vfree_atomic() links every block, and then only if a page of RAM is
 *    mapped there.
 */
struct malloc_vnode {
	struct llist_node link;
	void *addr;
};

#define MALLOC_VSLOTS	16

struct malloc_deferred {
	struct llist_head blocks;
	struct llist_head vnodes;
	void *vslots[MALLOC_VSLOTS];
	struct irq_work kick;
};

static void malloc_free_deferred(struct work_struct *work);
static void malloc_kick_deferred(struct irq_work *work);

static DEFINE_PER_CPU(struct malloc_deferred, malloc_deferred) = {
	.kick = IRQ_WORK_INIT(malloc_kick_deferred),
};

static DECLARE_WORK(malloc_deferred_work, malloc_free_deferred);

static void malloc_kick_deferred(struct irq_work *work)
{
	queue_work(system_dfl_wq, &malloc_deferred_work);
}

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

static void malloc_kick(struct malloc_deferred *d, bool first)
{
	malloc_count_deferred();
	if (first)
		irq_work_queue(&d->kick);
}

/* Queue @block, which the caller may no longer touch, linked through it. */
static void malloc_defer(void *block)
{
	struct malloc_deferred *d = raw_cpu_ptr(&malloc_deferred);
	struct llist_node *first = READ_ONCE(d->blocks.first);

	do {
		malloc_set_link(block, (unsigned long)first);
	} while (!try_cmpxchg(&d->blocks.first, &first, (struct llist_node *)block));
	malloc_kick(d, !first);
}

/*
 * Queue the kmalloc()ed block at @ptr. KASAN knows whether it is live: a
 * block already freed (in the quarantine, whose link is its first word, or
 * reused) is reported by KASAN as the access it would be, and left alone.
 */
static void malloc_defer_kmalloc(void *ptr)
{
	if (!kasan_check_byte(ptr))
		return;
	malloc_defer(ptr);
}

/*
 * Queue the vmalloc() address @ptr, in a node where kmalloc_nolock() gives
 * one. @caller is named if it cannot be a block.
 */
static void malloc_defer_vmalloc(void *ptr, const void *caller)
{
	struct malloc_deferred *d = raw_cpu_ptr(&malloc_deferred);
	struct malloc_vnode *n;
	struct page *page;
	unsigned int i;
	void *none;

	/*
	 * On PREEMPT_RT, kmalloc_nolock() takes the wait_lock of an rt_mutex
	 * even to try it, which may not nest inside a raw spinlock such as
	 * the runqueue lock.
	 */
	n = NULL;
	if (!IS_ENABLED(CONFIG_PREEMPT_RT) || preemptible())
		n = kmalloc_nolock(sizeof(*n), __GFP_NOWARN, NUMA_NO_NODE);
	if (likely(n)) {
		n->addr = ptr;
		malloc_kick(d, llist_add(&n->link, &d->vnodes));
		return;
	}
	for (i = 0; i < MALLOC_VSLOTS; i++) {
		none = NULL;
		if (!READ_ONCE(d->vslots[i]) && try_cmpxchg(&d->vslots[i], &none, ptr)) {
			malloc_kick(d, true);
			return;
		}
	}
	page = PAGE_ALIGNED(ptr) ? vmalloc_to_page(ptr) : NULL;
	if (unlikely(!page || !pfn_valid(page_to_pfn(page))))
		malloc_bad_pointer("free", ptr, caller);
	else
		malloc_defer(ptr);
}

static void malloc_release(void *block)
{
	if (is_vmalloc_addr(block)) {
		if (malloc_area(block))
			vfree(block);
		else
			malloc_bad_pointer("free", block, NULL);
	} else {
		if (!folio_test_large_kmalloc(virt_to_folio(kasan_reset_tag(block))))
			malloc_unlink(block);
		kfree(block);
	}
	malloc_count_released();
}

/*
 * Take every CPU's lists, then free what is on them. A block on the lists
 * twice (free() called twice on an object of a kmalloc cache, where
 * deferring) would link them into a loop or into each other: the first
 * pass marks each block it walks and cuts a list where it reaches a
 * marked block, so each block is freed once and the double free reported.
 * Blocks the second push cut off may leak. A vmalloc() address in two
 * nodes is freed once and then reported, as its area is gone. A work item
 * does not run on two CPUs at once.
 */
static void malloc_free_deferred(struct work_struct *work)
{
	void *all = NULL, *first, *block, *tail;
	struct malloc_vnode *n, *next_n;
	struct llist_node *vnodes;
	unsigned long next;
	unsigned int nr = 0, i;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct malloc_deferred *d = per_cpu_ptr(&malloc_deferred, cpu);

		for (i = 0; i < MALLOC_VSLOTS; i++) {
			block = xchg(&d->vslots[i], NULL);
			if (block)
				malloc_release(block);
		}
		vnodes = llist_del_all(&d->vnodes);
		llist_for_each_entry_safe(n, next_n, vnodes, link) {
			malloc_release(n->addr);
			kfree(n);
			if (!(++nr % 64))
				cond_resched();
		}

		first = llist_del_all(&d->blocks);
		tail = NULL;
		for (block = first; block; block = (void *)next) {
			next = malloc_link(block);
			if (next & 1) {
				malloc_bad_pointer("free", block, NULL);
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
		if (!(++nr % 64))
			cond_resched();
	}
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
	flush_work(&malloc_deferred_work);
}
EXPORT_SYMBOL_IF_KUNIT(malloc_flush_deferred);
#endif

/*
 * free() of a vmalloc() address. Where the vmap locks may be taken, its
 * area is checked and freed, with vfree_atomic() where the caller may not
 * sleep (interrupts are enabled there, so the caller holds none of the
 * scheduler's locks). Elsewhere it is deferred, for the worker to check.
 */
static noinline void malloc_free_vmalloc(void *ptr, const void *caller)
{
	gfp_t gfp = malloc_gfp();

	if (!malloc_vmap_ok(gfp)) {
		malloc_defer_vmalloc(ptr, caller);
		return;
	}
	if (unlikely(!malloc_area(ptr)))
		malloc_bad_pointer("free", ptr, caller);
	else if (gfpflags_allow_blocking(gfp))
		vfree(ptr);
	else
		vfree_atomic(ptr);
}

/* free() on behalf of @caller, who is named if @ptr is bad. */
static void malloc_free_from(void *ptr, const void *caller)
{
	if (unlikely(ZERO_OR_NULL_PTR(ptr)))
		return;
	if (unlikely(is_vmalloc_addr(ptr))) {
		malloc_free_vmalloc(ptr, caller);
		return;
	}
	if (unlikely(!malloc_is_kmalloc(ptr)))
		malloc_bad_pointer("free", ptr, caller);
	else if (likely(malloc_kfree_ok()))
		kfree(ptr);
	else
		malloc_defer_kmalloc(ptr);
}

/**
 * malloc_free - free() under its link-level name
 * @ptr: as for free()
 *
 * What free() calls for the pointers it does not hand to kfree() itself:
 * all of them where malloc.check= is on, vmalloc() addresses, and any
 * pointer where kfree() may not be called. A pointer that is not where a
 * block of the family starts gets a rate-limited warning naming the
 * caller, and is not freed.
 */
void malloc_free(void *ptr)
{
	malloc_free_from(ptr, __builtin_return_address(0));
}
EXPORT_SYMBOL(malloc_free);

/*
 * Finish moving the block at @ptr to @new, if there is one: copy @n bytes
 * and free the old block. KASAN is told to look away while copying, as
 * krealloc() does: @n may cover a kmalloc() object's slack after its
 * requested size, which KASAN poisons.
 */
static void *malloc_moved(void *new, void *ptr, size_t n, const void *caller)
{
	if (!new)
		return NULL;
	kasan_disable_current();
	memcpy(new, kasan_reset_tag(ptr), n);
	kasan_enable_current();
	malloc_free_from(ptr, caller);
	return new;
}

/*
 * Move the block at @ptr, whose first @old bytes are in use, to a new one
 * of @size bytes aligned to @align.
 */
static void *malloc_move(void *ptr, size_t old, size_t size, size_t align,
			 gfp_t gfp, int node, const void *caller,
			 kmalloc_token_t token)
{
	return malloc_moved(malloc_alloc(size, align, gfp, node, token), ptr,
			    min(old, size), caller);
}

/*
 * A kmalloc()ed block to a new size. krealloc() resizes it while kmalloc()
 * serves the new size, in place where it fits, except that a block above
 * the kmalloc caches that shrinks to half its size or less moves to give
 * its pages back, unless that fails. Beyond, where krealloc() fails above a
 * page, and for an alignment krealloc() does not keep, it moves.
 */
static void *malloc_realloc_kmalloc(void *ptr, size_t size, size_t align,
				    gfp_t gfp, int node, const void *caller,
				    kmalloc_token_t token)
{
	size_t old = ksize(ptr);
	bool aligned = IS_ALIGNED((unsigned long)ptr, align);
	void *new;

	if (size <= old && aligned) {
		if (old > MALLOC_KMALLOC_MAX && size <= old / 2) {
			new = malloc_move(ptr, old, size, align, gfp, node, caller, token);
			if (new)
				return new;
		}
	} else if (size > KMALLOC_MAX_SIZE || align > MALLOC_MIN_ALIGN ||
		   malloc_test_vmalloc(size, gfp)) {
		return malloc_move(ptr, old, size, align, gfp, node, caller, token);
	}
	new = krealloc_node_align_noprof(ptr, PASS_TOKEN_PARAMS(size, token), 1,
					 malloc_kmalloc_gfp(size, gfp), node);
	if (new || size <= PAGE_SIZE)
		return new;
	return malloc_moved(malloc_vmalloc(size, align, gfp, node), ptr, old, caller);
}

/*
 * A vmalloc()ed block, starting @area, to a new size: in place where the
 * area's pages hold it (vrealloc() does that without allocating), unless
 * it is small enough for kmalloc() again where the caller may sleep; else
 * it moves.
 */
static void *malloc_realloc_vmalloc(void *ptr, struct vm_struct *area,
				    size_t size, size_t align, gfp_t gfp, int node,
				    const void *caller, kmalloc_token_t token)
{
	size_t old = area->requested_size;
	bool in_place = size <= (area->nr_pages << PAGE_SHIFT) &&
			IS_ALIGNED((unsigned long)ptr, align);
	void *new;

	if (in_place && !(size <= MALLOC_KMALLOC_MAX && gfpflags_allow_blocking(gfp)))
		return vrealloc_node_align_noprof(ptr, size, 1, gfp, node);
	new = malloc_move(ptr, old, size, align, gfp, node, caller, token);
	if (!new && in_place)
		return vrealloc_node_align_noprof(ptr, size, 1, gfp, node);
	return new;
}

static void *malloc_realloc(void *ptr, size_t size, size_t align, gfp_t gfp,
			    int node, const void *caller, kmalloc_token_t token)
{
	struct vm_struct *area;

	if (ZERO_OR_NULL_PTR(ptr))
		return malloc_alloc(size, align, gfp, node, token);
	if (unlikely(!size)) {
		malloc_free_from(ptr, caller);
		return ZERO_SIZE_PTR;
	}
	if (is_vmalloc_addr(ptr)) {
		/* Finding the area takes the vmap locks. */
		if (!malloc_vmap_ok(gfp))
			return NULL;
		area = malloc_area(ptr);
		if (unlikely(!area))
			goto bad;
		return malloc_realloc_vmalloc(ptr, area, size, align, gfp, node,
					      caller, token);
	}
	if (unlikely(!malloc_is_kmalloc(ptr)))
		goto bad;
	/* krealloc() may allocate and free with locks. */
	if (malloc_nolock(gfp))
		return NULL;
	return malloc_realloc_kmalloc(ptr, size, align, gfp, node, caller, token);

bad:
	malloc_bad_pointer("realloc", ptr, caller);
	return NULL;
}

/* realloc(), documented in <linux/malloc.h>. */
void *_realloc_noprof(void *ptr, DECL_TOKEN_PARAMS(size, token))
{
	return malloc_realloc(ptr, size, MALLOC_MIN_ALIGN, malloc_gfp(),
			      NUMA_NO_NODE, __builtin_return_address(0),
			      PASS_TOKEN_PARAM(token));
}
EXPORT_SYMBOL(_realloc_noprof);

/* realloc_account(), documented in <linux/malloc.h>. */
void *_realloc_account_noprof(void *ptr, DECL_TOKEN_PARAMS(size, token))
{
	return malloc_realloc(ptr, size, MALLOC_MIN_ALIGN,
			      malloc_gfp() | __GFP_ACCOUNT, NUMA_NO_NODE,
			      __builtin_return_address(0), PASS_TOKEN_PARAM(token));
}
EXPORT_SYMBOL(_realloc_account_noprof);

/* reallocarray(), documented in <linux/malloc.h>. */
void *_reallocarray_noprof(void *ptr, size_t nmemb, DECL_TOKEN_PARAMS(size, token))
{
	size_t bytes;

	if (unlikely(check_mul_overflow(nmemb, size, &bytes)))
		return NULL;
	return malloc_realloc(ptr, bytes, MALLOC_MIN_ALIGN, malloc_gfp(),
			      NUMA_NO_NODE, __builtin_return_address(0),
			      PASS_TOKEN_PARAM(token));
}
EXPORT_SYMBOL(_reallocarray_noprof);

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
 * @caller: the caller, named in a bad-pointer report
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
 * other flags are ignored. @node applies where a new block is allocated.
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
	gfp = (gfp & ~MALLOC_GFP_NARROW) | (gfp & flags & MALLOC_GFP_NARROW) |
	      (flags & MALLOC_GFP_ADD);
	/* A block that grows is zeroed past @old_size below, not whole. */
	if (grow_zeroed)
		gfp &= ~__GFP_ZERO;
	new = malloc_realloc(ptr, size, align, gfp, node, caller,
			     __kmalloc_token(size));
	if (grow_zeroed && !ZERO_OR_NULL_PTR(new) && size > old_size)
		memset(new + old_size, 0, size - old_size);
	return new;
}
EXPORT_SYMBOL(__malloc_realloc_gfp_noprof);

/**
 * __malloc_realloc_node_align - realloc() with the caller's GFP flags
 * @ptr: block from the malloc() family, %NULL or %ZERO_SIZE_PTR
 * @size: the new size in bytes
 * @align: alignment of the block, a power of two up to %MALLOC_MAX_ALIGN
 * @flags: GFP flags, used as given
 * @node: the NUMA node a new block is preferably taken from, or
 *        %NUMA_NO_NODE
 * @caller: the caller, named in a bad-pointer report
 *
 * The entry point for allocators layered on the family that promise to
 * use the caller's flags as given, as krealloc_node_align() and
 * kvrealloc_node_align() do, such as Rust's ``Malloc``. Like realloc(),
 * except that the calling context is not looked at for the flags: only the
 * backend is chosen by size, as realloc() chooses it, so %GFP_KERNEL where
 * the caller may not sleep draws might_sleep()'s report, as kmalloc() does.
 * Flags without any reclaim bit are served as where no lock may be taken.
 * %__GFP_ZERO zeroes a new block, and what a block gains when it grows if
 * every allocation and resize of it passed %__GFP_ZERO, as krealloc()
 * does. A @size that is a multiple of an @align up to %PAGE_SIZE gets that
 * alignment from kmalloc() (a kmalloc() block is aligned to the largest
 * power of two that divides its size) and from vmalloc() (a page), and is
 * not rounded up for it.
 *
 * Context: As @flags allow; vmalloc()-backed blocks only where the vmap
 * locks may be taken (outside interrupts, with interrupts and bottom
 * halves enabled).
 *
 * Return: as realloc(); also %NULL if @align is invalid.
 */
void *__malloc_realloc_node_align_noprof(const void *ptr, size_t size,
					 unsigned long align, gfp_t flags,
					 int node, const void *caller)
{
	/* A size of 0 frees, whatever the alignment. */
	if (unlikely(size && (!is_power_of_2(align) || align > MALLOC_MAX_ALIGN)))
		return NULL;
	if (align <= PAGE_SIZE && IS_ALIGNED(size, align))
		align = MALLOC_MIN_ALIGN;
	return malloc_realloc((void *)ptr, size, align, flags, node, caller,
			      __kmalloc_token(size));
}
EXPORT_SYMBOL(__malloc_realloc_node_align_noprof);

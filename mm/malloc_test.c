// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the malloc() family.
 *
 * Every row of the semantics table in Documentation/core-api/malloc.rst has
 * a case here: the backend on both sides of each size boundary, zero-sized,
 * overflowing and oversized requests, realloc() keeping contents across
 * backends, alignment, and failures injected with FAILSLAB and
 * FAIL_PAGE_ALLOC. Each case also checks that it left no warning behind.
 * Two more suites follow: bad pointers, and the reports of the memory error
 * detectors.
 */

#include <kunit/test.h>
#include <linux/bottom_half.h>
#include <linux/cgroup.h>
#include <linux/bitmap.h>
#include <linux/bsearch.h>
#include <linux/completion.h>
#include <linux/debug_locks.h>
#include <linux/delay.h>
#include <linux/debugfs.h>
#include <linux/fault-inject.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hardirq.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/irq_work.h>
#include <linux/kasan.h>
#include <linux/kfence.h>
#include <linux/kallsyms.h>
#include <linux/malloc.h>
#include <linux/mm.h>
#include <linux/memcontrol.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/panic.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <linux/sched/mm.h>
#include <linux/rcupdate.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/tracepoint.h>
#include <linux/vmalloc.h>
#include <trace/events/kmem.h>
#include <trace/events/printk.h>

#include "slab.h"
#if IS_ENABLED(CONFIG_KASAN_KUNIT_TEST)
#include "kasan/kasan.h"
#endif

MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");

#define SZ_KMAX		MALLOC_KMALLOC_MAX
/*
 * Sizes that vmalloc() serves: above SZ_KMAX, and not a power of two of
 * pages, which kmalloc() would serve with no memory lost.
 */
#define SZ_V64K		(SZ_64K - PAGE_SIZE)
#define SZ_V1M		(SZ_1M - PAGE_SIZE)

/* Sizes on both sides of every boundary the family has. */
static const size_t sizes[] = {
	1, 7, 8, 9, 16, 63, 64, 65, 96, 97, 192, 193, 1000,
	PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1,
	SZ_KMAX - 1, SZ_KMAX, SZ_KMAX + 1,
	SZ_32K, SZ_32K + 1,
	3 * PAGE_SIZE + 5, SZ_V64K, SZ_64K, SZ_1M + 1,
	MALLOC_ATOMIC_MAX, MALLOC_ATOMIC_MAX + 1,
};

static u8 pattern(size_t i, u8 seed)
{
	return (u8)(i * 31 + seed + (i >> 8));
}

static void fill(void *p, size_t n, u8 seed)
{
	u8 *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = pattern(i, seed);
}

/* The index of the first byte that differs from the pattern, or @n. */
static size_t first_bad(const void *p, size_t n, u8 seed)
{
	const u8 *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != pattern(i, seed))
			break;
	return i;
}

static bool all_zero(const void *p, size_t n)
{
	return !memchr_inv(p, 0, n);
}

/* The backend the documented policy picks for @size in task context. */
static bool want_vmalloc(size_t size)
{
	return size > SZ_KMAX &&
	       !(size <= KMALLOC_MAX_SIZE && is_power_of_2(PAGE_ALIGN(size)));
}

/* A usable block from the backend the policy picks, suitably aligned. */
static void expect_block(struct kunit *test, const void *p, size_t size)
{
	unsigned long misalign = (unsigned long)p & (MALLOC_MIN_ALIGN - 1);

	KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, p, "size %zu", size);
	/* Above 64 KiB, kmalloc() may find no free block and fall back. */
	if (want_vmalloc(size) || size <= SZ_64K)
		KUNIT_EXPECT_EQ_MSG(test, is_vmalloc_addr(p), want_vmalloc(size),
				    "backend for size %zu", size);
	KUNIT_EXPECT_EQ_MSG(test, misalign, 0, "size %zu", size);
}

/*
 * A block realloc() resized: kmalloc()ed up to SZ_KMAX, where realloc()
 * moves it if need be; above, it may stay in the backend it was in.
 */
static void expect_resized(struct kunit *test, const void *p, size_t size)
{
	KUNIT_ASSERT_NOT_NULL_MSG(test, p, "size %zu", size);
	if (size <= SZ_KMAX)
		KUNIT_EXPECT_FALSE_MSG(test, is_vmalloc_addr(p), "size %zu", size);
	KUNIT_EXPECT_EQ_MSG(test, (unsigned long)p & (MALLOC_MIN_ALIGN - 1), 0,
			    "size %zu", size);
}

static bool taint_warn_at_start, taint_bad_page_at_start, debug_locks_at_start;

/* The family's test switch for sizes above SZ_KMAX (malloc_large_param). */
enum { LARGE_KMALLOC, LARGE_VMALLOC = 2 };

/*
 * The suites run with every large size that is not a power of two of pages
 * vmalloc()ed where the caller may sleep: they need vmalloc()-backed
 * blocks of known sizes. malloc_large_kmalloc tests the default.
 */
static int large_saved;

static int large_vmalloc_suite_init(struct kunit_suite *suite)
{
	large_saved = *malloc_large_param;
	*malloc_large_param = LARGE_VMALLOC;
	return 0;
}

static void large_vmalloc_suite_exit(struct kunit_suite *suite)
{
	*malloc_large_param = large_saved;
}

static int malloc_test_init(struct kunit *test)
{
	taint_warn_at_start = test_taint(TAINT_WARN);
	taint_bad_page_at_start = test_taint(TAINT_BAD_PAGE);
	debug_locks_at_start = debug_locks;
	return 0;
}

/*
 * A WARN, a might_sleep() splat or a lockdep report all taint the kernel,
 * and so do the reports of KASAN, KFENCE and slub_debug. A lockdep report
 * also turns lockdep off, which would hide the next one.
 */
static void malloc_test_exit(struct kunit *test)
{
	if (!taint_warn_at_start)
		KUNIT_EXPECT_FALSE_MSG(test, test_taint(TAINT_WARN),
				       "the kernel warned during the test");
	if (!taint_bad_page_at_start)
		KUNIT_EXPECT_FALSE_MSG(test, test_taint(TAINT_BAD_PAGE),
				       "a memory error detector reported during the test");
	if (IS_ENABLED(CONFIG_LOCKDEP) && debug_locks_at_start)
		KUNIT_EXPECT_TRUE_MSG(test, debug_locks,
				      "lockdep turned itself off during the test");
}

/*
 * free()'s inline test of the linear map's range: true for the family's
 * kmalloc()ed blocks, small and large, false for its vmalloc()ed blocks,
 * NULL and ZERO_SIZE_PTR, which take the checked path; and the vmalloc
 * range lies outside the linear map's, as malloc_check_layout() expects.
 */
static void malloc_test_lowmem_range(struct kunit *test)
{
	void *k = malloc(64), *l = malloc(SZ_16K), *v = malloc(SZ_V64K);
	bool apart = VMALLOC_START >= (unsigned long)high_memory ||
		     VMALLOC_END <= PAGE_OFFSET;

	KUNIT_ASSERT_TRUE(test, k && l && v);
	KUNIT_EXPECT_TRUE(test, apart);
	KUNIT_EXPECT_TRUE(test, malloc_lowmem_addr(k));
	KUNIT_EXPECT_TRUE(test, malloc_lowmem_addr(l));
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(v));
	KUNIT_EXPECT_FALSE(test, malloc_lowmem_addr(v));
	KUNIT_EXPECT_FALSE(test, malloc_lowmem_addr(NULL));
	KUNIT_EXPECT_FALSE(test, malloc_lowmem_addr(ZERO_SIZE_PTR));
	free(k);
	free(l);
	free(v);
}

static void malloc_test_backend(struct kunit *test)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t n = sizes[i];
		void *p = malloc(n);

		expect_block(test, p, n);
		if (is_power_of_2(n) && n <= PAGE_SIZE)
			KUNIT_EXPECT_EQ_MSG(test, (unsigned long)p & (n - 1), 0,
					    "size %zu", n);
		fill(p, n, i);
		KUNIT_EXPECT_EQ(test, first_bad(p, n, i), n);
		free(p);
	}
}

static void malloc_test_calloc(struct kunit *test)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t n = sizes[i];
		u8 *p;

		/* Dirty memory of this size so that stale bytes would show. */
		p = malloc(n);
		KUNIT_ASSERT_NOT_NULL(test, p);
		memset(p, 0xa5, n);
		free(p);

		p = calloc(n, 1);
		expect_block(test, p, n);
		KUNIT_EXPECT_TRUE_MSG(test, all_zero(p, n), "size %zu", n);
		free(p);

		if (n % 8)
			continue;
		p = calloc(8, n / 8);
		expect_block(test, p, n);
		KUNIT_EXPECT_TRUE_MSG(test, all_zero(p, n), "size %zu", n);
		free(p);
	}
}

static void malloc_test_zero_size(struct kunit *test)
{
	void *p;

	KUNIT_EXPECT_PTR_EQ(test, malloc(0), ZERO_SIZE_PTR);
	KUNIT_EXPECT_PTR_EQ(test, calloc(0, 8), ZERO_SIZE_PTR);
	KUNIT_EXPECT_PTR_EQ(test, calloc(8, 0), ZERO_SIZE_PTR);
	KUNIT_EXPECT_PTR_EQ(test, calloc(0, SIZE_MAX), ZERO_SIZE_PTR);
	KUNIT_EXPECT_PTR_EQ(test, aligned_alloc(64, 0), ZERO_SIZE_PTR);
	KUNIT_EXPECT_PTR_EQ(test, aligned_alloc(PAGE_SIZE * 4, 0), ZERO_SIZE_PTR);
	KUNIT_EXPECT_PTR_EQ(test, realloc(NULL, 0), ZERO_SIZE_PTR);
	KUNIT_EXPECT_PTR_EQ(test, reallocarray(NULL, 0, 8), ZERO_SIZE_PTR);

	/* free() and realloc() take what zero-sized requests return. */
	free(NULL);
	free(ZERO_SIZE_PTR);
	KUNIT_EXPECT_PTR_EQ(test, realloc(ZERO_SIZE_PTR, 0), ZERO_SIZE_PTR);
	p = realloc(ZERO_SIZE_PTR, 16);
	expect_block(test, p, 16);

	/* realloc(p, 0) frees p and never returns NULL. */
	KUNIT_EXPECT_PTR_EQ(test, realloc(p, 0), ZERO_SIZE_PTR);
	p = malloc(SZ_KMAX + 1);
	expect_block(test, p, SZ_KMAX + 1);
	KUNIT_EXPECT_PTR_EQ(test, realloc(p, 0), ZERO_SIZE_PTR);
	p = malloc(32);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_PTR_EQ(test, reallocarray(p, 4, 0), ZERO_SIZE_PTR);
}

static void malloc_test_overflow(struct kunit *test)
{
	size_t half = SIZE_MAX / 2 + 1;
	u8 *p;

	KUNIT_EXPECT_NULL(test, calloc(half, 2));
	KUNIT_EXPECT_NULL(test, calloc(2, half));
	KUNIT_EXPECT_NULL(test, calloc(SIZE_MAX, SIZE_MAX));
	KUNIT_EXPECT_NULL(test, reallocarray(NULL, half, 2));

	/* The block survives a failed reallocarray(), on either backend. */
	p = malloc(100);
	KUNIT_ASSERT_NOT_NULL(test, p);
	fill(p, 100, 1);
	KUNIT_EXPECT_NULL(test, reallocarray(p, SIZE_MAX / 8 + 1, 8));
	KUNIT_EXPECT_EQ(test, first_bad(p, 100, 1), 100);
	free(p);

	p = malloc(SZ_V64K);
	KUNIT_ASSERT_NOT_NULL(test, p);
	fill(p, SZ_V64K, 2);
	KUNIT_EXPECT_NULL(test, reallocarray(p, half, 4));
	KUNIT_EXPECT_EQ(test, first_bad(p, SZ_V64K, 2), SZ_V64K);
	free(p);
}

static void malloc_test_too_large(struct kunit *test)
{
	size_t ram = totalram_pages() << PAGE_SHIFT;
	u8 *p;

	KUNIT_EXPECT_NULL(test, malloc(SIZE_MAX));
	KUNIT_EXPECT_NULL(test, malloc(SIZE_MAX / 2));
	KUNIT_EXPECT_NULL(test, malloc(ram));
	KUNIT_EXPECT_NULL(test, malloc(ram + PAGE_SIZE));
	KUNIT_EXPECT_NULL(test, calloc(1, ram));
	KUNIT_EXPECT_NULL(test, calloc(ram / 8, 8));
	KUNIT_EXPECT_NULL(test, aligned_alloc(PAGE_SIZE, ram));
	KUNIT_EXPECT_NULL(test, aligned_alloc(MALLOC_MAX_ALIGN, SIZE_MAX));

	p = malloc(64);
	KUNIT_ASSERT_NOT_NULL(test, p);
	fill(p, 64, 3);
	KUNIT_EXPECT_NULL(test, realloc(p, ram));
	KUNIT_EXPECT_NULL(test, realloc(p, SIZE_MAX));
	KUNIT_EXPECT_EQ(test, first_bad(p, 64, 3), 64);
	free(p);

	p = malloc(SZ_V1M);
	KUNIT_ASSERT_NOT_NULL(test, p);
	fill(p, SZ_V1M, 4);
	KUNIT_EXPECT_NULL(test, realloc(p, ram));
	KUNIT_EXPECT_NULL(test, realloc(p, SIZE_MAX));
	KUNIT_EXPECT_EQ(test, first_bad(p, SZ_V1M, 4), SZ_V1M);
	free(p);
}

/* Grow byte by byte across every boundary and back, in both directions. */
static const size_t chain[] = {
	1, 24, 100, 4000, SZ_KMAX - 1, SZ_KMAX, SZ_KMAX + 1, SZ_KMAX + 2,
	3 * PAGE_SIZE + 5, SZ_64K, SZ_1M + 5, SZ_4M, SZ_1M, SZ_64K + 3,
	SZ_KMAX + 1, SZ_KMAX, 5000, 64, 200, SZ_KMAX + 100, 8, 1,
};

static void malloc_test_realloc_chain(struct kunit *test)
{
	size_t old = 0, i;
	u8 *p = NULL;

	for (i = 0; i < ARRAY_SIZE(chain); i++) {
		size_t n = chain[i];
		size_t keep = min(old, n);

		p = realloc(p, n);
		expect_resized(test, p, n);
		if (i)
			KUNIT_EXPECT_EQ_MSG(test, first_bad(p, keep, i - 1), keep,
					    "%zu -> %zu", old, n);
		fill(p, n, i);
		old = n;
	}
	free(p);
}

/* Shrinking keeps the block where it can; it never needs new memory. */
static void malloc_test_realloc_shrink(struct kunit *test)
{
	u8 *p, *q;

	p = malloc(SZ_V1M);
	KUNIT_ASSERT_NOT_NULL(test, p);
	fill(p, SZ_V1M, 5);
	q = realloc(p, SZ_V64K - 100);
	KUNIT_EXPECT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_EQ(test, first_bad(q, SZ_V64K - 100, 5), SZ_V64K - 100);
	/* vrealloc() gave the pages past the new size back... */
	KUNIT_EXPECT_NULL(test, vmalloc_to_page(q + SZ_V64K));
	/* ...so growing within the pages it kept stays in place, */
	p = realloc(q, SZ_V64K);
	KUNIT_EXPECT_PTR_EQ(test, p, q);
	/* and growing beyond them moves, contents kept. */
	q = realloc(p, SZ_V1M - 1);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, first_bad(q, SZ_V64K - 100, 5), SZ_V64K - 100);
	free(q);

	p = malloc(500);
	KUNIT_ASSERT_NOT_NULL(test, p);
	fill(p, 500, 6);
	q = realloc(p, 300);
	KUNIT_EXPECT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_EQ(test, first_bad(q, 300, 6), 300);
	free(q);
}

static void malloc_test_aligned_alloc(struct kunit *test)
{
	size_t align;

	for (align = 1; align <= MALLOC_MAX_ALIGN; align <<= 1) {
		const size_t asizes[] = {
			1, align / 2 + 1, align, align + 1, SZ_KMAX + 1,
		};
		size_t i;

		for (i = 0; i < ARRAY_SIZE(asizes); i++) {
			size_t n = asizes[i];
			u8 *p = aligned_alloc(align, n);

			KUNIT_ASSERT_NOT_NULL_MSG(test, p, "align %zu size %zu",
						  align, n);
			KUNIT_EXPECT_EQ_MSG(test, (unsigned long)p &
					    (max(align, MALLOC_MIN_ALIGN) - 1), 0,
					    "align %zu size %zu", align, n);
			fill(p, n, 7);
			/* realloc() and free() take aligned blocks too. */
			p = realloc(p, n + 1);
			KUNIT_ASSERT_NOT_NULL(test, p);
			KUNIT_EXPECT_EQ(test, first_bad(p, n, 7), n);
			free(p);
		}
	}
}

static void malloc_test_aligned_alloc_invalid(struct kunit *test)
{
	const size_t bad[] = {
		0, 3, 6, 24, 48, PAGE_SIZE + 8, 3 * PAGE_SIZE,
		MALLOC_MAX_ALIGN * 2, SIZE_MAX, SIZE_MAX / 2 + 1,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_NULL_MSG(test, aligned_alloc(bad[i], 64),
				      "alignment %zu", bad[i]);
		KUNIT_EXPECT_NULL_MSG(test, aligned_alloc(bad[i], 0),
				      "alignment %zu", bad[i]);
	}
}

static void malloc_test_free_cleanup(struct kunit *test)
{
	void *seen;

	{
		void *p __free(free) = malloc(SZ_KMAX + 1);

		KUNIT_ASSERT_NOT_NULL(test, p);
		seen = p;
	}
	KUNIT_EXPECT_NULL(test, find_vm_area(seen));
	{
		void *p __free(free) = NULL;
		void *z __free(free) = malloc(0);

		KUNIT_EXPECT_NULL(test, p);
		KUNIT_EXPECT_PTR_EQ(test, z, ZERO_SIZE_PTR);
	}
}

/*
 * __alloc_size and __realloc_size: the compiler knows the size of every
 * block, as lib/fortify_kunit.c checks for kmalloc() and vmalloc(), so
 * FORTIFY_SOURCE bounds the str*() and mem*() functions on them.
 * __builtin_object_size() sees constant sizes, __builtin_dynamic_object_size()
 * every size. Inlined, as the fortified string functions are, so that the
 * compiler still sees the call that returned @p.
 */
#if __has_builtin(__builtin_dynamic_object_size)
#define HAS_DYNAMIC_OBJECT_SIZE	true
#define dynamic_object_size(p)	__builtin_dynamic_object_size(p, 1)
#else
/* GCC before 12, and sparse: the static size is all there is. */
#define HAS_DYNAMIC_OBJECT_SIZE	false
#define dynamic_object_size(p)	__builtin_object_size(p, 1)
#endif

static __always_inline void expect_object_size(struct kunit *test, void *p,
					       size_t bos, size_t bdos,
					       const char *what)
{
	KUNIT_EXPECT_NOT_NULL_MSG(test, p, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, __builtin_object_size(p, 1), bos,
			    "__builtin_object_size of %s", what);
	KUNIT_EXPECT_EQ_MSG(test, dynamic_object_size(p), bdos,
			    "__builtin_dynamic_object_size of %s", what);
	free(p);
}

/* @n is a constant, which both builtins see. */
static __always_inline void expect_const_size(struct kunit *test, size_t n)
{
	expect_object_size(test, malloc(n), n, n, "malloc");
	expect_object_size(test, calloc(1, n), n, n, "calloc(1, n)");
	expect_object_size(test, calloc(n, 1), n, n, "calloc(n, 1)");
	expect_object_size(test, aligned_alloc(64, n), n, n, "aligned_alloc");
	expect_object_size(test, realloc(malloc(1), n), n, n, "realloc");
	expect_object_size(test, reallocarray(malloc(1), 1, n), n, n,
			   "reallocarray(p, 1, n)");
	expect_object_size(test, reallocarray(malloc(1), n, 1), n, n,
			   "reallocarray(p, n, 1)");
}

static void malloc_test_object_size_const(struct kunit *test)
{
	expect_const_size(test, 0);
	expect_const_size(test, 1);
	expect_const_size(test, 128);
	expect_const_size(test, 1023);
	expect_const_size(test, 4097);
	expect_const_size(test, SZ_KMAX);
	expect_const_size(test, SZ_KMAX + 1);
	expect_const_size(test, SZ_64K + 3);
}

/* Sizes the compiler cannot know: only the dynamic builtin sees them. */
static void malloc_test_object_size_dynamic(struct kunit *test)
{
	size_t unknown = 50, n[3], i;

	OPTIMIZER_HIDE_VAR(unknown);
	n[0] = unknown;
	n[1] = unknown * 100;
	n[2] = unknown * 1000;

	if (!HAS_DYNAMIC_OBJECT_SIZE)
		kunit_skip(test, "needs __builtin_dynamic_object_size()");
	for (i = 0; i < ARRAY_SIZE(n); i++) {
		expect_object_size(test, malloc(n[i]), SIZE_MAX, n[i], "malloc");
		expect_object_size(test, calloc(n[i], 3), SIZE_MAX, n[i] * 3,
				   "calloc");
		expect_object_size(test, aligned_alloc(256, n[i]), SIZE_MAX, n[i],
				   "aligned_alloc");
		expect_object_size(test, realloc(malloc(1), n[i]), SIZE_MAX, n[i],
				   "realloc");
		expect_object_size(test, reallocarray(malloc(1), n[i], 2),
				   SIZE_MAX, n[i] * 2, "reallocarray");
	}
}

#if __has_builtin(__builtin_counted_by_ref)
#define HAS_COUNTED_BY_REF	true
#else
#define HAS_COUNTED_BY_REF	false
#endif

struct typed_flex {
	u64 stamp;
	u8 count;
	u32 data[] __counted_by(count);
};

/*
 * The typed forms: the size of the type, overflow-checked counts (a count
 * whose size overflows fails), the __counted_by() counter set where the
 * compiler supports __builtin_counted_by_ref(), the calloc_*() forms
 * zeroed, and the size known to the compiler, as for kmalloc_obj() and
 * friends.
 */
static void malloc_test_typed(struct kunit *test)
{
	struct typed_flex *f, *fz;
	size_t big = SIZE_MAX / 8;
	u64 *one, *many, *zeroed;

	OPTIMIZER_HIDE_VAR(big);
	one = malloc_obj(*one);
	KUNIT_ASSERT_NOT_NULL(test, one);
	KUNIT_EXPECT_EQ(test, __builtin_object_size(one, 1), sizeof(u64));
	free(one);

	many = malloc_objs(u64, 100);
	KUNIT_ASSERT_NOT_NULL(test, many);
	KUNIT_EXPECT_EQ(test, __builtin_object_size(many, 1), 100 * sizeof(u64));
	free(many);
	/* 2^61 u64s: the size overflows, and saturates to SIZE_MAX. */
	KUNIT_EXPECT_NULL(test, malloc_objs(u64, big));
	KUNIT_EXPECT_NULL(test, calloc_objs(u64, big));

	/* 17 pages: vmalloc()ed in the suites (malloc_large_param). */
	zeroed = calloc_objs(*zeroed, SZ_KMAX + 1);
	KUNIT_ASSERT_NOT_NULL(test, zeroed);
	KUNIT_EXPECT_TRUE(test, all_zero(zeroed, (SZ_KMAX + 1) * sizeof(u64)));
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(zeroed));
	free(zeroed);

	f = malloc_flex(*f, data, 10);
	KUNIT_ASSERT_NOT_NULL(test, f);
	if (HAS_DYNAMIC_OBJECT_SIZE)
		KUNIT_EXPECT_EQ(test, __builtin_dynamic_object_size(f, 0),
				struct_size(f, data, 10));
	/* The counter is set where the compiler can name it. */
	if (HAS_COUNTED_BY_REF)
		KUNIT_EXPECT_EQ(test, f->count, 10);
	free(f);
	fz = calloc_flex(struct typed_flex, data, 255);
	KUNIT_ASSERT_NOT_NULL(test, fz);
	if (HAS_COUNTED_BY_REF)
		KUNIT_EXPECT_EQ(test, fz->count, 255);
	KUNIT_EXPECT_TRUE(test, all_zero(fz->data, 255 * sizeof(u32)));
	free(fz);
	KUNIT_EXPECT_NULL(test, malloc_flex(struct typed_flex, data, big));
}

/*
 * CONFIG_KMALLOC_PARTITION_CACHES: malloc() takes the cache kmalloc() would
 * take with the partition token of the caller's line, inline (a constant
 * size) and out of line (a runtime size), and calloc(), realloc() and
 * aligned_alloc() too. Eight sites, eight tokens: with 16 partitions, they
 * all sharing one cache would have a chance of 16^-7 with random
 * partitions.
 */
#ifdef CONFIG_KMALLOC_PARTITION_CACHES
/*
 * Eight call sites: a function each, so that no two share an address (the
 * random partitions take the caller's address as its token). Each stores
 * its own number, so that the compiler cannot fold them into one.
 */
#define DEFINE_SITE(n)							\
static noinline kmalloc_token_t site_##n(int *sink)			\
{									\
	WRITE_ONCE(*sink, n);						\
	return __kmalloc_token(64);					\
}

DEFINE_SITE(0) DEFINE_SITE(1) DEFINE_SITE(2) DEFINE_SITE(3)
DEFINE_SITE(4) DEFINE_SITE(5) DEFINE_SITE(6) DEFINE_SITE(7)

static struct kmem_cache *block_cache(const void *p)
{
	return virt_to_slab(p)->slab_cache;
}

/* The cache kmalloc(@size, GFP_KERNEL) takes at a line whose token is @tok. */
static struct kmem_cache *token_cache(kmalloc_token_t tok, size_t size)
{
	return kmalloc_caches[kmalloc_type(GFP_KERNEL, tok)][kmalloc_index(size)];
}

static void malloc_test_partition(struct kunit *test)
{
	int sink;
	kmalloc_token_t tok[8] = {
		site_0(&sink), site_1(&sink), site_2(&sink), site_3(&sink),
		site_4(&sink), site_5(&sink), site_6(&sink), site_7(&sink),
	};
	struct kmem_cache *first = NULL;
	bool differ = false;
	size_t n = 200, i;
	void *k, *m, *r;

	OPTIMIZER_HIDE_VAR(n);
	for (i = 0; i < ARRAY_SIZE(tok); i++) {
		/* kmalloc() from a line whose token is tok[i]. */
		k = _kmalloc_noprof(64, GFP_KERNEL, tok[i]);
		KUNIT_ASSERT_NOT_NULL(test, k);
		m = malloc_token_noprof(64, tok[i]);
		KUNIT_ASSERT_NOT_NULL(test, m);
		KUNIT_EXPECT_PTR_EQ_MSG(test, block_cache(m), block_cache(k), "site %zu", i);
		KUNIT_EXPECT_PTR_EQ(test, block_cache(k), token_cache(tok[i], 64));
		free(m);
		m = _malloc_noprof(n, tok[i]);
		KUNIT_ASSERT_NOT_NULL(test, m);
		KUNIT_EXPECT_PTR_EQ(test, block_cache(m), token_cache(tok[i], 256));
		/* krealloc() moves it to a larger cache of the same partition. */
		r = _realloc_noprof(m, 1000, tok[i]);
		KUNIT_ASSERT_NOT_NULL(test, r);
		KUNIT_EXPECT_PTR_EQ(test, block_cache(r), token_cache(tok[i], 1024));
		free(r);
		m = calloc_token_noprof(2, 32, tok[i]);
		KUNIT_EXPECT_PTR_EQ(test, block_cache(m), block_cache(k));
		free(m);
		m = _aligned_alloc_noprof(64, 64, tok[i]);
		KUNIT_EXPECT_PTR_EQ(test, block_cache(m), block_cache(k));
		free(m);
		if (!first)
			first = block_cache(k);
		else if (block_cache(k) != first)
			differ = true;
		kfree(k);
	}
	/* Typed partitions key on the type, which is the same here. */
	if (IS_ENABLED(CONFIG_KMALLOC_PARTITION_RANDOM))
		KUNIT_EXPECT_TRUE_MSG(test, differ, "eight call sites, one cache");
}
#else
static void malloc_test_partition(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_KMALLOC_PARTITION_CACHES");
}
#endif

/* gfp_t is __bitwise: compare its bits. */
static unsigned long gfp_bits(gfp_t gfp)
{
	return (__force unsigned long)gfp;
}

/* Task context: GFP_KERNEL, narrowed by the memalloc scopes. */
static void malloc_test_task_context(struct kunit *test)
{
	unsigned int flags;

	KUNIT_EXPECT_EQ(test, gfp_bits(malloc_context_gfp()), gfp_bits(GFP_KERNEL));

	flags = memalloc_nofs_save();
	KUNIT_EXPECT_EQ(test, gfp_bits(malloc_context_gfp()), gfp_bits(GFP_NOFS));
	memalloc_nofs_restore(flags);

	flags = memalloc_noio_save();
	KUNIT_EXPECT_EQ(test, gfp_bits(malloc_context_gfp()), gfp_bits(GFP_NOIO));
	memalloc_noio_restore(flags);

	/* The pin scope only drops __GFP_MOVABLE, which GFP_KERNEL lacks. */
	flags = memalloc_pin_save();
	KUNIT_EXPECT_EQ(test, gfp_bits(malloc_context_gfp()), gfp_bits(GFP_KERNEL));
	memalloc_pin_restore(flags);

	KUNIT_EXPECT_EQ(test, gfp_bits(malloc_context_gfp()), gfp_bits(GFP_KERNEL));
}

/*
 * Atomic contexts. probe() runs in the context under test: it records the
 * flags the family picks there, allocates on both sides of the
 * kmalloc()/vmalloc() boundary, 64 KiB (order 4, beyond the costly order),
 * MALLOC_ATOMIC_MAX (which kmalloc() serves if a free block of that order
 * is left, and else vmalloc() where the vmap locks may be taken) and
 * beyond (vmalloc() there, NULL elsewhere), resizes a vmalloc() block
 * allocated in task context in place and beyond its area (only where the
 * vmap locks may be taken: finding its area takes them), and frees what
 * it got. Where no lock may be taken (PREEMPT_RT with preemption or
 * interrupts off), kmalloc_nolock() serves the 64 bytes, except in hardirq,
 * where PREEMPT_RT's kmalloc_nolock() gives up. With
 * CONFIG_DEBUG_ATOMIC_SLEEP and CONFIG_PROVE_LOCKING, a sleep or a lock
 * taken in the wrong context taints the kernel, which malloc_test_exit()
 * catches.
 */
enum block_kind { NO_BLOCK, KMALLOC_BLOCK, VMALLOC_BLOCK };

static enum block_kind block_kind(const void *p)
{
	if (!p)
		return NO_BLOCK;
	return is_vmalloc_addr(p) ? VMALLOC_BLOCK : KMALLOC_BLOCK;
}

struct probe {
	struct kunit *test;
	void (*run)(struct probe *pr);	/* probe(), or another case's work */
	void *task_block;
	gfp_t gfp;
	bool small_kmalloc, mid_kmalloc, edge_kmalloc, shrunk, regrown, grown;
	enum block_kind max_kind, big_kind;
	bool hardirq, softirq;
	struct completion done;
	struct hrtimer hrtimer;
	struct irq_work irq_work;
	struct timer_list timer;
	struct tasklet_struct tasklet;
};

static void probe(struct probe *pr)
{
	void *small, *mid, *edge, *max, *big, *grown;

	pr->hardirq = in_hardirq();
	pr->softirq = in_serving_softirq();
	pr->gfp = malloc_context_gfp();
	small = malloc(64);
	mid = malloc(MALLOC_KMALLOC_MAX + 1);
	edge = malloc(SZ_64K);
	max = malloc(MALLOC_ATOMIC_MAX);
	big = malloc(MALLOC_ATOMIC_MAX + 1);
	pr->small_kmalloc = small && !is_vmalloc_addr(small);
	pr->mid_kmalloc = mid && !is_vmalloc_addr(mid);
	pr->edge_kmalloc = edge && !is_vmalloc_addr(edge);
	pr->max_kind = block_kind(max);
	pr->big_kind = block_kind(big);
	free(small);
	free(mid);
	free(edge);
	free(max);
	free(big);
	/*
	 * A vmalloc() block is resized, within its area or moving, only
	 * where the vmap locks may be taken, where no lock inversion can
	 * follow.
	 */
	pr->shrunk = realloc(pr->task_block, SZ_32K) == pr->task_block;
	pr->regrown = realloc(pr->task_block, SZ_V64K) == pr->task_block;
	/* Beyond its area, it moves: to kmalloc() or a new vmalloc() area. */
	grown = realloc(pr->task_block, SZ_V1M);
	pr->grown = grown;
	free(grown ?: pr->task_block);
	pr->task_block = NULL;
}

static DEFINE_SPINLOCK(test_lock);
static DEFINE_RAW_SPINLOCK(test_raw_lock);
static DEFINE_RWLOCK(test_rwlock);

static void in_preempt_disable(struct probe *pr)
{
	preempt_disable();
	pr->run(pr);
	preempt_enable();
}

static void in_spin_lock(struct probe *pr)
{
	spin_lock(&test_lock);
	pr->run(pr);
	spin_unlock(&test_lock);
}

static void in_spin_lock_irqsave(struct probe *pr)
{
	unsigned long flags;

	spin_lock_irqsave(&test_lock, flags);
	pr->run(pr);
	spin_unlock_irqrestore(&test_lock, flags);
}

static void in_raw_spin_lock(struct probe *pr)
{
	raw_spin_lock(&test_raw_lock);
	pr->run(pr);
	raw_spin_unlock(&test_raw_lock);
}

static void in_write_lock(struct probe *pr)
{
	write_lock(&test_rwlock);
	pr->run(pr);
	write_unlock(&test_rwlock);
}

static void in_local_irq_disable(struct probe *pr)
{
	local_irq_disable();
	pr->run(pr);
	local_irq_enable();
}

static void in_local_bh_disable(struct probe *pr)
{
	local_bh_disable();
	pr->run(pr);
	local_bh_enable();
}

static void in_rcu_read_lock(struct probe *pr)
{
	rcu_read_lock();
	pr->run(pr);
	rcu_read_unlock();
}

static void wait_probe(struct probe *pr)
{
	KUNIT_ASSERT_TRUE_MSG(pr->test,
			      wait_for_completion_timeout(&pr->done, 10 * HZ),
			      "the callback did not run");
}

static enum hrtimer_restart probe_hrtimer(struct hrtimer *t)
{
	struct probe *pr = container_of(t, struct probe, hrtimer);

	pr->run(pr);
	complete(&pr->done);
	return HRTIMER_NORESTART;
}

/* Hardirq context, also on PREEMPT_RT. */
static void in_hrtimer_hard(struct probe *pr)
{
	hrtimer_setup(&pr->hrtimer, probe_hrtimer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	hrtimer_start(&pr->hrtimer, ns_to_ktime(100 * NSEC_PER_USEC), HRTIMER_MODE_REL_HARD);
	wait_probe(pr);
	hrtimer_cancel(&pr->hrtimer);
}

static void probe_irq_work(struct irq_work *w)
{
	struct probe *pr = container_of(w, struct probe, irq_work);

	pr->run(pr);
	complete(&pr->done);
}

static void in_irq_work_hard(struct probe *pr)
{
	pr->irq_work = IRQ_WORK_INIT_HARD(probe_irq_work);
	irq_work_queue(&pr->irq_work);
	wait_probe(pr);
	irq_work_sync(&pr->irq_work);
}

static void probe_timer(struct timer_list *t)
{
	struct probe *pr = timer_container_of(pr, t, timer);

	pr->run(pr);
	complete(&pr->done);
}

/* Softirq context: a thread with bottom halves disabled on PREEMPT_RT. */
static void in_timer(struct probe *pr)
{
	timer_setup(&pr->timer, probe_timer, 0);
	mod_timer(&pr->timer, jiffies + 1);
	wait_probe(pr);
	timer_delete_sync(&pr->timer);
}

static void probe_tasklet(struct tasklet_struct *t)
{
	struct probe *pr = from_tasklet(pr, t, tasklet);

	pr->run(pr);
	complete(&pr->done);
}

static void in_tasklet(struct probe *pr)
{
	tasklet_setup(&pr->tasklet, probe_tasklet);
	tasklet_schedule(&pr->tasklet);
	wait_probe(pr);
	tasklet_kill(&pr->tasklet);
}

enum irq_kind { TASK, SOFTIRQ, HARDIRQ };

struct context {
	const char *name;
	void (*run)(struct probe *pr);
	enum irq_kind kind;
	/* Preemption or interrupts really off, even on PREEMPT_RT. */
	bool hard;
	/*
	 * The vmap locks may be taken (interrupts and bottom halves on, not
	 * in an interrupt), without and with PREEMPT_RT: malloc() can
	 * vmalloc() and realloc() can move a vmalloc()-backed block.
	 */
	bool vmap, vmap_rt;
};

static const struct context contexts[] = {
	{ "preempt_disable", in_preempt_disable, TASK, true, true, false },
	{ "spin_lock", in_spin_lock, TASK, false, true, true },
	{ "spin_lock_irqsave", in_spin_lock_irqsave, TASK, false, false, true },
	{ "raw_spin_lock", in_raw_spin_lock, TASK, true, true, false },
	{ "write_lock", in_write_lock, TASK, false, true, true },
	{ "local_irq_disable", in_local_irq_disable, TASK, true, false, false },
	{ "local_bh_disable", in_local_bh_disable, TASK, false, false, false },
	{ "rcu_read_lock", in_rcu_read_lock, TASK, false, true, true },
	{ "timer", in_timer, SOFTIRQ, false, false, false },
	{ "tasklet", in_tasklet, SOFTIRQ, false, false, false },
	{ "hrtimer_hard", in_hrtimer_hard, HARDIRQ, true, false, false },
	{ "irq_work_hard", in_irq_work_hard, HARDIRQ, true, false, false },
};

/*
 * Where only kmalloc_nolock() serves: contexts that disable preemption or
 * interrupts on PREEMPT_RT, and a raw spinlock or hard interrupt that
 * lockdep sees with CONFIG_PROVE_RAW_LOCK_NESTING (malloc_spin_only()).
 */
static bool context_nolock(const struct context *c)
{
	return (IS_ENABLED(CONFIG_PREEMPT_RT) && c->hard) ||
	       (IS_ENABLED(CONFIG_PROVE_RAW_LOCK_NESTING) &&
		(c->run == in_raw_spin_lock || c->kind == HARDIRQ));
}

static void context_desc(const struct context *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(malloc_context, contexts, context_desc);

static void malloc_test_atomic_context(struct kunit *test)
{
	const struct context *c = test->param_value;
	struct probe *pr = kunit_kzalloc(test, sizeof(*pr), GFP_KERNEL);
	bool none = context_nolock(c);
	bool vmap = !none && (IS_ENABLED(CONFIG_PREEMPT_RT) ? c->vmap_rt : c->vmap);

	KUNIT_ASSERT_NOT_NULL(test, pr);
	pr->test = test;
	pr->run = probe;
	init_completion(&pr->done);
	pr->task_block = malloc(SZ_V64K);
	KUNIT_ASSERT_NOT_NULL(test, pr->task_block);
	KUNIT_ASSERT_TRUE(test, is_vmalloc_addr(pr->task_block));

	c->run(pr);

	KUNIT_EXPECT_EQ(test, pr->hardirq, c->kind == HARDIRQ);
	KUNIT_EXPECT_EQ(test, pr->softirq, c->kind == SOFTIRQ);
	KUNIT_EXPECT_NULL(test, pr->task_block);
	KUNIT_EXPECT_EQ(test, gfp_bits(pr->gfp),
			none ? 0 : gfp_bits(GFP_NOWAIT | __GFP_NOWARN));
	KUNIT_EXPECT_EQ(test, pr->small_kmalloc,
			!none || !(IS_ENABLED(CONFIG_PREEMPT_RT) && c->kind == HARDIRQ));
	KUNIT_EXPECT_EQ(test, pr->mid_kmalloc, !none);
	KUNIT_EXPECT_EQ(test, pr->edge_kmalloc, !none);
	/* Where vmalloc() is out of reach, NULL is kmalloc()'s quiet failure. */
	if (vmap)
		KUNIT_EXPECT_NE(test, pr->max_kind, NO_BLOCK);
	else
		KUNIT_EXPECT_NE(test, pr->max_kind, VMALLOC_BLOCK);
	KUNIT_EXPECT_EQ(test, pr->big_kind, vmap ? VMALLOC_BLOCK : NO_BLOCK);
	KUNIT_EXPECT_EQ(test, pr->shrunk, vmap);
	KUNIT_EXPECT_EQ(test, pr->regrown, vmap);
	KUNIT_EXPECT_EQ(test, pr->grown, vmap);
}

/*
 * A block that was vmalloc()ed in task context and shrunk in place under a
 * spinlock: resizing within the area needs no allocation. Grown beyond its
 * area, it moves, contents kept, and the old area is freed later.
 */
static void malloc_test_spinlock_realloc(struct kunit *test)
{
	u8 *large, *shrunk, *grown;

	large = malloc(SZ_V64K);
	KUNIT_ASSERT_NOT_NULL(test, large);
	fill(large, SZ_V64K, 8);

	spin_lock(&test_lock);
	shrunk = realloc(large, SZ_32K);
	grown = realloc(shrunk, SZ_V64K + 1);	/* needs a new block */
	spin_unlock(&test_lock);

	KUNIT_EXPECT_PTR_EQ(test, shrunk, large);
	KUNIT_ASSERT_NOT_NULL(test, grown);
	KUNIT_EXPECT_PTR_NE(test, grown, shrunk);
	KUNIT_EXPECT_EQ(test, first_bad(grown, SZ_32K, 8), SZ_32K);

	spin_lock(&test_lock);
	free(grown);
	spin_unlock(&test_lock);
}

/*
 * Under a spinlock, kmalloc() serves every size up to MALLOC_ATOMIC_MAX, as
 * kvmalloc(GFP_NOWAIT) would, and vmalloc() without reclaim what kmalloc()
 * cannot: 64 KiB, grown to 1 MiB, 4 MiB and beyond, and shrunk back,
 * contents kept at every step. Each step succeeds, from one backend or the
 * other.
 */
static void malloc_test_atomic_large(struct kunit *test)
{
	static const size_t steps[] = {
		SZ_1M, MALLOC_ATOMIC_MAX, MALLOC_ATOMIC_MAX + 1, SZ_1M, SZ_64K,
	};
	size_t i;
	u8 *p, *q;

	spin_lock(&test_lock);
	p = malloc(SZ_64K);
	spin_unlock(&test_lock);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(p));
	fill(p, SZ_64K, 3);

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		spin_lock(&test_lock);
		q = realloc(p, steps[i]);
		spin_unlock(&test_lock);
		KUNIT_ASSERT_NOT_NULL_MSG(test, q, "%zu bytes under a spinlock", steps[i]);
		if (steps[i] > MALLOC_ATOMIC_MAX)
			KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(q));
		KUNIT_EXPECT_EQ(test, first_bad(q, SZ_64K, 3), SZ_64K);
		p = q;
	}

	spin_lock(&test_lock);
	q = malloc(MALLOC_ATOMIC_MAX + 1);
	free(p);
	spin_unlock(&test_lock);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(q));
	fill(q, MALLOC_ATOMIC_MAX + 1, 4);
	KUNIT_EXPECT_EQ(test, first_bad(q, MALLOC_ATOMIC_MAX + 1, 4), MALLOC_ATOMIC_MAX + 1);
	free(q);
}

/*
 * 64 KiB, 1 MiB and 4 MiB blocks in every context of the context suite:
 * each is allocated, filled, grown to twice its size, shrunk to half, and
 * freed there, its contents checked after each step. Where the vmap locks
 * may be taken every step succeeds; elsewhere the sizes come from kmalloc()
 * alone, which may find no free block of the order (a quiet NULL, the old
 * block intact), and 8 MiB cannot be had. Nothing may sleep or warn: the
 * suite's exit checks the taint flags and that lockdep is still on.
 */
#define LARGE_STEPS 3

struct large_probe {
	struct probe pr;
	enum block_kind kind[LARGE_STEPS];
	bool grown[LARGE_STEPS], shrunk[LARGE_STEPS];
	size_t kept_grown[LARGE_STEPS], kept_shrunk[LARGE_STEPS];
};

static const size_t large_sizes[LARGE_STEPS] = { SZ_64K, SZ_1M, SZ_4M };

static void large_work(struct probe *pr)
{
	struct large_probe *lp = container_of(pr, struct large_probe, pr);
	size_t i, n;
	u8 *p, *q;

	for (i = 0; i < LARGE_STEPS; i++) {
		n = large_sizes[i];
		p = malloc(n);
		lp->kind[i] = block_kind(p);
		if (!p)
			continue;
		fill(p, n, i);
		q = realloc(p, 2 * n);
		lp->grown[i] = q;
		p = q ?: p;
		lp->kept_grown[i] = first_bad(p, n, i);
		q = realloc(p, n / 2);
		lp->shrunk[i] = q;
		p = q ?: p;
		lp->kept_shrunk[i] = first_bad(p, n / 2, i);
		free(p);
	}
}

static void malloc_test_context_large(struct kunit *test)
{
	const struct context *c = test->param_value;
	struct large_probe *lp = kunit_kzalloc(test, sizeof(*lp), GFP_KERNEL);
	bool none = context_nolock(c);
	bool vmap = !none && (IS_ENABLED(CONFIG_PREEMPT_RT) ? c->vmap_rt : c->vmap);
	size_t i, n;

	KUNIT_ASSERT_NOT_NULL(test, lp);
	lp->pr.test = test;
	lp->pr.run = large_work;
	init_completion(&lp->pr.done);

	c->run(&lp->pr);
	malloc_flush_deferred();

	for (i = 0; i < LARGE_STEPS; i++) {
		n = large_sizes[i];
		if (none) {
			KUNIT_EXPECT_EQ(test, lp->kind[i], NO_BLOCK);
			continue;
		}
		if (vmap) {
			KUNIT_EXPECT_NE_MSG(test, lp->kind[i], NO_BLOCK, "%zu bytes", n);
			KUNIT_EXPECT_TRUE_MSG(test, lp->grown[i], "%zu bytes", n);
		} else {
			KUNIT_EXPECT_NE_MSG(test, lp->kind[i], VMALLOC_BLOCK, "%zu bytes", n);
			if (2 * n > MALLOC_ATOMIC_MAX)
				KUNIT_EXPECT_FALSE_MSG(test, lp->grown[i], "%zu bytes", n);
		}
		if (lp->kind[i] == NO_BLOCK) {
			kunit_info(test, "no free block for %zu bytes", n);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, lp->kept_grown[i], n, "%zu bytes", n);
		KUNIT_EXPECT_TRUE_MSG(test, lp->shrunk[i], "%zu bytes", n);
		KUNIT_EXPECT_EQ_MSG(test, lp->kept_shrunk[i], n / 2, "%zu bytes", n);
	}
}

/*
 * Above SZ_KMAX, a size whose pages are a power of two comes from kmalloc():
 * the same memory as vmalloc(), without the bookkeeping. realloc() keeps
 * such a block while it shrinks by at most half, even under a spinlock,
 * and otherwise moves it where malloc() would put the new size.
 */
static void malloc_test_large_kmalloc(struct kunit *test)
{
	u8 *p, *q;

	p = malloc(SZ_16K);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(p));
	KUNIT_EXPECT_EQ(test, ksize(p), SZ_16K);
	fill(p, SZ_16K, 7);

	q = realloc(p, SZ_64K);			/* kmalloc() again */
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(q));
	KUNIT_EXPECT_EQ(test, first_bad(q, SZ_16K, 7), SZ_16K);
	fill(q, SZ_64K, 8);

	spin_lock(&test_lock);
	p = realloc(q, SZ_32K + 1);		/* in place */
	spin_unlock(&test_lock);
	KUNIT_EXPECT_PTR_EQ(test, p, q);

	q = realloc(p, 5 * PAGE_SIZE);		/* less than half: vmalloc() */
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(q));
	KUNIT_EXPECT_EQ(test, first_bad(q, 5 * PAGE_SIZE, 8), 5 * PAGE_SIZE);

	p = realloc(q, SZ_KMAX + 1);		/* vmalloc() stays in place */
	KUNIT_EXPECT_PTR_EQ(test, p, q);
	KUNIT_EXPECT_EQ(test, first_bad(p, SZ_KMAX + 1, 8), SZ_KMAX + 1);
	free(p);

	/* calloc() and the kmalloc() fallback zero the same way. */
	p = calloc(SZ_32K, 1);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(p));
	KUNIT_EXPECT_TRUE(test, all_zero(p, SZ_32K));
	free(p);
}

/*
 * malloc_realloc_gfp(), for allocators that pass flags: the alignment is
 * kept when the block moves, __GFP_ZERO is honoured, and the flags narrow
 * what the context allows but never widen it.
 */
static void malloc_test_realloc_gfp(struct kunit *test)
{
	static const size_t aligns[] = {
		1, MALLOC_MIN_ALIGN, 64, PAGE_SIZE, 4 * PAGE_SIZE, MALLOC_MAX_ALIGN,
	};
	static const size_t steps[] = {
		100, SZ_KMAX + 1, SZ_64K, 50, SZ_KMAX, 3 * PAGE_SIZE, 1,
	};
	size_t i, j;
	u8 *p, *q;

	for (i = 0; i < ARRAY_SIZE(aligns); i++) {
		size_t align = aligns[i], old = 0;

		p = NULL;
		for (j = 0; j < ARRAY_SIZE(steps); j++) {
			size_t n = steps[j], keep = min(old, n);

			p = malloc_realloc_gfp(p, old, n, align, GFP_KERNEL, NUMA_NO_NODE);
			KUNIT_ASSERT_NOT_NULL_MSG(test, p, "align %zu size %zu", align, n);
			KUNIT_EXPECT_EQ_MSG(test, (unsigned long)p & (align - 1), 0,
					    "align %zu size %zu", align, n);
			if (j)
				KUNIT_EXPECT_EQ_MSG(test, first_bad(p, keep, j - 1), keep,
						    "align %zu, %zu -> %zu", align, old, n);
			fill(p, n, j);
			old = n;
		}
		free(p);
	}

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p = malloc_realloc_gfp(NULL, 0, sizes[i], 8, GFP_KERNEL | __GFP_ZERO,
				       NUMA_NO_NODE);
		expect_block(test, p, sizes[i]);
		KUNIT_EXPECT_TRUE_MSG(test, all_zero(p, sizes[i]), "size %zu", sizes[i]);
		free(p);
	}

	KUNIT_EXPECT_NULL(test, malloc_realloc_gfp(NULL, 0, 64, 3, GFP_KERNEL, NUMA_NO_NODE));
	KUNIT_EXPECT_NULL(test, malloc_realloc_gfp(NULL, 0, 64, MALLOC_MAX_ALIGN * 2,
						   GFP_KERNEL, NUMA_NO_NODE));

	/*
	 * GFP_NOWAIT in task context: kmalloc() first, vmalloc() without
	 * reclaim beyond what it serves.
	 */
	p = malloc_realloc_gfp(NULL, 0, SZ_KMAX + 1, 8, GFP_NOWAIT, NUMA_NO_NODE);
	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(p));
	q = malloc_realloc_gfp(p, SZ_KMAX + 1, MALLOC_ATOMIC_MAX + 1, 8, GFP_NOWAIT,
			       NUMA_NO_NODE);
	KUNIT_EXPECT_NOT_NULL(test, q);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(q));
	free(q ?: p);

	/*
	 * GFP_KERNEL under a spinlock: the lock wins, and the large block
	 * comes from vmalloc() without reclaim.
	 */
	spin_lock(&test_lock);
	p = malloc_realloc_gfp(NULL, 0, 64, 8, GFP_KERNEL, NUMA_NO_NODE);
	q = malloc_realloc_gfp(NULL, 0, MALLOC_ATOMIC_MAX + 1, 8, GFP_KERNEL, NUMA_NO_NODE);
	spin_unlock(&test_lock);
	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_NOT_NULL(test, q);
	free(p);
	free(q);

	/* With interrupts disabled vmalloc() is out of reach. */
	local_irq_disable();
	q = malloc_realloc_gfp(NULL, 0, MALLOC_ATOMIC_MAX + 1, 8, GFP_KERNEL, NUMA_NO_NODE);
	local_irq_enable();
	KUNIT_EXPECT_NULL(test, q);
}

/*
 * A block that shrinks to half its size or less gives its pages back: a
 * large kmalloc() block moves to a small one, also under a spinlock.
 */
static void malloc_test_realloc_shrink_large(struct kunit *test)
{
	u8 *p, *q;

	p = malloc(SZ_4M);
	KUNIT_ASSERT_NOT_NULL(test, p);
	fill(p, 200, 30);
	q = realloc(p, 100);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_PTR_NE(test, q, p);
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(q));
	KUNIT_EXPECT_LE(test, ksize(q), 128);
	KUNIT_EXPECT_EQ(test, first_bad(q, 100, 30), 100);
	free(q);

	p = malloc(SZ_64K);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_FALSE(test, is_vmalloc_addr(p));
	fill(p, SZ_64K, 31);
	spin_lock(&test_lock);
	q = realloc(p, SZ_4K);
	spin_unlock(&test_lock);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_PTR_NE(test, q, p);
	KUNIT_EXPECT_LE(test, ksize(q), SZ_4K);
	KUNIT_EXPECT_EQ(test, first_bad(q, SZ_4K, 31), SZ_4K);
	free(q);
}

/*
 * malloc_realloc_gfp() with __GFP_ZERO zeroes what a block gains, where it
 * grows in place (in its kmalloc() object, in its vmalloc() area) and where
 * it moves, however it was filled before it shrank.
 */
static void malloc_test_realloc_gfp_zero(struct kunit *test)
{
	static const size_t steps[][2] = {
		{ 120, 100 },			/* kmalloc-128, in place */
		{ SZ_V64K, SZ_V64K - 1000 },	/* vmalloc(), in its area */
		{ 100, 60 },			/* then moved to vmalloc() */
	};
	const gfp_t zero = GFP_KERNEL | __GFP_ZERO;
	size_t i, big, small, grown;
	u8 *p, *q;

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		big = steps[i][0];
		small = steps[i][1];
		grown = i == 2 ? SZ_V64K + 5 : big;
		p = malloc_realloc_gfp(NULL, 0, big, 8, GFP_KERNEL, NUMA_NO_NODE);
		KUNIT_ASSERT_NOT_NULL(test, p);
		memset(p, 0xa5, big);
		p = malloc_realloc_gfp(p, big, small, 8, GFP_KERNEL, NUMA_NO_NODE);
		KUNIT_ASSERT_NOT_NULL(test, p);
		q = malloc_realloc_gfp(p, small, grown, 8, zero, NUMA_NO_NODE);
		KUNIT_ASSERT_NOT_NULL(test, q);
		if (grown == big)
			KUNIT_EXPECT_PTR_EQ(test, q, p);
		KUNIT_EXPECT_TRUE_MSG(test, !memchr_inv(q, 0xa5, small), "%zu -> %zu",
				      small, grown);
		KUNIT_EXPECT_TRUE_MSG(test, all_zero(q + small, grown - small), "%zu -> %zu",
				      small, grown);
		free(q);
	}
}

/* Inside non_block_start(), which __might_resched() checks, malloc() may not sleep. */
static void malloc_test_non_block(struct kunit *test)
{
	gfp_t gfp;
	void *p, *q;

	if (!IS_ENABLED(CONFIG_DEBUG_ATOMIC_SLEEP))
		kunit_skip(test, "non_block_start() is recorded with CONFIG_DEBUG_ATOMIC_SLEEP");
	non_block_start();
	gfp = malloc_context_gfp();
	p = malloc(SZ_V64K);
	q = malloc(MALLOC_ATOMIC_MAX + 1);
	non_block_end();
	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		/* The allocators' locks sleep: nothing is allocated. */
		KUNIT_EXPECT_EQ(test, gfp_bits(gfp), 0);
		KUNIT_EXPECT_NULL(test, p);
		KUNIT_EXPECT_NULL(test, q);
		return;
	}
	KUNIT_EXPECT_EQ(test, gfp_bits(gfp), gfp_bits(GFP_NOWAIT | __GFP_NOWARN));
	/* kmalloc() without reclaim, and vmalloc() beyond what it serves. */
	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(p));
	KUNIT_EXPECT_NOT_NULL(test, q);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(q));
	free(p);
	free(q);
}

/*
 * NMI, faked with nmi_enter() under local_irq_save(): kmalloc_nolock()
 * serves up to MALLOC_KMALLOC_MAX, calloc() zeroed, nothing is resized,
 * and free() defers every block to the worker.
 */
#define IN_FAKE_NMI(...) do {				\
	unsigned long __flags;				\
							\
	local_irq_save(__flags);			\
	nmi_enter();					\
	__VA_ARGS__;					\
	nmi_exit();					\
	local_irq_restore(__flags);			\
} while (0)

static long deferred_count(void)
{
	return atomic_long_read(&malloc_deferred_stats.deferred);
}

static long released_count(void)
{
	return atomic_long_read(&malloc_deferred_stats.released);
}

/*
 * Whether kmalloc_nolock() serves in NMI: not on UP, where its trylocks
 * prove nothing, nor on PREEMPT_RT, and only from caches whose freelist
 * takes a double-word cmpxchg (which UML lacks) or that have debugging on.
 */
static bool nolock_in_nmi(void)
{
	struct kmem_cache *s = kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(64)];

	return IS_ENABLED(CONFIG_SMP) && !IS_ENABLED(CONFIG_PREEMPT_RT) &&
	       (s->flags & (__SLAB_FLAG_BIT(_SLAB_CMPXCHG_DOUBLE) | SLAB_DEBUG_FLAGS));
}

static void malloc_test_nmi(struct kunit *test)
{
	size_t n64 = 64, n4k = 4 * 1024;
	void *k = malloc(100), *l = malloc(SZ_16K), *v = malloc(SZ_V64K);
	long deferred, released, nr = 0;
	void *r[7], *big;
	size_t i;

	malloc_flush_deferred();
	deferred = deferred_count();
	released = released_count();

	KUNIT_ASSERT_NOT_NULL(test, k);
	KUNIT_ASSERT_NOT_NULL(test, l);
	KUNIT_ASSERT_NOT_NULL(test, v);
	OPTIMIZER_HIDE_VAR(n64);
	OPTIMIZER_HIDE_VAR(n4k);
	IN_FAKE_NMI({
		r[0] = malloc(n64);
		r[1] = calloc(1, n64);
		r[2] = calloc(4, n4k / 4);
		r[3] = aligned_alloc(64, n64);
		r[4] = realloc(k, 200);
		r[5] = malloc_realloc_gfp(NULL, 0, n64, 8, GFP_KERNEL | __GFP_ZERO,
					  NUMA_NO_NODE);
		r[6] = calloc(1, 64);
		big = malloc(SZ_16K);
		free(k);
		free(l);
		free(v);
	});
	/* realloc() would call krealloc(), which takes locks. */
	KUNIT_EXPECT_NULL(test, r[4]);
	KUNIT_EXPECT_NULL(test, big);
	for (i = 0; i < ARRAY_SIZE(r); i++) {
		if (i == 4)
			continue;
		if (!nolock_in_nmi()) {
			KUNIT_EXPECT_NULL_MSG(test, r[i], "call %zu allocated in NMI", i);
			continue;
		}
		KUNIT_EXPECT_NOT_NULL_MSG(test, r[i], "call %zu in NMI", i);
		if (!r[i])
			continue;
		KUNIT_EXPECT_FALSE_MSG(test, is_vmalloc_addr(r[i]), "call %zu", i);
		KUNIT_EXPECT_GE_MSG(test, ksize(r[i]), i == 2 ? n4k : n64, "call %zu", i);
		if (i != 0 && i != 3)
			KUNIT_EXPECT_TRUE_MSG(test, all_zero(r[i], i == 2 ? n4k : n64),
					      "call %zu", i);
		nr++;
	}
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)r[3], 64));
	/* Freed in NMI too: deferred with the three blocks from task context. */
	IN_FAKE_NMI({
		for (i = 0; i < ARRAY_SIZE(r); i++)
			free(r[i]);
	});
	malloc_flush_deferred();
	KUNIT_EXPECT_EQ(test, deferred_count() - deferred, 3 + nr);
	KUNIT_EXPECT_EQ(test, released_count() - released, 3 + nr);
}

/*
 * Objects smaller than a pointer, freed where free() defers: the link
 * written into them must not read as an overflow to slub_debug's red zone
 * or KFENCE's canary when the worker frees them (a report taints the
 * kernel, which malloc_test_exit() catches).
 */
static void malloc_test_deferred_tiny(struct kunit *test)
{
	unsigned long timeout = jiffies + 10 * HZ;
	void *p[14] = {}, *k;
	size_t i, n = 0;

	for (i = 1; i < 8; i++)
		p[n++] = malloc(i);
	/* KFENCE's objects, if it is on: allocate until it samples some. */
	while (IS_ENABLED(CONFIG_KFENCE) && kfence_sample_interval &&
	       n < ARRAY_SIZE(p) && time_before(jiffies, timeout)) {
		k = malloc(n - 6);
		if (is_kfence_address(k))
			p[n++] = k;
		else
			free(k);
		cond_resched();
	}
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	IN_FAKE_NMI({
		for (i = 0; i < n; i++)
			free(p[i]);
	});
	malloc_flush_deferred();
	KUNIT_EXPECT_FALSE(test, test_taint(TAINT_BAD_PAGE) && !taint_bad_page_at_start);
}

/*
 * A lock that interrupt handlers take, held around free() and realloc() of
 * vmalloc()-backed blocks. Had the family taken the vmap locks there,
 * lockdep would report "HARDIRQ-safe -> HARDIRQ-unsafe lock order" (and
 * SOFTIRQ for the bottom-half lock) and turn itself off: realloc() of such
 * a block returns NULL, leaving it intact, and free() defers.
 */
static DEFINE_RAW_SPINLOCK(hardirq_lock);
static DEFINE_SPINLOCK(softirq_lock);

struct irq_lock_user {
	struct completion done;
	struct hrtimer hrtimer;
	struct timer_list timer;
};

static enum hrtimer_restart take_hardirq_lock(struct hrtimer *t)
{
	struct irq_lock_user *u = container_of(t, struct irq_lock_user, hrtimer);

	raw_spin_lock(&hardirq_lock);
	raw_spin_unlock(&hardirq_lock);
	complete(&u->done);
	return HRTIMER_NORESTART;
}

static void take_softirq_lock(struct timer_list *t)
{
	struct irq_lock_user *u = timer_container_of(u, t, timer);

	spin_lock(&softirq_lock);
	spin_unlock(&softirq_lock);
	complete(&u->done);
}

static void malloc_test_irq_safe_lock(struct kunit *test)
{
	struct irq_lock_user u;
	unsigned long flags;
	u8 *a, *b, *c, *d, *r[4];
	size_t i;

	if (!IS_ENABLED(CONFIG_PROVE_LOCKING))
		kunit_skip(test, "needs CONFIG_PROVE_LOCKING");
	if (!debug_locks)
		kunit_skip(test, "lockdep is off already");

	/* Teach lockdep that an interrupt handler takes each lock. */
	init_completion(&u.done);
	hrtimer_setup(&u.hrtimer, take_hardirq_lock, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	hrtimer_start(&u.hrtimer, ns_to_ktime(100 * NSEC_PER_USEC), HRTIMER_MODE_REL_HARD);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&u.done, 10 * HZ));
	hrtimer_cancel(&u.hrtimer);
	reinit_completion(&u.done);
	timer_setup_on_stack(&u.timer, take_softirq_lock, 0);
	mod_timer(&u.timer, jiffies + 1);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&u.done, 10 * HZ));
	timer_delete_sync(&u.timer);
	timer_destroy_on_stack(&u.timer);

	a = malloc(3 * PAGE_SIZE);
	b = malloc(SZ_V1M);
	c = malloc(3 * PAGE_SIZE);
	d = malloc(SZ_V1M);
	KUNIT_ASSERT_TRUE(test, a && b && c && d);
	KUNIT_ASSERT_TRUE(test, is_vmalloc_addr(a) && is_vmalloc_addr(b));
	fill(b, SZ_V1M, 40);
	fill(d, SZ_V1M, 41);

	raw_spin_lock_irqsave(&hardirq_lock, flags);
	free(a);
	r[0] = realloc(b, SZ_V1M + PAGE_SIZE);
	r[1] = realloc(b, SZ_V64K);
	raw_spin_unlock_irqrestore(&hardirq_lock, flags);

	spin_lock_bh(&softirq_lock);
	free(c);
	r[2] = realloc(d, SZ_V1M + PAGE_SIZE);
	r[3] = realloc(d, SZ_V64K);
	spin_unlock_bh(&softirq_lock);

	/* Finding a vmalloc()ed block's area takes the vmap locks: NULL. */
	for (i = 0; i < ARRAY_SIZE(r); i++)
		KUNIT_EXPECT_NULL_MSG(test, r[i], "realloc() %zu", i);
	KUNIT_EXPECT_EQ(test, first_bad(b, SZ_V1M, 40), SZ_V1M);
	KUNIT_EXPECT_EQ(test, first_bad(d, SZ_V1M, 41), SZ_V1M);
	free(b);
	free(d);
	malloc_flush_deferred();
	KUNIT_EXPECT_TRUE_MSG(test, debug_locks, "lockdep reported a problem and turned off");
}

/*
 * Bursts of frees where the family defers them, as RCU callbacks, timers,
 * NAPI and hardirq handlers free: 10,000 blocks of both backends, freed in
 * one go in hardirq, softirq, a faked NMI and under a raw spinlock. Every
 * block must be released afterwards: the worker releases each block it was
 * given once, each kmalloc()ed block passes through kfree() (the kfree
 * tracepoint; a second kfree() would be a double free, which KASAN and
 * slub_debug report, failing the case), and no vmalloc()ed
 * block is mapped any more: its address maps no page, or another block's
 * (vmalloc() may have used the address again). Nothing may warn.
 */
#define BURST_SLAB	8000
#define BURST_LARGE	1000
#define BURST_VMALLOC	1000
#define BURST		(BURST_SLAB + BURST_LARGE + BURST_VMALLOC)

struct burst {
	struct probe pr;	/* runs burst_free() in the context */
	void **blocks;		/* kmalloc()ed first, sorted, then vmalloc()ed */
	struct page **first;	/* the first page of each vmalloc()ed block */
	unsigned long *seen;	/* which of blocks[] kfree() was called on */
	atomic_t kfreed;	/* how many of them */
};

static int cmp_ptr(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static void probe_kfree(void *data, unsigned long call_site, const void *ptr)
{
	struct burst *b = data;
	void **at = bsearch(&ptr, b->blocks, BURST_SLAB + BURST_LARGE, sizeof(void *),
			    cmp_ptr);

	/* Once a block is freed, its address may serve, and be freed, again. */
	if (at && !test_and_set_bit(at - b->blocks, b->seen))
		atomic_inc(&b->kfreed);
}

static void burst_free(struct probe *pr)
{
	struct burst *b = container_of(pr, struct burst, pr);
	size_t i;

	for (i = 0; i < BURST; i++)
		free(b->blocks[i]);
}

static void in_fake_nmi(struct probe *pr)
{
	IN_FAKE_NMI(pr->run(pr));
}

enum burst_context { BURST_HARDIRQ, BURST_SOFTIRQ, BURST_NMI, BURST_RAW_SPINLOCK };

static const struct context burst_contexts[] = {
	[BURST_HARDIRQ] = { "hardirq", in_hrtimer_hard, HARDIRQ, true },
	[BURST_SOFTIRQ] = { "softirq", in_timer, SOFTIRQ, false },
	[BURST_NMI] = { "nmi", in_fake_nmi, HARDIRQ, true },
	[BURST_RAW_SPINLOCK] = { "raw_spin_lock", in_raw_spin_lock, TASK, true },
};

KUNIT_ARRAY_PARAM(malloc_burst, burst_contexts, context_desc);

static void malloc_test_deferred_burst(struct kunit *test)
{
	const struct context *c = test->param_value;
	/* Where kfree() may not be called: where no lock may be taken. */
	bool kdefer = c == &burst_contexts[BURST_NMI] || context_nolock(c);
	/*
	 * vmalloc()ed blocks: vfree_atomic() where the vmap locks may be
	 * taken (under a raw spinlock, interrupts on, where locks may be
	 * taken), the family's deferral elsewhere.
	 */
	bool vdefer = c != &burst_contexts[BURST_RAW_SPINLOCK] || context_nolock(c);
	long want = (vdefer ? BURST_VMALLOC : 0) + (kdefer ? BURST_SLAB + BURST_LARGE : 0);
	unsigned long timeout;
	long deferred, released, peak;
	size_t mapped = 0;
	struct burst *b;
	size_t i, n;
	int err;

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	b->blocks = kvcalloc(BURST, sizeof(void *), GFP_KERNEL);
	b->first = kvcalloc(BURST_VMALLOC, sizeof(struct page *), GFP_KERNEL);
	b->seen = bitmap_zalloc(BURST, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->blocks);
	KUNIT_ASSERT_NOT_NULL(test, b->first);
	KUNIT_ASSERT_NOT_NULL(test, b->seen);
	b->pr.test = test;
	b->pr.run = burst_free;
	init_completion(&b->pr.done);
	malloc_flush_deferred();
	for (i = 0; i < BURST; i++) {
		if (i < BURST_SLAB)
			n = i % 16 < 8 ? i % 8 + 1 : 1 + (i * 37) % 2048;
		else if (i < BURST_SLAB + BURST_LARGE)
			n = SZ_16K;
		else
			n = 3 * PAGE_SIZE;
		b->blocks[i] = malloc(n);
		KUNIT_ASSERT_NOT_NULL(test, b->blocks[i]);
		KUNIT_ASSERT_EQ(test, is_vmalloc_addr(b->blocks[i]), i >= BURST_SLAB + BURST_LARGE);
	}
	for (i = 0; i < BURST_VMALLOC; i++)
		b->first[i] = vmalloc_to_page(b->blocks[BURST_SLAB + BURST_LARGE + i]);
	sort(b->blocks, BURST_SLAB + BURST_LARGE, sizeof(void *), cmp_ptr, NULL);
	err = register_trace_kfree(probe_kfree, b);
	KUNIT_ASSERT_EQ(test, err, 0);

	malloc_flush_deferred();
	deferred = deferred_count();
	released = released_count();
	atomic_long_set(&malloc_deferred_stats.peak, 0);

	c->run(&b->pr);
	malloc_flush_deferred();
	peak = atomic_long_read(&malloc_deferred_stats.peak);
	unregister_trace_kfree(probe_kfree, b);
	tracepoint_synchronize_unregister();

	KUNIT_EXPECT_EQ(test, deferred_count() - deferred, want);
	KUNIT_EXPECT_EQ(test, released_count() - released, want);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->kfreed), BURST_SLAB + BURST_LARGE);
	/* vfree_atomic()'s worker has no flush: give it ten seconds. */
	timeout = jiffies + 10 * HZ;
	for (i = 0; i < BURST_VMALLOC; i++)
		while (vmalloc_to_page(b->blocks[BURST_SLAB + BURST_LARGE + i]) == b->first[i]) {
			if (time_after(jiffies, timeout)) {
				mapped++;
				break;
			}
			msleep(20);
		}
	KUNIT_EXPECT_EQ_MSG(test, mapped, 0, "vmalloc()ed blocks still mapped");
	kunit_info(test, "%s: %d blocks freed, %ld deferred, %ld released, %ld pending at most\n",
		   c->name, BURST, deferred_count() - deferred,
		   released_count() - released, peak);
	bitmap_free(b->seen);
	kvfree(b->first);
	kvfree(b->blocks);
}

/*
 * free() in a probe on the sched_switch tracepoint, which runs with the
 * runqueue lock held and interrupts disabled, as a BPF program attached
 * there does: kmalloc()ed, large kmalloc() and vmalloc()ed blocks. The
 * deferral kicks its worker through an irq_work, which takes no lock, and
 * never queues work from here: queue_work() takes the workqueue pool's
 * lock, and waking a worker takes pi_lock and a runqueue lock, which
 * lockdep would report as a circular dependency. Every block is released,
 * and lockdep stays on (malloc_test_exit()).
 */
#define SCHED_BLOCKS	300

struct sched_free {
	void *blocks[SCHED_BLOCKS];
	atomic_t next;
	atomic_t freed;
	struct tracepoint *tp;
};

static void probe_sched_switch(void *data, bool preempt, struct task_struct *prev,
			       struct task_struct *next, unsigned int prev_state)
{
	struct sched_free *sf = data;
	int i, n;

	for (i = 0; i < 4; i++) {
		n = atomic_inc_return(&sf->next) - 1;
		if (n >= SCHED_BLOCKS)
			return;
		free(sf->blocks[n]);
		atomic_inc(&sf->freed);
	}
}

static void find_sched_switch(struct tracepoint *tp, void *priv)
{
	struct sched_free *sf = priv;

	if (!strcmp(tp->name, "sched_switch"))
		sf->tp = tp;
}

static void malloc_test_sched_switch_probe(struct kunit *test)
{
	static const size_t sizes[] = { 64, 700, SZ_16K, SZ_V64K };
	unsigned long timeout = jiffies + 20 * HZ;
	long deferred, released;
	struct sched_free *sf;
	int i, err;

	if (!IS_ENABLED(CONFIG_TRACEPOINTS))
		kunit_skip(test, "needs CONFIG_TRACEPOINTS");
	sf = kunit_kzalloc(test, sizeof(*sf), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sf);
	for_each_kernel_tracepoint(find_sched_switch, sf);
	if (!sf->tp)
		kunit_skip(test, "no sched_switch tracepoint");
	for (i = 0; i < SCHED_BLOCKS; i++) {
		sf->blocks[i] = malloc(sizes[i % ARRAY_SIZE(sizes)]);
		KUNIT_ASSERT_NOT_NULL(test, sf->blocks[i]);
	}
	malloc_flush_deferred();
	deferred = deferred_count();
	released = released_count();

	err = tracepoint_probe_register(sf->tp, probe_sched_switch, sf);
	KUNIT_ASSERT_EQ(test, err, 0);
	while (atomic_read(&sf->freed) < SCHED_BLOCKS && time_before(jiffies, timeout))
		usleep_range(500, 1000);
	tracepoint_probe_unregister(sf->tp, probe_sched_switch, sf);
	tracepoint_synchronize_unregister();
	malloc_flush_deferred();

	KUNIT_EXPECT_EQ(test, atomic_read(&sf->freed), SCHED_BLOCKS);
	/* Interrupts are off there: the vmalloc()ed blocks, at least, wait. */
	KUNIT_EXPECT_GE(test, deferred_count() - deferred, SCHED_BLOCKS / 4);
	KUNIT_EXPECT_EQ(test, released_count() - released, deferred_count() - deferred);
	/* malloc_test_exit() checks that lockdep stayed on. */
}

/*
 * The cap on vmalloc() where the caller may not sleep (malloc.atomic_max=):
 * under a spinlock a request over it fails at once with NULL, and one at it
 * succeeds; realloc() that would grow a block over it fails and leaves the
 * block alone. Where the caller may sleep there is no cap. Checked at the
 * default, and at 6 MiB, a cap set at run time as the boot parameter would.
 */
static void expect_atomic_cap(struct kunit *test, size_t cap)
{
	u8 *p, *q, *over, *at;

	spin_lock(&test_lock);
	over = malloc(cap + 1);
	at = malloc(cap);
	spin_unlock(&test_lock);
	KUNIT_EXPECT_NULL_MSG(test, over, "%zu bytes under a spinlock, cap %zu", cap + 1, cap);
	KUNIT_EXPECT_NOT_NULL_MSG(test, at, "%zu bytes under a spinlock, cap %zu", cap, cap);
	KUNIT_EXPECT_TRUE(test, !at || is_vmalloc_addr(at));
	free(over);
	free(at);

	spin_lock(&test_lock);
	over = calloc(cap / PAGE_SIZE + 1, PAGE_SIZE);
	p = malloc(SZ_V1M);
	spin_unlock(&test_lock);
	KUNIT_EXPECT_NULL(test, over);
	free(over);
	KUNIT_ASSERT_NOT_NULL(test, p);
	fill(p, SZ_V1M, 61);
	spin_lock(&test_lock);
	q = realloc(p, cap + PAGE_SIZE);
	spin_unlock(&test_lock);
	KUNIT_EXPECT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, first_bad(p, SZ_V1M, 61), SZ_V1M);

	/* No cap where the caller may sleep. */
	q = realloc(p, cap + PAGE_SIZE);
	KUNIT_EXPECT_NOT_NULL(test, q);
	free(q ?: p);
}

static void malloc_test_atomic_cap(struct kunit *test)
{
	unsigned long saved = READ_ONCE(*malloc_atomic_max_param);

	KUNIT_EXPECT_EQ(test, saved, MALLOC_ATOMIC_VMALLOC_MAX);
	expect_atomic_cap(test, saved);
	WRITE_ONCE(*malloc_atomic_max_param, 6 * SZ_1M);
	expect_atomic_cap(test, 6 * SZ_1M);
	WRITE_ONCE(*malloc_atomic_max_param, saved);
}

#ifdef CONFIG_MEMCG
/*
 * malloc_account(), calloc_account(), realloc_account() and
 * malloc_realloc_gfp() with __GFP_ACCOUNT charge the memory cgroup of the
 * caller, on both backends; malloc() does not. The cgroup is made for the
 * test on a cgroup2 mount of the kernel's own, with the memory controller
 * enabled, and the test task allocates as a member through
 * set_active_memcg(), as kernel threads that charge a cgroup do.
 */
struct test_memcg {
	struct vfsmount *mnt;
	struct dentry *dir;
	struct cgroup *cgrp;
	struct cgroup_subsys_state *css;
};

static int cgroup_file_write(struct vfsmount *mnt, const char *name, const char *s)
{
	struct file *f = file_open_root_mnt(mnt, name, O_WRONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, s, strlen(s), &pos);
	fput(f);
	return n < 0 ? n : 0;
}

static void test_memcg_destroy(struct test_memcg *t)
{
	struct inode *root;

	if (t->css)
		css_put(t->css);
	if (t->cgrp)
		cgroup_put(t->cgrp);
	if (!IS_ERR_OR_NULL(t->dir)) {
		root = d_inode(t->mnt->mnt_root);
		inode_lock_nested(root, I_MUTEX_PARENT);
		vfs_rmdir(&nop_mnt_idmap, root, t->dir, NULL);
		inode_unlock(root);
		dput(t->dir);
	}
	if (!IS_ERR_OR_NULL(t->mnt))
		kern_unmount(t->mnt);
}

/* A child memory cgroup of the root, or an error message. */
static const char *test_memcg_create(struct test_memcg *t)
{
	struct file_system_type *type = get_fs_type("cgroup2");
	struct inode *root;
	int err;

	if (!type)
		return "no cgroup2 file system";
	t->mnt = kern_mount(type);
	put_filesystem(type);
	if (IS_ERR(t->mnt))
		return "cannot mount cgroup2";
	if (cgroup_file_write(t->mnt, "cgroup.subtree_control", "+memory"))
		return "cannot enable the memory controller";
	root = d_inode(t->mnt->mnt_root);
	inode_lock_nested(root, I_MUTEX_PARENT);
	t->dir = lookup_noperm(&QSTR("malloc_test"), t->mnt->mnt_root);
	/* On failure vfs_mkdir() puts the dentry and returns an error. */
	if (!IS_ERR(t->dir))
		t->dir = vfs_mkdir(&nop_mnt_idmap, root, t->dir, 0755, NULL);
	err = PTR_ERR_OR_ZERO(t->dir);
	inode_unlock(root);
	if (err)
		return "cannot create the cgroup";
	t->cgrp = cgroup_get_from_path("/malloc_test");
	if (IS_ERR(t->cgrp)) {
		t->cgrp = NULL;
		return "cannot find the cgroup";
	}
	t->css = cgroup_get_e_css(t->cgrp, &memory_cgrp_subsys);
	return NULL;
}

/* The memory cgroup a block of the family is charged to, or NULL. */
static struct mem_cgroup *block_memcg(void *p)
{
	if (is_vmalloc_addr(p))
		return folio_memcg_check(page_folio(vmalloc_to_page(p)));
	return mem_cgroup_from_virt(p);
}

static void malloc_test_account(struct kunit *test)
{
	struct test_memcg t = {};
	struct mem_cgroup *memcg, *old;
	bool charged[6] = {};
	const char *why;
	void *p[6];
	size_t i;

	why = test_memcg_create(&t);
	if (why) {
		test_memcg_destroy(&t);
		KUNIT_FAIL_AND_ABORT(test, "%s", why);
	}
	memcg = mem_cgroup_from_css(t.css);

	old = set_active_memcg(memcg);
	p[0] = malloc_account(100);				/* slab */
	p[1] = calloc_account(1, SZ_V64K);			/* vmalloc() */
	p[2] = realloc_account(NULL, SZ_16K);			/* large kmalloc() */
	p[3] = malloc_realloc_gfp(NULL, 0, 200, 8, GFP_KERNEL_ACCOUNT, NUMA_NO_NODE);
	p[4] = realloc_account(malloc_account(50), SZ_V1M);	/* moved, still charged */
	p[5] = malloc(100);					/* not accounted */
	set_active_memcg(old);

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		if (p[i]) {
			rcu_read_lock();
			charged[i] = block_memcg(p[i]) == memcg;
			rcu_read_unlock();
		}
		KUNIT_EXPECT_NOT_NULL_MSG(test, p[i], "block %zu", i);
		KUNIT_EXPECT_EQ_MSG(test, charged[i], i < 5, "block %zu", i);
		free(p[i]);
	}
	malloc_flush_deferred();
	test_memcg_destroy(&t);
}
#else
static void malloc_test_account(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_MEMCG");
}
#endif

#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
/*
 * Fault injection, limited to this task: find the fault_attr behind
 * /sys/kernel/debug/<dir>/ (debugfs need not be mounted), and make every
 * allocation of a task with make_it_fail set fail.
 */
struct inject {
	struct fault_attr *attr;
	struct fault_attr saved;
	bool *ignore_wait, *ignore_highmem;
	bool saved_ignore_wait, saved_ignore_highmem;
	u32 *min_order;
	u32 saved_min_order;
};

static void *debugfs_data(struct dentry *dir, const char *name)
{
	struct dentry *d = debugfs_lookup(name, dir);
	void *data;

	if (IS_ERR_OR_NULL(d))
		return NULL;
	data = d_inode(d)->i_private;
	dput(d);
	return data;
}

static bool inject_setup(struct inject *inj, const char *name)
{
	struct dentry *dir = debugfs_lookup(name, NULL);
	unsigned long *prob;

	if (IS_ERR_OR_NULL(dir))
		return false;
	prob = debugfs_data(dir, "probability");
	inj->ignore_wait = debugfs_data(dir, "ignore-gfp-wait");
	inj->ignore_highmem = debugfs_data(dir, "ignore-gfp-highmem");
	inj->min_order = debugfs_data(dir, "min-order");
	dput(dir);
	if (!prob || !inj->ignore_wait)
		return false;

	inj->attr = container_of(prob, struct fault_attr, probability);
	inj->saved = *inj->attr;
	inj->saved_ignore_wait = *inj->ignore_wait;
	inj->attr->probability = 100;
	inj->attr->interval = 1;
	atomic_set(&inj->attr->times, -1);
	atomic_set(&inj->attr->space, 0);
	inj->attr->verbose = 0;
	inj->attr->task_filter = true;
	*inj->ignore_wait = false;
	/* vmalloc() asks for __GFP_HIGHMEM pages of order 0. */
	if (inj->ignore_highmem) {
		inj->saved_ignore_highmem = *inj->ignore_highmem;
		*inj->ignore_highmem = false;
	}
	if (inj->min_order) {
		inj->saved_min_order = *inj->min_order;
		*inj->min_order = 0;
	}
	return true;
}

static void inject_restore(struct inject *inj)
{
	inj->attr->probability = inj->saved.probability;
	inj->attr->interval = inj->saved.interval;
	atomic_set(&inj->attr->times, atomic_read(&inj->saved.times));
	atomic_set(&inj->attr->space, atomic_read(&inj->saved.space));
	inj->attr->verbose = inj->saved.verbose;
	inj->attr->task_filter = inj->saved.task_filter;
	*inj->ignore_wait = inj->saved_ignore_wait;
	if (inj->ignore_highmem)
		*inj->ignore_highmem = inj->saved_ignore_highmem;
	if (inj->min_order)
		*inj->min_order = inj->saved_min_order;
}

static void inject(bool on)
{
	current->make_it_fail = on;
}

/* Live, filled blocks on both backends, allocated before injecting. */
static bool inject_blocks(struct kunit *test, struct inject *inj, u8 **p,
			  u8 **big, u8 seed)
{
	*p = malloc(64);
	*big = malloc(SZ_V64K);
	if (!*p || !*big) {
		inject_restore(inj);
		KUNIT_FAIL(test, "allocation failed before injection");
		free(*p);
		free(*big);
		return false;
	}
	fill(*p, 64, seed);
	fill(*big, SZ_V64K, seed + 1);
	return true;
}

static void malloc_test_failslab(struct kunit *test)
{
	struct inject inj;
	u8 *p, *q, *r, *big, *shrunk;
	void *m, *c, *a;

	if (!IS_ENABLED(CONFIG_FAILSLAB) || !inject_setup(&inj, "failslab"))
		kunit_skip(test, "needs CONFIG_FAILSLAB and debugfs");

	if (!inject_blocks(test, &inj, &p, &big, 9))
		return;

	inject(true);
	m = malloc(64);
	c = calloc(4, 16);
	a = aligned_alloc(128, 64);
	q = realloc(p, 1000);		/* kmalloc() to kmalloc() */
	r = reallocarray(p, 3, 100);
	shrunk = realloc(big, 100);	/* vmalloc() to kmalloc(): in place */
	inject(false);
	inject_restore(&inj);

	KUNIT_EXPECT_NULL(test, m);
	KUNIT_EXPECT_NULL(test, c);
	KUNIT_EXPECT_NULL(test, a);
	KUNIT_EXPECT_NULL(test, q);
	KUNIT_EXPECT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, first_bad(p, 64, 9), 64);
	KUNIT_EXPECT_PTR_EQ(test, shrunk, big);
	KUNIT_EXPECT_EQ(test, first_bad(shrunk, 100, 10), 100);
	free(p);
	free(shrunk);
}

static void malloc_test_fail_page_alloc(struct kunit *test)
{
	struct inject inj;
	u8 *p, *big, *q, *r, *s;
	void *m, *c, *a;

	if (!IS_ENABLED(CONFIG_FAIL_PAGE_ALLOC) ||
	    !inject_setup(&inj, "fail_page_alloc"))
		kunit_skip(test, "needs CONFIG_FAIL_PAGE_ALLOC and debugfs");

	if (!inject_blocks(test, &inj, &p, &big, 11))
		return;

	inject(true);
	m = malloc(SZ_KMAX + 1);
	c = calloc(SZ_V1M, 1);
	a = aligned_alloc(4 * PAGE_SIZE, SZ_V64K);
	q = realloc(p, SZ_KMAX + 1);	/* kmalloc() to vmalloc() */
	r = realloc(big, SZ_V1M);	/* vmalloc() to a larger area */
	s = reallocarray(big, 2, SZ_V64K);
	inject(false);
	inject_restore(&inj);

	KUNIT_EXPECT_NULL(test, m);
	KUNIT_EXPECT_NULL(test, c);
	KUNIT_EXPECT_NULL(test, a);
	KUNIT_EXPECT_NULL(test, q);
	KUNIT_EXPECT_NULL(test, r);
	KUNIT_EXPECT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, first_bad(p, 64, 11), 64);
	KUNIT_EXPECT_EQ(test, first_bad(big, SZ_V64K, 12), SZ_V64K);
	free(p);
	free(big);
}

/*
 * vmalloc() without reclaim, failing midway: under a spinlock, every n-th
 * page allocation of a MALLOC_ATOMIC_MAX + 1 request fails, for n from 1
 * to 8. The first to fail is the page array's (itself vmalloc()ed at this
 * size), one of a batch of data pages, or a single page after a short
 * batch; page tables and KASAN shadow where they are needed. With every
 * page allocation failing, the request fails, quietly; sparser failures
 * vmalloc() may absorb by allocating single pages. Either way nothing
 * warns, and once the areas that could not be completed are freed,
 * vmalloc() holds as many pages as before, and the same request succeeds
 * without injection.
 */
/* One request per interval; with every allocation failing, a quiet NULL. */
static void fail_vmalloc_round(struct kunit *test, struct inject *inj, size_t n)
{
	void *p;
	int i;

	for (i = 1; i <= 8; i++) {
		inj->attr->interval = i;
		inj->attr->count = 0;

		inject(true);
		spin_lock(&test_lock);
		p = malloc(n);
		spin_unlock(&test_lock);
		inject(false);

		/* Sparser failures may be absorbed by single-page retries. */
		if (i == 1)
			KUNIT_EXPECT_NULL_MSG(test, p, "every %d-th page allocation failing", i);
		if (p)
			KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
		free(p);
	}
}

/*
 * Wait for vmalloc()'s worker to free the incomplete areas, until no more
 * than @limit pages are vmalloc()ed.
 */
static unsigned long vmalloc_settle(unsigned long limit)
{
	int i;

	malloc_flush_deferred();
	for (i = 0; i < 500 && global_node_page_state(NR_VMALLOC) > limit; i++)
		msleep(20);
	return global_node_page_state(NR_VMALLOC);
}

static void malloc_test_fail_vmalloc_nowait(struct kunit *test)
{
	const size_t n = MALLOC_ATOMIC_MAX + 1;
	/*
	 * The workqueue workers the kernel may start meanwhile have
	 * vmalloc()ed stacks with CONFIG_VMAP_STACK. A leak would be larger:
	 * over four rounds, each request that fails after its page array
	 * was allocated holds three pages or more.
	 */
	const unsigned long slack = IS_ENABLED(CONFIG_VMAP_STACK) ?
				    2 * (THREAD_SIZE >> PAGE_SHIFT) : 0;
	unsigned long start;
	struct inject inj;
	size_t off;
	u8 *p;
	int r;

	if (!IS_BUILTIN(CONFIG_MALLOC_KUNIT_TEST))
		kunit_skip(test, "global_node_page_state(NR_VMALLOC) is not exported");
	if (!IS_ENABLED(CONFIG_FAIL_PAGE_ALLOC) ||
	    !inject_setup(&inj, "fail_page_alloc"))
		kunit_skip(test, "needs CONFIG_FAIL_PAGE_ALLOC and debugfs");

	/* A first round, not counted, lets such workers start. */
	start = vmalloc_settle(ULONG_MAX);
	fail_vmalloc_round(test, &inj, n);
	start = vmalloc_settle(start + slack);
	for (r = 0; r < 4; r++)
		fail_vmalloc_round(test, &inj, n);
	inject_restore(&inj);

	spin_lock(&test_lock);
	p = malloc(n);
	if (p)
		for (off = 0; off < n; off += PAGE_SIZE)
			p[off] = 1;
	spin_unlock(&test_lock);
	KUNIT_EXPECT_TRUE(test, p && is_vmalloc_addr(p));
	free(p);

	KUNIT_EXPECT_LE(test, vmalloc_settle(start + slack), start + slack);
}

/*
 * Every context of the context suite and a faked NMI, at 64 bytes, 8 KiB,
 * 64 KiB and 8 MiB, with and without the kmalloc() attempt failing: the
 * result is the documented backend or NULL, never a BUG (7.2's vmalloc()
 * BUGs in hardirq and NMI, and kvmalloc() falls back to it whenever
 * kmalloc() fails). failslab fails the kmalloc caches' 64 bytes and
 * 8 KiB, fail_page_alloc the page allocator's 64 KiB; 8 MiB is beyond
 * kmalloc(). In task context the failure is injected into the test task
 * alone, deterministically; in an interrupt, into the next allocation
 * anywhere, which may be another CPU's, and then kmalloc() succeeds.
 */
static const size_t inject_sizes[] = { 64, SZ_8K, SZ_64K, SZ_8M };

struct inject_probe {
	struct probe pr;
	struct inject slab, page;
	enum block_kind kind[ARRAY_SIZE(inject_sizes)][2];
	bool task;
};

static void inject_work(struct probe *pr)
{
	struct inject_probe *ip = container_of(pr, struct inject_probe, pr);
	bool task = in_task();
	struct inject *inj;
	size_t i;
	int fail;
	void *p;

	ip->task = task;
	for (i = 0; i < ARRAY_SIZE(inject_sizes); i++)
		for (fail = 0; fail < 2; fail++) {
			inj = inject_sizes[i] <= SZ_8K ? &ip->slab : &ip->page;
			if (fail && inject_sizes[i] <= KMALLOC_MAX_SIZE) {
				inj->attr->task_filter = task;
				atomic_set(&inj->attr->times, 1);
				if (task)
					current->make_it_fail = true;
			}
			p = malloc(inject_sizes[i]);
			if (task)
				current->make_it_fail = false;
			atomic_set(&inj->attr->times, 0);
			inj->attr->task_filter = true;
			ip->kind[i][fail] = block_kind(p);
			free(p);
		}
}

static const struct context inject_contexts[] = {
	{ "task", NULL, TASK, false, true, true },
	{ "preempt_disable", in_preempt_disable, TASK, true, true, false },
	{ "spin_lock", in_spin_lock, TASK, false, true, true },
	{ "spin_lock_irqsave", in_spin_lock_irqsave, TASK, false, false, true },
	{ "raw_spin_lock", in_raw_spin_lock, TASK, true, true, false },
	{ "local_irq_disable", in_local_irq_disable, TASK, true, false, false },
	{ "local_bh_disable", in_local_bh_disable, TASK, false, false, false },
	{ "rcu_read_lock", in_rcu_read_lock, TASK, false, true, true },
	{ "timer", in_timer, SOFTIRQ, false, false, false },
	{ "hrtimer_hard", in_hrtimer_hard, HARDIRQ, true, false, false },
	{ "irq_work_hard", in_irq_work_hard, HARDIRQ, true, false, false },
	{ "nmi", in_fake_nmi, HARDIRQ, true, false, false },
};

KUNIT_ARRAY_PARAM(malloc_inject, inject_contexts, context_desc);

static void malloc_test_context_inject(struct kunit *test)
{
	const struct context *c = test->param_value;
	bool nmi = c->run == in_fake_nmi;
	bool none = nmi || context_nolock(c);
	bool vmap = !none && (IS_ENABLED(CONFIG_PREEMPT_RT) ? c->vmap_rt : c->vmap);
	struct inject_probe *ip = kunit_kzalloc(test, sizeof(*ip), GFP_KERNEL);
	enum block_kind k;
	size_t i, n;
	int fail;

	KUNIT_ASSERT_NOT_NULL(test, ip);
	if (!IS_ENABLED(CONFIG_FAILSLAB) || !IS_ENABLED(CONFIG_FAIL_PAGE_ALLOC) ||
	    !inject_setup(&ip->slab, "failslab"))
		kunit_skip(test, "needs CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC and debugfs");
	if (!inject_setup(&ip->page, "fail_page_alloc")) {
		inject_restore(&ip->slab);
		kunit_skip(test, "needs CONFIG_FAIL_PAGE_ALLOC and debugfs");
	}
	atomic_set(&ip->slab.attr->times, 0);
	atomic_set(&ip->page.attr->times, 0);
	ip->pr.test = test;
	ip->pr.run = inject_work;
	init_completion(&ip->pr.done);

	if (c->run)
		c->run(&ip->pr);
	else
		inject_work(&ip->pr);
	inject_restore(&ip->page);
	inject_restore(&ip->slab);
	malloc_flush_deferred();

	KUNIT_EXPECT_EQ(test, ip->task, c->kind == TASK);
	for (i = 0; i < ARRAY_SIZE(inject_sizes); i++)
		for (fail = 0; fail < 2; fail++) {
			n = inject_sizes[i];
			k = ip->kind[i][fail];
			if (!vmap)
				KUNIT_EXPECT_NE_MSG(test, k, VMALLOC_BLOCK, "%zu bytes%s", n,
						    fail ? ", kmalloc() failing" : "");
			if (none && n > MALLOC_KMALLOC_MAX)
				KUNIT_EXPECT_EQ_MSG(test, k, NO_BLOCK, "%zu bytes", n);
			if (vmap && n > KMALLOC_MAX_SIZE)
				KUNIT_EXPECT_EQ_MSG(test, k, VMALLOC_BLOCK, "%zu bytes", n);
			if (!none && !fail && n <= MALLOC_KMALLOC_MAX)
				KUNIT_EXPECT_EQ_MSG(test, k, KMALLOC_BLOCK, "%zu bytes", n);
			if (!fail || c->kind != TASK || none || n > KMALLOC_MAX_SIZE)
				continue;
			/* Injected into this task: kmalloc() failed. */
			KUNIT_EXPECT_EQ_MSG(test, k,
					    vmap && n > PAGE_SIZE ? VMALLOC_BLOCK : NO_BLOCK,
					    "%zu bytes, kmalloc() failing", n);
		}
}
#else
static void malloc_test_failslab(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_FAULT_INJECTION_DEBUG_FS");
}

static void malloc_test_fail_page_alloc(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_FAULT_INJECTION_DEBUG_FS");
}

static void malloc_test_fail_vmalloc_nowait(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_FAULT_INJECTION_DEBUG_FS");
}

static const struct context inject_contexts[] = {
	{ "task", NULL, TASK },
};

KUNIT_ARRAY_PARAM(malloc_inject, inject_contexts, context_desc);

static void malloc_test_context_inject(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_FAULT_INJECTION_DEBUG_FS");
}
#endif /* CONFIG_FAULT_INJECTION_DEBUG_FS */

/*
 * Bad pointers: free() and realloc() of a pointer that is not where a block
 * of the family starts report it once, naming the caller, and leave it
 * alone. Each case checks the report and that live blocks are intact. These
 * cases warn on purpose, so they are a suite of their own, run after the
 * one that fails on warnings.
 */
struct bad_ctx {
	u8 *k, *v;	/* live kmalloc() and vmalloc() blocks */
	long reports;
};

static void bad_begin(struct kunit *test, struct bad_ctx *c)
{
	c->k = malloc(128);
	c->v = malloc(SZ_V64K);
	KUNIT_ASSERT_NOT_NULL(test, c->k);
	KUNIT_ASSERT_NOT_NULL(test, c->v);
	fill(c->k, 128, 20);
	fill(c->v, SZ_V64K, 21);
	c->reports = atomic_long_read(&malloc_bad_pointers);
}

/* Exactly @n reports since bad_begin(), and the live blocks intact. */
static void bad_end(struct kunit *test, struct bad_ctx *c, long n)
{
	KUNIT_EXPECT_EQ(test, atomic_long_read(&malloc_bad_pointers) - c->reports, n);
	KUNIT_EXPECT_EQ(test, first_bad(c->k, 128, 20), 128);
	KUNIT_EXPECT_EQ(test, first_bad(c->v, SZ_V64K, 21), SZ_V64K);
	free(c->k);
	free(c->v);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&malloc_bad_pointers) - c->reports, n);
}

static void malloc_bad_double_free_vmalloc(struct kunit *test)
{
	struct bad_ctx c;
	void *p = malloc(SZ_V1M);

	KUNIT_ASSERT_NOT_NULL(test, p);
	bad_begin(test, &c);
	free(p);
	free(p);
	KUNIT_EXPECT_NULL(test, realloc(p, 10));
	bad_end(test, &c, 2);
}

static void malloc_bad_interior(struct kunit *test)
{
	struct bad_ctx c;

	bad_begin(test, &c);
	free(c.k + 8);
	free(c.v + PAGE_SIZE);	/* page aligned, inside the area */
	free(c.v + 1);
	KUNIT_EXPECT_NULL(test, realloc(c.k + 64, 10));
	KUNIT_EXPECT_NULL(test, realloc(c.v + PAGE_SIZE, SZ_V1M));
	bad_end(test, &c, 5);
}

static u8 bad_global[64];

static void malloc_bad_stack_and_global(struct kunit *test)
{
	struct bad_ctx c;
	u8 on_stack[64];

	memset(on_stack, 0x11, sizeof(on_stack));
	memset(bad_global, 0x22, sizeof(bad_global));
	bad_begin(test, &c);
	free(on_stack);
	free(bad_global);
	free(&malloc_bad_pointers);
	KUNIT_EXPECT_NULL(test, realloc(on_stack, 128));
	KUNIT_EXPECT_NULL(test, realloc(bad_global, 128));
	bad_end(test, &c, 5);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(on_stack, 0x11, sizeof(on_stack)));
	KUNIT_EXPECT_TRUE(test, !memchr_inv(bad_global, 0x22, sizeof(bad_global)));
}

static void malloc_bad_pages(struct kunit *test)
{
	struct page *page0 = alloc_page(GFP_KERNEL);
	struct page *page1 = alloc_pages(GFP_KERNEL, 1);
	struct bad_ctx c;

	KUNIT_ASSERT_NOT_NULL(test, page0);
	KUNIT_ASSERT_NOT_NULL(test, page1);
	memset(page_address(page0), 0x33, PAGE_SIZE);
	memset(page_address(page1), 0x44, 2 * PAGE_SIZE);
	bad_begin(test, &c);
	free(page_address(page0));
	free(page_address(page1));
	KUNIT_EXPECT_NULL(test, realloc(page_address(page0), 100));
	bad_end(test, &c, 3);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(page_address(page0), 0x33, PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, !memchr_inv(page_address(page1), 0x44, 2 * PAGE_SIZE));
	__free_page(page0);
	__free_pages(page1, 1);
}

/*
 * @obj, a 96-byte object of @cache, is refused by free() and realloc() and
 * left as it was; then it and @cache are freed.
 */
static void expect_refused_object(struct kunit *test, struct kmem_cache *cache,
				  void *obj, int fill_byte)
{
	struct bad_ctx c;

	memset(obj, fill_byte, 96);
	bad_begin(test, &c);
	free(obj);
	KUNIT_EXPECT_NULL(test, realloc(obj, 200));
	bad_end(test, &c, 2);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(obj, fill_byte, 96));
	kmem_cache_free(cache, obj);
	kmem_cache_destroy(cache);
}

static void malloc_bad_kmem_cache(struct kunit *test)
{
	struct kmem_cache *cache = kmem_cache_create("malloc_test", 96, 0,
						     SLAB_NO_MERGE, NULL);
	void *obj;

	KUNIT_ASSERT_NOT_NULL(test, cache);
	obj = kmem_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	expect_refused_object(test, cache, obj, 0x55);
}

/*
 * Compound pages from alloc_pages(__GFP_COMP): the first page of one looks
 * like a large kmalloc() block, but has no large_kmalloc page type. free()
 * must not drop the owner's reference.
 */
static void malloc_bad_compound_pages(struct kunit *test)
{
	struct page *pages[4];
	struct bad_ctx c;
	unsigned int order;

	for (order = 0; order < ARRAY_SIZE(pages); order++) {
		pages[order] = alloc_pages(GFP_KERNEL | __GFP_COMP, order);
		KUNIT_ASSERT_NOT_NULL(test, pages[order]);
		memset(page_address(pages[order]), 0x66, PAGE_SIZE << order);
	}
	bad_begin(test, &c);
	for (order = 0; order < ARRAY_SIZE(pages); order++) {
		free(page_address(pages[order]));
		KUNIT_EXPECT_NULL(test, realloc(page_address(pages[order]), 100));
	}
	bad_end(test, &c, 2 * ARRAY_SIZE(pages));
	for (order = 0; order < ARRAY_SIZE(pages); order++) {
		KUNIT_EXPECT_EQ_MSG(test, page_ref_count(pages[order]), 1, "order %u", order);
		KUNIT_EXPECT_TRUE(test, !memchr_inv(page_address(pages[order]), 0x66,
						    PAGE_SIZE << order));
		__free_pages(pages[order], order);
	}
}

/*
 * KFENCE samples objects of every cache: one of a kmem_cache_create()
 * cache is not a kmalloc() block, however KFENCE placed it.
 */
static void malloc_bad_kfence_kmem_cache(struct kunit *test)
{
	unsigned long timeout = jiffies + 20 * HZ;
	struct kmem_cache *cache;
	void *obj;

	if (!IS_ENABLED(CONFIG_KFENCE) || !kfence_sample_interval)
		kunit_skip(test, "needs KFENCE sampling");
	cache = kmem_cache_create("malloc_test_kfence", 96, 0, SLAB_NO_MERGE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, cache);
	do {
		obj = kmem_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, obj);
		if (is_kfence_address(obj))
			break;
		kmem_cache_free(cache, obj);
		obj = NULL;
		cond_resched();
	} while (time_before(jiffies, timeout));
	if (!obj) {
		kmem_cache_destroy(cache);
		KUNIT_FAIL_AND_ABORT(test, "KFENCE sampled no object of the cache");
	}
	expect_refused_object(test, cache, obj, 0x77);
}

/*
 * The report names the function that called reallocarray(), realloc() or
 * malloc_realloc_gfp().
 */
static void malloc_bad_report_caller(struct kunit *test)
{
	char name[KSYM_NAME_LEN];
	struct bad_ctx c;

	bad_begin(test, &c);
	KUNIT_EXPECT_NULL(test, reallocarray(c.k + 8, 4, 16));
	snprintf(name, sizeof(name), "%ps", READ_ONCE(malloc_bad_caller));
	KUNIT_EXPECT_STREQ(test, name, "malloc_bad_report_caller");
	KUNIT_EXPECT_NULL(test, realloc(c.v + 8, 16));
	snprintf(name, sizeof(name), "%ps", READ_ONCE(malloc_bad_caller));
	KUNIT_EXPECT_STREQ(test, name, "malloc_bad_report_caller");
	KUNIT_EXPECT_NULL(test, malloc_realloc_gfp(c.k + 8, 8, 16, 8, GFP_KERNEL, NUMA_NO_NODE));
	snprintf(name, sizeof(name), "%ps", READ_ONCE(malloc_bad_caller));
	KUNIT_EXPECT_STREQ(test, name, "malloc_bad_report_caller");
	bad_end(test, &c, 3);
}

/* The helper is a C function unless CONFIG_RUST_INLINE_HELPERS inlines it. */
#if defined(CONFIG_RUST) && !defined(CONFIG_RUST_INLINE_HELPERS)
void *rust_helper_malloc_realloc_node_align(const void *ptr, size_t size,
					    unsigned long align, gfp_t flags, int node);

/*
 * Rust's Malloc calls the family through a C helper: a report names the
 * helper's caller, not the helper.
 */
static void malloc_bad_rust_caller(struct kunit *test)
{
	char name[KSYM_NAME_LEN];
	struct bad_ctx c;
	void *p;

	bad_begin(test, &c);
	p = rust_helper_malloc_realloc_node_align(c.k + 8, 16, 8, GFP_KERNEL, NUMA_NO_NODE);
	KUNIT_EXPECT_NULL(test, p);
	snprintf(name, sizeof(name), "%ps", READ_ONCE(malloc_bad_caller));
	KUNIT_EXPECT_STREQ(test, name, "malloc_bad_rust_caller");
	bad_end(test, &c, 1);
}
#else
static void malloc_bad_rust_caller(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_RUST, without CONFIG_RUST_INLINE_HELPERS");
}
#endif

/*
 * Double free where free() defers. Where no lock may be taken, a block
 * freed once cannot be told from a live one: the worker finds it on a list
 * twice, reports it once and frees it once, for each backend.
 */
static void malloc_bad_double_free_deferred(struct kunit *test)
{
	void *l = malloc(SZ_16K), *v = malloc(SZ_V64K), *k = malloc(100);
	struct bad_ctx c;

	KUNIT_ASSERT_TRUE(test, l && v && k);
	KUNIT_ASSERT_TRUE(test, is_vmalloc_addr(v));
	bad_begin(test, &c);
	IN_FAKE_NMI({
		free(l);
		free(l);
	});
	malloc_flush_deferred();
	KUNIT_EXPECT_EQ(test, atomic_long_read(&malloc_bad_pointers) - c.reports, 1);
	IN_FAKE_NMI({
		free(v);
		free(v);
	});
	malloc_flush_deferred();
	KUNIT_EXPECT_EQ(test, atomic_long_read(&malloc_bad_pointers) - c.reports, 2);
	IN_FAKE_NMI({
		free(k);
		free(k);
	});
	malloc_flush_deferred();
	bad_end(test, &c, 3);
}

/*
 * Pointers into memory that is not the family's, each freed in task
 * context, with interrupts disabled (where a vmalloc() address waits for
 * the worker) and in a faked NMI: an ioremap() of the HPET (no struct page
 * behind it), vmap() and vm_map_ram() of pages someone else owns, a
 * vmap_pfn() mapping, kernel or module text, a per-CPU pointer and a stack
 * address. Each free() is refused and reported once, nothing is written
 * or freed, and nothing oopses.
 */
struct foreign {
	const char *name;
	void *ptr;
	const void *check;	/* bytes that must stay as they are */
	size_t len;
	u8 byte;
};

static void free_foreign(struct kunit *test, const struct foreign *f, long *reports)
{
	long before = atomic_long_read(&malloc_bad_pointers);
	unsigned long flags;

	free(f->ptr);
	local_irq_save(flags);
	free(f->ptr);
	local_irq_restore(flags);
	IN_FAKE_NMI(free(f->ptr));
	malloc_flush_deferred();
	KUNIT_EXPECT_EQ_MSG(test, atomic_long_read(&malloc_bad_pointers) - before, 3,
			    "reports for %s", f->name);
	*reports += 3;
	if (f->check)
		KUNIT_EXPECT_TRUE_MSG(test, !memchr_inv(f->check, f->byte, f->len),
				      "%s changed", f->name);
}

static void malloc_bad_foreign_mappings(struct kunit *test)
{
	struct page *pages[2] = { alloc_page(GFP_KERNEL), alloc_page(GFP_KERNEL) };
	u64 __percpu *pcpu = alloc_percpu(u64);
	struct foreign f = {};
	struct bad_ctx c;
	long reports = 0;
	u8 on_stack[64];
	void *map;
	u64 *cpu0;

	KUNIT_ASSERT_TRUE(test, pages[0] && pages[1] && pcpu);
	memset(page_address(pages[0]), 0x5a, PAGE_SIZE);
	memset(page_address(pages[1]), 0x5a, PAGE_SIZE);
	memset(on_stack, 0x11, sizeof(on_stack));
	bad_begin(test, &c);

	map = vmap(pages, 2, VM_MAP, PAGE_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, map);
	if (map) {
		f = (struct foreign){ "a vmap() of foreign pages", map,
				      page_address(pages[0]), PAGE_SIZE, 0x5a };
		free_foreign(test, &f, &reports);
		vunmap(map);
	}
	map = vm_map_ram(pages, 2, NUMA_NO_NODE);
	KUNIT_EXPECT_NOT_NULL(test, map);
	if (map) {
		f = (struct foreign){ "a vm_map_ram() of foreign pages", map,
				      page_address(pages[0]), PAGE_SIZE, 0x5a };
		free_foreign(test, &f, &reports);
		vm_unmap_ram(map, 2);
	}
#ifdef CONFIG_VMAP_PFN
	{
		unsigned long pfns[2] = { page_to_pfn(pages[0]), page_to_pfn(pages[1]) };

		map = vmap_pfn(pfns, 2, PAGE_KERNEL);
		KUNIT_EXPECT_NOT_NULL(test, map);
		if (map) {
			f = (struct foreign){ "a vmap_pfn() mapping", map,
					      page_address(pages[0]), PAGE_SIZE, 0x5a };
			free_foreign(test, &f, &reports);
			vunmap(map);
		}
	}
#else
	kunit_info(test, "no vmap_pfn() without CONFIG_VMAP_PFN");
#endif
#ifdef CONFIG_X86
	map = (void __force *)ioremap(0xfed00000, PAGE_SIZE);
	KUNIT_EXPECT_NOT_NULL(test, map);
	if (map) {
		f = (struct foreign){ "an ioremap() of the HPET", map };
		free_foreign(test, &f, &reports);
		iounmap((void __iomem __force *)map);
	}
#else
	kunit_info(test, "no ioremap() case off x86");
#endif
	f = (struct foreign){ IS_MODULE(CONFIG_MALLOC_KUNIT_TEST) ? "module text" :
			      "kernel text", (void *)malloc_bad_foreign_mappings };
	free_foreign(test, &f, &reports);

	cpu0 = per_cpu_ptr(pcpu, raw_smp_processor_id());
	*cpu0 = 0x3333333333333333ULL;
	f = (struct foreign){ "a per-CPU pointer", cpu0, cpu0, sizeof(*cpu0), 0x33 };
	free_foreign(test, &f, &reports);

	f = (struct foreign){ "a stack address", on_stack, on_stack, sizeof(on_stack), 0x11 };
	free_foreign(test, &f, &reports);

	bad_end(test, &c, reports);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(page_address(pages[1]), 0x5a, PAGE_SIZE));
	free_percpu(pcpu);
	__free_page(pages[0]);
	__free_page(pages[1]);
}

/*
 * The bad-pointer suite runs with malloc.check= on, which makes free()
 * check pointers into the linear map as well; malloc_bad_check tests
 * both settings. The setting at boot is kept for malloc_bad_check_default.
 */
static bool check_at_boot;

static bool check_on(void)
{
	char buf[8];

	return malloc_check_ops.get(buf, NULL) == 2 && buf[0] == 'Y';
}

static void set_check(bool on)
{
	malloc_check_ops.set(on ? "1" : "0", NULL);
}

static int bad_pointer_suite_init(struct kunit_suite *suite)
{
	check_at_boot = check_on();
	set_check(true);
	return large_vmalloc_suite_init(suite);
}

static void bad_pointer_suite_exit(struct kunit_suite *suite)
{
	set_check(check_at_boot);
	large_vmalloc_suite_exit(suite);
}

/*
 * The setting at boot: malloc.check= on the command line, else
 * CONFIG_MALLOC_CHECK_DEFAULT_ON (make check boots one kernel of each).
 */
static void malloc_bad_check_default(struct kunit *test)
{
#ifdef MODULE
	kunit_skip(test, "the command line is not visible to a module");
#else
	const char *arg = strstr(saved_command_line, "malloc.check=");
	bool want = IS_ENABLED(CONFIG_MALLOC_CHECK_DEFAULT_ON);

	if (arg)
		KUNIT_ASSERT_EQ(test, kstrtobool(arg + strlen("malloc.check="), &want), 0);
	KUNIT_EXPECT_EQ_MSG(test, check_at_boot, want, "malloc.check=%s at boot",
			    arg ? arg + strlen("malloc.check=") : "(not given)");
	kunit_info(test, "malloc.check=%c at boot\n", check_at_boot ? 'Y' : 'N');
#endif
}

/*
 * An object of another slab cache, freed with malloc.check= off through
 * its parameter: free() hands it to kfree(), which frees it into its cache
 * as it frees any slab object (the next allocation on this CPU returns
 * it), and nothing is reported; a compound page goes to kfree() too, which
 * warns and leaves it as it was. A vmap() address and an interior pointer
 * freed in a faked NMI are refused all the same. Turned on again, the
 * parameter makes free() refuse such an object. Bad values are refused.
 */
static void malloc_bad_check(struct kunit *test)
{
	struct kmem_cache *cache = kmem_cache_create("malloc_check", 96, 0,
						     SLAB_NO_MERGE, NULL);
	struct page *page = alloc_page(GFP_KERNEL);
	struct page *comp = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	struct bad_ctx c;
	void *obj, *again, *v;

	KUNIT_ASSERT_NOT_NULL(test, cache);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_NOT_NULL(test, comp);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	v = vmap(&page, 1, VM_MAP, PAGE_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, v);
	memset(v, 0x66, PAGE_SIZE);

	KUNIT_EXPECT_EQ(test, malloc_check_ops.set("bogus", NULL), -EINVAL);
	KUNIT_EXPECT_TRUE(test, check_on());
	KUNIT_ASSERT_EQ(test, malloc_check_ops.set("0", NULL), 0);
	KUNIT_EXPECT_FALSE(test, check_on());
	KUNIT_EXPECT_EQ(test, malloc_check_ops.get(buf, NULL), 2);
	KUNIT_EXPECT_STREQ(test, buf, "N\n");

	migrate_disable();
	obj = kmem_cache_alloc(cache, GFP_KERNEL);
	bad_begin(test, &c);
	free(obj);
	again = kmem_cache_alloc(cache, GFP_KERNEL);
	migrate_enable();
	KUNIT_EXPECT_NOT_NULL(test, obj);
	/* KASAN's quarantine and a KFENCE object delay the reuse. */
	if (!IS_ENABLED(CONFIG_KASAN_GENERIC) && !is_kfence_address(obj))
		KUNIT_EXPECT_PTR_EQ(test, again, obj);
	free(v);
	IN_FAKE_NMI(free(c.k + 8));
	malloc_flush_deferred();
	/* A compound page reaches kfree(), which warns and frees nothing. */
	memset(page_address(comp), 0x88, 4 * PAGE_SIZE);
	free(page_address(comp));
	KUNIT_EXPECT_EQ(test, page_ref_count(comp), 1);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(page_address(comp), 0x88, 4 * PAGE_SIZE));
	bad_end(test, &c, 2);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(v, 0x66, PAGE_SIZE));
	__free_pages(comp, 2);

	KUNIT_ASSERT_EQ(test, malloc_check_ops.set("on", NULL), 0);
	KUNIT_EXPECT_TRUE(test, check_on());
	KUNIT_EXPECT_EQ(test, malloc_check_ops.get(buf, NULL), 2);
	KUNIT_EXPECT_STREQ(test, buf, "Y\n");
	vunmap(v);
	__free_page(page);
	expect_refused_object(test, cache, again, 0x77);
}

static struct kunit_case malloc_bad_pointer_cases[] = {
	KUNIT_CASE(malloc_bad_check_default),
	KUNIT_CASE(malloc_bad_check),
	KUNIT_CASE(malloc_bad_double_free_vmalloc),
	KUNIT_CASE(malloc_bad_interior),
	KUNIT_CASE(malloc_bad_stack_and_global),
	KUNIT_CASE(malloc_bad_pages),
	KUNIT_CASE(malloc_bad_kmem_cache),
	KUNIT_CASE(malloc_bad_compound_pages),
	KUNIT_CASE(malloc_bad_kfence_kmem_cache),
	KUNIT_CASE(malloc_bad_report_caller),
	KUNIT_CASE(malloc_bad_rust_caller),
	KUNIT_CASE(malloc_bad_double_free_deferred),
	KUNIT_CASE(malloc_bad_foreign_mappings),
	{}
};

static struct kunit_suite malloc_bad_pointer_suite = {
	.name = "malloc_bad_pointer",
	.suite_init = bad_pointer_suite_init,
	.suite_exit = bad_pointer_suite_exit,
	.test_cases = malloc_bad_pointer_cases,
};

/* The default: kmalloc() for every size one page allocation serves. */
static void malloc_large_kmalloc(struct kunit *test)
{
	static const size_t sizes[] = {
		SZ_KMAX + 1, 3 * PAGE_SIZE, SZ_16K + 1, 40000, SZ_1M + 1,
		SZ_4M - PAGE_SIZE,
	};
	size_t i, size;
	u8 *p, *q;

	*malloc_large_param = LARGE_KMALLOC;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size = sizes[i];
		p = malloc(size);
		KUNIT_ASSERT_NOT_NULL_MSG(test, p, "size %zu", size);
		/* A fresh test machine has blocks of every order free. */
		KUNIT_EXPECT_FALSE_MSG(test, is_vmalloc_addr(p), "size %zu", size);
		if (!is_vmalloc_addr(p)) {
			KUNIT_EXPECT_TRUE_MSG(test, PageCompound(virt_to_page(p)),
					      "size %zu", size);
			KUNIT_EXPECT_EQ_MSG(test, folio_size(virt_to_folio(p)),
					    roundup_pow_of_two(PAGE_ALIGN(size)), "size %zu", size);
		}
		fill(p, size, i);
		q = realloc(p, size + PAGE_SIZE);
		KUNIT_ASSERT_NOT_NULL_MSG(test, q, "size %zu", size);
		KUNIT_EXPECT_EQ_MSG(test, first_bad(q, size, i), size, "size %zu", size);
		free(q);
	}
	p = malloc(SZ_4M + 1);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
	free(p);
	*malloc_large_param = LARGE_VMALLOC;
}

/*
 * Detectors: the memory errors a caller of the family can make are reported
 * by the kernel's detectors on both backends. Each case skips when its
 * detector is not built in, and fails when the detector is built in but
 * stays silent.
 *
 * KASAN (generic, with CONFIG_KASAN_VMALLOC for vmalloc()-backed blocks):
 * accesses one byte past the requested size, after free(), and past the new
 * size of a block that realloc() resized in place. As in
 * mm/kasan/kasan_test_c.c, reports are seen on the console tracepoint, and
 * CONFIG_KASAN_KUNIT_TEST provides the hooks that keep an expected report
 * from failing the case and turn on multi-shot reporting.
 *
 * KFENCE: sampled kmalloc()-backed blocks, as mm/kfence/kfence_test.c
 * gets them: allocate until KFENCE picks one.
 *
 * slub_debug: red zones and poisoning of kmalloc()-backed blocks, counted
 * through the "slab_errors" KUnit resource as lib/slub_kunit.c does.
 */
static struct {
	raw_spinlock_t lock;	/* for kfence[]; taken wherever printk() is */
	bool console;		/* the console tracepoint is registered */
	bool kasan;		/* a KASAN report since the last reset */
	char kfence[128];	/* the first KFENCE report line since then */
} seen = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(seen.lock),
};

static void probe_console(void *ignore, const char *buf, size_t len)
{
	unsigned long flags;

	if (strnstr(buf, "BUG: KASAN: ", len)) {
		WRITE_ONCE(seen.kasan, true);
		return;
	}
	if (!strnstr(buf, "BUG: KFENCE: ", len))
		return;
	raw_spin_lock_irqsave(&seen.lock, flags);
	if (!seen.kfence[0])
		strscpy(seen.kfence, buf, min(len + 1, sizeof(seen.kfence)));
	raw_spin_unlock_irqrestore(&seen.lock, flags);
}

static void seen_reset(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&seen.lock, flags);
	WRITE_ONCE(seen.kasan, false);
	seen.kfence[0] = '\0';
	raw_spin_unlock_irqrestore(&seen.lock, flags);
}

/* Whether KFENCE reported a @type error ("use-after-free read", ...). */
static bool seen_kfence(const char *type)
{
	unsigned long flags;
	char *at;
	bool found;

	raw_spin_lock_irqsave(&seen.lock, flags);
	at = strstr(seen.kfence, "BUG: KFENCE: ");
	found = at && str_has_prefix(at + strlen("BUG: KFENCE: "), type);
	raw_spin_unlock_irqrestore(&seen.lock, flags);
	return found;
}

#if IS_ENABLED(CONFIG_KASAN_KUNIT_TEST)
static bool kasan_multishot;
#endif

static int detect_suite_init(struct kunit_suite *suite)
{
	large_vmalloc_suite_init(suite);
#if IS_ENABLED(CONFIG_KASAN_KUNIT_TEST)
	kasan_kunit_test_suite_start();
	kasan_multishot = kasan_save_enable_multi_shot();
#endif
	seen.console = !register_trace_console(probe_console, NULL);
	return 0;
}

static void detect_suite_exit(struct kunit_suite *suite)
{
	large_vmalloc_suite_exit(suite);
#if IS_ENABLED(CONFIG_KASAN_KUNIT_TEST)
	kasan_kunit_test_suite_end();
	kasan_restore_multi_shot(kasan_multishot);
#endif
	if (seen.console) {
		unregister_trace_console(probe_console, NULL);
		tracepoint_synchronize_unregister();
	}
}

static void needs_kasan(struct kunit *test, bool vmalloc)
{
	if (!IS_ENABLED(CONFIG_KASAN_GENERIC))
		kunit_skip(test, "needs CONFIG_KASAN_GENERIC");
	if (vmalloc && !IS_ENABLED(CONFIG_KASAN_VMALLOC))
		kunit_skip(test, "needs CONFIG_KASAN_VMALLOC");
	if (!IS_ENABLED(CONFIG_KASAN_KUNIT_TEST))
		kunit_skip(test, "needs CONFIG_KASAN_KUNIT_TEST");
	KUNIT_ASSERT_TRUE_MSG(test, seen.console, "console tracepoint unavailable");
}

enum access { ACCESS_READ, ACCESS_WRITE, ACCESS_CHECK, ACCESS_FREE };

static const char * const access_names[] = { "read", "write", "check", "free" };

/*
 * One byte access, of the kind the compiler instruments for KASAN. A write
 * puts back what was there, with KASAN looking away, so that slub_debug's
 * red zones stay intact. ACCESS_CHECK asks KASAN about the byte without
 * touching it, for memory that may be unmapped. ACCESS_FREE frees it.
 */
static void access_byte(u8 *p, enum access how)
{
	u8 old;

	switch (how) {
	case ACCESS_READ:
		(void)READ_ONCE(*p);
		break;
	case ACCESS_WRITE:
		kasan_disable_current();
		old = READ_ONCE(*p);
		kasan_enable_current();
		WRITE_ONCE(*p, (u8)~old);
		kasan_disable_current();
		WRITE_ONCE(*p, old);
		kasan_enable_current();
		break;
	case ACCESS_CHECK:
		kasan_check_read(p, 1);
		break;
	case ACCESS_FREE:
		free(p);
		break;
	}
}

/* Access byte @off of the block at @p; KASAN must report it or not. */
static void expect_kasan(struct kunit *test, bool report, u8 *p, size_t off,
			 enum access how, const char *what)
{
	bool reported;

	WRITE_ONCE(seen.kasan, false);
	barrier();
	access_byte(p + off, how);
	barrier();
	reported = READ_ONCE(seen.kasan);
	KUNIT_EXPECT_EQ_MSG(test, reported, report, "%s of byte %zu of %s: %s KASAN report",
			    access_names[how], off, what, report ? "no" : "a");
	WRITE_ONCE(seen.kasan, false);
}

enum alloc_kind { ALLOC_MALLOC, ALLOC_CALLOC, ALLOC_ALIGNED_64 };

/* A block that KFENCE did not sample, which KASAN watches. */
static u8 *watched(struct kunit *test, enum alloc_kind kind, size_t size)
{
	u8 *p = NULL;
	int i;

	for (i = 0; i < 100; i++) {
		switch (kind) {
		case ALLOC_MALLOC:
			p = malloc(size);
			break;
		case ALLOC_CALLOC:
			p = calloc(size, 1);
			break;
		case ALLOC_ALIGNED_64:
			p = aligned_alloc(64, size);
			break;
		}
		KUNIT_ASSERT_NOT_NULL_MSG(test, p, "size %zu", size);
		if (!is_kfence_address(p))
			break;
		free(p);
		p = NULL;
	}
	KUNIT_ASSERT_NOT_NULL_MSG(test, p, "KFENCE sampled every block");
	KUNIT_EXPECT_EQ_MSG(test, is_vmalloc_addr(p), want_vmalloc(size),
			    "backend for size %zu", size);
	OPTIMIZER_HIDE_VAR(p);
	return p;
}

/* Past the requested size and after free(), on one backend's sizes. */
static void detect_kasan_oob_uaf(struct kunit *test, const size_t *sz,
				 size_t count, const char *what)
{
	bool vmalloc = want_vmalloc(sz[0]);
	size_t i, n;
	u8 *p;

	for (i = 0; i < count; i++) {
		n = sz[i];
		p = watched(test, ALLOC_MALLOC, n);
		expect_kasan(test, false, p, 0, ACCESS_READ, what);
		expect_kasan(test, false, p, n - 1, ACCESS_WRITE, what);
		expect_kasan(test, true, p, n, ACCESS_READ, what);
		expect_kasan(test, true, p, n, ACCESS_WRITE, what);
		free(p);
		/* Freed vmalloc() memory is unmapped: only ask KASAN. */
		expect_kasan(test, true, p, 0, vmalloc ? ACCESS_CHECK : ACCESS_READ, what);

		p = watched(test, ALLOC_CALLOC, n);
		expect_kasan(test, false, p, n - 1, ACCESS_READ, what);
		expect_kasan(test, true, p, n, ACCESS_READ, what);
		free(p);
	}
}

/*
 * Sizes that are not multiples of PAGE_SIZE where the block is page-backed:
 * one byte past a vmalloc()-backed block stays in its last page, not in the
 * guard page, and one byte past a large kmalloc() block stays in its pages,
 * which KASAN poisons, not in the next page, which may be anyone's.
 */
static void malloc_detect_kasan_kmalloc(struct kunit *test)
{
	static const size_t sz[] = {
		1, 8, 13, 100, 128, 1000, PAGE_SIZE - 1, PAGE_SIZE, SZ_KMAX - 1, SZ_KMAX,
		3 * PAGE_SIZE + 5, SZ_16K - 8, SZ_64K - 1,	/* large kmalloc() */
	};
	u8 *p;

	needs_kasan(test, false);
	detect_kasan_oob_uaf(test, sz, ARRAY_SIZE(sz), "a kmalloc()-backed block");

	/*
	 * aligned_alloc() takes the kmalloc() cache of the next power of two
	 * that covers size and alignment; KASAN guards the end of that.
	 */
	p = watched(test, ALLOC_ALIGNED_64, 64);
	expect_kasan(test, false, p, 63, ACCESS_READ, "aligned_alloc(64, 64)");
	expect_kasan(test, true, p, 64, ACCESS_READ, "aligned_alloc(64, 64)");
	free(p);
	p = watched(test, ALLOC_ALIGNED_64, 200);
	expect_kasan(test, true, p, 256, ACCESS_READ, "aligned_alloc(64, 200)");
	free(p);
	expect_kasan(test, true, p, 0, ACCESS_READ, "aligned_alloc(64, 200)");
}

static void malloc_detect_kasan_vmalloc(struct kunit *test)
{
	static const size_t sz[] = {
		SZ_KMAX + 1, 5 * PAGE_SIZE + 5, SZ_V64K - 1, SZ_64K + 100, SZ_1M + 1,
	};
	u8 *p;

	needs_kasan(test, true);
	detect_kasan_oob_uaf(test, sz, ARRAY_SIZE(sz), "a vmalloc()-backed block");

	p = watched(test, ALLOC_ALIGNED_64, SZ_64K + 100);
	expect_kasan(test, false, p, SZ_64K + 99, ACCESS_READ, "aligned_alloc(64, 64K + 100)");
	expect_kasan(test, true, p, SZ_64K + 100, ACCESS_READ, "aligned_alloc(64, 64K + 100)");
	free(p);
	expect_kasan(test, true, p, 0, ACCESS_CHECK, "aligned_alloc(64, 64K + 100)");
}

/* Resize @p in place to @n bytes: the bytes past @n are poisoned again. */
static u8 *realloc_in_place(struct kunit *test, u8 *p, size_t n, const char *what)
{
	u8 *q = realloc(p, n);

	KUNIT_ASSERT_PTR_EQ_MSG(test, q, p, "%s resized to %zu bytes moved", what, n);
	OPTIMIZER_HIDE_VAR(q);
	expect_kasan(test, false, q, n - 1, ACCESS_WRITE, what);
	expect_kasan(test, true, q, n, ACCESS_READ, what);
	expect_kasan(test, true, q, n, ACCESS_WRITE, what);
	return q;
}

static void malloc_detect_kasan_realloc_kmalloc(struct kunit *test)
{
	const char *what = "a kmalloc()-backed block resized in place";
	u8 *p;

	needs_kasan(test, false);
	p = watched(test, ALLOC_MALLOC, 100);		/* kmalloc-128 */
	p = realloc_in_place(test, p, 120, what);
	p = realloc_in_place(test, p, 50, what);
	expect_kasan(test, true, p, 119, ACCESS_READ, what);
	p = realloc_in_place(test, p, 128, what);
	free(p);
	expect_kasan(test, true, p, 0, ACCESS_READ, what);
}

static void malloc_detect_kasan_realloc_vmalloc(struct kunit *test)
{
	const char *what = "a vmalloc()-backed block resized in place";
	u8 *p;

	needs_kasan(test, true);
	p = watched(test, ALLOC_MALLOC, SZ_64K + 100);	/* 17 pages */
	p = realloc_in_place(test, p, SZ_64K + 1000, what);
	p = realloc_in_place(test, p, SZ_32K + 5, what);
	/* vrealloc() gave back the pages past the new size: read in one it kept. */
	expect_kasan(test, true, p, SZ_32K + 100, ACCESS_READ, what);
	p = realloc_in_place(test, p, SZ_32K + PAGE_SIZE - 1, what);
	free(p);
	expect_kasan(test, true, p, 0, ACCESS_CHECK, what);
}

/*
 * A kmalloc()-backed block freed twice: it still starts a kmalloc() object,
 * so free() passes it to kfree(), where KASAN reports the double free and
 * keeps the object out of the slab's free list.
 */
static void malloc_detect_kasan_double_free(struct kunit *test)
{
	long bad = atomic_long_read(&malloc_bad_pointers);
	u8 *p;

	needs_kasan(test, false);
	p = watched(test, ALLOC_MALLOC, 100);
	free(p);
	expect_kasan(test, true, p, 0, ACCESS_FREE, "a freed kmalloc()-backed block");
	KUNIT_EXPECT_EQ(test, atomic_long_read(&malloc_bad_pointers), bad);
}

/*
 * An interior pointer of a kmalloc()-backed block: with malloc.check= off,
 * free() hands it to kfree(), where KASAN reports the invalid free and
 * frees nothing; with it on, free() refuses it itself, and KASAN has
 * nothing to report. Either way the block stays as it was.
 */
static void malloc_detect_kasan_interior(struct kunit *test)
{
	bool was_on = check_on();
	long bad = atomic_long_read(&malloc_bad_pointers);
	u8 *p;

	needs_kasan(test, false);
	p = watched(test, ALLOC_MALLOC, 64);
	fill(p, 64, 9);
	set_check(false);
	expect_kasan(test, true, p, 16, ACCESS_FREE, "malloc.check=0, an interior pointer");
	KUNIT_EXPECT_EQ(test, atomic_long_read(&malloc_bad_pointers), bad);
	set_check(true);
	expect_kasan(test, false, p, 16, ACCESS_FREE, "malloc.check=1, an interior pointer");
	KUNIT_EXPECT_EQ(test, atomic_long_read(&malloc_bad_pointers), bad + 1);
	set_check(was_on);
	KUNIT_EXPECT_EQ(test, first_bad(p, 64, 9), 64);
	free(p);
}

/*
 * A kmalloc()-backed block freed, then freed again where free() defers (a
 * faked NMI, and under a raw spinlock where lockdep's raw lock nesting
 * makes that a context where no lock may be taken). Between the two, eight
 * frees of its size pushed it down KASAN's quarantine, which links its
 * objects through their first word. KASAN reports the second free() once,
 * free() writes nothing into the block and defers nothing, and the
 * quarantine stays sound: 100,000 more kmalloc()/kfree() pairs of the size
 * run clean, and draining the cache's quarantine (kmem_cache_shrink())
 * walks its list without a fault.
 */
static void deferred_double_free(struct kunit *test, bool nmi)
{
	struct kmem_cache *s = kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(64)];
	bool reported;
	long deferred;
	void *q;
	u8 *p;
	int i;

	p = watched(test, ALLOC_MALLOC, 64);
	free(p);
	for (i = 0; i < 8; i++) {
		q = kmalloc(64, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, q);
		kfree(q);
	}
	malloc_flush_deferred();
	deferred = deferred_count();
	WRITE_ONCE(seen.kasan, false);
	if (nmi) {
		IN_FAKE_NMI(free(p));
	} else {
		raw_spin_lock(&test_raw_lock);
		free(p);
		raw_spin_unlock(&test_raw_lock);
	}
	reported = READ_ONCE(seen.kasan);
	KUNIT_EXPECT_TRUE_MSG(test, reported, "no KASAN report (%s)", nmi ? "NMI" : "raw spinlock");
	WRITE_ONCE(seen.kasan, false);
	malloc_flush_deferred();
	KUNIT_EXPECT_EQ(test, deferred_count(), deferred);

	for (i = 0; i < 100000; i++) {
		q = kmalloc(64, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, q);
		kfree(q);
		if (!(i % 1024))
			cond_resched();
	}
	kmem_cache_shrink(s);
	reported = READ_ONCE(seen.kasan);
	KUNIT_EXPECT_FALSE(test, reported);
}

static void malloc_detect_kasan_deferred_double_free(struct kunit *test)
{
	needs_kasan(test, false);
	deferred_double_free(test, true);
	if (IS_ENABLED(CONFIG_PROVE_RAW_LOCK_NESTING) || IS_ENABLED(CONFIG_PREEMPT_RT))
		deferred_double_free(test, false);
}

/*
 * free(p); q = malloc(the same size); free(p): the quarantine keeps p from
 * being handed out again at once, so q is another block, and the second
 * free() of p is kfree()'s double free, which KASAN reports; q is intact.
 * Without KASAN, q may be p, and the second free() frees q, as kfree()
 * would.
 */
static void malloc_detect_kasan_reuse(struct kunit *test)
{
	u8 *p, *q;

	needs_kasan(test, false);
	p = watched(test, ALLOC_MALLOC, 64);
	free(p);
	q = watched(test, ALLOC_MALLOC, 64);
	KUNIT_EXPECT_PTR_NE(test, p, q);
	fill(q, 64, 52);
	expect_kasan(test, true, p, 0, ACCESS_FREE, "a block freed, its size allocated again");
	KUNIT_EXPECT_EQ(test, first_bad(q, 64, 52), 64);
	free(q);
}

/* A block that realloc() moved: the old pointer is freed memory. */
static void malloc_detect_kasan_realloc_moved(struct kunit *test)
{
	u8 *p, *q;

	needs_kasan(test, true);
	p = watched(test, ALLOC_MALLOC, 100);
	q = realloc(p, SZ_64K + 5);		/* to vmalloc() */
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_ASSERT_TRUE(test, is_vmalloc_addr(q));
	OPTIMIZER_HIDE_VAR(q);
	expect_kasan(test, true, p, 0, ACCESS_READ, "the kmalloc()-backed block realloc() left");
	expect_kasan(test, true, q, SZ_64K + 5, ACCESS_READ,
		     "the block realloc() moved to vmalloc()");

	p = realloc(q, 100);			/* back to kmalloc() */
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_FALSE(test, is_vmalloc_addr(p));
	OPTIMIZER_HIDE_VAR(p);
	expect_kasan(test, true, q, 0, ACCESS_CHECK,
		     "the vmalloc()-backed block realloc() left");
	if (!is_kfence_address(p))
		expect_kasan(test, true, p, 100, ACCESS_READ,
			     "the block realloc() moved to kmalloc()");
	free(p);
}

static void needs_kfence(struct kunit *test)
{
	if (!IS_ENABLED(CONFIG_KFENCE))
		kunit_skip(test, "needs CONFIG_KFENCE");
	KUNIT_ASSERT_TRUE_MSG(test, seen.console, "console tracepoint unavailable");
}

/*
 * A malloc()ed block of @size bytes that KFENCE sampled; with @right, one
 * that KFENCE placed against the guard page after it. KFENCE samples one
 * allocation per kfence.sample_interval, and none if that is 0: then the
 * case fails.
 */
static u8 *sampled(struct kunit *test, size_t size, bool right)
{
	unsigned long timeout = jiffies +
				msecs_to_jiffies(100 * kfence_sample_interval + 1000);
	u8 *p;

	do {
		p = malloc(size);
		KUNIT_ASSERT_NOT_NULL(test, p);
		if (is_kfence_address(p) && (!right || !PAGE_ALIGNED(p))) {
			OPTIMIZER_HIDE_VAR(p);
			return p;
		}
		free(p);
		cond_resched();
	} while (time_before(jiffies, timeout));
	KUNIT_FAIL_AND_ABORT(test, "no malloc() of %zu bytes came from KFENCE (interval %lu ms)",
			     size, (unsigned long)kfence_sample_interval);
	return NULL;
}

static void expect_kfence(struct kunit *test, const char *type, const char *what)
{
	KUNIT_EXPECT_TRUE_MSG(test, seen_kfence(type), "%s: no KFENCE %s report", what, type);
}

static void malloc_detect_kfence_oob(struct kunit *test)
{
	u8 *p;

	needs_kfence(test);

	/* 32 bytes, a multiple of the cache's alignment: no slack before the guard page. */
	p = sampled(test, 32, true);
	seen_reset();
	(void)READ_ONCE(p[32]);
	expect_kfence(test, "out-of-bounds read", "reading one byte past 32");
	free(p);

	p = sampled(test, 32, true);
	seen_reset();
	WRITE_ONCE(p[32], 0x42);
	expect_kfence(test, "out-of-bounds write", "writing one byte past 32");
	free(p);

	/* Past 30 bytes is KFENCE's canary, which free() checks. */
	p = sampled(test, 30, false);
	seen_reset();
	WRITE_ONCE(p[30], 0x42);
	free(p);
	expect_kfence(test, "memory corruption", "writing one byte past 30");
}

static void malloc_detect_kfence_uaf(struct kunit *test)
{
	u8 *p;

	needs_kfence(test);
	p = sampled(test, 100, false);
	free(p);
	seen_reset();
	(void)READ_ONCE(p[0]);
	expect_kfence(test, "use-after-free read", "reading a freed block");

	p = sampled(test, 100, false);
	free(p);
	seen_reset();
	WRITE_ONCE(p[99], 0x42);
	expect_kfence(test, "use-after-free write", "writing a freed block");
}

/*
 * realloc() of a block KFENCE sampled copies what KFENCE gave it, not its
 * cache's object size: reading past the object would reach KFENCE's guard
 * page. An alignment asked of malloc_realloc_gfp() is kept.
 */
static void malloc_detect_kfence_realloc(struct kunit *test)
{
	u8 *p, *q;

	needs_kfence(test);
	p = sampled(test, 20, true);
	fill(p, 20, 60);
	seen_reset();
	q = realloc(p, SZ_4M + 100);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, first_bad(q, 20, 60), 20);
	free(q);
	KUNIT_EXPECT_FALSE_MSG(test, seen.kfence[0], "%s", seen.kfence);

	p = sampled(test, 40, true);
	fill(p, 40, 61);
	seen_reset();
	q = malloc_realloc_gfp(p, 40, 48, 64, GFP_KERNEL, NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, (unsigned long)q & 63, 0);
	KUNIT_EXPECT_EQ(test, first_bad(q, 40, 61), 40);
	free(q);
	KUNIT_EXPECT_FALSE_MSG(test, seen.kfence[0], "%s", seen.kfence);
}

#ifdef CONFIG_SLUB_DEBUG
static int slab_errors;
static struct kunit_resource slab_errors_resource;

/*
 * A kmalloc()-backed block whose cache has the slub_debug flags @flags, and
 * slub's reports counted instead of printed.
 */
static u8 *slub_block(struct kunit *test, size_t size, slab_flags_t flags,
		      struct kmem_cache **cache)
{
	u8 *p = watched(test, ALLOC_MALLOC, size);

	*cache = virt_to_slab(p)->slab_cache;
	if (((*cache)->flags & flags) != flags) {
		free(p);
		kunit_skip(test, "needs slub_debug flags %#x on %s",
			   (__force unsigned int)flags, (*cache)->name);
	}
	slab_errors = 0;
	kunit_add_named_resource(test, NULL, NULL, &slab_errors_resource,
				 "slab_errors", &slab_errors);
	return p;
}

/* Write @p[@off] with KASAN looking away, so only slub_debug can tell. */
static void slub_poke(u8 *p, size_t off)
{
	kasan_disable_current();
	WRITE_ONCE(p[off], 0x42);
	kasan_enable_current();
}

static void malloc_detect_slub_redzone(struct kunit *test)
{
	static const size_t sz[] = { 100, 128, 1000, SZ_KMAX };
	struct kmem_cache *s;
	size_t i, n;
	u8 *p;

	for (i = 0; i < ARRAY_SIZE(sz); i++) {
		n = sz[i];
		p = slub_block(test, n, SLAB_RED_ZONE | SLAB_STORE_USER, &s);

		/* Past the requested size: the kmalloc red zone, or the red zone. */
		slub_poke(p, n);
		validate_slab_cache(s);
		KUNIT_EXPECT_GT_MSG(test, slab_errors, 0, "writing byte %zu of %zu in %s",
				    n, n, s->name);
		/* slub_debug restored the red zone: free() is clean. */
		slab_errors = 0;
		free(p);
		validate_slab_cache(s);
		KUNIT_EXPECT_EQ_MSG(test, slab_errors, 0, "after free() in %s", s->name);
	}
}

static void malloc_detect_slub_poison(struct kunit *test)
{
	struct kmem_cache *s;
	u8 *p;

	/* KASAN quarantines freed blocks; it reports the access instead. */
	if (IS_ENABLED(CONFIG_KASAN))
		kunit_skip(test, "KASAN holds freed blocks back from slub");

	/* kmalloc-8k: a cache few others use while the block is free. */
	p = slub_block(test, SZ_KMAX - 100, SLAB_POISON, &s);
	free(p);
	slub_poke(p, 10);
	validate_slab_cache(s);
	KUNIT_EXPECT_GT_MSG(test, slab_errors, 0, "writing a freed block in %s", s->name);
}

/*
 * A kmalloc()-backed block freed twice: slub_debug's consistency checks
 * find it on the free list, report it, and refuse the second free().
 */
static void malloc_detect_slub_double_free(struct kunit *test)
{
	struct kmem_cache *s;
	u8 *p, *q;

	if (IS_ENABLED(CONFIG_KASAN))
		kunit_skip(test, "KASAN reports the double free first");

	p = slub_block(test, SZ_KMAX - 100, SLAB_CONSISTENCY_CHECKS, &s);
	free(p);
	free(p);
	KUNIT_EXPECT_GT_MSG(test, slab_errors, 0, "freeing a freed block in %s", s->name);

	/* The free list is intact: the cache hands the block out once. */
	slab_errors = 0;
	p = malloc(SZ_KMAX - 100);
	q = malloc(SZ_KMAX - 100);
	KUNIT_EXPECT_PTR_NE(test, p, q);
	free(p);
	free(q);
	validate_slab_cache(s);
	KUNIT_EXPECT_EQ_MSG(test, slab_errors, 0, "%s after the double free", s->name);
}
#else
static void malloc_detect_slub_redzone(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_SLUB_DEBUG");
}

static void malloc_detect_slub_poison(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_SLUB_DEBUG");
}

static void malloc_detect_slub_double_free(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_SLUB_DEBUG");
}
#endif /* CONFIG_SLUB_DEBUG */

static struct kunit_case malloc_detect_cases[] = {
	KUNIT_CASE(malloc_detect_kasan_kmalloc),
	KUNIT_CASE(malloc_detect_kasan_vmalloc),
	KUNIT_CASE(malloc_detect_kasan_realloc_kmalloc),
	KUNIT_CASE(malloc_detect_kasan_realloc_vmalloc),
	KUNIT_CASE(malloc_detect_kasan_realloc_moved),
	KUNIT_CASE(malloc_detect_kasan_double_free),
	KUNIT_CASE(malloc_detect_kasan_interior),
	KUNIT_CASE(malloc_detect_kasan_deferred_double_free),
	KUNIT_CASE(malloc_detect_kasan_reuse),
	KUNIT_CASE(malloc_detect_kfence_oob),
	KUNIT_CASE(malloc_detect_kfence_uaf),
	KUNIT_CASE(malloc_detect_kfence_realloc),
	KUNIT_CASE(malloc_detect_slub_redzone),
	KUNIT_CASE(malloc_detect_slub_poison),
	KUNIT_CASE(malloc_detect_slub_double_free),
	{}
};

static struct kunit_suite malloc_detect_suite = {
	.name = "malloc_detect",
	.suite_init = detect_suite_init,
	.suite_exit = detect_suite_exit,
	.test_cases = malloc_detect_cases,
};

static struct kunit_case malloc_test_cases[] = {
	KUNIT_CASE(malloc_test_lowmem_range),
	KUNIT_CASE(malloc_test_backend),
	KUNIT_CASE(malloc_test_calloc),
	KUNIT_CASE(malloc_test_zero_size),
	KUNIT_CASE(malloc_test_overflow),
	KUNIT_CASE(malloc_test_too_large),
	KUNIT_CASE(malloc_test_realloc_chain),
	KUNIT_CASE(malloc_test_realloc_shrink),
	KUNIT_CASE(malloc_test_large_kmalloc),
	KUNIT_CASE(malloc_large_kmalloc),
	KUNIT_CASE(malloc_test_aligned_alloc),
	KUNIT_CASE(malloc_test_aligned_alloc_invalid),
	KUNIT_CASE(malloc_test_free_cleanup),
	KUNIT_CASE(malloc_test_object_size_const),
	KUNIT_CASE(malloc_test_object_size_dynamic),
	KUNIT_CASE(malloc_test_typed),
	KUNIT_CASE(malloc_test_partition),
	KUNIT_CASE(malloc_test_task_context),
	KUNIT_CASE_PARAM(malloc_test_atomic_context, malloc_context_gen_params),
	KUNIT_CASE(malloc_test_spinlock_realloc),
	KUNIT_CASE(malloc_test_atomic_large),
	KUNIT_CASE_PARAM(malloc_test_context_large, malloc_context_gen_params),
	KUNIT_CASE(malloc_test_realloc_gfp),
	KUNIT_CASE(malloc_test_realloc_shrink_large),
	KUNIT_CASE(malloc_test_realloc_gfp_zero),
	KUNIT_CASE(malloc_test_non_block),
	KUNIT_CASE(malloc_test_nmi),
	KUNIT_CASE(malloc_test_deferred_tiny),
	KUNIT_CASE(malloc_test_irq_safe_lock),
	KUNIT_CASE_PARAM(malloc_test_deferred_burst, malloc_burst_gen_params),
	KUNIT_CASE(malloc_test_sched_switch_probe),
	KUNIT_CASE(malloc_test_atomic_cap),
	KUNIT_CASE(malloc_test_account),
	KUNIT_CASE(malloc_test_failslab),
	KUNIT_CASE(malloc_test_fail_page_alloc),
	KUNIT_CASE(malloc_test_fail_vmalloc_nowait),
	KUNIT_CASE_PARAM(malloc_test_context_inject, malloc_inject_gen_params),
	{}
};

static struct kunit_suite malloc_test_suite = {
	.name = "malloc",
	.suite_init = large_vmalloc_suite_init,
	.suite_exit = large_vmalloc_suite_exit,
	.init = malloc_test_init,
	.exit = malloc_test_exit,
	.test_cases = malloc_test_cases,
};

/* The suites that expect no warning run before those that provoke them. */
kunit_test_suites(&malloc_test_suite, &malloc_bad_pointer_suite,
		  &malloc_detect_suite);

MODULE_DESCRIPTION("KUnit tests for the malloc() family");
MODULE_LICENSE("GPL");

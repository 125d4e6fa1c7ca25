// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of the malloc() family against the allocators a careful author
 * would pick by hand: kmalloc()/kzalloc(), kvmalloc()/kvzalloc() and
 * vmalloc().
 *
 * Loading the module runs the benchmark once, in the loading task, and
 * prints its results as CSV lines on the console; unload it to run it
 * again. (A failed load would not do: busybox's insmod retries a failed
 * finit_module() with init_module(), running it twice.) Every figure is measured
 * in the same boot, with the methods interleaved in each repetition, so
 * that their ratios hold even where absolute times do not (under
 * emulation, for instance).
 *
 * Lines (all prefixed "malloc_bench: "):
 *
 *   time,MODE,SIZING,SIZE,METHOD,ITERS,MEDIAN,MIN,MAX
 *	nanoseconds per allocation and free, median, minimum and maximum
 *	over the repetitions. MODE is "pair" (allocate, free, repeat),
 *	"batch" (allocate batch blocks, then free them) or "atomic" (pairs
 *	with preemption disabled); SIZING is "const" where the size is a
 *	compile-time constant at the call, "runtime" where it is not.
 *
 *   mem,SIZE,METHOD,BYTES
 *	the memory one block of SIZE bytes takes: the slab object or the
 *	pages of a large kmalloc(); for vmalloc(), its pages, its vm_struct,
 *	vmap_area and page array, and its page table entries.
 *
 *   infer,ITERS,NS
 *	nanoseconds per evaluation of the context inference alone, net of
 *	an empty loop.
 *
 *   part,SIZE,PART,ITERS,MEDIAN
 *	the cost of each part of a malloc()/free() pair of runtime SIZE,
 *	in nanoseconds per pair, median over the repetitions, every part
 *	timed in the same repetitions: "kmalloc" is a kmalloc()/kfree()
 *	pair (the slab allocator's own work); "call", "infer", "range",
 *	"linear", "owner" and "start" what an empty out-of-line call, the
 *	context inference, free()'s inline tests (the linear map's range, not
 *	in NMI), and each step of its pointer check (virt_addr_valid(), the
 *	owner, the object start) add to that pair; "unchecked" and
 *	"checked" what malloc()/free() adds, with malloc.check= off and on.
 *
 *   smp,SIZE,METHOD,CPUS,ITERS,MEDIAN,MIN,MAX
 *	with more than one CPU online: alloc/free pairs of runtime SIZE on
 *	every online CPU at once, one bound kthread per CPU started
 *	together; nanoseconds per pair on one CPU (the mean over the CPUs of
 *	each repetition), median, minimum and maximum over the repetitions.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/malloc.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>

static unsigned int reps = 7;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "repetitions of each measurement (default 7)");

static unsigned int min_us = 2000;
module_param(min_us, uint, 0444);
MODULE_PARM_DESC(min_us, "least time one measurement takes, in us (default 2000)");

static unsigned int batch = 64;
module_param(batch, uint, 0444);
MODULE_PARM_DESC(batch, "blocks per batch (default 64)");

static unsigned long max_size = SZ_16M;
module_param(max_size, ulong, 0444);
MODULE_PARM_DESC(max_size, "largest size measured (default 16 MiB)");

static bool smp = true;
module_param(smp, bool, 0444);
MODULE_PARM_DESC(smp, "measure pairs on every online CPU at once, if more than one (default on)");

static bool success_only;
module_param(success_only, bool, 0444);

static bool parts_only;
module_param(parts_only, bool, 0444);
MODULE_PARM_DESC(parts_only, "measure only the parts of a malloc()/free() pair (default off)");

/* Only the latency of large allocations where the caller may not sleep. */
static bool latency_only;
module_param(latency_only, bool, 0444);
MODULE_PARM_DESC(success_only, "measure only the success rates under a spinlock (default off)");

#define BENCH_MAX_REPS		31
#define BENCH_BATCH_BYTES	SZ_64M

enum bench_method {
	BENCH_MALLOC,
	BENCH_CALLOC,
	BENCH_KMALLOC,
	BENCH_KZALLOC,
	BENCH_KVMALLOC,
	BENCH_KVZALLOC,
	BENCH_VMALLOC,
	BENCH_KMALLOC_NOWAIT,
	BENCH_METHODS
};

static const char *const bench_names[BENCH_METHODS] = {
	[BENCH_MALLOC] = "malloc",
	[BENCH_CALLOC] = "calloc",
	[BENCH_KMALLOC] = "kmalloc",
	[BENCH_KZALLOC] = "kzalloc",
	[BENCH_KVMALLOC] = "kvmalloc",
	[BENCH_KVZALLOC] = "kvzalloc",
	[BENCH_VMALLOC] = "vmalloc",
	[BENCH_KMALLOC_NOWAIT] = "kmalloc",
};

/* Allocate @n blocks, then free them, @iters times; @n is 1 for pairs. */
#define BENCH_LOOP(alloc, release)					\
	do {								\
		for (i = 0; i < iters; i++) {				\
			for (j = 0; j < n; j++) {			\
				v[j] = alloc;				\
				failed |= !v[j];			\
			}						\
			for (j = 0; j < n; j++)				\
				release(v[j]);				\
		}							\
	} while (0)

/*
 * The timed loops, one per method with the call inline as at a call site.
 * Inlined into a function that passes a literal @size, they measure
 * compile-time-constant sizes; where OPTIMIZER_HIDE_VAR() hid it, runtime
 * sizes.
 */
static __always_inline int bench_loop(enum bench_method m, size_t size,
				      unsigned long iters, void **v,
				      unsigned int n)
{
	bool failed = false;
	unsigned long i;
	unsigned int j;

	switch (m) {
	case BENCH_MALLOC:
		BENCH_LOOP(malloc(size), free);
		break;
	case BENCH_CALLOC:
		BENCH_LOOP(calloc(1, size), free);
		break;
	case BENCH_KMALLOC:
		BENCH_LOOP(kmalloc(size, GFP_KERNEL), kfree);
		break;
	case BENCH_KZALLOC:
		BENCH_LOOP(kzalloc(size, GFP_KERNEL), kfree);
		break;
	case BENCH_KVMALLOC:
		BENCH_LOOP(kvmalloc(size, GFP_KERNEL), kvfree);
		break;
	case BENCH_KVZALLOC:
		BENCH_LOOP(kvzalloc(size, GFP_KERNEL), kvfree);
		break;
	case BENCH_VMALLOC:
		BENCH_LOOP(vmalloc(size), vfree);
		break;
	case BENCH_KMALLOC_NOWAIT:
		BENCH_LOOP(kmalloc(size, GFP_NOWAIT | __GFP_NOWARN), kfree);
		break;
	default:
		return -EINVAL;
	}
	return failed ? -ENOMEM : 0;
}

static noinline int bench_runtime(enum bench_method m, size_t size,
				  unsigned long iters, void **v, unsigned int n)
{
	OPTIMIZER_HIDE_VAR(size);
	return bench_loop(m, size, iters, v, n);
}

typedef int bench_fn(enum bench_method m, size_t size, unsigned long iters,
		     void **v, unsigned int n);

/* Compile-time-constant sizes, up to the largest kmalloc() cache. */
#define BENCH_CONST(size)						\
static noinline int bench_const_##size(enum bench_method m, size_t unused, \
				       unsigned long iters, void **v,	\
				       unsigned int n)			\
{									\
	return bench_loop(m, size, iters, v, n);			\
}

BENCH_CONST(8)
BENCH_CONST(16)
BENCH_CONST(32)
BENCH_CONST(64)
BENCH_CONST(96)
BENCH_CONST(128)
BENCH_CONST(192)
BENCH_CONST(256)
BENCH_CONST(512)
BENCH_CONST(1024)
BENCH_CONST(2048)
BENCH_CONST(4096)
BENCH_CONST(8192)

static const struct {
	size_t size;
	bench_fn *fn;
} bench_consts[] = {
	{ 8, bench_const_8 }, { 16, bench_const_16 }, { 32, bench_const_32 },
	{ 64, bench_const_64 }, { 96, bench_const_96 }, { 128, bench_const_128 },
	{ 192, bench_const_192 }, { 256, bench_const_256 },
	{ 512, bench_const_512 }, { 1024, bench_const_1024 },
	{ 2048, bench_const_2048 }, { 4096, bench_const_4096 },
	{ 8192, bench_const_8192 },
};

static const enum bench_method const_methods[] = {
	BENCH_MALLOC, BENCH_CALLOC, BENCH_KMALLOC, BENCH_KZALLOC,
	BENCH_KVMALLOC, BENCH_KVZALLOC,
};

static const enum bench_method runtime_methods[] = {
	BENCH_MALLOC, BENCH_CALLOC, BENCH_KMALLOC, BENCH_KZALLOC,
	BENCH_KVMALLOC, BENCH_KVZALLOC, BENCH_VMALLOC,
};

/* With preemption disabled: the sizes kmalloc() serves without reclaim. */
static const enum bench_method atomic_methods[] = {
	BENCH_MALLOC, BENCH_KMALLOC_NOWAIT,
};

/* The largest size @m serves in @mode; 0 for any. */
static size_t bench_max_size(enum bench_method m, const char *mode)
{
	/*
	 * Timed up to the costly order: beyond it, whether a non-blocking
	 * allocation succeeds depends on what is free, not on the allocator.
	 */
	if (!strcmp(mode, "atomic"))
		return PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER;
	if (m == BENCH_KMALLOC || m == BENCH_KZALLOC)
		return KMALLOC_MAX_SIZE;
	return 0;
}

/*
 * Runtime sizes from 8 bytes to max_size: each power of two, one and a half
 * times it, and one byte past every threshold: a page, MALLOC_KMALLOC_MAX
 * and KMALLOC_MAX_SIZE (which is MALLOC_ATOMIC_MAX too).
 */
static unsigned int bench_sizes(size_t *sizes, unsigned int max)
{
	static const size_t past[] = {
		PAGE_SIZE, MALLOC_KMALLOC_MAX, KMALLOC_MAX_SIZE,
	};
	unsigned int n = 0, i;
	size_t s;

	for (s = 8; s <= max_size && n + 3 <= max; s <<= 1) {
		sizes[n++] = s;
		for (i = 0; i < ARRAY_SIZE(past); i++)
			if (s == past[i])
				sizes[n++] = s + 1;
		if (s + s / 2 <= max_size && s >= 64)
			sizes[n++] = s + s / 2;
	}
	return n;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Batch length for @size: at most BENCH_BATCH_BYTES held at once. */
static unsigned int bench_batch_len(size_t size)
{
	return clamp_t(size_t, BENCH_BATCH_BYTES / size, 1, batch);
}

static void **bench_vec;
static u64 bench_t[ARRAY_SIZE(runtime_methods)][BENCH_MAX_REPS];

/* Run one measurement: nanoseconds, or 0 if an allocation failed. */
static u64 bench_run(bench_fn *fn, enum bench_method m, const char *mode,
		     size_t size, unsigned long iters)
{
	bool atomic = !strcmp(mode, "atomic");
	unsigned int n = strcmp(mode, "batch") ? 1 : bench_batch_len(size);
	u64 t0, t1;
	int ret;

	if (atomic)
		preempt_disable();
	t0 = ktime_get_ns();
	ret = fn(m, size, iters, bench_vec, n);
	t1 = ktime_get_ns();
	if (atomic)
		preempt_enable();
	cond_resched();
	return ret ? 0 : max_t(u64, t1 - t0, 1);
}

/* Print ns per operation with one decimal, from a total over @ops. */
static void bench_ns(char *buf, size_t len, u64 total, u64 ops)
{
	u64 tenths = div64_u64(total * 10 + ops / 2, ops);

	snprintf(buf, len, "%llu.%llu", div_u64(tenths, 10), tenths % 10);
}

/*
 * Measure @n methods at @size in @mode: calibrate each method's iteration
 * count so that a measurement takes at least min_us, then repeat, the
 * methods interleaved within each repetition.
 */
static void bench_methods(bench_fn *fn, const enum bench_method *ms,
			  unsigned int n, const char *mode, const char *sizing,
			  size_t size)
{
	unsigned long iters[ARRAY_SIZE(runtime_methods)];
	u64 (*t)[BENCH_MAX_REPS] = bench_t;
	bool ok[ARRAY_SIZE(runtime_methods)];
	u64 per = strcmp(mode, "batch") ? 1 : bench_batch_len(size);
	char med[24], lo[24], hi[24];
	unsigned int i, r;
	size_t max;
	u64 ns;

	for (i = 0; i < n; i++) {
		max = bench_max_size(ms[i], mode);
		ok[i] = !max || size <= max;
		/* Warm up: first runs pay for cold caches and code. */
		if (ok[i])
			ok[i] = bench_run(fn, ms[i], mode, size, 2) &&
				bench_run(fn, ms[i], mode, size, 2);
		for (iters[i] = 1; ok[i]; iters[i] <<= 1) {
			ns = bench_run(fn, ms[i], mode, size, iters[i]);
			if (!ns)
				ok[i] = false;
			else if (ns >= min_us * NSEC_PER_USEC || iters[i] >= (1UL << 24))
				break;
		}
	}
	for (r = 0; r < reps; r++)
		for (i = 0; i < n; i++)
			if (ok[i]) {
				t[i][r] = bench_run(fn, ms[i], mode, size, iters[i]);
				if (!t[i][r])
					ok[i] = false;
			}
	for (i = 0; i < n; i++) {
		if (!ok[i])
			continue;
		sort(t[i], reps, sizeof(u64), cmp_u64, NULL);
		bench_ns(med, sizeof(med), t[i][reps / 2], iters[i] * per);
		bench_ns(lo, sizeof(lo), t[i][0], iters[i] * per);
		bench_ns(hi, sizeof(hi), t[i][reps - 1], iters[i] * per);
		pr_info("time,%s,%s,%zu,%s,%llu,%s,%s,%s\n", mode, sizing, size,
			bench_names[ms[i]], iters[i] * per, med, lo, hi);
	}
}

/*
 * Every CPU at once: one kthread per online CPU, bound to it, runs the
 * same pairs; all wait until the last has started, so that they overlap.
 */
struct bench_smp {
	enum bench_method m;
	size_t size;
	unsigned long iters;
	atomic_t waiting;
	struct completion done;
	atomic_t running;
	u64 ns[NR_CPUS];
	bool failed;
};

static int bench_smp_fn(void *arg)
{
	struct bench_smp *b = arg;
	void *v[1];
	u64 t0;
	int ret;

	atomic_dec(&b->waiting);
	while (atomic_read(&b->waiting))
		cpu_relax();
	t0 = ktime_get_ns();
	ret = bench_runtime(b->m, b->size, b->iters, v, 1);
	b->ns[raw_smp_processor_id()] = ktime_get_ns() - t0;
	if (ret)
		WRITE_ONCE(b->failed, true);
	if (atomic_dec_and_test(&b->running))
		complete(&b->done);
	return 0;
}

/*
 * One repetition: the mean nanoseconds over the CPUs; 0 on failure. The
 * kthreads are all created before any runs, and this CPU's is woken last,
 * so that none spins waiting for one not yet started on its own CPU.
 */
static u64 bench_smp_run(struct bench_smp *b, struct task_struct **tasks)
{
	unsigned int cpus = num_online_cpus(), cpu, self;
	u64 sum = 0;

	atomic_set(&b->waiting, cpus);
	atomic_set(&b->running, cpus);
	init_completion(&b->done);
	for_each_online_cpu(cpu) {
		tasks[cpu] = kthread_create_on_cpu(bench_smp_fn, b, cpu, "malloc_bench/%u");
		if (IS_ERR(tasks[cpu])) {
			while (cpu--)
				if (cpu_online(cpu))
					kthread_stop(tasks[cpu]);
			return 0;
		}
	}
	b->failed = false;
	self = get_cpu();
	for_each_online_cpu(cpu)
		if (cpu != self)
			wake_up_process(tasks[cpu]);
	wake_up_process(tasks[self]);
	put_cpu();
	wait_for_completion(&b->done);
	if (b->failed)
		return 0;
	for_each_online_cpu(cpu)
		sum += b->ns[cpu];
	return max_t(u64, div_u64(sum, cpus), 1);
}

static void bench_smp_size(struct bench_smp *b, struct task_struct **tasks,
			   size_t size)
{
	static const enum bench_method ms[] = { BENCH_MALLOC, BENCH_KMALLOC };
	unsigned long iters[ARRAY_SIZE(ms)];
	bool ok[ARRAY_SIZE(ms)];
	char med[24], lo[24], hi[24];
	unsigned int i, r;

	/* Calibrate on this CPU alone, as bench_methods() does. */
	for (i = 0; i < ARRAY_SIZE(ms); i++) {
		u64 ns;

		ok[i] = bench_run(bench_runtime, ms[i], "pair", size, 2);
		for (iters[i] = 1; ok[i]; iters[i] <<= 1) {
			ns = bench_run(bench_runtime, ms[i], "pair", size, iters[i]);
			if (!ns)
				ok[i] = false;
			else if (ns >= min_us * NSEC_PER_USEC || iters[i] >= (1UL << 24))
				break;
		}
	}
	for (r = 0; r < reps; r++)
		for (i = 0; i < ARRAY_SIZE(ms); i++) {
			if (!ok[i])
				continue;
			b->m = ms[i];
			b->size = size;
			b->iters = iters[i];
			bench_t[i][r] = bench_smp_run(b, tasks);
			if (!bench_t[i][r])
				ok[i] = false;
		}
	for (i = 0; i < ARRAY_SIZE(ms); i++) {
		if (!ok[i])
			continue;
		sort(bench_t[i], reps, sizeof(u64), cmp_u64, NULL);
		bench_ns(med, sizeof(med), bench_t[i][reps / 2], iters[i]);
		bench_ns(lo, sizeof(lo), bench_t[i][0], iters[i]);
		bench_ns(hi, sizeof(hi), bench_t[i][reps - 1], iters[i]);
		pr_info("smp,%zu,%s,%u,%lu,%s,%s,%s\n", size, bench_names[ms[i]],
			num_online_cpus(), iters[i], med, lo, hi);
	}
}

static void bench_smp_all(void)
{
	struct task_struct **tasks;
	struct bench_smp *b;
	size_t size;

	if (!smp || num_online_cpus() < 2)
		return;
	b = kzalloc_obj(*b);
	tasks = kcalloc(nr_cpu_ids, sizeof(*tasks), GFP_KERNEL);
	if (b && tasks) {
		cpus_read_lock();
		for (size = 8; size <= min_t(size_t, max_size, MALLOC_KMALLOC_MAX);
		     size <<= 1)
			bench_smp_size(b, tasks, size);
		cpus_read_unlock();
	}
	kfree(tasks);
	kfree(b);
}

/*
 * The memory a vmalloc()ed block takes: the pages mapped from its first
 * page up to the guard page after it (which a huge mapping rounds up to
 * PMD_SIZE), and the bookkeeping mm/vmalloc.c keeps for it: a vm_struct
 * from kmalloc(), a vmap_area, the page array (from kmalloc(), or from
 * vmalloc() above a page), and a page table entry per page.
 */
static size_t bench_vmalloc_pages_bytes(size_t nr_pages);

static size_t bench_vmalloc_bytes(const void *p)
{
	const void *page = PTR_ALIGN_DOWN(p, PAGE_SIZE);
	size_t nr_pages = 0;

	while (vmalloc_to_page(page + (nr_pages << PAGE_SHIFT)))
		nr_pages++;
	return bench_vmalloc_pages_bytes(nr_pages);
}

static size_t bench_vmalloc_pages_bytes(size_t nr_pages)
{
	size_t array = nr_pages * sizeof(struct page *);
	size_t bytes;

	bytes = (nr_pages << PAGE_SHIFT) + nr_pages * sizeof(pte_t);
	bytes += kmalloc_size_roundup(sizeof(struct vm_struct)) + sizeof(struct vmap_area);
	if (array > PAGE_SIZE)
		bytes += bench_vmalloc_pages_bytes(PAGE_ALIGN(array) >> PAGE_SHIFT);
	else
		bytes += kmalloc_size_roundup(array);
	return bytes;
}

/* The memory one block of @size bytes at @p takes. */
static size_t bench_block_bytes(const void *p, size_t size)
{
	if (is_vmalloc_addr(p))
		return bench_vmalloc_bytes(p);
	return ksize(p);
}

static void bench_memory(void)
{
	size_t size, bytes;
	unsigned int i;
	void *p;

	/* Eight sizes per octave. */
	for (i = 3 * 8; i <= ilog2(max_size) * 8; i++) {
		size = int_pow(2, i / 8);
		size += mult_frac(size, i % 8, 8);
		if (i % 8 == 7)
			size += 1;	/* and one past the next power of two */
		p = malloc(size);
		bytes = p ? bench_block_bytes(p, size) : 0;
		free(p);
		if (bytes)
			pr_info("mem,%zu,malloc,%zu\n", size, bytes);
		p = kvmalloc(size, GFP_KERNEL);
		bytes = p ? bench_block_bytes(p, size) : 0;
		kvfree(p);
		if (bytes)
			pr_info("mem,%zu,kvmalloc,%zu\n", size, bytes);
		cond_resched();
	}
}

/*
 * Success rates of large allocations where the caller may not sleep: under
 * a spinlock, BENCH_HOLD blocks of each size are allocated and held, with
 * malloc() and with kvmalloc() passed GFP_ATOMIC and GFP_NOWAIT, then
 * freed; the blocks vmalloc() served are counted. First on the memory as
 * it is, then fragmented: all free memory but 16 MiB is allocated as
 * order-0 pages and those at odd page frame numbers given back, so that
 * what is free there is in blocks of one page.
 */
#define BENCH_HOLD	16

static const size_t success_sizes[] = {
	SZ_16K, SZ_32K, SZ_64K, SZ_256K, SZ_1M, SZ_4M, SZ_8M,
};

static const char *const success_names[] = {
	"malloc", "kvmalloc_atomic", "kvmalloc_nowait",
};

static DEFINE_SPINLOCK(bench_lock);

static unsigned int bench_success_one(unsigned int m, size_t size, void **held,
				      unsigned int *vmalloced)
{
	unsigned int i, ok = 0;

	spin_lock(&bench_lock);
	for (i = 0; i < BENCH_HOLD; i++) {
		if (m == 0)
			held[i] = malloc(size);
		else
			held[i] = kvmalloc(size, (m == 1 ? GFP_ATOMIC : GFP_NOWAIT) |
					   __GFP_NOWARN);
		ok += !!held[i];
		*vmalloced += is_vmalloc_addr(held[i]);
	}
	spin_unlock(&bench_lock);
	for (i = 0; i < BENCH_HOLD; i++) {
		if (m == 0)
			free(held[i]);
		else
			kvfree(held[i]);
	}
	return ok;
}

static void bench_success_all(const char *state)
{
	unsigned int i, m, ok, vmalloced;
	void *held[BENCH_HOLD];

	for (i = 0; i < ARRAY_SIZE(success_sizes); i++)
		for (m = 0; m < ARRAY_SIZE(success_names); m++) {
			vmalloced = 0;
			ok = bench_success_one(m, success_sizes[i], held, &vmalloced);
			pr_info("success,%s,%zu,%s,%u,%u,%u\n", state, success_sizes[i],
				success_names[m], ok, BENCH_HOLD, vmalloced);
		}
}

static void bench_success(void)
{
	unsigned long nr = global_zone_page_state(NR_FREE_PAGES), got, i;
	struct page **pages;

	nr -= min(nr, (unsigned long)SZ_16M >> PAGE_SHIFT);

	bench_success_all("fresh");
	pages = kvmalloc_array(nr, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return;
	for (got = 0; got < nr; got++) {
		pages[got] = alloc_page(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
		if (!pages[got])
			break;
	}
	for (i = 0; i < got; i++) {
		if (page_to_pfn(pages[i]) & 1) {
			__free_page(pages[i]);
			pages[i] = NULL;
		}
	}
	pr_info("fragment,%lu\n", got);
	bench_success_all("fragmented");
	for (i = 0; i < got; i++)
		if (pages[i])
			__free_page(pages[i]);
	kvfree(pages);
}

/*
 * How long one large allocation holds the CPU where the caller may not
 * sleep: malloc() and calloc() under a spinlock, from a 4 MiB kmalloc()
 * block to a 256 MiB vmalloc() one (up to half the free memory), the
 * median of reps runs. Beyond malloc.atomic_max= the family fails at once:
 * boot with a larger one to time the sizes above it.
 */
static const size_t latency_sizes[] = {
	SZ_4M, SZ_4M + PAGE_SIZE, SZ_16M, SZ_64M, SZ_256M,
};

static void bench_latency(void)
{
	unsigned long avail = global_zone_page_state(NR_FREE_PAGES) << PAGE_SHIFT;
	u64 t[BENCH_MAX_REPS], t0;
	unsigned int i, r, zero, ok;
	void *p;

	for (i = 0; i < ARRAY_SIZE(latency_sizes); i++) {
		if (latency_sizes[i] > avail / 2)
			break;
		for (zero = 0; zero < 2; zero++) {
			ok = 0;
			for (r = 0; r < reps; r++) {
				spin_lock(&bench_lock);
				t0 = ktime_get_ns();
				p = zero ? calloc(1, latency_sizes[i]) : malloc(latency_sizes[i]);
				t[r] = ktime_get_ns() - t0;
				spin_unlock(&bench_lock);
				ok += !!p;
				free(p);
			}
			sort(t, reps, sizeof(u64), cmp_u64, NULL);
			pr_info("latency,%zu,%s,%llu,%u,%u\n", latency_sizes[i],
				zero ? "calloc" : "malloc", t[reps / 2], ok, reps);
		}
	}
}

static noinline void bench_infer_loop(unsigned long iters, bool infer)
{
	unsigned long i;
	gfp_t gfp = 0;

	for (i = 0; i < iters; i++) {
		if (infer)
			gfp = malloc_gfp();
		OPTIMIZER_HIDE_VAR(gfp);
	}
}

static void bench_infer(void)
{
	const unsigned long iters = 1UL << 22;
	u64 t[2][BENCH_MAX_REPS], t0;
	char ns[24];
	unsigned int r, k;

	for (r = 0; r < reps; r++)
		for (k = 0; k < 2; k++) {
			t0 = ktime_get_ns();
			bench_infer_loop(iters, k);
			t[k][r] = ktime_get_ns() - t0;
		}
	sort(t[0], reps, sizeof(u64), cmp_u64, NULL);
	sort(t[1], reps, sizeof(u64), cmp_u64, NULL);
	bench_ns(ns, sizeof(ns), t[1][reps / 2] > t[0][reps / 2] ?
		 t[1][reps / 2] - t[0][reps / 2] : 0, iters);
	pr_info("infer,%lu,%s\n", iters, ns);
}

/*
 * The parts of a malloc()/free() pair, timed each against a kmalloc()/kfree()
 * pair of the same runtime size.
 */
enum bench_part {
	PART_KMALLOC,
	PART_CALL,
	PART_INFER,
	PART_RANGE,
	PART_LINEAR,
	PART_OWNER,
	PART_START,
	PART_UNCHECKED,
	PART_CHECKED,
	BENCH_PARTS
};

static const char *const part_names[BENCH_PARTS] = {
	[PART_KMALLOC] = "kmalloc",
	[PART_CALL] = "call",
	[PART_INFER] = "infer",
	[PART_RANGE] = "range",
	[PART_LINEAR] = "linear",
	[PART_OWNER] = "owner",
	[PART_START] = "start",
	[PART_UNCHECKED] = "unchecked",
	[PART_CHECKED] = "checked",
};

static const size_t part_sizes[] = { 16, 64, 256, 1024, 4096 };

#define BENCH_CHECK_PARAM	"/sys/module/malloc/parameters/check"

/* malloc.check=, read or set through sysfs: 1 or 0, or an error. */
static int bench_check(int set)
{
	struct file *f = filp_open(BENCH_CHECK_PARAM, set < 0 ? O_RDONLY : O_WRONLY, 0);
	char c = set ? '1' : '0';
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	if (set < 0)
		n = kernel_read(f, &c, 1, &pos);
	else
		n = kernel_write(f, &c, 1, &pos);
	filp_close(f, NULL);
	if (n != 1)
		return n < 0 ? n : -EIO;
	return set < 0 ? c == 'Y' : set;
}

static noinline int bench_part_loop(enum bench_part part, size_t size,
				    unsigned long iters)
{
	bool failed = false;
	unsigned long i;
	gfp_t gfp;
	void *p;

	OPTIMIZER_HIDE_VAR(size);
	for (i = 0; i < iters; i++) {
		if (part >= PART_UNCHECKED) {
			p = malloc(size);
			failed |= !p;
			free(p);
			continue;
		}
		p = kmalloc(size, GFP_KERNEL);
		failed |= !p;
		switch (part) {
		case PART_CALL:
		case PART_LINEAR:
		case PART_OWNER:
		case PART_START:
			failed |= !malloc_bench_check(p, part == PART_CALL ? 0 :
							   part - PART_RANGE);
			break;
		case PART_INFER:
			gfp = malloc_gfp();
			OPTIMIZER_HIDE_VAR(gfp);
			break;
		case PART_RANGE:
			failed |= !malloc_lowmem_addr(p) || !malloc_kfree_ok();
			break;
		default:
			break;
		}
		kfree(p);
	}
	return failed ? -ENOMEM : 0;
}

static void bench_parts(void)
{
	int was_on = bench_check(-1);
	static u64 t[BENCH_PARTS][BENCH_MAX_REPS];
	unsigned long iters = 1UL << 14;
	unsigned int i, k, r;
	char ns[24];
	u64 t0, base;

	if (was_on < 0) {
		pr_err("part: %s: error %d\n", BENCH_CHECK_PARAM, was_on);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(part_sizes); i++) {
		/* Calibrate on the kmalloc() pair, so that it takes min_us. */
		for (;;) {
			t0 = ktime_get_ns();
			bench_part_loop(PART_KMALLOC, part_sizes[i], iters);
			if (ktime_get_ns() - t0 >= min_us * NSEC_PER_USEC || iters >= 1UL << 26)
				break;
			iters *= 2;
		}
		for (r = 0; r < reps; r++) {
			for (k = 0; k < BENCH_PARTS; k++) {
				if (k >= PART_UNCHECKED)
					bench_check(k == PART_CHECKED);
				t0 = ktime_get_ns();
				if (bench_part_loop(k, part_sizes[i], iters))
					pr_err("part,%zu,%s: allocation failed\n",
					       part_sizes[i], part_names[k]);
				t[k][r] = ktime_get_ns() - t0;
				cond_resched();
			}
		}
		bench_check(was_on);
		for (k = 0; k < BENCH_PARTS; k++)
			sort(t[k], reps, sizeof(u64), cmp_u64, NULL);
		for (k = 0; k < BENCH_PARTS; k++) {
			/* The steps of the check, net of the call and of each other. */
			base = k == PART_KMALLOC ? 0 :
			       k == PART_LINEAR ? t[PART_CALL][reps / 2] :
			       k == PART_OWNER ? t[PART_LINEAR][reps / 2] :
			       k == PART_START ? t[PART_OWNER][reps / 2] :
			       t[PART_KMALLOC][reps / 2];
			bench_ns(ns, sizeof(ns), t[k][reps / 2] > base ?
				 t[k][reps / 2] - base : 0, iters);
			pr_info("part,%zu,%s,%lu,%s\n", part_sizes[i], part_names[k],
				iters, ns);
		}
	}
}

/*
 * A constant-size malloc() and the kmalloc() it stands for, out of line so
 * that their code can be compared in the disassembly of this file.
 */
static noinline void *bench_malloc_64(void)
{
	return malloc(64);
}

static noinline void *bench_kmalloc_64(void)
{
	return kmalloc(64, GFP_KERNEL);
}

/* free() and kfree() as a call site compiles them, for the same comparison. */
static noinline void bench_free(void *p)
{
	free(p);
}

static noinline void bench_kfree(void *p)
{
	kfree(p);
}

static int __init malloc_bench_init(void)
{
	size_t sizes[80];
	unsigned int n, i;

	reps = clamp(reps, 1U, BENCH_MAX_REPS);
	batch = max(batch, 1U);
	bench_vec = kmalloc_array(batch, sizeof(void *), GFP_KERNEL);
	if (!bench_vec)
		return -ENOMEM;

	pr_info("start,reps=%u,min_us=%u,batch=%u,max_size=%lu\n",
		reps, min_us, batch, max_size);
	bench_free(bench_malloc_64());
	bench_kfree(bench_kmalloc_64());
	if (latency_only) {
		bench_latency();
		goto done;
	}
	if (success_only)
		goto success;
	bench_infer();
	bench_parts();
	if (parts_only)
		goto done;
	for (i = 0; i < ARRAY_SIZE(bench_consts); i++) {
		bench_methods(bench_consts[i].fn, const_methods, ARRAY_SIZE(const_methods),
			      "pair", "const", bench_consts[i].size);
		bench_methods(bench_consts[i].fn, const_methods, ARRAY_SIZE(const_methods),
			      "batch", "const", bench_consts[i].size);
	}
	n = bench_sizes(sizes, ARRAY_SIZE(sizes));
	for (i = 0; i < n; i++) {
		bench_methods(bench_runtime, runtime_methods, ARRAY_SIZE(runtime_methods),
			      "pair", "runtime", sizes[i]);
		bench_methods(bench_runtime, runtime_methods, ARRAY_SIZE(runtime_methods),
			      "batch", "runtime", sizes[i]);
		bench_methods(bench_runtime, atomic_methods, ARRAY_SIZE(atomic_methods),
			      "atomic", "runtime", sizes[i]);
	}
	bench_smp_all();
	bench_memory();
	bench_latency();
success:
	bench_success();
done:
	pr_info("done\n");

	kfree(bench_vec);
	return 0;
}
module_init(malloc_bench_init);

static void __exit malloc_bench_exit(void)
{
}
module_exit(malloc_bench_exit);

MODULE_DESCRIPTION("Benchmark of the malloc() family against kmalloc(), kvmalloc() and vmalloc()");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * Sample module using the malloc() family as a driver would.
 *
 * It keeps a device structure, an event log that grows with reallocarray()
 * past the largest kmalloc() cache, a firmware-sized buffer and an
 * aligned descriptor ring; records events under a spinlock; asks for an
 * 8 MiB buffer under a spinlock with interrupts enabled (vmalloc() serves
 * it) and disabled (nothing can); and, unless loaded with bench=0, times
 * malloc()/free() pairs next to kmalloc()/kfree() and kvmalloc()/kvfree().
 * The blocks it holds while loaded show up in
 * /proc/allocinfo against the lines of this file that allocated them.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/malloc.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

static bool bench = true;
module_param(bench, bool, 0444);
MODULE_PARM_DESC(bench, "time malloc()/free() against kmalloc() and kvmalloc()");

/*
 * A firmware image: 49 pages, not a power of two: kmalloc() rounds it up to
 * 64, as kvmalloc() would; vmalloc() takes over where no such block is free.
 */
#define SAMPLE_FW_SIZE	200000

struct sample_event {
	u64 when;
	u32 code;
	u32 len;
};

struct sample_dev {
	struct sample_event *log;	/* grows with reallocarray() */
	size_t log_len, log_cap;
	void *ring;			/* aligned_alloc() */
	spinlock_t lock;		/* protects the fields below it */
	void *firmware;			/* large: page-backed */
	void *irq_records[4];		/* malloc()ed with the lock held */
};

static struct sample_dev *dev;

static const char *backend(const void *p)
{
	if (!p)
		return "NULL";
	if (ZERO_OR_NULL_PTR(p))
		return "ZERO_SIZE_PTR";
	return is_vmalloc_addr(p) ? "vmalloc" : "kmalloc";
}

static int log_event(struct sample_dev *d, u32 code)
{
	if (d->log_len == d->log_cap) {
		size_t cap = d->log_cap ? d->log_cap + d->log_cap / 2 : 16;
		struct sample_event *log;

		log = reallocarray(d->log, cap, sizeof(*log));
		if (!log)
			return -ENOMEM;	/* d->log is intact */
		if (is_vmalloc_addr(log) != is_vmalloc_addr(d->log))
			pr_info("event log: %zu entries (%zu bytes) moved to %s\n",
				cap, cap * sizeof(*log), backend(log));
		d->log = log;
		d->log_cap = cap;
	}
	d->log[d->log_len++] = (struct sample_event){
		.when = ktime_get_ns(), .code = code,
	};
	return 0;
}

/* Protects a table that only process context touches. */
static DEFINE_SPINLOCK(sample_table_lock);

static int sample_setup(void)
{
	unsigned long flags;
	void *old_fw, *big;
	int i;

	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	spin_lock_init(&dev->lock);
	pr_info("device: calloc(1, %zu) -> %s\n", sizeof(*dev), backend(dev));

	for (i = 0; i < 2000; i++)
		if (log_event(dev, i))
			return -ENOMEM;

	dev->firmware = malloc(SAMPLE_FW_SIZE);
	if (!dev->firmware)
		return -ENOMEM;
	pr_info("firmware: malloc(%u) -> %s\n", SAMPLE_FW_SIZE, backend(dev->firmware));

	dev->ring = aligned_alloc(SZ_4K, 64 * 32);
	if (!dev->ring)
		return -ENOMEM;
	pr_info("ring: aligned_alloc(%u, %u) -> %s, %s\n", SZ_4K, 64 * 32,
		backend(dev->ring),
		IS_ALIGNED((unsigned long)dev->ring, SZ_4K) ? "aligned" : "NOT aligned");

	/* What an interrupt handler would do, with the lock held. */
	old_fw = dev->firmware;
	spin_lock_irqsave(&dev->lock, flags);
	for (i = 0; i < ARRAY_SIZE(dev->irq_records); i++)
		dev->irq_records[i] = malloc(64 << (3 * i));
	dev->firmware = NULL;
	free(old_fw);	/* page-backed, freed without sleeping */
	spin_unlock_irqrestore(&dev->lock, flags);
	for (i = 0; i < ARRAY_SIZE(dev->irq_records); i++)
		pr_info("under spinlock: malloc(%u) -> %s\n", 64 << (3 * i),
			backend(dev->irq_records[i]));
	pr_info("under spinlock: free(firmware) done\n");

	/*
	 * A lock no interrupt handler takes leaves interrupts enabled: a
	 * buffer larger than kmalloc() serves comes from vmalloc() there,
	 * without sleeping. With interrupts disabled it cannot.
	 */
	spin_lock(&sample_table_lock);
	big = malloc(SZ_8M);
	spin_unlock(&sample_table_lock);
	pr_info("under spin_lock(): malloc(%u) -> %s\n", SZ_8M, backend(big));
	free(big);
	spin_lock_irqsave(&dev->lock, flags);
	big = malloc(SZ_8M);
	spin_unlock_irqrestore(&dev->lock, flags);
	pr_info("under spin_lock_irqsave(): malloc(%u) -> %s\n", SZ_8M, backend(big));
	free(big);

	pr_info("realloc(NULL, 0) -> %s; malloc(SIZE_MAX) -> %s; calloc(SIZE_MAX, 2) -> %s\n",
		backend(realloc(NULL, 0)), backend(malloc(SIZE_MAX)),
		backend(calloc(SIZE_MAX, 2)));
	return 0;
}

static void sample_teardown(void)
{
	int i;

	if (!dev)
		return;
	for (i = 0; i < ARRAY_SIZE(dev->irq_records); i++)
		free(dev->irq_records[i]);
	free(dev->ring);
	free(dev->firmware);
	free(dev->log);
	free(dev);
	dev = NULL;
}

#define BENCH_OPS	256
#define BENCH_REPS	9

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

enum bench_alloc { B_MALLOC, B_KMALLOC, B_KVMALLOC };

static void bench_run(enum bench_alloc which, size_t size)
{
	int i;

	for (i = 0; i < BENCH_OPS; i++) {
		void *p;

		switch (which) {
		case B_MALLOC:
			p = malloc(size);
			free(p);
			break;
		case B_KMALLOC:
			p = kmalloc(size, GFP_KERNEL);
			kfree(p);
			break;
		default:
			p = kvmalloc(size, GFP_KERNEL);
			kvfree(p);
			break;
		}
		OPTIMIZER_HIDE_VAR(p);
	}
}

/*
 * Median nanoseconds per alloc+free pair for each allocator, the three
 * timed in turn within every run so that they see the same conditions.
 */
static void bench_pairs(size_t size, u64 med[3])
{
	u64 t[3][BENCH_REPS];
	int r, w;

	for (w = 0; w < 3; w++)
		bench_run(w, size);	/* warm the caches */
	for (r = 0; r < BENCH_REPS; r++) {
		for (w = 0; w < 3; w++) {
			u64 start = ktime_get_ns();

			bench_run(w, size);
			t[w][r] = ktime_get_ns() - start;
		}
		cond_resched();
	}
	for (w = 0; w < 3; w++) {
		sort(t[w], BENCH_REPS, sizeof(u64), cmp_u64, NULL);
		med[w] = div_u64(t[w][BENCH_REPS / 2], BENCH_OPS);
	}
}

/*
 * How far ktime_get_ns() moves at a time. Where no fine clocksource was
 * found (under emulation, TSC calibration can fail and leave jiffies), it
 * moves a tick at a time, and a run of pairs reads as 0 or a whole tick.
 */
static u64 clock_step_ns(void)
{
	u64 t0 = ktime_get_ns(), t;

	while ((t = ktime_get_ns()) == t0)
		cpu_relax();
	t0 = t;
	while ((t = ktime_get_ns()) == t0)
		cpu_relax();
	return t - t0;
}

/*
 * A run of BENCH_OPS pairs takes tens of microseconds or more. A clock
 * that moves a tick at a time moves in milliseconds; a clocksource, even
 * the HPET read under emulation, in a few microseconds at most.
 */
#define BENCH_MAX_STEP_NS	(100 * NSEC_PER_USEC)

static void sample_bench(void)
{
	static const size_t sizes[] = {
		64, 512, SZ_4K, SZ_8K, SZ_8K + 1, SZ_16K, SZ_64K, SZ_64K + 1,
		SZ_1M, SZ_1M + 1,
	};
	u64 step = clock_step_ns();
	int i;

	if (step > BENCH_MAX_STEP_NS) {
		pr_info("no timings: the clock advances in steps of %llu ns, too coarse to time alloc+free pairs\n",
			step);
		return;
	}
	pr_info("median ns per alloc+free pair (%d pairs x %d runs):\n",
		BENCH_OPS, BENCH_REPS);
	pr_info("%8s %8s %8s %8s %8s %10s %11s\n", "size", "backend", "malloc",
		"kmalloc", "kvmalloc", "m/kmalloc", "m/kvmalloc");
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t n = sizes[i];
		void *p = malloc(n);
		const char *b = backend(p);
		u64 med[3], m, k, kv;

		free(p);
		bench_pairs(n, med);
		m = med[B_MALLOC];
		k = max(med[B_KMALLOC], 1ULL);
		kv = max(med[B_KVMALLOC], 1ULL);
		pr_info("%8zu %8s %8llu %8llu %8llu %6llu.%02llu %7llu.%02llu\n",
			n, b, m, k, kv,
			div_u64(m, k), div_u64(100 * m, k) % 100,
			div_u64(m, kv), div_u64(100 * m, kv) % 100);
	}
}

static int __init malloc_sample_init(void)
{
	int ret = sample_setup();

	if (ret) {
		sample_teardown();
		return ret;
	}
	if (bench)
		sample_bench();
	pr_info("holding %zu blocks until unloaded; see /proc/allocinfo\n",
		3 + ARRAY_SIZE(dev->irq_records));
	return 0;
}

static void __exit malloc_sample_exit(void)
{
	sample_teardown();
	pr_info("freed everything\n");
}

module_init(malloc_sample_init);
module_exit(malloc_sample_exit);

MODULE_DESCRIPTION("Sample user of the malloc() family");
MODULE_LICENSE("GPL");

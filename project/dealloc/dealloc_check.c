// SPDX-License-Identifier: GPL-2.0
/*
 * Built by make check with the kernel's flags, never loaded: every line
 * marked "warns" must draw -Wmismatched-dealloc from GCC, and no other line
 * may (expect.py compares). Each case is its own function, so that one
 * pointer's history cannot hide another's.
 *
 * Not here: kfree() of a constant-size malloc(), whose inline path calls one
 * of two allocation functions; GCC 12 does not follow such a pointer.
 */
#include <linux/malloc.h>
#include <linux/module.h>

static __used void dealloc_check_kfree_malloc(size_t n)
{
	void *p = malloc(n);

	kfree(p);			/* warns */
}

static __used void dealloc_check_vfree_calloc(size_t n)
{
	void *p = calloc(n, 2);

	vfree(p);			/* warns */
}

static __used void dealloc_check_kvfree_aligned_alloc(size_t n)
{
	void *p = aligned_alloc(64, n);

	kvfree(p);			/* warns */
}

static __used void dealloc_check_kfree_realloc(void *q, size_t n)
{
	void *p = realloc(q, n);

	kfree(p);			/* warns */
}

static __used void dealloc_check_free_kmalloc(size_t n)
{
	void *p = kmalloc(n, GFP_KERNEL);

	free(p);			/* warns */
}

static __used void dealloc_check_free_kmalloc_const(void)
{
	void *p = kzalloc(64, GFP_KERNEL);

	free(p);			/* warns */
}

static __used void dealloc_check_free_vmalloc(size_t n)
{
	void *p = vmalloc(n);

	free(p);			/* warns */
}

static __used void dealloc_check_free_kvmalloc(size_t n)
{
	void *p = kvmalloc(n, GFP_KERNEL);

	free(p);			/* warns */
}

static __used void *dealloc_check_realloc_kmalloc(size_t n)
{
	void *p = kmalloc(n, GFP_KERNEL);

	return realloc(p, 2 * n);	/* warns */
}

/* What is right draws nothing. */
static __used void dealloc_check_matched(size_t n, void *q)
{
	void *p, *r;

	p = malloc(n);
	free(p);
	p = malloc(64);
	free(p);
	p = calloc(n, 4);
	p = realloc(p, 2 * n);
	p = reallocarray(p, n, 8);
	free(p);
	p = aligned_alloc(64, n);
	free(p);
	p = kmalloc(n, GFP_KERNEL);
	kfree(p);
	p = kmalloc(n, GFP_KERNEL);
	kvfree(p);
	p = kmalloc(64, GFP_KERNEL);
	r = krealloc(p, 128, GFP_KERNEL);
	kfree(r ? r : p);
	p = vmalloc(n);
	vfree(p);
	p = vzalloc(n);
	kvfree(p);
	p = kvmalloc(n, GFP_KERNEL);
	kvfree(p);
	free(q);
}

MODULE_DESCRIPTION("Compile-time check of the malloc() family's deallocator attributes");
MODULE_LICENSE("GPL");

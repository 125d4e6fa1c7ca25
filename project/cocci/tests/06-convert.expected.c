// SPDX-License-Identifier: GPL-2.0
/*
 * What the script converts: local pointers whose every use it knows.
 * 06-convert.expected.c is this file converted by hand, as the comment
 * above each function says. <linux/malloc.h> is added before
 * <linux/slab.h>, which stays.
 */
#include <linux/cleanup.h>
#include <linux/malloc.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

struct item {
	int len;
	char name[16];
};

/* kzalloc_obj() with no flags is GFP_KERNEL: calloc_obj(), free(). */
static int typed(void)
{
	struct item *it;
	int ret = 0;

	it = calloc_obj(*it);
	if (!it)
		return -ENOMEM;
	it->len = 1;
	free(it);
	return ret;
}

/*
 * A test, copy_from_user(), an element, strlen() and pr_info() keep no
 * reference: malloc(), free().
 */
static int bytes(const char __user *ubuf, size_t count)
{
	char *buf;
	int ret;

	buf = malloc(count + 1);
	if (!buf)
		return -ENOMEM;
	if (copy_from_user(buf, ubuf, count)) {
		ret = -EFAULT;
		goto out;
	}
	buf[count] = '\0';
	ret = strlen(buf);
	pr_info("%s\n", buf);
out:
	free(buf);
	return ret;
}

/*
 * __free(kvfree) and __free(kfree) become __free(free); kcalloc() is
 * calloc(), kvmalloc_array() is reallocarray(NULL, ...), the family's
 * overflow-checked array allocation; memset() as a statement keeps no
 * reference.
 */
static int cleanup(size_t n)
{
	unsigned int *tab __free(free) = NULL;
	struct item *its __free(free) = calloc(n, sizeof(*its));

	if (!its)
		return -ENOMEM;
	tab = reallocarray(NULL, n, sizeof(*tab));
	if (!tab)
		return -ENOMEM;
	memset(tab, 0, n * sizeof(*tab));
	tab[0] = its[0].len;
	return 0;
}

/*
 * kmalloc_objs() in a declaration is malloc_objs(); krealloc() of the
 * pointer itself is realloc() (both return the block, or NULL leaving it,
 * which leaks here before and after, or ZERO_SIZE_PTR for size 0);
 * kvfree() is free().
 */
static int grow(size_t n)
{
	int *v = malloc_objs(*v, n);

	if (!v)
		return -ENOMEM;
	v = realloc(v, 2 * n * sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	free(v);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * What the script leaves, each function for the reason its comment gives.
 * Expected: this file unchanged; <linux/malloc.h> is not added, as
 * nothing is converted.
 */
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>

struct blob {
	int len;
	u8 data[64];
};

/* Flags other than GFP_KERNEL say something malloc() would not keep. */
static int atomic_flags(size_t n)
{
	char *buf = kmalloc(n, GFP_ATOMIC);
	char *quiet = kmalloc(n, GFP_KERNEL | __GFP_NOWARN);

	kfree(quiet);
	kfree(buf);
	return 0;
}

/* free() takes a void *, as in C; kfree() a const void *. */
static int to_const(size_t n)
{
	const char *s = kzalloc(n, GFP_KERNEL);

	kfree(s);
	return 0;
}

/* The block outlives the function. */
static char *returned(size_t n)
{
	char *buf = kmalloc(n, GFP_KERNEL);

	return buf;
}

/* The block is stored where the script does not follow it. */
static void stored(struct blob **slot)
{
	struct blob *b = kzalloc_obj(*b);

	*slot = b;
}

/*
 * Its inside reaches a scatterlist, which needs the linear map: a
 * malloc() block may come from vmalloc().
 */
static int scatter(struct scatterlist *sg)
{
	struct blob *b = kzalloc_obj(*b);

	if (!b)
		return -ENOMEM;
	sg_init_one(sg, &b->data, sizeof(b->data));
	kfree(b);
	return 0;
}

/* kfree_sensitive() zeroes the block; free() does not. */
static void sensitive(size_t n)
{
	u8 *key = kmalloc(n, GFP_KERNEL);

	kfree_sensitive(key);
}

/* A static variable keeps the block across calls. */
static void keep(size_t n)
{
	static char *cache;

	kfree(cache);
	cache = kmalloc(n, GFP_KERNEL);
}

/*
 * Code the parser does not see (#if 0) may free the block: the name
 * occurs more often in the text than in what the rules matched.
 */
static int hidden(size_t n)
{
	char *buf = kmalloc(n, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
#if 0
	kfree(buf);
	buf = NULL;
#endif
	kfree(buf);
	return 0;
}

/* A macro of the file uses the name, out of the function's text. */
#define DROP_TMP() kfree(tmp)

static int macro(size_t n)
{
	char *tmp = kmalloc(n, GFP_KERNEL);

	if (!tmp)
		return -ENOMEM;
	DROP_TMP();
	return 0;
}

/* A parameter is not the function's own. */
static void param(char *p, size_t n)
{
	p = kmalloc(n, GFP_KERNEL);
	kfree(p);
}

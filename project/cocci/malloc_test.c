// SPDX-License-Identifier: GPL-2.0
/*
 * Input of project/cocci/check.sh: what scripts/coccinelle/api/malloc.cocci
 * must convert (functions named convert_*) and leave (leave_*).
 */
#include <linux/slab.h>

struct priv {
	int *tab;
	char *name;
	struct list_head list;
};

struct shared_in_header;

char *global_buf;

int convert_locals(int n)
{
	char *buf;
	int *arr = kcalloc(n, sizeof(*arr), GFP_KERNEL);
	long *v = kmalloc_array(n, sizeof(*v), GFP_KERNEL);
	u8 *z = kvzalloc(n, GFP_KERNEL);

	buf = kmalloc(n, GFP_KERNEL);
	if (!buf || !arr || !v || !z)
		goto out;
	memset(buf, 0, n);
	buf = krealloc(buf, 2 * n, GFP_KERNEL);
out:
	kfree(buf);
	kvfree(arr);
	kfree(v);
	kvfree(z);
	return 0;
}

int convert_cleanup(int n)
{
	char *a __free(kfree) = kzalloc(n, GFP_KERNEL);
	char *b __free(kvfree) = kvmalloc(n, GFP_KERNEL);

	if (!a || !b)
		return -ENOMEM;
	strscpy(a, "x", n);
	return 0;
}

int convert_uses(const char *src, int n)
{
	struct priv *q __free(kfree) = NULL;
	char *s = kvmalloc_array(n, 2, GFP_KERNEL);
	int ret = 0;

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q || s == NULL)
		return -ENOMEM;
	memcpy(&q->list, src, sizeof(q->list));
	strscpy(s, src, n);
	if (s[0] && q->name != s)
		ret = kstrtoint(s + 1, 10, &n);
	s = kvrealloc(s, 4 * n, GFP_KERNEL);
	kvfree(s);
	return ret;
}

int convert_member(struct priv *p, int n)
{
	p->tab = kmalloc_array(n, sizeof(int), GFP_KERNEL);
	if (!p->tab)
		return -ENOMEM;
	p->tab = krealloc(p->tab, 2 * n * sizeof(int), GFP_KERNEL);
	return 0;
}

void convert_member_free(struct priv *p)
{
	kfree(p->tab);
}

char *leave_returned(int n)
{
	char *r = kmalloc(n, GFP_KERNEL);

	return r;
}

void leave_atomic(int n)
{
	char *s = kmalloc(n, GFP_ATOMIC);

	kfree(s);
}

void leave_passed(int n)
{
	char *t = kzalloc(n, GFP_KERNEL);

	register_buffer(t);
	kfree(t);
}

void leave_stored(int n)
{
	char *u = kmalloc(n, GFP_KERNEL);

	global_buf = u;
}

void leave_other_value(struct priv *p, int n)
{
	char *w = kmalloc(n, GFP_KERNEL);

	if (!w)
		w = p->name;
	kfree(w);
}

void leave_parameter(char *x, int n)
{
	x = kmalloc(n, GFP_KERNEL);
	kfree(x);
}

void leave_global(int n)
{
	global_buf = kmalloc(n, GFP_KERNEL);
}

void leave_sensitive(int n)
{
	char *key = kmalloc(n, GFP_KERNEL);

	kfree_sensitive(key);
}

void leave_member_elsewhere(struct shared_in_header *h, int n)
{
	h->data = kcalloc(n, 8, GFP_KERNEL);
}

void leave_const(int n)
{
	const char *k = kmalloc(n, GFP_KERNEL);

	kfree(k);
}

struct consts {
	const int *vals;
};

void leave_const_member(struct consts *c, int n)
{
	c->vals = kcalloc(n, sizeof(int), GFP_KERNEL);
	kfree(c->vals);
}

void leave_iterated(struct list_head *head, int n)
{
	struct priv *e = kmalloc(sizeof(*e), GFP_KERNEL);

	kfree(e);
	list_for_each_entry(e, head, list)
		kfree(e);
}

void leave_conditional(struct priv *p, int n, bool keep)
{
	char *c = kmalloc(n, GFP_KERNEL);

	p->name = keep ? c : NULL;
	kfree(c);
}

void leave_member_address(struct list_head *head)
{
	struct priv *l = kzalloc(sizeof(*l), GFP_KERNEL);

	if (l)
		list_add(&l->list, head);
}

void leave_dma(struct scatterlist *sg, int n)
{
	u8 *d = kmalloc(n, GFP_KERNEL);

	sg_init_one(sg, d, n);
	kfree(d);
}

struct dma_buf {
	u8 data[2];
};

struct hcd {
	struct dma_buf *tx;
};

int convert_array_member(int n)
{
	struct dma_buf *c = kmalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	memset(c->data, 0, 2);
	c->data[1] = n;
	kfree(c);
	return 0;
}

void leave_array_member_dma(struct spi_transfer *t)
{
	struct dma_buf *b = kmalloc(sizeof(*b), GFP_KERNEL);

	t->rx_buf = b->data;
	kfree(b);
}

void leave_member_array_dma(struct hcd *h, struct spi_transfer *t)
{
	h->tx = kmalloc(sizeof(*h->tx), GFP_KERNEL);
	h->tx->data[0] = 1;
	t->tx_buf = h->tx->data;
	kfree(h->tx);
}

struct table {
	int *rows;
	int *cols;
};

void leave_member_initialized(struct table *t, int n)
{
	struct table copy = { .cols = t->cols };

	t->rows = kcalloc(n, sizeof(int), GFP_KERNEL);
	t->cols = kcalloc(n, sizeof(int), GFP_KERNEL);
	kfree(t->rows);
}

void leave_member_stored(struct table *t, int **out)
{
	*out = t->rows;
}

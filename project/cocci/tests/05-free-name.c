// SPDX-License-Identifier: GPL-2.0
/*
 * Reproducer 5, a parameter named free: scan_pool() of
 * drivers/mtd/ubi/fastmap.c (7.2), cut down. The kfree(ech) would become
 * free(ech), a call of the list_head parameter: it does not build.
 * (The real function also passes ech to ubi_io_read_ec_hdr(), which no
 * rule would accept; that call is left out so that only the name matters.)
 *
 * Expected: left alone. The script converts nothing in a file where free
 * names anything but the family's function (in a file that includes
 * <linux/malloc.h> already, nothing in a function where it does).
 */
#include <linux/list.h>
#include <linux/slab.h>

static int scan_pool(struct ubi_device *ubi, struct ubi_attach_info *ai,
		     __be32 *pebs, int pool_size, unsigned long long *max_sqnum,
		     struct list_head *free)
{
	struct ubi_ec_hdr *ech;
	int i, pnum, ret = 0;

	ech = kzalloc(ubi->ec_hdr_alsize, GFP_KERNEL);
	if (!ech)
		return -ENOMEM;

	for (i = 0; i < pool_size; i++) {
		unsigned long long ec = be64_to_cpu(ech->ec);

		pnum = be32_to_cpu(pebs[i]);
		ret = add_aeb(ai, free, pnum, ec, 0);
		if (ret)
			goto out;
	}

out:
	kfree(ech);
	return ret;
}

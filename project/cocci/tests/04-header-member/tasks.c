// SPDX-License-Identifier: GPL-2.0
/*
 * The unit that includes tasks.h, as kernel/rcu/update.c does, and frees
 * the member (7.2 never frees it; a free elsewhere is what a rule looking
 * at the header alone cannot see).
 *
 * Expected: left alone.
 */
#include <linux/slab.h>
#include "tasks.h"

static void rcu_tasks_free(struct rcu_tasks *rtp)
{
	kfree(rtp->rtpcp_array);
	kfree(rtp->rtpcp_array_612);
}

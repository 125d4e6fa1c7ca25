/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reproducer 4, a member of a structure defined in a header:
 * cblist_init_generic() of kernel/rcu/tasks.h, cut down, with the 6.12
 * call (kcalloc()) and the 7.2 one (kzalloc_objs()). tasks.c includes
 * this header and frees the member.
 *
 * Expected: left alone: the script converts local variables only.
 * Converting the member here, in a unit of its own under
 * --include-headers, would leave its kfree() in tasks.c.
 */
#include <linux/slab.h>

struct rcu_tasks_percpu;

struct rcu_tasks {
	struct rcu_tasks_percpu **rtpcp_array;
	struct rcu_tasks_percpu **rtpcp_array_612;
};

static void cblist_init_generic(struct rcu_tasks *rtp)
{
	rtp->rtpcp_array = kzalloc_objs(struct rcu_tasks_percpu *,
					num_possible_cpus());
	BUG_ON(!rtp->rtpcp_array);
	rtp->rtpcp_array_612 = kcalloc(num_possible_cpus(),
				       sizeof(struct rcu_tasks_percpu *), GFP_KERNEL);
	BUG_ON(!rtp->rtpcp_array_612);
}

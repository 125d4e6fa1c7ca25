// SPDX-License-Identifier: GPL-2.0-only
///
/// Find blocks of the malloc() family freed or resized by the kmalloc()
/// or vmalloc() functions, and kvmalloc() or vmalloc() blocks freed or
/// resized by the family.
///
/// A block from malloc(), calloc(), realloc(), reallocarray(),
/// aligned_alloc() or their typed and accounting forms may come from
/// vmalloc(), and must be freed by free() and resized by realloc():
/// kfree() or krealloc() of it is a bug, and kvfree() or vfree() of it
/// bypasses what free() does where the caller may not sleep. free() and
/// realloc() take kmalloc() blocks, but refuse vmalloc() areas the family
/// did not allocate, with a warning: the block leaks.
///
/// Only files that include <linux/malloc.h> are looked at: the names are
/// the family's there. Other mismatches are reported by kfree_mismatch.cocci,
/// an open-coded choice of kmalloc() or vmalloc() by kvmalloc.cocci, and
/// GFP_KERNEL under a lock by ../locks/call_kern.cocci.
///
// Confidence: High
// Comments: GCC 11 and later warn of the same mismatches where the pointer
//           can be followed (-Wmismatched-dealloc); this finds them in
//           every configuration and with other compilers.
// Options: --no-includes --include-headers

virtual report
virtual org
virtual context

@initialize:python@
@@
import re

def family(p):
	# The file includes <linux/malloc.h>, so the names are of the family.
	with open(p[0].file, errors="replace") as f:
		return bool(re.search(r'^\s*#\s*include\s*<linux/malloc\.h>',
				      f.read(), re.M))

@family exists@
expression E, E1;
position a, f : script:python() { family(f) };
@@

* E = \(malloc\|calloc\|realloc\|reallocarray\|aligned_alloc\|
	malloc_account\|calloc_account\|realloc_account\|malloc_obj\|
	malloc_objs\|malloc_flex\|calloc_obj\|calloc_objs\|calloc_flex\)(...)@a
  ... when != E = E1
      when any
* \(kfree\|kvfree\|vfree\|vfree_atomic\|kfree_sensitive\|kvfree_sensitive\|
    krealloc\|kvrealloc\|krealloc_array\|vrealloc\)(E, ...)@f

@vmalloc exists@
expression E, E1;
position a, f : script:python() { family(f) };
@@

* E = \(kvmalloc\|kvzalloc\|kvcalloc\|kvmalloc_array\|kvrealloc\|
	kvmalloc_node\|kvzalloc_node\|kvmalloc_obj\|kvmalloc_objs\|
	kvmalloc_flex\|kvzalloc_obj\|kvzalloc_objs\|kvzalloc_flex\|
	vmalloc\|vzalloc\|vmalloc_node\|vzalloc_node\|vmalloc_array\|
	vcalloc\|vmalloc_user\|vrealloc\|__vmalloc\)(...)@a
  ... when != E = E1
      when any
* \(free\|realloc\|reallocarray\|realloc_account\)(E, ...)@f

@script:python depends on family && org@
a << family.a;
f << family.f;
@@
msg = "malloc() family block, line %s, freed or resized by the kmalloc() or vmalloc() functions" % a[0].line
coccilib.org.print_todo(f[0], msg)

@script:python depends on family && report@
a << family.a;
f << family.f;
@@
msg = "malloc() family block, line %s, freed or resized by the kmalloc() or vmalloc() functions" % a[0].line
coccilib.report.print_report(f[0], msg)

@script:python depends on vmalloc && org@
a << vmalloc.a;
f << vmalloc.f;
@@
msg = "kvmalloc() or vmalloc() block, line %s, freed or resized by the malloc() family, which refuses it" % a[0].line
coccilib.org.print_todo(f[0], msg)

@script:python depends on vmalloc && report@
a << vmalloc.a;
f << vmalloc.f;
@@
msg = "kvmalloc() or vmalloc() block, line %s, freed or resized by the malloc() family, which refuses it" % a[0].line
coccilib.report.print_report(f[0], msg)

// SPDX-License-Identifier: GPL-2.0-only
///
/// Convert kmalloc(), kzalloc(), kcalloc(), kmalloc_array(), kvmalloc(),
/// kvzalloc(), kvcalloc(), kvmalloc_array(), krealloc() and kvrealloc()
/// with GFP_KERNEL, and the kfree()/kvfree() of their blocks, to the
/// malloc() family of <linux/malloc.h>, where that is provably safe.
///
/// GFP_KERNEL says that the caller may sleep, where malloc() uses
/// GFP_KERNEL too, so only GFP_KERNEL allocations are converted. A block
/// of the family must be freed by free() and by nothing else, so a pointer
/// is converted only when every allocation and every free of it is in
/// reach of this rule:
///
///  - a local variable of one function, declared there (not a parameter),
///    whose every assignment is NULL or a GFP_KERNEL allocation of the
///    kinds above (krealloc()/kvrealloc() only of itself), and whose value
///    is not returned, stored elsewhere, passed to a function that could
///    free or keep it, or has its address taken (nor the address of what
///    it points to passed or stored);
///  - a member of a structure defined in the same file (so that no other
///    file can reach it), under the same conditions, every access to it
///    being through an expression of that structure's type.
///
/// Patch mode converts those allocations and frees, __free(kfree) and
/// __free(kvfree) declarations to __free(free), and adds
/// #include <linux/malloc.h>. Report, org and context modes list every
/// other allocation of these kinds with the reason it was left.
///
// Confidence: High
// Copyright: (C) 2024 Malloc Maintainers
// Options: --no-includes --include-headers
//

virtual patch
virtual context
virtual org
virtual report
virtual stats

@initialize:python@
@@
import collections

def key(p):
	return (p[0].file, p[0].line, p[0].column)

# (file, function, variable) or (file, None, member) -> positions
allocs = collections.defaultdict(set)
frees = collections.defaultdict(set)
attrs = collections.defaultdict(set)
# -> reasons the pointer cannot be converted
bad = collections.defaultdict(set)
declared = set()
typed = set()
untyped = collections.defaultdict(set)
defined = set()
# allocation site -> pointer it is held in
site_ptr = {}
okpos = set()
leftpos = {}

def pname(k):
	if k[1] is None:
		return "member " + k[2]
	return k[2]

// ---------------------------------------------------------------------
// Local variables: candidates

@cand@
identifier x;
type T;
expression n, m;
position p;
attribute name __free;
@@

(
 x = \(kmalloc\|kzalloc\|kvmalloc\|kvzalloc\)(n, GFP_KERNEL)@p;
|
 x = \(kcalloc\|kmalloc_array\|kvcalloc\|kvmalloc_array\)(n, m, GFP_KERNEL)@p;
|
 x = \(krealloc\|kvrealloc\)(\(x\|NULL\), n, GFP_KERNEL)@p
|
 T x = \(kmalloc\|kzalloc\|kvmalloc\|kvzalloc\)(n, GFP_KERNEL)@p;
|
 T x = \(kcalloc\|kmalloc_array\|kvcalloc\|kvmalloc_array\)(n, m, GFP_KERNEL)@p;
|
 T x __free(kfree) = \(kmalloc\|kzalloc\|kvmalloc\|kvzalloc\)(n, GFP_KERNEL)@p;
|
 T x __free(kfree) = \(kcalloc\|kmalloc_array\|kvcalloc\|kvmalloc_array\)(n, m, GFP_KERNEL)@p;
|
 T x __free(kvfree) = \(kmalloc\|kzalloc\|kvmalloc\|kvzalloc\)(n, GFP_KERNEL)@p;
|
 T x __free(kvfree) = \(kcalloc\|kmalloc_array\|kvcalloc\|kvmalloc_array\)(n, m, GFP_KERNEL)@p;
)

@script:python@
x << cand.x;
p << cand.p;
@@
k = (p[0].file, p[0].current_element, x)
allocs[k].add(key(p))
site_ptr[key(p)] = k

@decl@
identifier cand.x;
type T;
expression E;
position d;
attribute name __free;
@@

(
 T x@d;
|
 T x@d = E;
|
 T x@d __free(kfree) = E;
|
 T x@d __free(kvfree) = E;
)

@script:python@
p << cand.p;
x << cand.x;
d << decl.d;
@@
fn = d[0].current_element
declared.add((d[0].file, fn, x))

@param@
identifier fn, cand.x;
type T;
position d;
@@

fn(..., T x@d, ...) { ... }

@script:python@
p << cand.p;
x << cand.x;
d << param.d;
@@
fn = d[0].current_element
bad[(d[0].file, fn, x)].add("a parameter")

@attr@
identifier cand.x;
type T;
expression E;
position q;
attribute name __free;
@@

(
 T x@q __free(kfree) = E;
|
 T x@q __free(kvfree) = E;
)

@script:python@
p << cand.p;
x << cand.x;
q << attr.q;
@@
fn = q[0].current_element
attrs[(q[0].file, fn, x)].add(key(q))

@fr@
identifier cand.x;
position q;
@@

(
 kfree(x)@q
|
 kvfree(x)@q
)

@script:python@
p << cand.p;
x << cand.x;
q << fr.q;
@@
fn = q[0].current_element
frees[(q[0].file, fn, x)].add(key(q))

// Every assignment must be NULL or a convertible allocation.
@asg@
identifier cand.x;
expression n, m, E, F;
type T;
position q;
attribute name __free;
@@

(
 x = NULL
|
 x = \(kmalloc\|kzalloc\|kvmalloc\|kvzalloc\)(n, GFP_KERNEL)
|
 x = \(kcalloc\|kmalloc_array\|kvcalloc\|kvmalloc_array\)(n, m, GFP_KERNEL)
|
 x = \(krealloc\|kvrealloc\)(\(x\|NULL\), n, GFP_KERNEL)
|
 x = \(kmalloc\|kzalloc\|kvmalloc\|kvzalloc\)(n, F)@q
|
 x = \(kcalloc\|kmalloc_array\|kvcalloc\|kvmalloc_array\|krealloc\|kvrealloc\)(n, m, F)@q
|
 x = E@q
)

@script:python@
p << cand.p;
x << cand.x;
E << asg.E;
q << asg.q;
@@
fn = q[0].current_element
bad[(q[0].file, fn, x)].add("also assigned from " + E)

@script:python@
p << cand.p;
x << cand.x;
F << asg.F;
q << asg.q;
@@
fn = q[0].current_element
bad[(q[0].file, fn, x)].add("also allocated with " + F)

@asgd@
identifier cand.x;
expression n, m, E, F;
type T;
position q;
attribute name __free;
@@

(
 T x = NULL;
|
 T x = \(kmalloc\|kzalloc\|kvmalloc\|kvzalloc\)(n, GFP_KERNEL);
|
 T x = \(kcalloc\|kmalloc_array\|kvcalloc\|kvmalloc_array\)(n, m, GFP_KERNEL);
|
 T x __free(kfree) = NULL;
|
 T x __free(kfree) = \(kmalloc\|kzalloc\|kvmalloc\|kvzalloc\)(n, GFP_KERNEL);
|
 T x __free(kfree) = \(kcalloc\|kmalloc_array\|kvcalloc\|kvmalloc_array\)(n, m, GFP_KERNEL);
|
 T x __free(kvfree) = NULL;
|
 T x __free(kvfree) = \(kmalloc\|kzalloc\|kvmalloc\|kvzalloc\)(n, GFP_KERNEL);
|
 T x __free(kvfree) = \(kcalloc\|kmalloc_array\|kvcalloc\|kvmalloc_array\)(n, m, GFP_KERNEL);
|
 T x = E@q;
|
 T x __free(kfree) = E@q;
|
 T x __free(kvfree) = E@q;

)

@script:python@
p << cand.p;
x << cand.x;
E << asgd.E;
q << asgd.q;
@@
fn = q[0].current_element
bad[(q[0].file, fn, x)].add("also assigned from " + E)

@script:python@
p << cand.p;
x << cand.x;
F << asgd.F;
q << asgd.q;
@@
fn = q[0].current_element
bad[(q[0].file, fn, x)].add("also allocated with " + F)

@esc@
identifier cand.x, fld;
identifier g !~ "^(kfree|kvfree|krealloc|kvrealloc|mem(set|cpy|move|cmp|chr|scan)|str(n?cpy|scpy|scpy_pad|l?cat|ncat|n?len|n?cmp|n?casecmp|r?chr|n?str|spn|cspn|pbrk|im)|skip_spaces|v?sn?printf|v?scnprintf|v?sscanf|kstrto[a-z0-9_]*|printk|pr_[a-z_]*|dev_(emerg|alert|crit|err|warn|notice|info|dbg)|WARN[A-Z_]*|BUG_ON|IS_ERR|IS_ERR_OR_NULL|ZERO_OR_NULL_PTR|copy_(from|to)_user|memcpy_(from|to)io|sort|print_hex_dump[a-z_]*|seq_(printf|puts|write)|KUNIT_[A-Z_]*|hex_dump_to_buffer|bin2hex|hex2bin|sizeof|ARRAY_SIZE)$";
expression E, E1;
type T, T1;
position q;
@@

(
 return x@q;
|
 return (T)x@q;
|
 x = \(krealloc\|kvrealloc\)(x, ...)
|
 \(krealloc\|kvrealloc\)(x@q, ...)
|
 x = E1
|
 E = x@q
|
 E = (T)x@q
|
 E = &x@q->fld
|
 E = &x@q[E1]
|
 g(..., x@q, ...)
|
 g(..., (T)x@q, ...)
|
 g(..., &x@q->fld, ...)
|
 g(..., &x@q[...], ...)
|
 &x@q

)

@script:python@
p << cand.p;
x << cand.x;
q << esc.q;
@@
fn = q[0].current_element
bad[(q[0].file, fn, x)].add("escapes at line %s" % q[0].line)

@escd@
identifier cand.x, y;
type T, T1;
position q;
@@

(
 T1 y = x@q;
|
 T1 y = (T)x@q;
)

@script:python@
p << cand.p;
x << cand.x;
q << escd.q;
@@
fn = q[0].current_element
bad[(q[0].file, fn, x)].add("escapes at line %s" % q[0].line)

// ---------------------------------------------------------------------
// Members of structures defined in the file

@mcand@
identifier fld;
expression E, n, m;
position p;
@@

(
 E->fld = \(kmalloc\|kzalloc\|kvmalloc\|kvzalloc\)(n, GFP_KERNEL)@p
|
 E->fld = \(kcalloc\|kmalloc_array\|kvcalloc\|kvmalloc_array\)(n, m, GFP_KERNEL)@p
|
 E->fld = \(krealloc\|kvrealloc\)(\(E->fld\|NULL\), n, GFP_KERNEL)@p
|
 E.fld = \(kmalloc\|kzalloc\|kvmalloc\|kvzalloc\)(n, GFP_KERNEL)@p
|
 E.fld = \(kcalloc\|kmalloc_array\|kvcalloc\|kvmalloc_array\)(n, m, GFP_KERNEL)@p
|
 E.fld = \(krealloc\|kvrealloc\)(\(E.fld\|NULL\), n, GFP_KERNEL)@p
)

@script:python@
fld << mcand.fld;
p << mcand.p;
@@
k = (p[0].file, None, fld)
allocs[k].add(key(p))
site_ptr[key(p)] = k

@mdef@
identifier mcand.fld, S;
type T;
@@

struct S { ... T fld; ... };

@script:python@
fld << mcand.fld;
S << mdef.S;
@@

@macc@
identifier mcand.fld;
expression E;
position q;
@@

\(E->fld@q\|E.fld@q\)

@script:python@
fld << mcand.fld;
q << macc.q;
@@
untyped[(q[0].file, None, fld)].add(key(q))

@mtyped@
identifier mcand.fld, mdef.S;
struct S *Ep;
struct S Es;
position q;
@@

\(Ep->fld@q\|Es.fld@q\)

@script:python@
fld << mcand.fld;
q << mtyped.q;
@@
typed.add(key(q))
defined.add((q[0].file, None, fld))

@mfr@
identifier mcand.fld;
expression E;
position q;
@@

\(kfree\|kvfree\)(\(E->fld\|E.fld\))@q

@script:python@
fld << mcand.fld;
q << mfr.q;
@@
frees[(q[0].file, None, fld)].add(key(q))

@masg@
identifier mcand.fld;
expression E, E2, n, m, F;
position q;
@@

(
 \(E->fld\|E.fld\) = NULL
|
 \(E->fld\|E.fld\) = \(kmalloc\|kzalloc\|kvmalloc\|kvzalloc\)(n, GFP_KERNEL)
|
 \(E->fld\|E.fld\) = \(kcalloc\|kmalloc_array\|kvcalloc\|kvmalloc_array\)(n, m, GFP_KERNEL)
|
 E->fld = \(krealloc\|kvrealloc\)(\(E->fld\|NULL\), n, GFP_KERNEL)
|
 E.fld = \(krealloc\|kvrealloc\)(\(E.fld\|NULL\), n, GFP_KERNEL)
|
 \(E->fld\|E.fld\) = \(kmalloc\|kzalloc\|kvmalloc\|kvzalloc\)(n, F)@q
|
 \(E->fld\|E.fld\) = \(kcalloc\|kmalloc_array\|kvcalloc\|kvmalloc_array\|krealloc\|kvrealloc\)(n, m, F)@q
|
 \(E->fld\|E.fld\) = E2@q
)

@script:python@
fld << mcand.fld;
E2 << masg.E2;
q << masg.q;
@@
bad[(q[0].file, None, fld)].add("also assigned from " + E2)

@script:python@
fld << mcand.fld;
F << masg.F;
q << masg.q;
@@
bad[(q[0].file, None, fld)].add("also allocated with " + F)

@minit@
identifier mcand.fld, y;
type T;
expression E;
position q;
@@

 T y = { ..., .fld = E@q, ... };

@script:python@
fld << mcand.fld;
E << minit.E;
q << minit.q;
@@
if E != "NULL":
	bad[(q[0].file, None, fld)].add("initialized to " + E)

@mesc@
identifier mcand.fld, fld2;
identifier g !~ "^(kfree|kvfree|krealloc|kvrealloc|mem(set|cpy|move|cmp|chr|scan)|str(n?cpy|scpy|scpy_pad|l?cat|ncat|n?len|n?cmp|n?casecmp|r?chr|n?str|spn|cspn|pbrk|im)|skip_spaces|v?sn?printf|v?scnprintf|v?sscanf|kstrto[a-z0-9_]*|printk|pr_[a-z_]*|dev_(emerg|alert|crit|err|warn|notice|info|dbg)|WARN[A-Z_]*|BUG_ON|IS_ERR|IS_ERR_OR_NULL|ZERO_OR_NULL_PTR|copy_(from|to)_user|memcpy_(from|to)io|sort|print_hex_dump[a-z_]*|seq_(printf|puts|write)|KUNIT_[A-Z_]*|hex_dump_to_buffer|bin2hex|hex2bin|sizeof|ARRAY_SIZE)$";
expression E, E1, E2;
type T, T1;
identifier y;
position q;
@@

(
 return \(E->fld@q\|E.fld@q\);
|
 return (T)\(E->fld@q\|E.fld@q\);
|
 E->fld = \(krealloc\|kvrealloc\)(E->fld, ...)
|
 E.fld = \(krealloc\|kvrealloc\)(E.fld, ...)
|
 \(krealloc\|kvrealloc\)(\(E->fld@q\|E.fld@q\), ...)
|
 \(E->fld\|E.fld\) = E1
|
 E2 = \(E->fld@q\|E.fld@q\)
|
 E2 = (T)\(E->fld@q\|E.fld@q\)
|
 E2 = &\(E->fld@q\|E.fld@q\)->fld2
|
 E2 = &\(E->fld@q\|E.fld@q\)[E1]
|
 g(..., \(E->fld@q\|E.fld@q\), ...)
|
 g(..., (T)\(E->fld@q\|E.fld@q\), ...)
|
 g(..., &\(E->fld@q\|E.fld@q\)->fld2, ...)
|
 g(..., &\(E->fld@q\|E.fld@q\)[...], ...)
|
 &\(E->fld@q\|E.fld@q\)
)

@script:python@
fld << mcand.fld;
q << mesc.q;
@@
bad[(q[0].file, None, fld)].add("escapes at line %s" % q[0].line)

@mescd@
identifier mcand.fld, fld2;
identifier g !~ "^(kfree|kvfree|krealloc|kvrealloc|mem(set|cpy|move|cmp|chr|scan)|str(n?cpy|scpy|scpy_pad|l?cat|ncat|n?len|n?cmp|n?casecmp|r?chr|n?str|spn|cspn|pbrk|im)|skip_spaces|v?sn?printf|v?scnprintf|v?sscanf|kstrto[a-z0-9_]*|printk|pr_[a-z_]*|dev_(emerg|alert|crit|err|warn|notice|info|dbg)|WARN[A-Z_]*|BUG_ON|IS_ERR|IS_ERR_OR_NULL|ZERO_OR_NULL_PTR|copy_(from|to)_user|memcpy_(from|to)io|sort|print_hex_dump[a-z_]*|seq_(printf|puts|write)|KUNIT_[A-Z_]*|hex_dump_to_buffer|bin2hex|hex2bin|sizeof|ARRAY_SIZE)$";
expression E, E1, E2;
type T, T1;
identifier y;
position q;
@@

(
 T1 y = \(E->fld@q\|E.fld@q\);
|
 T1 y = (T)\(E->fld@q\|E.fld@q\);
)

@script:python@
fld << mcand.fld;
q << mescd.q;
@@
bad[(q[0].file, None, fld)].add("escapes at line %s" % q[0].line)

// ---------------------------------------------------------------------
// Decide

@script:python okl@
p << cand.p;
x << cand.x;
fn2;
y;
@@
k = site_ptr[key(p)]
if k not in declared:
	bad[k].add("not a local variable")
if bad[k]:
	cocci.include_match(False)
else:
	okpos.update(allocs[k])
	coccinelle.fn2 = k[1]
	coccinelle.y = x

@script:python okm@
p << mcand.p;
fld << mcand.fld;
g2;
@@
k = site_ptr[key(p)]
if k not in defined:
	bad[k].add("not in a structure defined in this file")
elif untyped[k] - typed:
	bad[k].add("accessed through an expression of another type")
if bad[k]:
	cocci.include_match(False)
else:
	okpos.update(allocs[k])
	coccinelle.g2 = fld

// Every allocation of the kinds above, for the report.
@site@
expression n, m, F;
position p;
identifier a = {kmalloc, kzalloc, kvmalloc, kvzalloc, kcalloc,
		kmalloc_array, kvcalloc, kvmalloc_array, krealloc, kvrealloc};
position pa;
@@

(
 a@pa(n, F)@p
|
 a@pa(n, m, F)@p
)

@script:python@
a << site.a;
F << site.F;
p << site.p;
@@
if key(p) not in okpos:
	if F != "GFP_KERNEL":
		why = "flags " + F
	elif key(p) in site_ptr:
		k = site_ptr[key(p)]
		why = pname(k) + ": " + ", ".join(sorted(bad[k]))
	else:
		why = "result not held in a local variable or a member"
	leftpos[key(p)] = (a, why)

// ---------------------------------------------------------------------
// Patch

@pl depends on patch@
identifier okl.fn2, okl.y;
expression n, m, q;
@@

fn2(...) { <+...
(
 y =
(
- \(kmalloc\|kvmalloc\)(n, GFP_KERNEL)
+ malloc(n)
|
- \(kzalloc\|kvzalloc\)(n, GFP_KERNEL)
+ calloc(1, n)
|
- \(kcalloc\|kvcalloc\)(n, m, GFP_KERNEL)
+ calloc(n, m)
|
- \(kmalloc_array\|kvmalloc_array\)(n, m, GFP_KERNEL)
+ reallocarray(NULL, n, m)
|
- \(krealloc\|kvrealloc\)(q, n, GFP_KERNEL)
+ realloc(q, n)
)
|
- kfree(y)
+ free(y)
|
- kvfree(y)
+ free(y)
)
...+> }

@pattr depends on patch@
identifier okl.fn2, okl.y;
expression E;
type T;
attribute name __free;
@@

fn2(...) { <+...
(
 T y __free(
- kfree
+ free
 ) = E;
|
 T y __free(
- kvfree
+ free
 ) = E;
)
...+> }

@pld depends on patch@
identifier okl.fn2, okl.y;
expression n, m, q;
type T;
@@

fn2(...) { <+...
(
 T y =
(
- \(kmalloc\|kvmalloc\)(n, GFP_KERNEL)
+ malloc(n)
|
- \(kzalloc\|kvzalloc\)(n, GFP_KERNEL)
+ calloc(1, n)
|
- \(kcalloc\|kvcalloc\)(n, m, GFP_KERNEL)
+ calloc(n, m)
|
- \(kmalloc_array\|kvmalloc_array\)(n, m, GFP_KERNEL)
+ reallocarray(NULL, n, m)
|
- \(krealloc\|kvrealloc\)(q, n, GFP_KERNEL)
+ realloc(q, n)
)
 ;
)
...+> }

@pm depends on patch@
identifier okm.g2;
expression E, n, m, q;
@@

(
 \(E->g2\|E.g2\) =
(
- \(kmalloc\|kvmalloc\)(n, GFP_KERNEL)
+ malloc(n)
|
- \(kzalloc\|kvzalloc\)(n, GFP_KERNEL)
+ calloc(1, n)
|
- \(kcalloc\|kvcalloc\)(n, m, GFP_KERNEL)
+ calloc(n, m)
|
- \(kmalloc_array\|kvmalloc_array\)(n, m, GFP_KERNEL)
+ reallocarray(NULL, n, m)
|
- \(krealloc\|kvrealloc\)(q, n, GFP_KERNEL)
+ realloc(q, n)
)
|
- kfree(E->g2)
+ free(E->g2)
|
- kvfree(E->g2)
+ free(E->g2)
|
- kfree(E.g2)
+ free(E.g2)
|
- kvfree(E.g2)
+ free(E.g2)
)

@pinc1 depends on patch && (pl || pld || pm || pattr)@
@@

(
 #include <linux/malloc.h>
|
 #include <linux/slab.h>
+#include <linux/malloc.h>
)

@pinc2 depends on patch && (pl || pld || pm || pattr) && !pinc1@
@@

(
 #include <linux/malloc.h>
|
 #include <linux/vmalloc.h>
+#include <linux/malloc.h>
)

@pinc3 depends on patch && (pl || pld || pm || pattr) && !pinc1 && !pinc2@
@@

(
 #include <linux/malloc.h>
|
 #include <linux/module.h>
+#include <linux/malloc.h>
)

// ---------------------------------------------------------------------
// Context, org, report

@ctx depends on context@
position p : script:python() { key(p) in leftpos };
identifier a;
@@

* a(...)@p

@script:python depends on org@
p << site.p;
pa << site.pa;
@@
if key(p) in leftpos:
	a, why = leftpos[key(p)]
	cocci.print_main("%s() left: %s" % (a, why), pa)

@script:python depends on report@
p << site.p;
pa << site.pa;
@@
if key(p) in leftpos:
	a, why = leftpos[key(p)]
	coccilib.report.print_report(pa[0], "%s() left: %s" % (a, why))

@script:python depends on stats@
a << site.a;
p << site.p;
@@
if key(p) in leftpos:
	print("STAT %s:%s %s left: %s" % (p[0].file, p[0].line, a, leftpos[key(p)][1]))
else:
	print("STAT %s:%s %s converted" % (p[0].file, p[0].line, a))

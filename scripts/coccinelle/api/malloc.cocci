// SPDX-License-Identifier: GPL-2.0-only
///
/// Use the malloc() family of <linux/malloc.h> for a local pointer whose
/// block is allocated with GFP_KERNEL and freed with kfree() or kvfree()
/// in one function, where every use of the pointer is seen and harmless.
///
/// A block of the family may come from vmalloc() and must be freed by
/// free(); kfree() of it is a bug. So a pointer is converted only if it is
/// a local variable of the function (not a parameter, not static, not a
/// pointer to const, no __free() but kfree and kvfree), and every
/// occurrence of its name in the text of the function is one of:
///
///  - its declaration, with no initializer, NULL or an allocation below;
///  - "p = NULL", or "p = " kmalloc(), kzalloc(), kcalloc(),
///    kmalloc_array(), their kv forms, their _obj/_objs/_flex forms, or
///    krealloc(p, ...), with GFP_KERNEL or, for the typed forms, no flags;
///  - kfree(p) or kvfree(p) as a statement: the pointer itself, no cast;
///  - a test (!p, p == NULL, if (p)), a dereference (*p, p[i], p->f)
///    whose address is not taken, or sizeof(p);
///  - an argument of a string, memory or printing function that keeps no
///    reference and returns no pointer, or of memcpy(), strcpy() and the
///    like in a statement of their own, as they return their argument.
///
/// Counting the name in the text catches what the parser skipped and what
/// the rules do not know: a cast, an offset, an alias, a return, another
/// function. A name used in a macro of the file is left, and so is every
/// member: another file may free it. Nothing is converted in a file that
/// has a malloc() or free() of its own, or another thing named free, or
/// no #include <linux/slab.h>, before which <linux/malloc.h> is added.
///
/// The one limit: the type of a member is not known, so p->f where f is
/// an array hands the inside of the block on unseen. That matters where
/// f reaches DMA or virt_to_page() in a block larger than
/// KMALLOC_MAX_CACHE_SIZE, which malloc() may take from vmalloc().
///
/// This converts what is safe, not what is worth converting: the patch is
/// to review, not to send. With -D candidates, the script lists instead
/// every call of these allocators with what patch mode does with it, and
/// why. scripts/coccinelle/api/malloc_mismatch.cocci reports the bugs.
///
// Confidence: Moderate
// Comments: Converting a working caller changes nothing it does where it
//           may sleep; see Documentation/core-api/malloc.rst.
// Options: --no-includes --include-headers

virtual patch
virtual candidates

@initialize:python@
@@
import collections
import re

FAMILY = {}
for k in ("malloc", "zalloc"):
	for f in ("obj", "objs", "flex"):
		new = ("malloc_" if k == "malloc" else "calloc_") + f
		FAMILY["k%s_%s" % (k, f)] = FAMILY["kv%s_%s" % (k, f)] = new
NAMES = "malloc|calloc|realloc|reallocarray|aligned_alloc"
# Comments, strings and character constants; the quotes are spelled out,
# as the SmPL parser reads quotes in script code.
Q, A = chr(34), chr(39)
COMMENTS = (r'/\*.*?\*/|//[^\n]*|' + Q + r'(\\.|[^' + Q + r'\\\n])*' + Q +
	    '|' + A + r'(\\.|[^' + A + r'\\\n])*' + A)

# Per file: (function, name) -> positions of the name the rules accept,
# and -> {position: why} of those they reject.
ok = collections.defaultdict(set)
bad = collections.defaultdict(dict)
declared = set()
names = set()
alloc_decls = set()
fn_lines = collections.defaultdict(set)
verdicts = {}
gfp_kernel = set()
assigned = {}
state = {"file": None}

def start(file):
	# After the first change, positions name a copy of the file.
	if state["file"] != file:
		for d in (ok, bad, declared, names, alloc_decls, fn_lines, verdicts,
			  gfp_kernel, assigned):
			d.clear()
		state.update(file=file, text=None)

def source():
	# The file without comments, strings and character constants, and its
	# #define lines.
	if state["text"] is None:
		with open(state["file"], errors="replace") as f:
			t = re.sub(COMMENTS, lambda m: re.sub(r'[^\n]', ' ', m.group(0)),
				   f.read(), flags=re.S)
		t = re.sub(r'\\\n', ' \n', t)
		state["text"] = (t, t.split("\n"),
				 "\n".join(re.findall(r'^\s*#\s*define\b.*', t, re.M)))
	return state["text"]

def pos(p):
	return (int(p[0].line), int(p[0].column))

def name_at(p):
	t, lines, defines = source()
	l, c = pos(p)
	return re.match(r'\w+', lines[l - 1][c:]).group(0)

def note(p, x=None):
	ok[(p[0].current_element, x or name_at(p))].add(pos(p))

def reject(p, why, x=None):
	bad[(p[0].current_element, x or name_at(p))][pos(p)] = why

def cleanup_ok(p):
	# No __free(), or __free(kfree) or __free(kvfree).
	t, lines, defines = source()
	l, c = pos(p)
	m = re.match(r'\w+\s*(__free\s*\(\s*(\w+)\s*\))?', lines[l - 1][c:])
	return not m.group(1) or m.group(2) in ("kfree", "kvfree")

def file_why():
	t, lines, defines = source()
	if re.search(r'^\s*#\s*include\s*<linux/malloc\.h>', t, re.M):
		return None
	if not re.search(r'^\s*#\s*include\s*<linux/slab\.h>', t, re.M):
		return "no #include <linux/slab.h> to add <linux/malloc.h> before"
	# Its own allocator, or a member malloc() the macro would expand.
	if re.search(r'\b(%s)\b' % NAMES, t):
		return "the file has a malloc(), calloc() or realloc() of its own"
	if re.search(r'(?<![\w.>])free\b', t):
		return "free names something else in the file"
	return None

def unseen(first, x, seen):
	# The first line of the function, from its name to the brace in column
	# 0, where x (not as a member or tag) occurs more often than was seen.
	t, lines, defines = source()
	pat = re.compile(r'(?<![\w.])(?<!->)(?<!struct )(?<!union )(?<!enum )\b%s\b' % x)
	for i in range(first, len(lines) + 1):
		if len(pat.findall(lines[i - 1])) > len([s for s in seen if s[0] == i]):
			return i
		if lines[i - 1].startswith("}"):
			return None
	return len(lines)

def safe(p, x):
	fn = p[0].current_element
	if (fn, x) in verdicts:
		return verdicts[(fn, x)] == "converted"
	t, lines, defines = source()
	first = sorted(fn_lines[fn])
	why = file_why()
	if why:
		pass
	elif len(first) != 1:
		why = "function defined more than once"
	elif (fn, x) not in declared:
		why = "not a local variable of the function"
	elif bad[(fn, x)]:
		why = sorted(bad[(fn, x)].items())[0][1]
	elif re.search(r'\b%s\b' % x, defines):
		why = "named in a macro of the file"
	elif unseen(first[0], "free", set()):
		why = "a variable named free in the function"
	else:
		line = unseen(first[0], x, ok[(fn, x)])
		why = "a use the rules do not know, line %d" % line if line else "converted"
	verdicts[(fn, x)] = why
	return why == "converted"

def converted(p, x):
	return verdicts.get((p[0].current_element, x)) == "converted"

// Files that call none of these are not even parsed (spatch looks for
// the names of a disjunction in the text first, not those of a set).
@present depends on patch || candidates@
@@

 \(kmalloc\|kzalloc\|kcalloc\|kmalloc_array\|kvmalloc\|kvzalloc\|kvcalloc\|
   kvmalloc_array\|kmalloc_obj\|kzalloc_obj\|kmalloc_objs\|kzalloc_objs\|
   kmalloc_flex\|kzalloc_flex\|kvmalloc_obj\|kvzalloc_obj\|kvmalloc_objs\|
   kvzalloc_objs\|kvmalloc_flex\|kvzalloc_flex\)(...)

@fn_def depends on present@
identifier fn;
position p;
@@

 fn@p(...) { ... }

@script:python depends on fn_def@
fn << fn_def.fn;
p << fn_def.p;
@@
start(p[0].file)
fn_lines[fn].add(pos(p)[0])

// The names assigned a GFP_KERNEL allocation: the only ones looked at.
@asg depends on present@
identifier x;
identifier A = {kmalloc,kzalloc,kcalloc,kmalloc_array,kvmalloc,kvzalloc,
		kvcalloc,kvmalloc_array,kmalloc_obj,kzalloc_obj,kmalloc_objs,
		kzalloc_objs,kmalloc_flex,kzalloc_flex,kvmalloc_obj,kvzalloc_obj,
		kvmalloc_objs,kvzalloc_objs,kvmalloc_flex,kvzalloc_flex};
identifier O = {kmalloc_obj,kzalloc_obj,kvmalloc_obj,kvzalloc_obj};
identifier OS = {kmalloc_objs,kzalloc_objs,kvmalloc_objs,kvzalloc_objs};
identifier FL = {kmalloc_flex,kzalloc_flex,kvmalloc_flex,kvzalloc_flex};
identifier R = {krealloc,kvrealloc,krealloc_array};
expression n, V, F;
position p, p2;
@@

(
 x@p = \(A(..., GFP_KERNEL)\|O(V)\|OS(V, n)\|FL(V, F, n)\)
|
 x@p = R(x@p2, ..., GFP_KERNEL)
)

@script:python depends on asg@
x << asg.x;
p << asg.p;
p2 << asg.p2 = [];
@@
names.add(x)
note(p, x)
if p2:
	note(p2, x)

@asg_decl depends on present@
identifier x;
identifier asg.A, asg.O, asg.OS, asg.FL;
expression n, V, F;
type T;
position p;
@@

 T *x@p = \(A(..., GFP_KERNEL)\|O(V)\|OS(V, n)\|FL(V, F, n)\);

@script:python depends on asg_decl@
x << asg_decl.x;
p << asg_decl.p;
@@
names.add(x)
alloc_decls.add(pos(p))

@decl depends on present@
identifier v : script:python() { v in names };
type T;
expression E;
position p;
@@

(
 T *v@p;
|
 T *v@p = E;
)

@script:python depends on decl@
T << decl.T;
p << decl.p;
E << decl.E = "NULL";
@@
declared.add((p[0].current_element, name_at(p)))
if re.search(r'\bconst\b', T):
	reject(p, "pointer to const")
elif not cleanup_ok(p):
	reject(p, "__free() other than kfree or kvfree")
elif E != "NULL" and pos(p) not in alloc_decls:
	reject(p, "initialized other than to NULL or a GFP_KERNEL allocation")
else:
	note(p)

@stat depends on present@
identifier v : script:python() { v in names };
type T;
position p;
@@

(
 static T *v@p;
|
 static T *v@p = ...;
)

@script:python depends on stat@
p << stat.p;
@@
reject(p, "static")

// Uses. A rule does not look for a second match inside its first, so
// memcpy(p, ...) and the like have a rule of their own.
@use depends on present@
identifier v : script:python() { v in names };
identifier READ = {strlen,strnlen,strcmp,strncmp,memcmp,strscpy,strscpy_pad,
		   copy_from_user,copy_to_user,snprintf,scnprintf,sprintf,sscanf,
		   kstrtoint,kstrtouint,kstrtol,kstrtoul,kstrtobool,printk,
		   pr_err,pr_warn,pr_info,pr_debug,pr_notice,dev_err,dev_warn,
		   dev_info,dev_dbg,dev_notice};
identifier f;
expression E;
position p;
@@

(
 v@p = NULL
|
 !v@p
|
 v@p == NULL
|
 v@p != NULL
|
 *v@p
|
 v@p[E]
|
 v@p->f
|
 sizeof(v@p)
|
 READ(..., v@p, ...)
)

@script:python depends on use@
p << use.p;
@@
note(p)

@use_stmt depends on present@
identifier v : script:python() { v in names };
identifier KEEP = {kfree,kvfree,memcpy,memmove,memset,strcpy,strscpy,
		   strscpy_pad,strncpy,strcat};
statement S1, S2;
position p;
@@

(
 KEEP(..., v@p, ...);
|
 if (v@p) S1 else S2
)

@script:python depends on use_stmt@
p << use_stmt.p;
@@
note(p)

@addr depends on present@
identifier v : script:python() { v in names };
identifier f;
expression E;
position p;
@@

 &\(v@p\|*v@p\|v@p[E]\|v@p->f\)

@script:python depends on addr@
p << addr.p;
@@
reject(p, "the address of the block or of its inside is taken")

// Decide before anything changes.
@script:python depends on decl@
p << decl.p;
@@
safe(p, name_at(p))

// Patch mode. The rules above accepted only GFP_KERNEL, or no flags, in
// these calls. A script constraint is not checked inside a disjunction.
@site_decl depends on present && patch && !candidates@
identifier x;
type T;
expression E;
position p : script:python(x) { converted(p, x) };
@@

 T *x@p = E;

@conv_decl depends on site_decl@
identifier site_decl.x;
position site_decl.p;
identifier TY = {kmalloc_obj,kzalloc_obj,kmalloc_objs,kzalloc_objs,
		 kmalloc_flex,kzalloc_flex,kvmalloc_obj,kvzalloc_obj,
		 kvmalloc_objs,kvzalloc_objs,kvmalloc_flex,kvzalloc_flex};
fresh identifier N = script:python(TY) { FAMILY[TY] };
expression n, m;
expression list es;
type T;
@@

  T *x@p =
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
- TY(es, GFP_KERNEL)
+ N(es)
|
- TY
+ N
  (...)
);

@site depends on present && patch && !candidates@
identifier x;
expression E;
position p : script:python(x) { converted(p, x) };
@@

 x@p = E

@conv depends on site@
identifier site.x;
position site.p;
identifier TY = {kmalloc_obj,kzalloc_obj,kmalloc_objs,kzalloc_objs,
		 kmalloc_flex,kzalloc_flex,kvmalloc_obj,kvzalloc_obj,
		 kvmalloc_objs,kvzalloc_objs,kvmalloc_flex,kvzalloc_flex};
fresh identifier N = script:python(TY) { FAMILY[TY] };
expression n, m;
expression list es;
@@

  x@p =
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
- TY(es, GFP_KERNEL)
+ N(es)
|
- TY
+ N
  (...)
|
- \(krealloc\|kvrealloc\)(x, n, GFP_KERNEL)
+ realloc(x, n)
|
- krealloc_array(x, n, m, GFP_KERNEL)
+ reallocarray(x, n, m)
)

@conv_kfree depends on present && patch && !candidates@
identifier x;
identifier F = {kfree,kvfree};
position p : script:python(x) { converted(p, x) };
@@

- F(x@p);
+ free(x);

@conv_free depends on present && patch && !candidates@
identifier x;
position p : script:python(x) { converted(p, x) };
type T;
expression E;
attribute name __free;
@@

(
  T *x@p __free(
- kfree
+ free
  ) = E;
|
  T *x@p __free(
- kvfree
+ free
  ) = E;
|
  T *x@p __free(
- kfree
+ free
  );
|
  T *x@p __free(
- kvfree
+ free
  );
)

@header depends on conv || conv_decl || conv_kfree || conv_free@
@@

(
 #include <linux/malloc.h>
|
+#include <linux/malloc.h>
 #include <linux/slab.h>
)

// -D candidates: every call, with what patch mode does with it and why.
@call depends on present && candidates@
identifier A = {kmalloc,kzalloc,kcalloc,kmalloc_array,kvmalloc,kvzalloc,
		kvcalloc,kvmalloc_array,kmalloc_obj,kzalloc_obj,kmalloc_objs,
		kzalloc_objs,kmalloc_flex,kzalloc_flex,kvmalloc_obj,kvzalloc_obj,
		kvmalloc_objs,kvzalloc_objs,kvmalloc_flex,kvzalloc_flex,krealloc,
		kvrealloc,krealloc_array};
position p;
@@

 A@p(...)

@call_gfp depends on call@
identifier A = {kmalloc,kzalloc,kcalloc,kmalloc_array,kvmalloc,kvzalloc,
		kvcalloc,kvmalloc_array,kmalloc_obj,kzalloc_obj,kmalloc_objs,
		kzalloc_objs,kmalloc_flex,kzalloc_flex,kvmalloc_obj,kvzalloc_obj,
		kvmalloc_objs,kvzalloc_objs,kvmalloc_flex,kvzalloc_flex,krealloc,
		kvrealloc,krealloc_array};
identifier O = {kmalloc_obj,kzalloc_obj,kvmalloc_obj,kvzalloc_obj};
identifier OS = {kmalloc_objs,kzalloc_objs,kvmalloc_objs,kvzalloc_objs};
identifier FL = {kmalloc_flex,kzalloc_flex,kvmalloc_flex,kvzalloc_flex};
expression n, V, F;
position p;
@@

 \(A@p(..., GFP_KERNEL)\|O@p(V)\|OS@p(V, n)\|FL@p(V, F, n)\)

@script:python depends on call_gfp@
p << call_gfp.p;
@@
gfp_kernel.add(pos(p))

@call_var depends on call@
identifier x, A;
position p, q;
@@

 x@q = A@p(...)

@script:python depends on call_var@
p << call_var.p;
q << call_var.q;
x << call_var.x;
@@
assigned[pos(p)] = (q, x)

@call_decl depends on call@
identifier x, A;
type T;
position p, q;
@@

 T *x@q = A@p(...);

@script:python depends on call_decl@
p << call_decl.p;
q << call_decl.q;
x << call_decl.x;
@@
assigned[pos(p)] = (q, x)

@script:python depends on call@
p << call.p;
A << call.A;
@@
if pos(p) not in gfp_kernel:
	why = "left: flags other than GFP_KERNEL"
elif pos(p) not in assigned:
	why = "left: not assigned to a variable"
else:
	q, x = assigned[pos(p)]
	if not safe(q, x):
		why = "left: %s: %s" % (x, verdicts[(q[0].current_element, x)])
	else:
		why = "converted"
coccilib.report.print_report(p[0], "%s(): %s" % (A, why))

// SPDX-License-Identifier: GPL-2.0-only
///
/// Use the malloc() family of <linux/malloc.h> for a local pointer whose
/// block is allocated with GFP_KERNEL and freed with kfree() or kvfree()
/// in one function, where every use of the pointer is seen and harmless.
///
/// A block of the family may come from vmalloc() and must be freed by
/// free(); kfree() of it is a bug. So the pointer is converted only if it
/// is a local variable of the function (not a parameter, not static, not
/// a pointer to const), and every occurrence of its name in the function
/// is one of:
///
///  - its declaration, with no initializer, NULL, or an allocation below,
///    and no __free() cleanup but kfree or kvfree;
///  - "x = NULL", or "x = " kmalloc(), kzalloc(), kcalloc(),
///    kmalloc_array(), kvmalloc(), kvzalloc(), kvcalloc(),
///    kvmalloc_array(), their _obj/_objs/_flex forms, or
///    "x = krealloc(x, ...)", each with GFP_KERNEL or no flags;
///  - kfree(x) or kvfree(x) as a statement, the pointer itself;
///  - a test (!x, x == NULL, if (x)), a dereference (*x, x[i], x->f) whose
///    address is not taken, or sizeof;
///  - an argument of a string, memory or printing function that keeps no
///    reference and returns none (memcpy() and friends only where their
///    result, the pointer, is discarded).
///
/// The name is counted in the text of the function: if the text has more
/// occurrences than the rules saw (code the parser skipped), or the name
/// is in a macro of the file, the pointer is left. Casts, offsets, aliases
/// and members are left. So is a file that defines its own malloc(),
/// free() or a member named malloc, or a function with a variable named
/// free, and a file without #include <linux/slab.h>, beside which
/// #include <linux/malloc.h> is added.
///
/// The limit: the type of a member is not known, so x->f, where f is an
/// array, passes the block's interior on unseen. That matters only where
/// the member reaches DMA or virt_to_page() and the block is larger than
/// KMALLOC_MAX_CACHE_SIZE, which malloc() may take from vmalloc().
///
/// This converts what is safe, not what is worth converting: the result
/// is a patch to review, not to send. Report, org and context modes print
/// nothing unless -D candidates is given; then they list the pointers that
/// would be converted. scripts/coccinelle/api/malloc_mismatch.cocci reports
/// the bugs.
///
// Confidence: Moderate
// Comments: The result is correct; whether it is worth sending is not
//           this script's business. See Documentation/core-api/malloc.rst.
// Options: --no-includes --include-headers

virtual patch
virtual candidates

@initialize:python@
@@
import collections
import re

# (file, function) -> name -> occurrence positions, allowed and not
ok = collections.defaultdict(lambda: collections.defaultdict(set))
bad = collections.defaultdict(lambda: collections.defaultdict(dict))
declared = collections.defaultdict(set)
fn_lines = collections.defaultdict(set)
verdicts = {}
texts = {}
gfp_kernel = set()
assigned = {}
names = set()
alloc_decls = set()
# The file being converted: after the first change, positions name a copy.
current = [None]

def start(file):
	if current[0] != file:
		for d in (ok, bad, declared, fn_lines, verdicts, texts, gfp_kernel,
			  assigned, names, alloc_decls):
			d.clear()
		current[0] = file

NAMES = "malloc|calloc|realloc|reallocarray|aligned_alloc"
# Comments, strings and character constants (quotes spelled out, as the
# SmPL parser reads quotes in script code).
COMMENTS = (r'/\*.*?\*/|//[^\n]*|%s(\\.|[^%s\\\n])*%s|%s(\\.|[^%s\\\n])*%s' %
	    (chr(34), chr(34), chr(34), chr(39), chr(39), chr(39)))

def pos(p):
	return (p[0].line, p[0].column)

def note(tab, p, x):
	tab[(current[0], p[0].current_element)][x].add(pos(p))

def ident_at(p):
	# The name at p, in the file as it was parsed.
	lines, defines = source(current[0])
	return re.match(r'\w+', lines[int(p[0].line) - 1][int(p[0].column):]).group(0)

def reject(p, x, why):
	bad[(current[0], p[0].current_element)][x][pos(p)] = why

def source(file):
	# The file without comments, strings and character constants, and with
	# its #define lines apart.
	if file not in texts:
		with open(file, errors="replace") as f:
			t = f.read()
		t = re.sub(COMMENTS, lambda m: re.sub(r'[^\n]', ' ', m.group(0)), t,
			   flags=re.S)
		t = re.sub(r'\\\n', ' \n', t)
		defines = "\n".join(re.findall(r'^\s*#\s*define\b[^\n]*', t, re.M))
		texts[file] = (t.split("\n"), defines)
	return texts[file]

def file_why(file):
	# Why the file is left whole, or None.
	lines, defines = source(file)
	t = "\n".join(lines)
	if re.search(r'^\s*#\s*include\s*<linux/malloc\.h>', t, re.M):
		if re.search(r'^\s*#\s*define\s+(free|%s)\b' % NAMES, t, re.M):
			return "the file defines a macro named as the family"
		return None
	if not re.search(r'^\s*#\s*include\s*<linux/slab\.h>', t, re.M):
		return "no #include <linux/slab.h> to add <linux/malloc.h> beside"
	# Its own allocator, or a member malloc() the macro would expand.
	if re.search(r'\b(%s)\b' % NAMES, t):
		return "the file has its own malloc(), calloc() or realloc()"
	if re.search(r'(?<![\w.>])free\b', t):
		return "free names something else in the file"
	return None

def uses(lines, first, x):
	# Occurrences of x in the function from its first line to the closing
	# brace in column 0, members and struct/union/enum tags excepted.
	n = 0
	pat = re.compile(r'(?<![\w.])(?<!->)(?<!struct )(?<!union )(?<!enum )\b%s\b' % re.escape(x))
	for line in lines[first - 1:]:
		n += len(pat.findall(line))
		if line.startswith("}"):
			return n
	return None

def cleanup_ok(p):
	# No __free() on the declaration, or __free(kfree) or __free(kvfree).
	lines, defines = source(current[0])
	rest = lines[int(p[0].line) - 1][int(p[0].column):]
	m = re.match(r'\s*\w+\s*__free\s*\(\s*(\w+)\s*\)', rest)
	if m:
		return m.group(1) in ("kfree", "kvfree")
	return "__free" not in rest.split(";")[0].split("=")[0]

def unknown_use(lines, first, x, seen):
	# The first line where the text has more occurrences than were seen.
	pat = re.compile(r'(?<![\w.])(?<!->)(?<!struct )(?<!union )(?<!enum )\b%s\b' % re.escape(x))
	for i, line in enumerate(lines[first - 1:], first):
		if len(pat.findall(line)) > len([s for s in seen if int(s[0]) == i]):
			return i
		if line.startswith("}"):
			break
	return "?"

def site_msg(p, A):
	if pos(p) not in gfp_kernel:
		why = "left: flags other than GFP_KERNEL"
	elif pos(p) not in assigned:
		why = "left: not assigned to a variable"
	else:
		q, x = assigned[pos(p)]
		if safe(q, x):
			why = "converted"
		else:
			why = "left: %s: %s" % (x, verdicts[(current[0], q[0].current_element, x)])
	return "%s(): %s" % (A, why)

def bare_free(lines, first):
	for line in lines[first - 1:]:
		if re.search(r'(?<![\w.>])free\b(?!\s*\()', line):
			return True
		if line.startswith("}"):
			return False
	return True

def converted(p, x):
	return verdicts.get((current[0], p[0].current_element, x)) == "convert"

def safe(p, x):
	file, fn = current[0], p[0].current_element
	k = (file, fn, x)
	if k in verdicts:
		return verdicts[k] == "convert"
	why = "convert"
	lines, defines = source(file)
	first = sorted(fn_lines[(file, fn)])
	if file_why(file):
		why = file_why(file)
	elif len(first) != 1:
		why = "function defined more than once"
	elif x not in declared[(file, fn)]:
		why = "not a local variable of the function"
	elif bad[(file, fn)][x]:
		why = sorted(bad[(file, fn)][x].items())[0][1]
	elif re.search(r'\b%s\b' % re.escape(x), defines):
		why = "named in a macro of the file"
	elif bare_free(lines, first[0]):
		why = "a variable named free in the function"
	elif uses(lines, first[0], x) != len(ok[(file, fn)][x]):
		why = "a use the rules do not know (line %s)" % unknown_use(lines, first[0], x, ok[(file, fn)][x])
	verdicts[k] = why
	return why == "convert"

// Files that call none of these allocators are not even parsed.
@present depends on patch || candidates@
identifier A = {kmalloc,kzalloc,kcalloc,kmalloc_array,kvmalloc,kvzalloc,
		kvcalloc,kvmalloc_array,kmalloc_obj,kzalloc_obj,kmalloc_objs,
		kzalloc_objs,kmalloc_flex,kzalloc_flex,kvmalloc_obj,kvzalloc_obj,
		kvmalloc_objs,kvzalloc_objs,kvmalloc_flex,kvzalloc_flex,krealloc,
		kvrealloc,krealloc_array};
@@

 A(...)

@fn_def depends on present@
identifier fn;
position p;
@@

fn@p(...) { ... }

@script:python depends on fn_def@
p << fn_def.p;
fn << fn_def.fn;
@@
start(p[0].file)
fn_lines[(p[0].file, fn)].add(int(p[0].line))

// The names assigned a GFP_KERNEL allocation: the candidates. The rules
// after these look at those names only.
@decl_alloc depends on present@
identifier x;
identifier A = {kmalloc,kzalloc,kvmalloc,kvzalloc};
identifier C = {kcalloc,kmalloc_array,kvcalloc,kvmalloc_array};
identifier O = {kmalloc_obj,kzalloc_obj,kvmalloc_obj,kvzalloc_obj};
identifier OS = {kmalloc_objs,kzalloc_objs,kvmalloc_objs,kvzalloc_objs};
identifier FL = {kmalloc_flex,kzalloc_flex,kvmalloc_flex,kvzalloc_flex};
expression n, m, V, F;
type T;
position p;
@@

 T *x@p = \(A(n, GFP_KERNEL)\|C(n, m, GFP_KERNEL)\|O(V)\|O(V, GFP_KERNEL)\|
	    OS(V, n)\|OS(V, n, GFP_KERNEL)\|FL(V, F, n)\|FL(V, F, n, GFP_KERNEL)\);

@script:python depends on decl_alloc@
x << decl_alloc.x;
p << decl_alloc.p;
@@
names.add(x)
alloc_decls.add(pos(p))

@asg depends on present@
identifier x;
identifier A = {kmalloc,kzalloc,kvmalloc,kvzalloc};
identifier C = {kcalloc,kmalloc_array,kvcalloc,kvmalloc_array};
identifier O = {kmalloc_obj,kzalloc_obj,kvmalloc_obj,kvzalloc_obj};
identifier OS = {kmalloc_objs,kzalloc_objs,kvmalloc_objs,kvzalloc_objs};
identifier FL = {kmalloc_flex,kzalloc_flex,kvmalloc_flex,kvzalloc_flex};
identifier R = {krealloc,kvrealloc};
expression n, m, V, F;
position p, p2;
@@

(
 x@p = \(A(n, GFP_KERNEL)\|C(n, m, GFP_KERNEL)\|O(V)\|O(V, GFP_KERNEL)\|
	 OS(V, n)\|OS(V, n, GFP_KERNEL)\|FL(V, F, n)\|FL(V, F, n, GFP_KERNEL)\)
|
 x@p = R(x@p2, n, GFP_KERNEL)
|
 x@p = krealloc_array(x@p2, n, m, GFP_KERNEL)
)

@script:python depends on asg@
x << asg.x;
p << asg.p;
p2 << asg.p2 = [];
@@
names.add(x)
note(ok, p, x)
if p2:
	note(ok, p2, x)

// Declarations. A pointer to const, a static variable or a cleanup other
// than kfree/kvfree is not converted.
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
x = ident_at(p)
declared[(current[0], p[0].current_element)].add(x)
if re.search(r'\bconst\b', T):
	reject(p, x, "pointer to const")
elif not cleanup_ok(p):
	reject(p, x, "__free() other than kfree or kvfree")
elif E != "NULL" and pos(p) not in alloc_decls:
	reject(p, x, "initialized other than to NULL or a GFP_KERNEL allocation")
else:
	note(ok, p, x)

@stat depends on present@
identifier v : script:python() { v in names };
type T;
position p;
@@

 static T *v@p = ...;

@script:python depends on stat@
p << stat.p;
@@
x = ident_at(p)
reject(p, x, "static")

@stat2 depends on present@
identifier v : script:python() { v in names };
type T;
position p;
@@

 static T *v@p;

@script:python depends on stat2@
p << stat2.p;
@@
x = ident_at(p)
reject(p, x, "static")

// Every other occurrence of the name the rules accept, one kind a rule: a
// rule that matches a statement does not look inside its own match.
@null depends on present@
identifier v : script:python() { v in names };
position p;
@@

 v@p = NULL

@script:python depends on null@
p << null.p;
@@
x = ident_at(p)
note(ok, p, x)

@use_test depends on present@
identifier v : script:python() { v in names };
position p;
@@

(
 !v@p
|
 v@p == NULL
|
 v@p != NULL
)

@script:python depends on use_test@
p << use_test.p;
@@
x = ident_at(p)
note(ok, p, x)

@use_deref depends on present@
identifier v : script:python() { v in names };
identifier f;
expression E;
position p;
@@

(
 *v@p
|
 v@p[E]
|
 v@p->f
|
 sizeof(v@p)
)

@script:python depends on use_deref@
p << use_deref.p;
@@
x = ident_at(p)
note(ok, p, x)

@use_call depends on present@
identifier v : script:python() { v in names };
identifier READ = {strlen,strnlen,strcmp,strncmp,memcmp,strscpy,strscpy_pad,
		   copy_from_user,copy_to_user,snprintf,scnprintf,sprintf,sscanf,
		   kstrtoint,kstrtouint,kstrtol,kstrtoul,kstrtobool,
		   printk,pr_err,pr_warn,pr_info,pr_debug,pr_notice,
		   dev_err,dev_warn,dev_info,dev_dbg,dev_notice};
position p;
@@

 READ(..., v@p, ...)

@script:python depends on use_call@
p << use_call.p;
@@
x = ident_at(p)
note(ok, p, x)

@use_stmt depends on present@
identifier v : script:python() { v in names };
identifier KEEP = {memcpy,memmove,memset,strcpy,strscpy,strscpy_pad,strncpy,strcat};
statement S1, S2;
position p;
@@

(
 \(kfree\|kvfree\)(v@p);
|
 KEEP(..., v@p, ...);
|
 if (v@p) S1 else S2
|
 if (v@p) S1
)

@script:python depends on use_stmt@
p << use_stmt.p;
@@
x = ident_at(p)
note(ok, p, x)

@addr depends on present@
identifier v : script:python() { v in names };
identifier f;
expression E;
position p;
@@

(
 &v@p
|
 &*v@p
|
 &v@p[E]
|
 &v@p->f
)

@script:python depends on addr@
p << addr.p;
@@
x = ident_at(p)
reject(p, x, "address of the block or of its inside taken")

// Decide before anything changes.
@script:python depends on decl@
p << decl.p;
@@
safe(p, ident_at(p))

// Patch mode. The rules above accepted only GFP_KERNEL, or no flags, in
// these calls.
@site_decl depends on present && patch && !candidates@
identifier x;
type T;
expression E;
position p : script:python(x) { converted(p, x) };
@@

 T *x@p = E;

@conv_decl depends on present && patch && !candidates@
identifier site_decl.x;
position site_decl.p;
expression n, m, V, F;
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
- \(kmalloc_obj\|kvmalloc_obj\)(V, ...)
+ malloc_obj(V)
|
- \(kzalloc_obj\|kvzalloc_obj\)(V, ...)
+ calloc_obj(V)
|
- \(kmalloc_objs\|kvmalloc_objs\)(V, n, ...)
+ malloc_objs(V, n)
|
- \(kzalloc_objs\|kvzalloc_objs\)(V, n, ...)
+ calloc_objs(V, n)
|
- \(kmalloc_flex\|kvmalloc_flex\)(V, F, n, ...)
+ malloc_flex(V, F, n)
|
- \(kzalloc_flex\|kvzalloc_flex\)(V, F, n, ...)
+ calloc_flex(V, F, n)
)
  ;

// Where the pointer is assigned: a script constraint cannot be checked
// in a disjunction.
@site depends on present && patch && !candidates@
identifier x;
expression E;
position p : script:python(x) { converted(p, x) };
@@

 x@p = E

@conv depends on present && patch && !candidates@
identifier site.x;
position site.p;
expression n, m, V, F;
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
- \(kmalloc_obj\|kvmalloc_obj\)(V, ...)
+ malloc_obj(V)
|
- \(kzalloc_obj\|kvzalloc_obj\)(V, ...)
+ calloc_obj(V)
|
- \(kmalloc_objs\|kvmalloc_objs\)(V, n, ...)
+ malloc_objs(V, n)
|
- \(kzalloc_objs\|kvzalloc_objs\)(V, n, ...)
+ calloc_objs(V, n)
|
- \(kmalloc_flex\|kvmalloc_flex\)(V, F, n, ...)
+ malloc_flex(V, F, n)
|
- \(kzalloc_flex\|kvzalloc_flex\)(V, F, n, ...)
+ calloc_flex(V, F, n)
|
- \(krealloc\|kvrealloc\)(x, n, GFP_KERNEL)
+ realloc(x, n)
|
- krealloc_array(x, n, m, GFP_KERNEL)
+ reallocarray(x, n, m)
)

@conv_kfree depends on present && patch && !candidates@
identifier x;
identifier f = {kfree,kvfree};
position p : script:python(x) { converted(p, x) };
@@

- f(x@p);
+ free(x);

@conv_free depends on present && patch && !candidates@
identifier x;
position p : script:python(x) { converted(p, x) };
type T;
attribute name __free;
@@

(
  T *x@p __free(
- kfree
+ free
  ) = ...;
|
  T *x@p __free(
- kvfree
+ free
  ) = ...;
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

// Candidates, on request (-D candidates): every call of these allocators,
// with what patch mode does with it and why.
@call depends on candidates@
identifier A = {kmalloc,kzalloc,kcalloc,kmalloc_array,kvmalloc,kvzalloc,
		kvcalloc,kvmalloc_array,kmalloc_obj,kzalloc_obj,kmalloc_objs,
		kzalloc_objs,kmalloc_flex,kzalloc_flex,kvmalloc_obj,kvzalloc_obj,
		kvmalloc_objs,kvzalloc_objs,kvmalloc_flex,kvzalloc_flex,krealloc,
		kvrealloc,krealloc_array};
position p;
@@

 A@p(...)

@site_gfp depends on call@
identifier A = {kmalloc,kzalloc,kvmalloc,kvzalloc};
identifier C = {kcalloc,kmalloc_array,kvcalloc,kvmalloc_array};
identifier O = {kmalloc_obj,kzalloc_obj,kvmalloc_obj,kvzalloc_obj};
identifier OS = {kmalloc_objs,kzalloc_objs,kvmalloc_objs,kvzalloc_objs};
identifier FL = {kmalloc_flex,kzalloc_flex,kvmalloc_flex,kvzalloc_flex};
identifier R = {krealloc,kvrealloc};
expression n, m, V, F, E;
position p;
@@

(
 A@p(n, GFP_KERNEL)
|
 C@p(n, m, GFP_KERNEL)
|
 \(O@p(V)\|O@p(V, GFP_KERNEL)\)
|
 \(OS@p(V, n)\|OS@p(V, n, GFP_KERNEL)\)
|
 \(FL@p(V, F, n)\|FL@p(V, F, n, GFP_KERNEL)\)
|
 R@p(E, n, GFP_KERNEL)
|
 krealloc_array@p(E, n, m, GFP_KERNEL)
)

@script:python depends on site_gfp@
p << site_gfp.p;
@@
gfp_kernel.add(pos(p))

@site_var depends on call@
identifier x, A;
position p, q;
@@

 x@q = A@p(...)

@script:python depends on site_var@
p << site_var.p;
q << site_var.q;
x << site_var.x;
@@
assigned[pos(p)] = (q, x)

@site_decl_var depends on call@
identifier x, A;
type T;
position p, q;
@@

 T *x@q = A@p(...);

@script:python depends on site_decl_var@
p << site_decl_var.p;
q << site_decl_var.q;
x << site_decl_var.x;
@@
assigned[pos(p)] = (q, x)

@script:python depends on call@
p << call.p;
A << call.A;
@@
coccilib.report.print_report(p[0], site_msg(p, A))

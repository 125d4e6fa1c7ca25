// SPDX-License-Identifier: GPL-2.0-only
///
/// Convert kmalloc(), kzalloc(), kcalloc(), kmalloc_array(), kvmalloc(),
/// kvzalloc(), kvcalloc(), kvmalloc_array(), krealloc() and kvrealloc()
/// with GFP_KERNEL, and the kfree()/kvfree() of their blocks, to the
/// malloc() family of <linux/malloc.h>, where that is provably safe.
///
/// GFP_KERNEL says that the caller may sleep, and malloc() uses GFP_KERNEL
/// where the caller may sleep, so only GFP_KERNEL allocations are
/// converted. A block of the family must be freed by free() and nothing
/// else, so a pointer is converted only when every allocation and every
/// free of it is in reach of this rule, and every use of it is one the rule
/// knows to neither free nor keep the pointer:
///
///  - a local variable declared in one function (not a parameter), every
///    use of which is an assignment of NULL or of a GFP_KERNEL allocation
///    of the kinds above (krealloc()/kvrealloc() only of itself), a
///    kfree()/kvfree(), a test against NULL or another pointer, a
///    dereference, a member or element access, or an argument of a string,
///    memory, printing or checking function known to keep no reference (the
///    "g" list below); it is not returned, stored, passed elsewhere, used by
///    an iterator, nor has its address taken;
///  - a member of a structure defined in the same file (so that no other
///    file can reach it), under the same conditions, every access to it
///    going through an expression of that structure's type, and every
///    access written in the file parsed.
///
/// An array member of the block (p->data where data is an array) is the
/// block's address too: where the structure is defined in the file it may
/// only be indexed, measured or passed to those functions. That kmalloc()
/// blocks become malloc() blocks, which may come from vmalloc() above
/// KMALLOC_MAX_CACHE_SIZE, is safe for the same reason: a pointer that
/// reaches DMA mapping, scatterlists or virt_to_page() is passed to a
/// function outside the list, and is left. The limit of the rule is an
/// array member of a structure defined in a header: its type is not known
/// with --no-includes, and the access is taken for a scalar. It matters
/// only for blocks larger than KMALLOC_MAX_CACHE_SIZE, which malloc()
/// may take from vmalloc(); smaller ones come from kmalloc() as before.
///
/// Pointers to const are left: kfree() takes a const void *, free(), as
/// in C, a void *. A __free() cleanup other than kfree/kvfree, or a
/// kfree() of the name in code the parser skipped, leaves the pointer too.
///
/// krealloc(p, 0) frees p and returns ZERO_SIZE_PTR, as realloc(p, 0)
/// does; kvrealloc(p, 0) does so for kmalloc() blocks but returns NULL for
/// vmalloc() ones, where realloc() returns ZERO_SIZE_PTR: callers already
/// handle the kmalloc() case, which realloc() gives for both. GFP_KERNEL
/// without __GFP_ZERO zeroes no grown tail, nor does realloc().
///
/// Patch mode converts those allocations and frees, __free(kfree) and
/// __free(kvfree) declarations to __free(free), and adds
/// #include <linux/malloc.h>. Report, org and context modes list every
/// other allocation of these kinds with the reason it was left; stats mode
/// (spatch -D stats) prints one line per site, converted or left, for
/// counting.
///
// Confidence: High
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
import re

def key(p):
	return (p[0].file, p[0].line, p[0].column)

# (file, function, variable) or (file, None, member) -> positions
allocs = collections.defaultdict(set)
refs = collections.defaultdict(set)
okrefs = collections.defaultdict(set)
amprefs = collections.defaultdict(set)
frees_seen = collections.defaultdict(set)
# -> reasons the pointer cannot be converted
bad = collections.defaultdict(set)
declared = set()
typed = set()
untyped = collections.defaultdict(set)
defined = set()
inits = collections.defaultdict(set)
# starts of array-typed accesses to a member's block
arrstarts = set()
# allocation site -> pointer it is held in
site_ptr = {}
okpos = set()
leftpos = {}
texts = {}

def text(path):
	"""The file without comments, strings and character constants."""
	if path not in texts:
		try:
			s = open(path, errors="replace").read()
		except OSError:
			s = ""
		s = re.sub(r'/\*.*?\*/|//[^\n]*|"(\\.|[^"\\\n])*"|' + r"'(\\.|[^'\\\n])*'",
			   " ", s, flags=re.S)
		texts[path] = s
	return texts[path]

def line_of(q):
	return int(q[1])

def escapes(k):
	lines = sorted(set(line_of(q) for q in (refs[k] - okrefs[k]) | amprefs[k]))
	if lines:
		bad[k].add("used at line%s %s" % ("s" if len(lines) > 1 else "",
						  ", ".join(map(str, lines))))

def pointee_const(t):
	"""Whether a pointer of type t points to const: free() takes void *."""
	i = t.rfind("*")
	return i >= 0 and re.search(r"\bconst\b", t[:i]) is not None

def pname(k):
	if k[1] is None:
		return "member " + k[2]
	return k[2]

// ---------------------------------------------------------------------
// Local variables

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
 x = \(krealloc\|kvrealloc\)(\(x\|NULL\), n, GFP_KERNEL)@p;
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
@@

(
 T x@d;
|
 T x@d = E;
)

@script:python@
x << cand.x;
T << decl.T;
d << decl.d;
@@
k = (d[0].file, d[0].current_element, x)
declared.add(k)
if pointee_const(T):
	bad[k].add("points to const")

@cleanup@
identifier cand.x, f;
type T;
expression E;
position d;
attribute name __free;
@@

 T x@d __free(f) = E;

@script:python@
x << cand.x;
T << cleanup.T;
f << cleanup.f;
d << cleanup.d;
@@
k = (d[0].file, d[0].current_element, x)
declared.add(k)
if pointee_const(T):
	bad[k].add("points to const")
if f not in ("kfree", "kvfree"):
	bad[k].add("freed by __free(%s)" % f)

@param@
identifier fn, cand.x;
type T;
position d;
@@

fn(..., T x@d, ...) { ... }

@script:python@
x << cand.x;
d << param.d;
@@
bad[(d[0].file, d[0].current_element, x)].add("a parameter")

// Every use of the variable ...
@ref@
identifier cand.x;
position q;
@@

 x@q

@script:python@
x << cand.x;
q << ref.q;
@@
refs[(q[0].file, q[0].current_element, x)].add(key(q))

// An array member of the block is its address too: it may be indexed,
// measured or passed to those functions, nothing else. The types are
// known where the structure is defined in the file; elsewhere no member
// is seen as an array.
@arr@
identifier cand.x;
type T0;
T0[] A;
position q;
@@

 A@q

@script:python@
x << cand.x;
A << arr.A;
q << arr.q;
@@
if re.match(r"^%s -> \w+( \. \w+)*$" % re.escape(x), A):
	amprefs[(q[0].file, q[0].current_element, x)].add(key(q))

@arrok@
identifier cand.x, f2, f3;
identifier g =~ "^(kfree|kvfree|mem(set|cpy|move|cmp|chr|scan|chr_inv)|memzero_explicit|str(n?cpy|scpy|scpy_pad|l?cat|ncat|n?len|n?cmp|n?casecmp|r?chr|n?str|spn|cspn|pbrk|im|sep|replace|_has_prefix|starts_with)|skip_spaces|v?sn?printf|v?scnprintf|v?sscanf|kstrto[a-z0-9_]*|simple_strto[a-z0-9_]*|printk|pr_[a-z_]*|dev_(emerg|alert|crit|err|warn|notice|info|dbg)|WARN[A-Z_]*|BUG_ON|IS_ERR|IS_ERR_OR_NULL|ZERO_OR_NULL_PTR|likely|unlikely|copy_(from|to)_user|memcpy_(from|to)io|sort|print_hex_dump[a-z_]*|seq_(printf|puts|write)|KUNIT_[A-Z_]*|hex_dump_to_buffer|bin2hex|hex2bin|kmemdup|kstrn?dup|simple_(read_from|write_to)_buffer|match_string|sysfs_streq|bitmap_(zero|fill|copy|set|clear|weight|empty|full|equal|and|or|xor|andnot|complement|find_next_zero_area|parselist|parse)|(find_(first|next)_(zero_)?bit)|(__)?(set|clear|test)_bit|(get|put)_unaligned(_[bl]e(16|32|64))?|crc(8|16|32|32c|_ccitt|_itu_t)[a-z_]*|sizeof|ARRAY_SIZE|min|max|min_t|max_t)$";
expression E;
position q;
@@

(
 x@q->f2[E]
|
 x@q->f2.f3[E]
|
 sizeof(x@q->f2)
|
 g(..., x@q->f2, ...)
|
 g(..., x@q->f2.f3, ...)
)

@script:python@
x << cand.x;
q << arrok.q;
@@
amprefs[(q[0].file, q[0].current_element, x)].discard(key(q))

// ... and its address, or that of what it points to, is taken only for
// those functions.
@amp@
identifier cand.x, f2, f3;
expression E;
position q;
@@

(
 &x@q
|
 &x@q->f2
|
 &x@q[E]
|
 &x@q->f2.f3
|
 &x@q->f2[E]
|
 &x@q[E].f2
)

@script:python@
x << cand.x;
q << amp.q;
@@
amprefs[(q[0].file, q[0].current_element, x)].add(key(q))


// ... must be one of these,
// assigned
@use0@
identifier cand.x;
expression n, m;
position q;
@@

(
 x@q = NULL
|
 x@q = \(kmalloc\|kzalloc\|kvmalloc\|kvzalloc\)(n, GFP_KERNEL)
|
 x@q = \(kcalloc\|kmalloc_array\|kvcalloc\|kvmalloc_array\)(n, m, GFP_KERNEL)
|
 x@q = \(krealloc\|kvrealloc\)(\(x\|NULL\), n, GFP_KERNEL)
)

@script:python@
x << cand.x;
q << use0.q;
@@
okrefs[(q[0].file, q[0].current_element, x)].add(key(q))

// resized
@use1@
identifier cand.x;
expression n;
position q;
@@

 x = \(krealloc\|kvrealloc\)(x@q, n, GFP_KERNEL)

@script:python@
x << cand.x;
q << use1.q;
@@
okrefs[(q[0].file, q[0].current_element, x)].add(key(q))

// tested or dereferenced
@use2@
identifier cand.x, f2;
expression E, E1;
position q;
@@

(
 !x@q
|
 x@q == E
|
 E == x@q
|
 x@q != E
|
 E != x@q
|
 x@q && E
|
 E && x@q
|
 x@q || E
|
 E || x@q
|
 x@q ? E : E1
|
 x@q->f2
|
 x@q[E]
|
 *x@q
|
 *(x@q + E)
|
 sizeof(x@q)
)

@script:python@
x << cand.x;
q << use2.q;
@@
okrefs[(q[0].file, q[0].current_element, x)].add(key(q))

// a condition
@use3@
identifier cand.x;
statement S, S1;
position q;
@@

(
 if (x@q) S else S1
|
 if (x@q) S
|
 while (x@q) S
)

@script:python@
x << cand.x;
q << use3.q;
@@
okrefs[(q[0].file, q[0].current_element, x)].add(key(q))

// passed to g
@use4@
identifier cand.x;
identifier g =~ "^(kfree|kvfree|mem(set|cpy|move|cmp|chr|scan|chr_inv)|memzero_explicit|str(n?cpy|scpy|scpy_pad|l?cat|ncat|n?len|n?cmp|n?casecmp|r?chr|n?str|spn|cspn|pbrk|im|sep|replace|_has_prefix|starts_with)|skip_spaces|v?sn?printf|v?scnprintf|v?sscanf|kstrto[a-z0-9_]*|simple_strto[a-z0-9_]*|printk|pr_[a-z_]*|dev_(emerg|alert|crit|err|warn|notice|info|dbg)|WARN[A-Z_]*|BUG_ON|IS_ERR|IS_ERR_OR_NULL|ZERO_OR_NULL_PTR|likely|unlikely|copy_(from|to)_user|memcpy_(from|to)io|sort|print_hex_dump[a-z_]*|seq_(printf|puts|write)|KUNIT_[A-Z_]*|hex_dump_to_buffer|bin2hex|hex2bin|kmemdup|kstrn?dup|simple_(read_from|write_to)_buffer|match_string|sysfs_streq|bitmap_(zero|fill|copy|set|clear|weight|empty|full|equal|and|or|xor|andnot|complement|find_next_zero_area|parselist|parse)|(find_(first|next)_(zero_)?bit)|(__)?(set|clear|test)_bit|(get|put)_unaligned(_[bl]e(16|32|64))?|crc(8|16|32|32c|_ccitt|_itu_t)[a-z_]*|sizeof|ARRAY_SIZE|min|max|min_t|max_t)$";
position q;
@@

 g(..., x@q, ...)

@script:python@
x << cand.x;
q << use4.q;
@@
okrefs[(q[0].file, q[0].current_element, x)].add(key(q))

// passed to g, cast
@use5@
identifier cand.x;
identifier g =~ "^(kfree|kvfree|mem(set|cpy|move|cmp|chr|scan|chr_inv)|memzero_explicit|str(n?cpy|scpy|scpy_pad|l?cat|ncat|n?len|n?cmp|n?casecmp|r?chr|n?str|spn|cspn|pbrk|im|sep|replace|_has_prefix|starts_with)|skip_spaces|v?sn?printf|v?scnprintf|v?sscanf|kstrto[a-z0-9_]*|simple_strto[a-z0-9_]*|printk|pr_[a-z_]*|dev_(emerg|alert|crit|err|warn|notice|info|dbg)|WARN[A-Z_]*|BUG_ON|IS_ERR|IS_ERR_OR_NULL|ZERO_OR_NULL_PTR|likely|unlikely|copy_(from|to)_user|memcpy_(from|to)io|sort|print_hex_dump[a-z_]*|seq_(printf|puts|write)|KUNIT_[A-Z_]*|hex_dump_to_buffer|bin2hex|hex2bin|kmemdup|kstrn?dup|simple_(read_from|write_to)_buffer|match_string|sysfs_streq|bitmap_(zero|fill|copy|set|clear|weight|empty|full|equal|and|or|xor|andnot|complement|find_next_zero_area|parselist|parse)|(find_(first|next)_(zero_)?bit)|(__)?(set|clear|test)_bit|(get|put)_unaligned(_[bl]e(16|32|64))?|crc(8|16|32|32c|_ccitt|_itu_t)[a-z_]*|sizeof|ARRAY_SIZE|min|max|min_t|max_t)$";
type T;
position q;
@@

 g(..., (T)x@q, ...)

@script:python@
x << cand.x;
q << use5.q;
@@
okrefs[(q[0].file, q[0].current_element, x)].add(key(q))

// passed to g, offset
@use6@
identifier cand.x;
identifier g =~ "^(kfree|kvfree|mem(set|cpy|move|cmp|chr|scan|chr_inv)|memzero_explicit|str(n?cpy|scpy|scpy_pad|l?cat|ncat|n?len|n?cmp|n?casecmp|r?chr|n?str|spn|cspn|pbrk|im|sep|replace|_has_prefix|starts_with)|skip_spaces|v?sn?printf|v?scnprintf|v?sscanf|kstrto[a-z0-9_]*|simple_strto[a-z0-9_]*|printk|pr_[a-z_]*|dev_(emerg|alert|crit|err|warn|notice|info|dbg)|WARN[A-Z_]*|BUG_ON|IS_ERR|IS_ERR_OR_NULL|ZERO_OR_NULL_PTR|likely|unlikely|copy_(from|to)_user|memcpy_(from|to)io|sort|print_hex_dump[a-z_]*|seq_(printf|puts|write)|KUNIT_[A-Z_]*|hex_dump_to_buffer|bin2hex|hex2bin|kmemdup|kstrn?dup|simple_(read_from|write_to)_buffer|match_string|sysfs_streq|bitmap_(zero|fill|copy|set|clear|weight|empty|full|equal|and|or|xor|andnot|complement|find_next_zero_area|parselist|parse)|(find_(first|next)_(zero_)?bit)|(__)?(set|clear|test)_bit|(get|put)_unaligned(_[bl]e(16|32|64))?|crc(8|16|32|32c|_ccitt|_itu_t)[a-z_]*|sizeof|ARRAY_SIZE|min|max|min_t|max_t)$";
expression E;
position q;
@@

 g(..., x@q + E, ...)

@script:python@
x << cand.x;
q << use6.q;
@@
okrefs[(q[0].file, q[0].current_element, x)].add(key(q))

// address passed to g
@use7@
identifier cand.x, f2;
identifier g =~ "^(kfree|kvfree|mem(set|cpy|move|cmp|chr|scan|chr_inv)|memzero_explicit|str(n?cpy|scpy|scpy_pad|l?cat|ncat|n?len|n?cmp|n?casecmp|r?chr|n?str|spn|cspn|pbrk|im|sep|replace|_has_prefix|starts_with)|skip_spaces|v?sn?printf|v?scnprintf|v?sscanf|kstrto[a-z0-9_]*|simple_strto[a-z0-9_]*|printk|pr_[a-z_]*|dev_(emerg|alert|crit|err|warn|notice|info|dbg)|WARN[A-Z_]*|BUG_ON|IS_ERR|IS_ERR_OR_NULL|ZERO_OR_NULL_PTR|likely|unlikely|copy_(from|to)_user|memcpy_(from|to)io|sort|print_hex_dump[a-z_]*|seq_(printf|puts|write)|KUNIT_[A-Z_]*|hex_dump_to_buffer|bin2hex|hex2bin|kmemdup|kstrn?dup|simple_(read_from|write_to)_buffer|match_string|sysfs_streq|bitmap_(zero|fill|copy|set|clear|weight|empty|full|equal|and|or|xor|andnot|complement|find_next_zero_area|parselist|parse)|(find_(first|next)_(zero_)?bit)|(__)?(set|clear|test)_bit|(get|put)_unaligned(_[bl]e(16|32|64))?|crc(8|16|32|32c|_ccitt|_itu_t)[a-z_]*|sizeof|ARRAY_SIZE|min|max|min_t|max_t)$";
position q;
@@

 g(..., &x@q->f2, ...)

@script:python@
x << cand.x;
q << use7.q;
@@
amprefs[(q[0].file, q[0].current_element, x)].discard(key(q))

// address passed to g
@use8@
identifier cand.x;
identifier g =~ "^(kfree|kvfree|mem(set|cpy|move|cmp|chr|scan|chr_inv)|memzero_explicit|str(n?cpy|scpy|scpy_pad|l?cat|ncat|n?len|n?cmp|n?casecmp|r?chr|n?str|spn|cspn|pbrk|im|sep|replace|_has_prefix|starts_with)|skip_spaces|v?sn?printf|v?scnprintf|v?sscanf|kstrto[a-z0-9_]*|simple_strto[a-z0-9_]*|printk|pr_[a-z_]*|dev_(emerg|alert|crit|err|warn|notice|info|dbg)|WARN[A-Z_]*|BUG_ON|IS_ERR|IS_ERR_OR_NULL|ZERO_OR_NULL_PTR|likely|unlikely|copy_(from|to)_user|memcpy_(from|to)io|sort|print_hex_dump[a-z_]*|seq_(printf|puts|write)|KUNIT_[A-Z_]*|hex_dump_to_buffer|bin2hex|hex2bin|kmemdup|kstrn?dup|simple_(read_from|write_to)_buffer|match_string|sysfs_streq|bitmap_(zero|fill|copy|set|clear|weight|empty|full|equal|and|or|xor|andnot|complement|find_next_zero_area|parselist|parse)|(find_(first|next)_(zero_)?bit)|(__)?(set|clear|test)_bit|(get|put)_unaligned(_[bl]e(16|32|64))?|crc(8|16|32|32c|_ccitt|_itu_t)[a-z_]*|sizeof|ARRAY_SIZE|min|max|min_t|max_t)$";
expression E;
position q;
@@

 g(..., &x@q[E], ...)

@script:python@
x << cand.x;
q << use8.q;
@@
amprefs[(q[0].file, q[0].current_element, x)].discard(key(q))

// address passed to g
@use9@
identifier cand.x, f2, f3;
identifier g =~ "^(kfree|kvfree|mem(set|cpy|move|cmp|chr|scan|chr_inv)|memzero_explicit|str(n?cpy|scpy|scpy_pad|l?cat|ncat|n?len|n?cmp|n?casecmp|r?chr|n?str|spn|cspn|pbrk|im|sep|replace|_has_prefix|starts_with)|skip_spaces|v?sn?printf|v?scnprintf|v?sscanf|kstrto[a-z0-9_]*|simple_strto[a-z0-9_]*|printk|pr_[a-z_]*|dev_(emerg|alert|crit|err|warn|notice|info|dbg)|WARN[A-Z_]*|BUG_ON|IS_ERR|IS_ERR_OR_NULL|ZERO_OR_NULL_PTR|likely|unlikely|copy_(from|to)_user|memcpy_(from|to)io|sort|print_hex_dump[a-z_]*|seq_(printf|puts|write)|KUNIT_[A-Z_]*|hex_dump_to_buffer|bin2hex|hex2bin|kmemdup|kstrn?dup|simple_(read_from|write_to)_buffer|match_string|sysfs_streq|bitmap_(zero|fill|copy|set|clear|weight|empty|full|equal|and|or|xor|andnot|complement|find_next_zero_area|parselist|parse)|(find_(first|next)_(zero_)?bit)|(__)?(set|clear|test)_bit|(get|put)_unaligned(_[bl]e(16|32|64))?|crc(8|16|32|32c|_ccitt|_itu_t)[a-z_]*|sizeof|ARRAY_SIZE|min|max|min_t|max_t)$";
position q;
@@

 g(..., &x@q->f2.f3, ...)

@script:python@
x << cand.x;
q << use9.q;
@@
amprefs[(q[0].file, q[0].current_element, x)].discard(key(q))


// Every assignment must be NULL or a convertible allocation.
@asg@
identifier cand.x;
expression n, m, E, F;
position q;
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
x << cand.x;
E << asg.E;
q << asg.q;
@@
bad[(q[0].file, q[0].current_element, x)].add("also assigned from " + E)

@script:python@
x << cand.x;
F << asg.F;
q << asg.q;
@@
bad[(q[0].file, q[0].current_element, x)].add("also allocated with " + F)

@asgd@
identifier cand.x;
expression n, m, E;
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
x << cand.x;
E << asgd.E;
q << asgd.q;
@@
bad[(q[0].file, q[0].current_element, x)].add("also assigned from " + E)

// Every kfree()/kvfree() of the name written in the file must have been
// parsed: code the parser skipped (an unusual #ifdef, a macro it cannot
// read) could free the block behind the rule's back.
@fr@
identifier cand.x;
position q;
@@

 \(kfree\|kvfree\)(x@q)

@script:python@
x << cand.x;
q << fr.q;
@@
frees_seen[(q[0].file, x)].add(key(q))

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
T << mdef.T;
p << mcand.p;
@@
if pointee_const(T):
	bad[(p[0].file, None, fld)].add("points to const")

@macc@
identifier mcand.fld;
expression E0;
position q;
@@

\(E0->fld@q\|E0.fld@q\)

@script:python@
fld << mcand.fld;
q << macc.q;
@@
k = (q[0].file, None, fld)
untyped[k].add(key(q))
refs[k].add(key(q))

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

@marr@
identifier mcand.fld;
type T0;
T0[] A;
position pa;
@@

 A@pa

@script:python@
fld << mcand.fld;
A << marr.A;
pa << marr.pa;
@@
if re.match(r"^[^=]+ (->|\.) %s -> \w+( \. \w+)*$" % re.escape(fld), A):
	arrstarts.add((key(pa), fld))

@marr2@
identifier mcand.fld, f2;
expression E0;
position s, q;
@@

(
 E0@s->fld@q->f2
|
 E0@s.fld@q->f2
)

@script:python@
fld << mcand.fld;
s << marr2.s;
q << marr2.q;
@@
if (key(s), fld) in arrstarts:
	amprefs[(q[0].file, None, fld)].add(key(q))

@marrok@
identifier mcand.fld, f2, f3;
identifier g =~ "^(kfree|kvfree|mem(set|cpy|move|cmp|chr|scan|chr_inv)|memzero_explicit|str(n?cpy|scpy|scpy_pad|l?cat|ncat|n?len|n?cmp|n?casecmp|r?chr|n?str|spn|cspn|pbrk|im|sep|replace|_has_prefix|starts_with)|skip_spaces|v?sn?printf|v?scnprintf|v?sscanf|kstrto[a-z0-9_]*|simple_strto[a-z0-9_]*|printk|pr_[a-z_]*|dev_(emerg|alert|crit|err|warn|notice|info|dbg)|WARN[A-Z_]*|BUG_ON|IS_ERR|IS_ERR_OR_NULL|ZERO_OR_NULL_PTR|likely|unlikely|copy_(from|to)_user|memcpy_(from|to)io|sort|print_hex_dump[a-z_]*|seq_(printf|puts|write)|KUNIT_[A-Z_]*|hex_dump_to_buffer|bin2hex|hex2bin|kmemdup|kstrn?dup|simple_(read_from|write_to)_buffer|match_string|sysfs_streq|bitmap_(zero|fill|copy|set|clear|weight|empty|full|equal|and|or|xor|andnot|complement|find_next_zero_area|parselist|parse)|(find_(first|next)_(zero_)?bit)|(__)?(set|clear|test)_bit|(get|put)_unaligned(_[bl]e(16|32|64))?|crc(8|16|32|32c|_ccitt|_itu_t)[a-z_]*|sizeof|ARRAY_SIZE|min|max|min_t|max_t)$";
expression E0, E;
position q;
@@

(
 \(E0->fld@q\|E0.fld@q\)->f2[E]
|
 \(E0->fld@q\|E0.fld@q\)->f2.f3[E]
|
 sizeof(\(E0->fld@q\|E0.fld@q\)->f2)
|
 g(..., \(E0->fld@q\|E0.fld@q\)->f2, ...)
|
 g(..., \(E0->fld@q\|E0.fld@q\)->f2.f3, ...)
)

@script:python@
fld << mcand.fld;
q << marrok.q;
@@
amprefs[(q[0].file, None, fld)].discard(key(q))

@mamp@
identifier mcand.fld, f2, f3;
expression E0, E;
position q;
@@

(
 &\(E0->fld@q\|E0.fld@q\)
|
 &\(E0->fld@q\|E0.fld@q\)->f2
|
 &\(E0->fld@q\|E0.fld@q\)[E]
|
 &\(E0->fld@q\|E0.fld@q\)->f2.f3
|
 &\(E0->fld@q\|E0.fld@q\)->f2[E]
|
 &\(E0->fld@q\|E0.fld@q\)[E].f2
)

@script:python@
fld << mcand.fld;
q << mamp.q;
@@
amprefs[(q[0].file, None, fld)].add(key(q))


// assigned
@muse0@
identifier mcand.fld;
expression E0, n, m;
position q;
@@

(
 \(E0->fld@q\|E0.fld@q\) = NULL
|
 \(E0->fld@q\|E0.fld@q\) = \(kmalloc\|kzalloc\|kvmalloc\|kvzalloc\)(n, GFP_KERNEL)
|
 \(E0->fld@q\|E0.fld@q\) = \(kcalloc\|kmalloc_array\|kvcalloc\|kvmalloc_array\)(n, m, GFP_KERNEL)
|
 \(E0->fld@q\|E0.fld@q\) = \(krealloc\|kvrealloc\)(\(\(E0->fld\|E0.fld\)\|NULL\), n, GFP_KERNEL)
)

@script:python@
fld << mcand.fld;
q << muse0.q;
@@
okrefs[(q[0].file, None, fld)].add(key(q))

// resized
@muse1@
identifier mcand.fld;
expression E0, n;
position q;
@@

 \(E0->fld\|E0.fld\) = \(krealloc\|kvrealloc\)(\(E0->fld@q\|E0.fld@q\), n, GFP_KERNEL)

@script:python@
fld << mcand.fld;
q << muse1.q;
@@
okrefs[(q[0].file, None, fld)].add(key(q))

// tested or dereferenced
@muse2@
identifier mcand.fld, f2;
expression E0, E, E1;
position q;
@@

(
 !\(E0->fld@q\|E0.fld@q\)
|
 \(E0->fld@q\|E0.fld@q\) == E
|
 E == \(E0->fld@q\|E0.fld@q\)
|
 \(E0->fld@q\|E0.fld@q\) != E
|
 E != \(E0->fld@q\|E0.fld@q\)
|
 \(E0->fld@q\|E0.fld@q\) && E
|
 E && \(E0->fld@q\|E0.fld@q\)
|
 \(E0->fld@q\|E0.fld@q\) || E
|
 E || \(E0->fld@q\|E0.fld@q\)
|
 \(E0->fld@q\|E0.fld@q\) ? E : E1
|
 \(E0->fld@q\|E0.fld@q\)->f2
|
 \(E0->fld@q\|E0.fld@q\)[E]
|
 *\(E0->fld@q\|E0.fld@q\)
|
 *(\(E0->fld@q\|E0.fld@q\) + E)
|
 sizeof(\(E0->fld@q\|E0.fld@q\))
)

@script:python@
fld << mcand.fld;
q << muse2.q;
@@
okrefs[(q[0].file, None, fld)].add(key(q))

// a condition
@muse3@
identifier mcand.fld;
expression E0;
statement S, S1;
position q;
@@

(
 if (\(E0->fld@q\|E0.fld@q\)) S else S1
|
 if (\(E0->fld@q\|E0.fld@q\)) S
|
 while (\(E0->fld@q\|E0.fld@q\)) S
)

@script:python@
fld << mcand.fld;
q << muse3.q;
@@
okrefs[(q[0].file, None, fld)].add(key(q))

// passed to g
@muse4@
identifier mcand.fld;
identifier g =~ "^(kfree|kvfree|mem(set|cpy|move|cmp|chr|scan|chr_inv)|memzero_explicit|str(n?cpy|scpy|scpy_pad|l?cat|ncat|n?len|n?cmp|n?casecmp|r?chr|n?str|spn|cspn|pbrk|im|sep|replace|_has_prefix|starts_with)|skip_spaces|v?sn?printf|v?scnprintf|v?sscanf|kstrto[a-z0-9_]*|simple_strto[a-z0-9_]*|printk|pr_[a-z_]*|dev_(emerg|alert|crit|err|warn|notice|info|dbg)|WARN[A-Z_]*|BUG_ON|IS_ERR|IS_ERR_OR_NULL|ZERO_OR_NULL_PTR|likely|unlikely|copy_(from|to)_user|memcpy_(from|to)io|sort|print_hex_dump[a-z_]*|seq_(printf|puts|write)|KUNIT_[A-Z_]*|hex_dump_to_buffer|bin2hex|hex2bin|kmemdup|kstrn?dup|simple_(read_from|write_to)_buffer|match_string|sysfs_streq|bitmap_(zero|fill|copy|set|clear|weight|empty|full|equal|and|or|xor|andnot|complement|find_next_zero_area|parselist|parse)|(find_(first|next)_(zero_)?bit)|(__)?(set|clear|test)_bit|(get|put)_unaligned(_[bl]e(16|32|64))?|crc(8|16|32|32c|_ccitt|_itu_t)[a-z_]*|sizeof|ARRAY_SIZE|min|max|min_t|max_t)$";
expression E0;
position q;
@@

 g(..., \(E0->fld@q\|E0.fld@q\), ...)

@script:python@
fld << mcand.fld;
q << muse4.q;
@@
okrefs[(q[0].file, None, fld)].add(key(q))

// passed to g, cast
@muse5@
identifier mcand.fld;
identifier g =~ "^(kfree|kvfree|mem(set|cpy|move|cmp|chr|scan|chr_inv)|memzero_explicit|str(n?cpy|scpy|scpy_pad|l?cat|ncat|n?len|n?cmp|n?casecmp|r?chr|n?str|spn|cspn|pbrk|im|sep|replace|_has_prefix|starts_with)|skip_spaces|v?sn?printf|v?scnprintf|v?sscanf|kstrto[a-z0-9_]*|simple_strto[a-z0-9_]*|printk|pr_[a-z_]*|dev_(emerg|alert|crit|err|warn|notice|info|dbg)|WARN[A-Z_]*|BUG_ON|IS_ERR|IS_ERR_OR_NULL|ZERO_OR_NULL_PTR|likely|unlikely|copy_(from|to)_user|memcpy_(from|to)io|sort|print_hex_dump[a-z_]*|seq_(printf|puts|write)|KUNIT_[A-Z_]*|hex_dump_to_buffer|bin2hex|hex2bin|kmemdup|kstrn?dup|simple_(read_from|write_to)_buffer|match_string|sysfs_streq|bitmap_(zero|fill|copy|set|clear|weight|empty|full|equal|and|or|xor|andnot|complement|find_next_zero_area|parselist|parse)|(find_(first|next)_(zero_)?bit)|(__)?(set|clear|test)_bit|(get|put)_unaligned(_[bl]e(16|32|64))?|crc(8|16|32|32c|_ccitt|_itu_t)[a-z_]*|sizeof|ARRAY_SIZE|min|max|min_t|max_t)$";
expression E0;
type T;
position q;
@@

 g(..., (T)\(E0->fld@q\|E0.fld@q\), ...)

@script:python@
fld << mcand.fld;
q << muse5.q;
@@
okrefs[(q[0].file, None, fld)].add(key(q))

// passed to g, offset
@muse6@
identifier mcand.fld;
identifier g =~ "^(kfree|kvfree|mem(set|cpy|move|cmp|chr|scan|chr_inv)|memzero_explicit|str(n?cpy|scpy|scpy_pad|l?cat|ncat|n?len|n?cmp|n?casecmp|r?chr|n?str|spn|cspn|pbrk|im|sep|replace|_has_prefix|starts_with)|skip_spaces|v?sn?printf|v?scnprintf|v?sscanf|kstrto[a-z0-9_]*|simple_strto[a-z0-9_]*|printk|pr_[a-z_]*|dev_(emerg|alert|crit|err|warn|notice|info|dbg)|WARN[A-Z_]*|BUG_ON|IS_ERR|IS_ERR_OR_NULL|ZERO_OR_NULL_PTR|likely|unlikely|copy_(from|to)_user|memcpy_(from|to)io|sort|print_hex_dump[a-z_]*|seq_(printf|puts|write)|KUNIT_[A-Z_]*|hex_dump_to_buffer|bin2hex|hex2bin|kmemdup|kstrn?dup|simple_(read_from|write_to)_buffer|match_string|sysfs_streq|bitmap_(zero|fill|copy|set|clear|weight|empty|full|equal|and|or|xor|andnot|complement|find_next_zero_area|parselist|parse)|(find_(first|next)_(zero_)?bit)|(__)?(set|clear|test)_bit|(get|put)_unaligned(_[bl]e(16|32|64))?|crc(8|16|32|32c|_ccitt|_itu_t)[a-z_]*|sizeof|ARRAY_SIZE|min|max|min_t|max_t)$";
expression E0, E;
position q;
@@

 g(..., \(E0->fld@q\|E0.fld@q\) + E, ...)

@script:python@
fld << mcand.fld;
q << muse6.q;
@@
okrefs[(q[0].file, None, fld)].add(key(q))

// address passed to g
@muse7@
identifier mcand.fld, f2;
identifier g =~ "^(kfree|kvfree|mem(set|cpy|move|cmp|chr|scan|chr_inv)|memzero_explicit|str(n?cpy|scpy|scpy_pad|l?cat|ncat|n?len|n?cmp|n?casecmp|r?chr|n?str|spn|cspn|pbrk|im|sep|replace|_has_prefix|starts_with)|skip_spaces|v?sn?printf|v?scnprintf|v?sscanf|kstrto[a-z0-9_]*|simple_strto[a-z0-9_]*|printk|pr_[a-z_]*|dev_(emerg|alert|crit|err|warn|notice|info|dbg)|WARN[A-Z_]*|BUG_ON|IS_ERR|IS_ERR_OR_NULL|ZERO_OR_NULL_PTR|likely|unlikely|copy_(from|to)_user|memcpy_(from|to)io|sort|print_hex_dump[a-z_]*|seq_(printf|puts|write)|KUNIT_[A-Z_]*|hex_dump_to_buffer|bin2hex|hex2bin|kmemdup|kstrn?dup|simple_(read_from|write_to)_buffer|match_string|sysfs_streq|bitmap_(zero|fill|copy|set|clear|weight|empty|full|equal|and|or|xor|andnot|complement|find_next_zero_area|parselist|parse)|(find_(first|next)_(zero_)?bit)|(__)?(set|clear|test)_bit|(get|put)_unaligned(_[bl]e(16|32|64))?|crc(8|16|32|32c|_ccitt|_itu_t)[a-z_]*|sizeof|ARRAY_SIZE|min|max|min_t|max_t)$";
expression E0;
position q;
@@

 g(..., &\(E0->fld@q\|E0.fld@q\)->f2, ...)

@script:python@
fld << mcand.fld;
q << muse7.q;
@@
amprefs[(q[0].file, None, fld)].discard(key(q))

// address passed to g
@muse8@
identifier mcand.fld;
identifier g =~ "^(kfree|kvfree|mem(set|cpy|move|cmp|chr|scan|chr_inv)|memzero_explicit|str(n?cpy|scpy|scpy_pad|l?cat|ncat|n?len|n?cmp|n?casecmp|r?chr|n?str|spn|cspn|pbrk|im|sep|replace|_has_prefix|starts_with)|skip_spaces|v?sn?printf|v?scnprintf|v?sscanf|kstrto[a-z0-9_]*|simple_strto[a-z0-9_]*|printk|pr_[a-z_]*|dev_(emerg|alert|crit|err|warn|notice|info|dbg)|WARN[A-Z_]*|BUG_ON|IS_ERR|IS_ERR_OR_NULL|ZERO_OR_NULL_PTR|likely|unlikely|copy_(from|to)_user|memcpy_(from|to)io|sort|print_hex_dump[a-z_]*|seq_(printf|puts|write)|KUNIT_[A-Z_]*|hex_dump_to_buffer|bin2hex|hex2bin|kmemdup|kstrn?dup|simple_(read_from|write_to)_buffer|match_string|sysfs_streq|bitmap_(zero|fill|copy|set|clear|weight|empty|full|equal|and|or|xor|andnot|complement|find_next_zero_area|parselist|parse)|(find_(first|next)_(zero_)?bit)|(__)?(set|clear|test)_bit|(get|put)_unaligned(_[bl]e(16|32|64))?|crc(8|16|32|32c|_ccitt|_itu_t)[a-z_]*|sizeof|ARRAY_SIZE|min|max|min_t|max_t)$";
expression E0, E;
position q;
@@

 g(..., &\(E0->fld@q\|E0.fld@q\)[E], ...)

@script:python@
fld << mcand.fld;
q << muse8.q;
@@
amprefs[(q[0].file, None, fld)].discard(key(q))

// address passed to g
@muse9@
identifier mcand.fld, f2, f3;
identifier g =~ "^(kfree|kvfree|mem(set|cpy|move|cmp|chr|scan|chr_inv)|memzero_explicit|str(n?cpy|scpy|scpy_pad|l?cat|ncat|n?len|n?cmp|n?casecmp|r?chr|n?str|spn|cspn|pbrk|im|sep|replace|_has_prefix|starts_with)|skip_spaces|v?sn?printf|v?scnprintf|v?sscanf|kstrto[a-z0-9_]*|simple_strto[a-z0-9_]*|printk|pr_[a-z_]*|dev_(emerg|alert|crit|err|warn|notice|info|dbg)|WARN[A-Z_]*|BUG_ON|IS_ERR|IS_ERR_OR_NULL|ZERO_OR_NULL_PTR|likely|unlikely|copy_(from|to)_user|memcpy_(from|to)io|sort|print_hex_dump[a-z_]*|seq_(printf|puts|write)|KUNIT_[A-Z_]*|hex_dump_to_buffer|bin2hex|hex2bin|kmemdup|kstrn?dup|simple_(read_from|write_to)_buffer|match_string|sysfs_streq|bitmap_(zero|fill|copy|set|clear|weight|empty|full|equal|and|or|xor|andnot|complement|find_next_zero_area|parselist|parse)|(find_(first|next)_(zero_)?bit)|(__)?(set|clear|test)_bit|(get|put)_unaligned(_[bl]e(16|32|64))?|crc(8|16|32|32c|_ccitt|_itu_t)[a-z_]*|sizeof|ARRAY_SIZE|min|max|min_t|max_t)$";
expression E0;
position q;
@@

 g(..., &\(E0->fld@q\|E0.fld@q\)->f2.f3, ...)

@script:python@
fld << mcand.fld;
q << muse9.q;
@@
amprefs[(q[0].file, None, fld)].discard(key(q))

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
inits[(q[0].file, None, fld)].add(key(q))
if E != "NULL":
	bad[(q[0].file, None, fld)].add("initialized to " + E)

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
escapes(k)
pat = r"\bk(v)?free\s*\(\s*" + re.escape(x) + r"\s*\)"
if len(re.findall(pat, text(k[0]))) > len(frees_seen[(k[0], x)]):
	bad[k].add("a kfree() of the name was not parsed")
# A pointer that stays binds a name no code has: cocci.include_match(False)
# would drop the members' candidates along with it.
if bad[k]:
	coccinelle.fn2 = "malloc_cocci_left_"
	coccinelle.y = "malloc_cocci_left_"
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
escapes(k)
pat = r"(->|\.)\s*" + re.escape(fld) + r"\b"
if len(re.findall(pat, text(k[0]))) > len(refs[k]) + len(inits[k]):
	bad[k].add("an access was not parsed")
if bad[k]:
	coccinelle.g2 = "malloc_cocci_left_"
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
expression n, m;
type T;
@@

fn2(...) { <+...
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
)
 ;
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
- \(kfree\|kvfree\)(E->g2)
+ free(E->g2)
|
- \(kfree\|kvfree\)(E.g2)
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

@pinc4 depends on patch && (pl || pld || pm || pattr) && !pinc1 && !pinc2 && !pinc3@
@@

(
 #include <linux/malloc.h>
|
 #include <linux/kernel.h>
+#include <linux/malloc.h>
)

// After the last <...> include where none of the above is included.
@pinc5 depends on patch && (pl || pld || pm || pattr) && !pinc1 && !pinc2 && !pinc3 && !pinc4@
@@

(
 #include <linux/malloc.h>
|
 #include <...>
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

// SPDX-License-Identifier: GPL-2.0

//! The `malloc()` family as a Rust allocator.
//!
//! [`Malloc`] allocates through the same C entry point as `malloc()`, `realloc()` and `free()`
//! in `include/linux/malloc.h`: sizes up to `KMALLOC_MAX_SIZE` come from `kmalloc()`, or from
//! `vmalloc()` where `kmalloc()` fails above a page, larger ones from `vmalloc()`, and the GFP
//! flags follow from the calling context. [`Flags`] passed to [`Allocator`] functions can only
//! narrow what the context allows: `GFP_KERNEL` while a [`SpinLock`](crate::sync::SpinLock)
//! guard is held does not sleep. `__GFP_ZERO`, `__GFP_NOWARN`, `__GFP_HIGH` and `__GFP_ACCOUNT`
//! are honoured. A [`NumaNode`] other than [`NumaNode::NO_NODE`] is where a new block is
//! preferably taken from.
//!
//! [`Malloc`] also implements [`GlobalAlloc`], and [`alloc`], [`alloc_zeroed`], [`dealloc`] and
//! [`realloc`] are the functions of `std::alloc`, with their contracts, for code ported from
//! user space. They take no flags: they allocate with whatever the calling context allows.
//!
//! # Sharing blocks with C
//!
//! Blocks are the C family's blocks: C code may free with `free()` what Rust allocated with
//! [`Malloc`], and Rust may adopt a block C allocated with `malloc()`, `calloc()` or
//! `realloc()`, for instance with [`MVec::from_raw_parts`](crate::alloc::kvec::Vec::from_raw_parts)
//! or by passing it to [`Allocator::realloc`] or [`Allocator::free`]. The layout Rust states for
//! such a block must have the size C allocated (or resized) it to, and an alignment of at most
//! [`Malloc::MIN_ALIGN`], which is all C's `malloc()` and `realloc()` guarantee; a block from C's
//! `aligned_alloc()` may be adopted with that alignment. C's `realloc()` of a block Rust
//! allocated with a larger alignment keeps only [`Malloc::MIN_ALIGN`].
//!
//! Reference: <https://docs.kernel.org/core-api/malloc.html>
//!
//! # Examples
//!
//! ```
//! use kernel::alloc::{allocator::Malloc, Allocator, MBox, MVec, NumaNode};
//! use kernel::bindings;
//! use core::{alloc::Layout, ptr, slice};
//!
//! let b = MBox::new(42_u64, GFP_KERNEL)?;
//! assert_eq!(*b, 42);
//!
//! // Push across the kmalloc()/vmalloc() boundary; the contents are kept.
//! let mut v = MVec::new();
//! for i in 0..(Malloc::KMALLOC_MAX as u32) {
//!     v.push(i, GFP_KERNEL)?;
//! }
//! assert!(v.iter().enumerate().all(|(i, x)| *x == i as u32));
//!
//! // Grow a block into vmalloc(), past what one page allocation serves, and shrink it back;
//! // the contents are kept.
//! let small = Layout::array::<u8>(64).map_err(|_| EINVAL)?;
//! let large = Layout::array::<u8>(bindings::KMALLOC_MAX_SIZE as usize + 1).map_err(|_| EINVAL)?;
//! let p = Malloc::alloc(small, GFP_KERNEL, NumaNode::NO_NODE)?.cast::<u8>();
//! // SAFETY: `p` is valid for 64 bytes.
//! unsafe { ptr::write_bytes(p.as_ptr(), 0xa5, 64) };
//! // SAFETY: `p` was allocated by `Malloc` with `small`.
//! let q = unsafe { Malloc::realloc(Some(p), large, small, GFP_KERNEL, NumaNode::NO_NODE)? };
//! let q = q.cast::<u8>();
//! // SAFETY: `q` is a live block from `Malloc`.
//! assert!(unsafe { bindings::is_vmalloc_addr(q.as_ptr().cast_const().cast()) });
//! // SAFETY: `q` is valid for `large.size()` bytes, the first 64 kept from `p`.
//! unsafe { ptr::write_bytes(q.as_ptr().add(64), 0x3c, large.size() - 64) };
//! // SAFETY: `q` was allocated by `Malloc` with `large`.
//! let r = unsafe { Malloc::realloc(Some(q), small, large, GFP_KERNEL, NumaNode::NO_NODE)? };
//! let r = r.cast::<u8>();
//! // SAFETY: `r` is valid for 64 bytes.
//! assert!(unsafe { slice::from_raw_parts(r.as_ptr(), 64) }.iter().all(|b| *b == 0xa5));
//! // SAFETY: `r` was allocated by `Malloc` with `small`.
//! unsafe { Malloc::free(r, small) };
//!
//! // `__GFP_ZERO` is honoured by both backends.
//! for size in [100, Malloc::KMALLOC_MAX + 1] {
//!     let layout = Layout::array::<u8>(size).map_err(|_| EINVAL)?;
//!     let z = Malloc::alloc(layout, GFP_KERNEL | __GFP_ZERO, NumaNode::NO_NODE)?.cast::<u8>();
//!     // SAFETY: `z` is valid for `size` bytes.
//!     assert!(unsafe { slice::from_raw_parts(z.as_ptr(), size) }.iter().all(|b| *b == 0));
//!     // SAFETY: `z` was allocated by `Malloc` with `layout`.
//!     unsafe { Malloc::free(z, layout) };
//! }
//!
//! // Zero-sized layouts never reach C, whatever their alignment.
//! for align in [1, Malloc::MAX_ALIGN * 2] {
//!     let layout = Layout::from_size_align(0, align).map_err(|_| EINVAL)?;
//!     let p = Malloc::alloc(layout, GFP_KERNEL, NumaNode::NO_NODE)?;
//!     assert_eq!(p.len(), 0);
//!     assert_eq!(p.cast::<u8>().as_ptr() as usize % align, 0);
//!     // SAFETY: `p` was allocated by `Malloc` with `layout`.
//!     unsafe { Malloc::free(p.cast(), layout) };
//! }
//!
//! // Pinned initialisation works as for `KBox`.
//! let lock = MBox::pin_init(kernel::new_spinlock!(7_u32), GFP_KERNEL)?;
//! assert_eq!(*lock.lock(), 7);
//! # Ok::<(), Error>(())
//! ```
//!
//! Blocks cross the language boundary both ways:
//!
//! ```
//! use kernel::alloc::{allocator::Malloc, Allocator, MVec};
//! use kernel::bindings;
//! use core::ptr;
//!
//! // A block from C, adopted by an `MVec` and freed from Rust. This one comes from the C
//! // function behind `realloc()`, through the helper `Malloc` calls, as C's `malloc()` would
//! // allocate it.
//! // SAFETY: A NULL block is valid; any size and a power-of-two alignment up to
//! // `MALLOC_MAX_ALIGN` are.
//! let c = unsafe {
//!     bindings::malloc_realloc_gfp(
//!         ptr::null_mut(),
//!         0,
//!         16 * 8,
//!         Malloc::MIN_ALIGN,
//!         bindings::GFP_KERNEL,
//!         bindings::NUMA_NO_NODE,
//!     )
//! }
//! .cast::<u64>();
//! assert!(!c.is_null());
//! // SAFETY: `c` is a block of the family of 16 `u64`s, aligned to `MALLOC_MIN_ALIGN` >= 8.
//! let mut v = unsafe { MVec::from_raw_parts(c, 0, 16) };
//! v.push(5, GFP_KERNEL)?;
//! assert_eq!(v[0], 5);
//! drop(v);
//!
//! // A block from Rust, freed by C's free().
//! let mut w = MVec::<u64>::with_capacity(100, GFP_KERNEL)?;
//! w.push(6, GFP_KERNEL)?;
//! let (ptr, _len, _cap) = w.into_raw_parts();
//! // SAFETY: `ptr` is a block of the family, which `malloc_free()` (C's `free()`) takes.
//! unsafe { bindings::malloc_free(ptr.cast()) };
//! # Ok::<(), Error>(())
//! ```
//!
//! With both [`Allocator`] and [`GlobalAlloc`] in scope, `Malloc::alloc` is ambiguous
//! (`E0034`): name the trait.
//!
//! ```
//! use kernel::alloc::{allocator::Malloc, Allocator, NumaNode};
//! use core::alloc::{GlobalAlloc, Layout};
//!
//! let layout = Layout::new::<[u64; 4]>();
//! let p = <Malloc as Allocator>::alloc(layout, GFP_KERNEL, NumaNode::NO_NODE)?;
//! // SAFETY: `p` was allocated by `Malloc` with `layout`.
//! unsafe { <Malloc as Allocator>::free(p.cast(), layout) };
//!
//! // SAFETY: `layout` has a non-zero size.
//! let q = unsafe { GlobalAlloc::alloc_zeroed(&Malloc, layout) };
//! assert!(!q.is_null());
//! // SAFETY: `q` points to `layout.size()` zeroed bytes.
//! assert!(unsafe { core::slice::from_raw_parts(q, layout.size()) }.iter().all(|b| *b == 0));
//! // SAFETY: `q` was allocated with `layout`; the new size is non-zero and fits `isize`.
//! let r = unsafe { GlobalAlloc::realloc(&Malloc, q, layout, 100_000) };
//! assert!(!r.is_null());
//! let big = Layout::from_size_align(100_000, layout.align()).map_err(|_| EINVAL)?;
//! // SAFETY: `r` was allocated with `big`.
//! unsafe { GlobalAlloc::dealloc(&Malloc, r, big) };
//! # Ok::<(), Error>(())
//! ```

use super::{flags::*, AllocError, Allocator, Flags, NumaNode};
use crate::bindings;
use core::alloc::{GlobalAlloc, Layout};
use core::ptr::{self, NonNull};

/// The `malloc()` family's allocator.
///
/// A zero-sized type: every [`Allocator`] and [`GlobalAlloc`] function calls into the C
/// function behind `realloc()` and `free()`, so that Rust and C code share one policy for
/// backends, flags and corner cases. A `#[global_allocator]` can name it.
///
/// # Guarantees
///
/// - Blocks are aligned to their [`Layout`]'s alignment, for every power of two up to
///   [`Malloc::MAX_ALIGN`]; larger alignments fail with [`AllocError`]. Every block is aligned
///   to at least [`Malloc::MIN_ALIGN`].
/// - The [`Flags`] passed are an upper bound that the calling context may narrow, not a
///   promise: the GFP flags used are those the context allows, with reclaim, IO and FS only
///   where the flags allow them too. So `GFP_KERNEL` under a spinlock does not sleep, and
///   fails where only a sleeping allocation could succeed, as `GFP_NOWAIT` would.
///   `__GFP_ZERO`, `__GFP_NOWARN`, `__GFP_HIGH` and `__GFP_ACCOUNT` are honoured, other
///   flags ignored. In NMI context, and on `PREEMPT_RT` where preemption or interrupts are
///   disabled, every allocation fails.
/// - `__GFP_ZERO` zeroes a new block, and what a block gains when it grows, in place or not.
/// - A failed reallocation leaves the old block valid and unchanged.
///
/// # Examples
///
/// Under a spinlock the allocator never sleeps, whatever the flags say: sizes that only
/// `vmalloc()` serves come from `vmalloc()` without reclaim (a [`SpinLock`](crate::sync::SpinLock)
/// leaves interrupts and bottom halves enabled, so the vmap locks may be taken), and a
/// `vmalloc()`-backed vector is resized within its area and dropped there:
///
/// ```
/// use kernel::alloc::{allocator::Malloc, Allocator, MVec, NumaNode};
/// use kernel::{bindings, new_spinlock};
/// use core::{alloc::Layout, ptr::NonNull};
///
/// // Past what one page allocation serves, so vmalloc() serves it.
/// let n = (bindings::KMALLOC_MAX_SIZE as usize + kernel::page::PAGE_SIZE) / 8;
/// let mut big = MVec::<u64>::with_capacity(n, GFP_KERNEL)?;
/// // SAFETY: `big`'s buffer is a live block from `Malloc`.
/// assert!(unsafe { bindings::is_vmalloc_addr(big.as_ptr().cast()) });
/// big.push(1, GFP_KERNEL)?;
///
/// // More than kmalloc() serves: only vmalloc() does.
/// let huge = bindings::KMALLOC_MAX_SIZE as usize + 1;
///
/// let lock = KBox::pin_init(new_spinlock!(0_u32), GFP_KERNEL)?;
/// let guard = lock.lock();
/// let mut v = MVec::<u8>::with_capacity(4096, GFP_KERNEL)?;
/// v.push(1, GFP_KERNEL)?;
/// let h = MVec::<u8>::with_capacity(huge, GFP_KERNEL)?;
/// // SAFETY: `h`'s buffer is a live block from `Malloc`.
/// assert!(unsafe { bindings::is_vmalloc_addr(h.as_ptr().cast()) });
/// let (ptr, len, cap) = big.into_raw_parts();
/// let old = Layout::array::<u64>(cap).map_err(|_| EINVAL)?;
/// let less = Layout::array::<u64>(n / 2).map_err(|_| EINVAL)?;
/// let ptr = NonNull::new(ptr.cast());
/// // SAFETY: `ptr` was allocated by `Malloc` with `old`.
/// let ptr = unsafe { Malloc::realloc(ptr, less, old, GFP_KERNEL, NumaNode::NO_NODE)? };
/// // SAFETY: `ptr` holds `len` initialised `u64`s in a block of `n / 2` of them.
/// let big = unsafe { MVec::<u64>::from_raw_parts(ptr.as_ptr().cast(), len, n / 2) };
/// assert_eq!(big[0], 1);
/// drop(big);
/// drop(h);
/// drop(guard);
/// drop(v);
///
/// // In task context GFP_NOWAIT is served the same way, without reclaim.
/// let big = MVec::<u8>::with_capacity(huge, GFP_NOWAIT)?;
/// assert!(big.capacity() >= huge);
/// # Ok::<(), Error>(())
/// ```
///
/// Every alignment up to [`Malloc::MAX_ALIGN`], including beyond `PAGE_SIZE`, as far as the
/// blocks fit in 16 MiB; moving keeps the alignment, and so does a move to a smaller one:
///
/// ```
/// use kernel::alloc::{allocator::Malloc, Allocator, NumaNode};
/// use core::alloc::Layout;
///
/// let max = Malloc::MAX_ALIGN;
/// let mut align = 1;
/// while align <= max && align * 3 <= 16 << 20 {
///     for size in [1, align, align + 1, 9000] {
///         let layout = Layout::from_size_align(size, align).map_err(|_| EINVAL)?;
///         let p = Malloc::alloc(layout, GFP_KERNEL, NumaNode::NO_NODE)?;
///         assert_eq!(p.cast::<u8>().as_ptr() as usize % align, 0);
///         let bigger = Layout::from_size_align(size * 3, align).map_err(|_| EINVAL)?;
///         // SAFETY: `p` was allocated by `Malloc` with `layout`.
///         let q = unsafe {
///             Malloc::realloc(Some(p.cast()), bigger, layout, GFP_KERNEL, NumaNode::NO_NODE)?
///         };
///         assert_eq!(q.cast::<u8>().as_ptr() as usize % align, 0);
///         // SAFETY: `q` was allocated by `Malloc` with `bigger`.
///         unsafe { Malloc::free(q.cast(), bigger) };
///     }
///     align <<= 1;
/// }
/// let too_much = Layout::from_size_align(64, max * 2).map_err(|_| EINVAL)?;
/// assert!(Malloc::alloc(too_much, GFP_KERNEL, NumaNode::NO_NODE).is_err());
///
/// // 8 -> 4096 -> 8: the contents follow the block.
/// let a8 = Layout::from_size_align(100, 8).map_err(|_| EINVAL)?;
/// let a4k = Layout::from_size_align(100, 4096).map_err(|_| EINVAL)?;
/// let p = Malloc::alloc(a8, GFP_KERNEL, NumaNode::NO_NODE)?.cast::<u8>();
/// // SAFETY: `p` is valid for 100 bytes.
/// unsafe { p.as_ptr().write_bytes(0x11, 100) };
/// // SAFETY: `p` was allocated by `Malloc` with `a8`.
/// let q = unsafe { Malloc::realloc(Some(p), a4k, a8, GFP_KERNEL, NumaNode::NO_NODE)? };
/// let q = q.cast::<u8>();
/// assert_eq!(q.as_ptr() as usize % 4096, 0);
/// // SAFETY: `q` was allocated by `Malloc` with `a4k`.
/// let r = unsafe { Malloc::realloc(Some(q), a8, a4k, GFP_KERNEL, NumaNode::NO_NODE)? };
/// let r = r.cast::<u8>();
/// // SAFETY: `r` is valid for 100 bytes, kept from `p`.
/// assert!(unsafe { core::slice::from_raw_parts(r.as_ptr(), 100) }.iter().all(|b| *b == 0x11));
/// // SAFETY: `r` was allocated by `Malloc` with `a8`.
/// unsafe { Malloc::free(r, a8) };
/// # Ok::<(), Error>(())
/// ```
///
/// A failed reallocation leaves the block intact, and `__GFP_ZERO` zeroes what a block gains:
///
/// ```
/// use kernel::alloc::{allocator::Malloc, Allocator, NumaNode};
/// use core::{alloc::Layout, ptr, slice};
///
/// let any = NumaNode::NO_NODE;
/// for size in [100, 100_000] {
///     let layout = Layout::array::<u8>(size).map_err(|_| EINVAL)?;
///     let p = Malloc::alloc(layout, GFP_KERNEL, any)?.cast::<u8>();
///     // SAFETY: `p` is valid for `size` bytes.
///     unsafe { ptr::write_bytes(p.as_ptr(), 0x5a, size) };
///     // More than any machine has.
///     let huge = Layout::array::<u8>(isize::MAX as usize / 2).map_err(|_| EINVAL)?;
///     // SAFETY: `p` was allocated by `Malloc` with `layout`.
///     assert!(unsafe { Malloc::realloc(Some(p), huge, layout, GFP_KERNEL, any) }.is_err());
///     // SAFETY: `p` is still valid for `size` bytes.
///     assert!(unsafe { slice::from_raw_parts(p.as_ptr(), size) }.iter().all(|b| *b == 0x5a));
///
///     // Shrink, then grow back zeroed: in place, the old bytes past the new size are gone.
///     let half = Layout::array::<u8>(size / 2).map_err(|_| EINVAL)?;
///     // SAFETY: `p` was allocated by `Malloc` with `layout`.
///     let q = unsafe { Malloc::realloc(Some(p), half, layout, GFP_KERNEL, any)? }.cast::<u8>();
///     // SAFETY: `q` was allocated by `Malloc` with `half`.
///     let r = unsafe { Malloc::realloc(Some(q), layout, half, GFP_KERNEL | __GFP_ZERO, any)? };
///     let r = r.cast::<u8>();
///     // SAFETY: `r` is valid for `size` bytes, the first `size / 2` kept from `p`.
///     let s = unsafe { slice::from_raw_parts(r.as_ptr(), size) };
///     assert!(s[..size / 2].iter().all(|b| *b == 0x5a));
///     assert!(s[size / 2..].iter().all(|b| *b == 0));
///     // SAFETY: `r` was allocated by `Malloc` with `layout`.
///     unsafe { Malloc::free(r, layout) };
/// }
/// # Ok::<(), Error>(())
/// ```
pub struct Malloc;

impl Malloc {
    /// The largest alignment [`Malloc`] supports, `MALLOC_MAX_ALIGN` (`PAGE_SIZE <<
    /// MAX_PAGE_ORDER`).
    pub const MAX_ALIGN: usize = bindings::MALLOC_MAX_ALIGN;

    /// The largest `kmalloc()` cache, `MALLOC_KMALLOC_MAX`: larger blocks are page-backed
    /// (large `kmalloc()` blocks or `vmalloc()`).
    pub const KMALLOC_MAX: usize = bindings::MALLOC_KMALLOC_MAX as usize;
}

// SAFETY:
// - Blocks stay valid until `realloc` frees them: `malloc_realloc_gfp()` returns blocks that
//   stay valid until `free()` or `realloc()` is called on them.
// - `realloc` accepts any block it returned, whichever backend it came from.
// - The guarantees of `Allocator::realloc` hold: `malloc_realloc_gfp()` returns blocks of at
//   least the requested size aligned to the requested alignment, keeps the contents up to the
//   smaller size, and leaves the block intact when it fails. `Flags` are honoured as the
//   `# Guarantees` of `Malloc` document: an upper bound the context may narrow.
unsafe impl Allocator for Malloc {
    /// The alignment of every block, `MALLOC_MIN_ALIGN` (`ARCH_KMALLOC_MINALIGN`): what C's
    /// `malloc()` and `realloc()` guarantee.
    const MIN_ALIGN: usize = bindings::MALLOC_MIN_ALIGN;

    #[inline]
    unsafe fn realloc(
        ptr: Option<NonNull<u8>>,
        layout: Layout,
        old_layout: Layout,
        flags: Flags,
        nid: NumaNode,
    ) -> Result<NonNull<[u8]>, AllocError> {
        // A zero-sized `old_layout` means `ptr` is dangling, not a block.
        let old = match ptr {
            Some(p) if old_layout.size() != 0 => p.as_ptr(),
            _ => ptr::null_mut(),
        };

        if layout.size() == 0 {
            if !old.is_null() {
                // SAFETY: `old` is a live block from this allocator by the safety requirements
                // of this function, and is not used again.
                unsafe { bindings::malloc_free(old.cast()) };
            }
            return Ok(NonNull::slice_from_raw_parts(
                super::dangling_from_layout(layout),
                0,
            ));
        }

        // SAFETY: `old` is NULL or a live block from this allocator of `old_layout.size()`
        // bytes, by the safety requirements of this function. `malloc_realloc_gfp()` takes any
        // size and alignment, and since `layout.size()` is not zero here, it returns either a
        // block of that size and alignment, or NULL on failure (never `ZERO_SIZE_PTR`), with
        // `old` then left intact.
        let raw = unsafe {
            bindings::malloc_realloc_gfp(
                old.cast(),
                old_layout.size(),
                layout.size(),
                layout.align(),
                flags.as_raw(),
                nid.0,
            )
        };
        let block = NonNull::new(raw.cast::<u8>()).ok_or(AllocError)?;

        Ok(NonNull::slice_from_raw_parts(block, layout.size()))
    }
}

/// The flags for [`GlobalAlloc`] and the `std::alloc`-like functions, which take none: all the
/// context allows.
const CONTEXT: Flags = GFP_KERNEL;

// SAFETY: `alloc`, `alloc_zeroed` and `realloc` return blocks that fit the layout or null, and
// `dealloc` frees blocks they returned, all through `Allocator` for `Malloc`, whose guarantees
// cover the contract of `GlobalAlloc`. The callers' obligations (non-zero sizes, matching
// layouts) are those of `Allocator`'s or stricter.
unsafe impl GlobalAlloc for Malloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        <Self as Allocator>::alloc(layout, CONTEXT, NumaNode::NO_NODE)
            .map_or(ptr::null_mut(), |p| p.cast::<u8>().as_ptr())
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        <Self as Allocator>::alloc(layout, CONTEXT | __GFP_ZERO, NumaNode::NO_NODE)
            .map_or(ptr::null_mut(), |p| p.cast::<u8>().as_ptr())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if let Some(p) = NonNull::new(ptr) {
            // SAFETY: By the contract of `GlobalAlloc::dealloc`, `ptr` was allocated by this
            // allocator with `layout`.
            unsafe { <Self as Allocator>::free(p, layout) };
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return ptr::null_mut();
        };
        // SAFETY: By the contract of `GlobalAlloc::realloc`, `ptr` was allocated by this
        // allocator with `layout`.
        unsafe {
            <Self as Allocator>::realloc(
                NonNull::new(ptr),
                new_layout,
                layout,
                CONTEXT,
                NumaNode::NO_NODE,
            )
        }
        .map_or(ptr::null_mut(), |p| p.cast::<u8>().as_ptr())
    }
}

/// Allocates memory as described by `layout`, like `std::alloc::alloc`.
///
/// Returns null on failure. The memory is not initialized.
///
/// # Safety
///
/// `layout` must have a non-zero size, as for `std::alloc::alloc`.
///
/// # Examples
///
/// ```
/// use kernel::alloc::{alloc, alloc_zeroed, dealloc, realloc};
/// use core::alloc::Layout;
///
/// let layout = Layout::array::<u32>(4096).map_err(|_| EINVAL)?;
/// // SAFETY: `layout` has a non-zero size.
/// let p = unsafe { alloc_zeroed(layout) }.cast::<u32>();
/// assert!(!p.is_null());
/// // SAFETY: `p` points to 4096 zeroed `u32`s.
/// let s = unsafe { core::slice::from_raw_parts_mut(p, 4096) };
/// assert!(s.iter().all(|x| *x == 0));
/// s[4095] = 7;
///
/// // SAFETY: `p` was allocated with `layout`; the new size is non-zero and fits `isize`.
/// let q = unsafe { realloc(p.cast(), layout, 1 << 20) }.cast::<u32>();
/// assert!(!q.is_null());
/// // SAFETY: The first 16 KiB were kept.
/// assert_eq!(unsafe { *q.add(4095) }, 7);
/// let new_layout = Layout::from_size_align(1 << 20, layout.align()).map_err(|_| EINVAL)?;
/// // SAFETY: `q` was allocated with `new_layout`.
/// unsafe { dealloc(q.cast(), new_layout) };
///
/// // SAFETY: `layout` has a non-zero size.
/// let a = unsafe { alloc(layout) };
/// assert!(!a.is_null());
/// // SAFETY: `a` was allocated with `layout`.
/// unsafe { dealloc(a, layout) };
/// # Ok::<(), Error>(())
/// ```
pub unsafe fn alloc(layout: Layout) -> *mut u8 {
    // SAFETY: The caller upholds the requirements of `GlobalAlloc::alloc`.
    unsafe { GlobalAlloc::alloc(&Malloc, layout) }
}

/// Allocates zeroed memory as described by `layout`, like `std::alloc::alloc_zeroed`.
///
/// Returns null on failure.
///
/// # Safety
///
/// `layout` must have a non-zero size, as for `std::alloc::alloc_zeroed`.
pub unsafe fn alloc_zeroed(layout: Layout) -> *mut u8 {
    // SAFETY: The caller upholds the requirements of `GlobalAlloc::alloc_zeroed`.
    unsafe { GlobalAlloc::alloc_zeroed(&Malloc, layout) }
}

/// Frees memory from [`alloc`], [`alloc_zeroed`] or [`realloc`], like `std::alloc::dealloc`.
///
/// # Safety
///
/// As for `std::alloc::dealloc`: `ptr` must denote a block currently allocated by one of those
/// functions, and `layout` must be the layout that block was allocated with.
pub unsafe fn dealloc(ptr: *mut u8, layout: Layout) {
    // SAFETY: The caller upholds the requirements of `GlobalAlloc::dealloc`.
    unsafe { GlobalAlloc::dealloc(&Malloc, ptr, layout) }
}

/// Changes the size of memory from [`alloc`], [`alloc_zeroed`] or [`realloc`] to `new_size`,
/// like `std::alloc::realloc`.
///
/// Returns null on failure, and the block at `ptr` is then unchanged and still owned by the
/// caller.
///
/// # Safety
///
/// As for `std::alloc::realloc`: `ptr` must denote a block currently allocated by one of those
/// functions, `layout` must be the layout that block was allocated with, `new_size` must be
/// greater than zero, and `new_size`, rounded up to `layout.align()`, must not exceed
/// `isize::MAX`.
pub unsafe fn realloc(ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
    // SAFETY: The caller upholds the requirements of `GlobalAlloc::realloc`.
    unsafe { GlobalAlloc::realloc(&Malloc, ptr, layout, new_size) }
}

// SPDX-License-Identifier: GPL-2.0

//! The `malloc()` family as a Rust allocator.
//!
//! [`Malloc`] allocates through the same C entry points as `malloc()`, `realloc()` and `free()`
//! in `include/linux/malloc.h`: sizes up to `MALLOC_KMALLOC_MAX` come from `kmalloc()`, larger
//! ones from `vmalloc()` unless `kmalloc()` takes the same pages, and the GFP flags follow from
//! the calling context. [`Flags`] passed to [`Allocator`] functions can only narrow what the
//! context allows: `GFP_KERNEL` while a [`SpinLock`](crate::sync::SpinLock) guard is held does
//! not sleep. `__GFP_ZERO`, `__GFP_NOWARN` and `__GFP_HIGH` are honoured.
//!
//! [`Malloc`] also implements [`GlobalAlloc`], and [`alloc`], [`alloc_zeroed`], [`dealloc`] and
//! [`realloc`] mirror the functions of `std::alloc` for code ported from user space. They take
//! no flags: they allocate with whatever the calling context allows.
//!
//! Reference: <https://docs.kernel.org/core-api/malloc.html>
//!
//! # Examples
//!
//! ```
//! use kernel::alloc::{allocator::Malloc, Allocator, MBox, MVec};
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
//! // Grow a block into vmalloc() and shrink it back; the contents are kept.
//! let small = Layout::array::<u8>(64).map_err(|_| EINVAL)?;
//! let large = Layout::array::<u8>(Malloc::KMALLOC_MAX * 5).map_err(|_| EINVAL)?;
//! let p = Malloc::alloc(small, GFP_KERNEL)?.cast::<u8>();
//! // SAFETY: `p` is valid for 64 bytes.
//! unsafe { ptr::write_bytes(p.as_ptr(), 0xa5, 64) };
//! // SAFETY: `p` was allocated by `Malloc` with `small`.
//! let q = unsafe { Malloc::realloc(Some(p), large, small, GFP_KERNEL)? }.cast::<u8>();
//! // SAFETY: `q` is valid for `large.size()` bytes, the first 64 kept from `p`.
//! unsafe { ptr::write_bytes(q.as_ptr().add(64), 0x3c, large.size() - 64) };
//! // SAFETY: `q` was allocated by `Malloc` with `large`.
//! let r = unsafe { Malloc::realloc(Some(q), small, large, GFP_KERNEL)? }.cast::<u8>();
//! // SAFETY: `r` is valid for 64 bytes.
//! assert!(unsafe { slice::from_raw_parts(r.as_ptr(), 64) }.iter().all(|b| *b == 0xa5));
//! // SAFETY: `r` was allocated by `Malloc` with `small`.
//! unsafe { Malloc::free(r, small) };
//!
//! // `__GFP_ZERO` is honoured by both backends.
//! for size in [100, Malloc::KMALLOC_MAX + 1] {
//!     let layout = Layout::array::<u8>(size).map_err(|_| EINVAL)?;
//!     let z = Malloc::alloc(layout, GFP_KERNEL | __GFP_ZERO)?.cast::<u8>();
//!     // SAFETY: `z` is valid for `size` bytes.
//!     assert!(unsafe { slice::from_raw_parts(z.as_ptr(), size) }.iter().all(|b| *b == 0));
//!     // SAFETY: `z` was allocated by `Malloc` with `layout`.
//!     unsafe { Malloc::free(z, layout) };
//! }
//!
//! // Zero-sized layouts never reach C.
//! let layout = Layout::new::<()>();
//! let p = Malloc::alloc(layout, GFP_KERNEL)?;
//! assert_eq!(p.len(), 0);
//! // SAFETY: `p` was allocated by `Malloc` with `layout`.
//! unsafe { Malloc::free(p.cast(), layout) };
//! # Ok::<(), Error>(())
//! ```

use super::{flags::*, AllocError, Allocator, Flags};
use crate::bindings;
use core::alloc::{GlobalAlloc, Layout};
use core::ptr::{self, NonNull};

/// The `malloc()` family's allocator.
///
/// A zero-sized type: every [`Allocator`] and [`GlobalAlloc`] function calls into the C
/// functions behind `malloc()`, `realloc()` and `free()`, so that Rust and C code share one
/// policy for backends, flags and corner cases. A `#[global_allocator]` can name it.
///
/// # Guarantees
///
/// - Blocks are aligned to their [`Layout`]'s alignment, for every power of two up to
///   `MALLOC_MAX_ALIGN` (`PAGE_SIZE << MAX_PAGE_ORDER`); larger alignments fail with
///   [`AllocError`].
/// - The GFP flags used are those the calling context allows, narrowed by the [`Flags`] passed:
///   never more permissive than the context. In NMI context, and on `PREEMPT_RT` where
///   preemption or interrupts are disabled, every allocation fails.
/// - A failed reallocation leaves the old block valid and unchanged.
///
/// # Examples
///
/// Under a spinlock the allocator never sleeps, whatever the flags say; sizes that only
/// `vmalloc()` could serve fail instead:
///
/// ```
/// use kernel::alloc::MVec;
/// use kernel::new_spinlock;
///
/// let lock = KBox::pin_init(new_spinlock!(0_u32), GFP_KERNEL)?;
/// let guard = lock.lock();
/// let mut v = MVec::<u8>::with_capacity(4096, GFP_KERNEL)?;
/// v.push(1, GFP_KERNEL)?;
/// assert!(MVec::<u8>::with_capacity(1 << 20, GFP_KERNEL).is_err());
/// drop(guard);
/// drop(v);
///
/// // In task context the same request succeeds.
/// let big = MVec::<u8>::with_capacity(1 << 20, GFP_KERNEL)?;
/// assert!(big.capacity() >= 1 << 20);
/// # Ok::<(), Error>(())
/// ```
///
/// Every alignment up to `MALLOC_MAX_ALIGN`, including beyond `PAGE_SIZE`:
///
/// ```
/// use kernel::alloc::{allocator::Malloc, Allocator};
/// use core::alloc::Layout;
///
/// let max = Malloc::MAX_ALIGN;
/// let mut align = 1;
/// while align <= max {
///     for size in [1, align, align + 1, 9000] {
///         let layout = Layout::from_size_align(size, align).map_err(|_| EINVAL)?;
///         let p = Malloc::alloc(layout, GFP_KERNEL)?;
///         assert_eq!(p.cast::<u8>().as_ptr() as usize % align, 0);
///         // Moving keeps the alignment.
///         let bigger = Layout::from_size_align(size * 3, align).map_err(|_| EINVAL)?;
///         // SAFETY: `p` was allocated by `Malloc` with `layout`.
///         let q = unsafe { Malloc::realloc(Some(p.cast()), bigger, layout, GFP_KERNEL)? };
///         assert_eq!(q.cast::<u8>().as_ptr() as usize % align, 0);
///         // SAFETY: `q` was allocated by `Malloc` with `bigger`.
///         unsafe { Malloc::free(q.cast(), bigger) };
///     }
///     align <<= 1;
/// }
/// let too_much = Layout::from_size_align(64, max * 2).map_err(|_| EINVAL)?;
/// assert!(Malloc::alloc(too_much, GFP_KERNEL).is_err());
/// # Ok::<(), Error>(())
/// ```
///
/// A failed reallocation leaves the block intact:
///
/// ```
/// use kernel::alloc::{allocator::Malloc, Allocator};
/// use core::{alloc::Layout, ptr};
///
/// for size in [100, 100_000] {
///     let layout = Layout::array::<u8>(size).map_err(|_| EINVAL)?;
///     let p = Malloc::alloc(layout, GFP_KERNEL)?.cast::<u8>();
///     // SAFETY: `p` is valid for `size` bytes.
///     unsafe { ptr::write_bytes(p.as_ptr(), 0x5a, size) };
///     // More than any machine has.
///     let huge = Layout::array::<u8>(isize::MAX as usize / 2).map_err(|_| EINVAL)?;
///     // SAFETY: `p` was allocated by `Malloc` with `layout`.
///     assert!(unsafe { Malloc::realloc(Some(p), huge, layout, GFP_KERNEL) }.is_err());
///     // SAFETY: `p` is still valid for `size` bytes.
///     let s = unsafe { core::slice::from_raw_parts(p.as_ptr(), size) };
///     assert!(s.iter().all(|b| *b == 0x5a));
///     // SAFETY: `p` was allocated by `Malloc` with `layout`.
///     unsafe { Malloc::free(p, layout) };
/// }
/// # Ok::<(), Error>(())
/// ```
pub struct Malloc;

impl Malloc {
    /// The largest alignment [`Malloc`] supports, `MALLOC_MAX_ALIGN` (`PAGE_SIZE <<
    /// MAX_PAGE_ORDER`).
    pub const MAX_ALIGN: usize = bindings::MALLOC_MAX_ALIGN;

    /// Where the caller may sleep, sizes up to this come from `kmalloc()` and larger ones from
    /// `vmalloc()` (`MALLOC_KMALLOC_MAX`).
    pub const KMALLOC_MAX: usize = bindings::MALLOC_KMALLOC_MAX as usize;
}

// SAFETY:
// - Blocks stay valid until `realloc` frees them: the C functions behind `malloc()` and
//   `realloc()` return blocks that stay valid until `free()` or `realloc()` is called on them.
// - `realloc` accepts any block it returned, whichever backend it came from.
// - The guarantees of `Allocator::realloc` hold: `malloc_realloc_gfp()` returns blocks of at
//   least the requested size aligned to the requested alignment, keeps the contents up to the
//   smaller size, and leaves the block intact when it fails.
unsafe impl Allocator for Malloc {
    #[inline]
    unsafe fn realloc(
        ptr: Option<NonNull<u8>>,
        layout: Layout,
        old_layout: Layout,
        flags: Flags,
    ) -> Result<NonNull<[u8]>, AllocError> {
        // A zero-sized `old_layout` means `ptr` is dangling, not a block.
        let old = match ptr {
            Some(p) if old_layout.size() != 0 => p.as_ptr(),
            _ => ptr::null_mut(),
        };

        if layout.size() == 0 {
            if !old.is_null() {
                // SAFETY: `old` is a block from this allocator by the safety requirements.
                unsafe { bindings::malloc_free(old.cast()) };
            }
            return Ok(NonNull::slice_from_raw_parts(
                super::dangling_from_layout(layout),
                0,
            ));
        }

        // SAFETY: `old` is NULL or a block from this allocator of `old_layout.size()` bytes;
        // `malloc_realloc_gfp()` takes any alignment and returns NULL for those it does not
        // support.
        let raw = unsafe {
            bindings::malloc_realloc_gfp(
                old.cast(),
                old_layout.size(),
                layout.size(),
                layout.align(),
                flags.as_raw(),
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
// cover the contract of `GlobalAlloc`.
unsafe impl GlobalAlloc for Malloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        <Self as Allocator>::alloc(layout, CONTEXT)
            .map_or(ptr::null_mut(), |p| p.cast::<u8>().as_ptr())
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        <Self as Allocator>::alloc(layout, CONTEXT | __GFP_ZERO)
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
        unsafe { <Self as Allocator>::realloc(NonNull::new(ptr), new_layout, layout, CONTEXT) }
            .map_or(ptr::null_mut(), |p| p.cast::<u8>().as_ptr())
    }
}

/// Allocates memory as described by `layout`, like `std::alloc::alloc`.
///
/// Returns null on failure. A zero-sized `layout` gets a dangling, aligned pointer and no block.
///
/// # Safety
///
/// The memory is not initialized; the caller must write it before reading it, and must pass the
/// pointer to [`dealloc`] or [`realloc`] with the same `layout` at most once.
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
/// // SAFETY: `p` was allocated with `layout`.
/// let q = unsafe { realloc(p.cast(), layout, 1 << 20) }.cast::<u32>();
/// assert!(!q.is_null());
/// // SAFETY: The first 16 KiB were kept.
/// assert_eq!(unsafe { *q.add(4095) }, 7);
/// let new_layout = Layout::from_size_align(1 << 20, layout.align()).map_err(|_| EINVAL)?;
/// // SAFETY: `q` was allocated with `new_layout`.
/// unsafe { dealloc(q.cast(), new_layout) };
///
/// // SAFETY: `alloc` accepts any layout.
/// let z = unsafe { alloc(Layout::new::<()>()) };
/// assert_eq!(z as usize, 1);
/// // SAFETY: `z` came from `alloc` with this layout.
/// unsafe { dealloc(z, Layout::new::<()>()) };
/// # Ok::<(), Error>(())
/// ```
pub unsafe fn alloc(layout: Layout) -> *mut u8 {
    // SAFETY: The caller upholds the requirements of `GlobalAlloc::alloc`.
    unsafe { GlobalAlloc::alloc(&Malloc, layout) }
}

/// Allocates zeroed memory as described by `layout`, like `std::alloc::alloc_zeroed`.
///
/// # Safety
///
/// As for [`alloc`], except that the memory is initialized to zero.
pub unsafe fn alloc_zeroed(layout: Layout) -> *mut u8 {
    // SAFETY: The caller upholds the requirements of `GlobalAlloc::alloc_zeroed`.
    unsafe { GlobalAlloc::alloc_zeroed(&Malloc, layout) }
}

/// Frees memory from [`alloc`], [`alloc_zeroed`] or [`realloc`], like `std::alloc::dealloc`.
///
/// # Safety
///
/// `ptr` must have been returned by one of those functions with `layout`, and not been freed.
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
/// `ptr` must have been returned by one of those functions with `layout`, and not been freed;
/// `new_size`, rounded up to `layout.align()`, must not exceed `isize::MAX`.
pub unsafe fn realloc(ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
    // SAFETY: The caller upholds the requirements of `GlobalAlloc::realloc`.
    unsafe { GlobalAlloc::realloc(&Malloc, ptr, layout, new_size) }
}

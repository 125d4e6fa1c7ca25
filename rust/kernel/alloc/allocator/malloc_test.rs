// SPDX-License-Identifier: GPL-2.0

//! KUnit tests of [`Malloc`](super::Malloc).
//!
//! They run with `CONFIG_MALLOC_KUNIT_TEST`, beside the C family's suite, and use its test hooks:
//! the count of bad pointers refused and the caller named in the last report.

#[macros::kunit_tests(rust_malloc)]
mod tests {
    use crate::alloc::allocator::{KVmalloc, Kmalloc, Malloc};
    use crate::alloc::{flags::*, Allocator, KBox, KVVec, KVec, MBox, MVec, NumaNode};
    use crate::{bindings, new_spinlock, prelude::*};
    use core::alloc::{self as core_alloc, Layout};
    use core::mem::{align_of, size_of};
    use core::ptr::{self, NonNull};

    /// The kernel log from the point [`Log::new`] was called.
    struct Log(bindings::kmsg_dump_iter);

    impl Log {
        /// Starts at the end of the kernel log.
        fn new() -> Self {
            let mut log = Log(bindings::kmsg_dump_iter::default());
            // SAFETY: `log.0` is a valid iterator to set up.
            unsafe { bindings::kmsg_dump_rewind(&mut log.0) };
            log.has(b"");
            log
        }

        /// Reads what was logged since the last call; returns whether a line contains `needle`.
        fn has(&mut self, needle: &[u8]) -> bool {
            let mut line = [0u8; 512];
            let mut found = false;
            loop {
                let mut len = 0;
                // SAFETY: `self.0` was set up by `kmsg_dump_rewind()`, and `line` is valid for
                // writes of `line.len()` bytes.
                let more = unsafe {
                    bindings::kmsg_dump_get_line(
                        &mut self.0,
                        false,
                        line.as_mut_ptr().cast(),
                        line.len(),
                        &mut len,
                    )
                };
                if !more {
                    return found;
                }
                let text = &line[..len.min(line.len())];
                found |= needle.is_empty() || text.windows(needle.len()).any(|w| w == needle);
            }
        }
    }

    /// Sleeps for a second and a bit: `__might_resched()` reports at most once a second.
    fn past_ratelimit() {
        // SAFETY: The tests run in task context.
        unsafe { bindings::msleep(1100) };
    }

    fn is_vmalloc<T>(p: *const T) -> bool {
        // SAFETY: `is_vmalloc_addr()` only looks at the address.
        unsafe { bindings::is_vmalloc_addr(p.cast()) }
    }

    /// The pointers the C family has refused so far.
    fn bad_pointers() -> i64 {
        // SAFETY: The counter is only ever changed atomically; this reads it once.
        unsafe { ptr::read_volatile(&raw const bindings::malloc_bad_pointers.counter) }
    }

    const SLEEP_BUG: &[u8] = b"BUG: sleeping function called from invalid context";

    /// The flags given to `Malloc`'s `Allocator` functions are the caller's, as for `Kmalloc`:
    /// `GFP_KERNEL` under a spinlock is reported. The interfaces without flags infer them.
    #[test]
    fn gfp_kernel_under_spinlock_is_reported() -> Result {
        // `might_sleep()` reports only with `CONFIG_DEBUG_ATOMIC_SLEEP`, which the suite's
        // configuration, mm/.kunitconfig, has.
        assert!(cfg!(CONFIG_DEBUG_ATOMIC_SLEEP));
        let lock = KBox::pin_init(new_spinlock!(()), GFP_KERNEL)?;
        let layout = Layout::new::<[u64; 8]>();
        let mut log = Log::new();

        past_ratelimit();
        {
            let _guard = lock.lock();
            // SAFETY: `layout` has a non-zero size.
            let p = unsafe { core_alloc::GlobalAlloc::alloc(&Malloc, layout) };
            assert!(!p.is_null());
            // SAFETY: `p` was allocated by `Malloc` with `layout`.
            unsafe { core_alloc::GlobalAlloc::dealloc(&Malloc, p, layout) };
            // Large sizes too: `vmalloc()` without sleeping, as a spinlock leaves interrupts on.
            let big = Layout::array::<u8>(Malloc::KMALLOC_MAX_SIZE + 1).map_err(|_| EINVAL)?;
            // SAFETY: `big` has a non-zero size.
            let p = unsafe { core_alloc::GlobalAlloc::alloc(&Malloc, big) };
            assert!(is_vmalloc(p));
            // SAFETY: `p` was allocated by `Malloc` with `big`.
            unsafe { core_alloc::GlobalAlloc::dealloc(&Malloc, p, big) };
            let v = MVec::<u64>::with_capacity(8, GFP_NOWAIT)?;
            drop(v);
        }
        assert!(!log.has(SLEEP_BUG));

        {
            let _guard = lock.lock();
            let b = MBox::new(1_u64, GFP_KERNEL);
            assert!(b.is_ok());
        }
        assert!(log.has(SLEEP_BUG));

        past_ratelimit();
        {
            let _guard = lock.lock();
            let b = KBox::new(1_u64, GFP_KERNEL);
            assert!(b.is_ok());
        }
        assert!(log.has(SLEEP_BUG));
        Ok(())
    }

    #[repr(C, align(4096))]
    struct Page([u8; 4096]);

    /// Allocates `n` `T`s with `Malloc` and `KVmalloc`: the alignment is `T`'s, the backend is
    /// `vmalloc()` exactly above `KMALLOC_MAX_SIZE`, as for `KVmalloc`, and a `kmalloc()` block
    /// is as large as `KVmalloc`'s (the layout is padded, not rounded to a power of two). The
    /// block then grows across the `vmalloc()` boundary and back, keeping the alignment and the
    /// contents.
    fn check_layout<T>(n: usize) -> Result {
        let bytes = n * size_of::<T>();
        let m = MVec::<T>::with_capacity(n, GFP_KERNEL)?;
        let kv = KVVec::<T>::with_capacity(n, GFP_KERNEL)?;
        let p = m.as_ptr();

        let ksize = |p: *const T| {
            // SAFETY: `p` is a live `kmalloc()` block where `ksize()` is called.
            (!is_vmalloc(p)).then(|| unsafe { bindings::ksize(p.cast()) })
        };
        let (ms, ks) = (ksize(p), ksize(kv.as_ptr()));
        pr_info!(
            "{} x {} bytes: kmalloc() size {:?}, KVmalloc's {:?}\n",
            n,
            size_of::<T>(),
            ms,
            ks
        );

        assert_eq!(p as usize % align_of::<T>(), 0);
        assert_eq!(is_vmalloc(p), bytes > Malloc::KMALLOC_MAX_SIZE);
        assert_eq!(ms, ks);

        let layout = Layout::array::<T>(n).map_err(|_| EINVAL)?;
        let big = Layout::array::<T>(Malloc::KMALLOC_MAX_SIZE / size_of::<T>() + 1)
            .map_err(|_| EINVAL)?;
        let node = NumaNode::new(0)?;
        let p = Malloc::alloc(layout, GFP_KERNEL, node)?.cast::<u8>();
        // SAFETY: `p` is valid for `bytes` bytes.
        unsafe { p.as_ptr().write_bytes(0x3c, bytes) };
        // SAFETY: `p` was allocated by `Malloc` with `layout`.
        let q = unsafe { Malloc::realloc(Some(p), big, layout, GFP_KERNEL, node)? }.cast::<u8>();
        assert_eq!(q.as_ptr() as usize % align_of::<T>(), 0);
        assert!(is_vmalloc(q.as_ptr()));
        // SAFETY: `q` was allocated by `Malloc` with `big`.
        let r = unsafe { Malloc::realloc(Some(q), layout, big, GFP_KERNEL, node)? }.cast::<u8>();
        assert_eq!(r.as_ptr() as usize % align_of::<T>(), 0);
        // SAFETY: `r` is valid for `bytes` bytes, kept from `p`.
        let s = unsafe { core::slice::from_raw_parts(r.as_ptr(), bytes) };
        assert!(s.iter().all(|b| *b == 0x3c));
        // SAFETY: `r` was allocated by `Malloc` with `layout`.
        unsafe { Malloc::free(r, layout) };
        Ok(())
    }

    /// `check_layout()` at a few small sizes and on both sides of each boundary: the largest
    /// `kmalloc()` cache and `KMALLOC_MAX_SIZE`.
    fn check_layouts<T>() -> Result {
        let t = size_of::<T>();
        for bytes in [t, 3 * t, 5 * t] {
            check_layout::<T>(bytes / t)?;
        }
        for boundary in [
            bindings::KMALLOC_MAX_CACHE_SIZE as usize,
            Malloc::KMALLOC_MAX_SIZE,
        ] {
            for bytes in [boundary - t, boundary, boundary + t] {
                check_layout::<T>(bytes / t)?;
            }
        }
        Ok(())
    }

    #[test]
    fn layouts_like_kvmalloc() -> Result {
        check_layouts::<u8>()?;
        check_layouts::<u64>()?;
        check_layouts::<u128>()?;
        check_layouts::<Page>()
    }

    /// Every alignment up to `MAX_ALIGN` is honoured, as far as 16 MiB of blocks reach; larger
    /// ones fail, except for a zero size, which never reaches C.
    #[test]
    fn alignments() -> Result {
        let mut align = 1;
        while align <= Malloc::MAX_ALIGN.min(16 << 20) {
            for size in [1, align, align + 1] {
                let layout = Layout::from_size_align(size, align).map_err(|_| EINVAL)?;
                let p = Malloc::alloc(layout, GFP_KERNEL, NumaNode::NO_NODE)?;
                assert_eq!(p.cast::<u8>().as_ptr() as usize % align, 0);
                // SAFETY: `p` was allocated by `Malloc` with `layout`.
                unsafe { Malloc::free(p.cast(), layout) };
            }
            align <<= 1;
        }
        let too_much = Layout::from_size_align(64, Malloc::MAX_ALIGN * 2).map_err(|_| EINVAL)?;
        assert!(Malloc::alloc(too_much, GFP_KERNEL, NumaNode::NO_NODE).is_err());
        let zero = Layout::from_size_align(0, Malloc::MAX_ALIGN * 2).map_err(|_| EINVAL)?;
        let p = Malloc::alloc(zero, GFP_KERNEL, NumaNode::NO_NODE)?;
        assert_eq!(p.cast::<u8>().as_ptr() as usize, zero.align());
        // SAFETY: `p` was allocated by `Malloc` with `zero`.
        unsafe { Malloc::free(p.cast(), zero) };
        Ok(())
    }

    /// `GlobalAlloc`, called directly. `core` makes a zero size the caller's error (undefined
    /// behaviour); `Malloc` answers it as a failure, with null, and leaves a block intact.
    #[test]
    fn global_alloc() -> Result {
        use core_alloc::GlobalAlloc;
        let m = &Malloc;
        let layout = Layout::array::<u32>(1000).map_err(|_| EINVAL)?;

        // SAFETY: `layout` has a non-zero size.
        let p = unsafe { m.alloc_zeroed(layout) }.cast::<u32>();
        assert!(!p.is_null());
        assert_eq!(p as usize % align_of::<u32>(), 0);
        // SAFETY: `p` points to 1000 zeroed `u32`s.
        let s = unsafe { core::slice::from_raw_parts_mut(p, 1000) };
        assert!(s.iter().all(|x| *x == 0));
        s[999] = 7;

        // SAFETY: `p` was allocated with `layout`; the new size is non-zero and fits `isize`.
        let q = unsafe { m.realloc(p.cast(), layout, Malloc::KMALLOC_MAX_SIZE + 1) };
        assert!(is_vmalloc(q));
        // SAFETY: The first 4000 bytes were kept.
        assert_eq!(unsafe { *q.cast::<u32>().add(999) }, 7);
        let big = Layout::from_size_align(Malloc::KMALLOC_MAX_SIZE + 1, layout.align())
            .map_err(|_| EINVAL)?;

        // Zero sizes: null, and the block is left alone.
        for align in [1, 16, 4096] {
            let zero = Layout::from_size_align(0, align).map_err(|_| EINVAL)?;
            // SAFETY: None: `core` leaves a zero size undefined, `Malloc` defines it as null.
            assert!(unsafe { m.alloc(zero) }.is_null());
            // SAFETY: As above.
            assert!(unsafe { m.alloc_zeroed(zero) }.is_null());
            // SAFETY: `q` was allocated with `big`; a zero new size is answered with null.
            assert!(unsafe { m.realloc(q, big, 0) }.is_null());
        }
        // SAFETY: `q` is still valid for `big.size()` bytes.
        assert_eq!(unsafe { *q.cast::<u32>().add(999) }, 7);

        // A new size that overflows `isize` once rounded to the alignment fails.
        // SAFETY: `q` was allocated with `big`.
        assert!(unsafe { m.realloc(q, big, isize::MAX as usize) }.is_null());
        // SAFETY: `q` was allocated with `big`.
        unsafe { m.dealloc(q, big) };
        Ok(())
    }

    /// A block from C's `malloc()`, adopted by an `MVec`, resized and freed from Rust; blocks
    /// from Rust freed by C's `free()`. No pointer is refused, where the dangling pointer of
    /// `into_raw_parts()` would be.
    #[test]
    fn blocks_cross_between_c_and_rust() -> Result {
        #[expect(dead_code)]
        #[repr(align(64))]
        struct Line([u8; 64]);

        let bad = bad_pointers();

        // SAFETY: `malloc_test_c_malloc()` is C's `malloc()`, which takes any size.
        let c = unsafe { bindings::malloc_test_c_malloc(16 * size_of::<u64>()) }.cast::<u64>();
        assert!(!c.is_null());
        for i in 0..16 {
            // SAFETY: `c` holds 16 `u64`s.
            unsafe { c.add(i).write(i as u64) };
        }
        // SAFETY: `c` is a block of the family for 16 `u64`s, aligned to `MALLOC_MIN_ALIGN`,
        // which `u64` does not exceed.
        let mut v = unsafe { MVec::from_c_parts(c, 16, 16) };
        v.extend_with(Malloc::KMALLOC_MAX_SIZE / 8, 9, GFP_KERNEL)?;
        assert!(is_vmalloc(v.as_ptr()));
        assert!(v[..16].iter().enumerate().all(|(i, x)| *x == i as u64));
        v.truncate(16);
        v.shrink_to(0, GFP_KERNEL)?;
        assert!(v.iter().enumerate().all(|(i, x)| *x == i as u64));
        drop(v);

        // What C returns for a zero size.
        // SAFETY: As above.
        let z = unsafe { bindings::malloc_test_c_malloc(0) };
        // SAFETY: `z` is `ZERO_SIZE_PTR`, with no elements.
        let e = unsafe { MVec::<u64>::from_c_parts(z.cast(), 0, 0) };
        assert_eq!(e.capacity(), 0);

        // Rust to C.
        let (p, len, cap) = kernel::mvec![1_u64, 2, 3]?.into_c_parts();
        assert!(!p.is_null() && len == 3 && cap == 3);
        // SAFETY: `p` is a block of the family, which C's `free()` takes.
        unsafe { bindings::malloc_free(p.cast()) };
        let n = Malloc::KMALLOC_MAX_SIZE / size_of::<u128>() + 1;
        let (p, _, _) = MVec::<u128>::with_capacity(n, GFP_KERNEL)?.into_c_parts();
        assert!(is_vmalloc(p));
        // SAFETY: As above.
        unsafe { bindings::malloc_free(p.cast()) };
        let (p, _, _) = MVec::<Line>::new().into_c_parts();
        assert!(p.is_null());
        // SAFETY: C's `free()` takes null.
        unsafe { bindings::malloc_free(p.cast()) };
        let (p, len, cap) = kernel::mvec![(); 3]?.into_c_parts();
        assert!(p.is_null() && len == 3);
        // SAFETY: The parts are those of an `MVec<()>`.
        let back = unsafe { MVec::<()>::from_c_parts(p, len, cap) };
        assert_eq!(back.len(), 3);
        // SAFETY: C's `free()` takes null.
        unsafe { bindings::malloc_free(p.cast()) };
        assert_eq!(bad_pointers(), bad);

        // What `into_c_parts()` avoids: the dangling pointer of an empty vector, which C's
        // `free()` refuses.
        let (p, _, _) = MVec::<Line>::new().into_raw_parts();
        // SAFETY: C's `free()` takes any pointer, and refuses those that are not its blocks.
        unsafe { bindings::malloc_free(p.cast()) };
        assert_eq!(bad_pointers(), bad + 1);
        Ok(())
    }

    /// Frees a pointer into a block, which C refuses, naming the caller. `Malloc`'s functions
    /// are inline, so that is this function, not a shim of `Malloc`'s. (Were the free a tail
    /// call, it would be this function's caller.)
    #[inline(never)]
    fn free_inside_block(p: NonNull<u8>, layout: Layout) {
        // SAFETY: None: `p` is inside a block, not where it starts, which C's `free()` refuses
        // without touching the block.
        unsafe { Malloc::free(p, layout) };
        core::hint::black_box(p);
    }

    /// As `free_inside_block()`, with a reallocation, which fails.
    #[inline(never)]
    fn realloc_inside_block(p: NonNull<u8>, layout: Layout) -> bool {
        let bigger = Layout::new::<[u64; 64]>();
        // SAFETY: None: as in `free_inside_block()`; C's `realloc()` refuses `p` and fails.
        let r = unsafe { Malloc::realloc(Some(p), bigger, layout, GFP_KERNEL, NumaNode::NO_NODE) };
        core::hint::black_box(r.is_err())
    }

    /// The function C's last bad-pointer report named.
    fn reported_caller() -> Result<KVec<u8>> {
        let mut name = KVec::<u8>::from_elem(0, 1024, GFP_KERNEL)?;
        // SAFETY: The caller is only written by C's reports, and read once here.
        let caller = unsafe { ptr::read_volatile(&raw const bindings::malloc_bad_caller) };
        // SAFETY: `name` is larger than `KSYM_SYMBOL_LEN`.
        let len = unsafe {
            bindings::sprint_symbol_no_offset(
                name.as_mut_ptr().cast(),
                caller as crate::ffi::c_ulong,
            )
        };
        name.truncate(len as usize);
        pr_info!(
            "bad pointer reported from {}\n",
            crate::str::BStr::from_bytes(&name)
        );
        Ok(name)
    }

    /// Whether `name` is `function`'s, or, where the C helper is inlined into Rust and its
    /// return address is one frame up, that of a function of this module.
    fn names(name: &[u8], function: &[u8]) -> bool {
        let expected = if cfg!(CONFIG_RUST_INLINE_HELPERS) {
            b"malloc_test5tests"
        } else {
            function
        };
        name.windows(expected.len()).any(|w| w == expected)
    }

    #[test]
    fn bad_pointer_report_names_the_rust_caller() -> Result {
        let layout = Layout::new::<[u64; 8]>();
        let p = Malloc::alloc(layout, GFP_KERNEL, NumaNode::NO_NODE)?.cast::<u8>();
        let bad = bad_pointers();
        // SAFETY: The offset is within the block.
        let inside = unsafe { p.add(8) };

        free_inside_block(inside, layout);
        assert_eq!(bad_pointers(), bad + 1);
        assert!(names(&reported_caller()?, b"free_inside_block"));

        assert!(realloc_inside_block(inside, layout));
        assert_eq!(bad_pointers(), bad + 2);
        assert!(names(&reported_caller()?, b"realloc_inside_block"));

        // SAFETY: `p` was allocated by `Malloc` with `layout`.
        unsafe { Malloc::free(p, layout) };
        Ok(())
    }

    /// Allocation profiling charges a Rust allocation to the C helper's line, which
    /// `/proc/allocinfo` shows as `rust/helpers/malloc.c:<line>
    /// func:rust_helper_malloc_realloc_node_align`: Rust has no code tags. `Kmalloc`'s and
    /// `KVmalloc`'s allocations are charged to their helpers' lines likewise. This reads the tag
    /// of the first page of page-backed blocks, the tag `/proc/allocinfo` prints.
    #[cfg(CONFIG_MEM_ALLOC_PROFILING)]
    #[test]
    fn allocation_profiling_names_the_helper() -> Result {
        let tag = |p: *const u8| -> Option<(&'static [u8], u32, &'static [u8])> {
            // SAFETY: `p` is a live page-backed block.
            let ct = unsafe { bindings::malloc_test_page_tag(p.cast()) };
            if ct.is_null() {
                return None;
            }
            // SAFETY: A code tag and its strings are static.
            let (file, line, func) = unsafe {
                (
                    CStr::from_char_ptr((*ct).filename).to_bytes(),
                    (*ct).lineno,
                    CStr::from_char_ptr((*ct).function).to_bytes(),
                )
            };
            pr_info!(
                "{}:{} func:{}\n",
                crate::str::BStr::from_bytes(file),
                line,
                crate::str::BStr::from_bytes(func)
            );
            Some((file, line, func))
        };

        let mut lines = KVec::new();
        for bytes in [3 * crate::page::PAGE_SIZE, Malloc::KMALLOC_MAX_SIZE + 1] {
            let v = MVec::<u8>::with_capacity(bytes, GFP_KERNEL)?;
            let (file, line, func) = tag(v.as_ptr()).ok_or(EINVAL)?;
            assert!(file.ends_with(b"rust/helpers/malloc.c"));
            assert_eq!(func, b"rust_helper_malloc_realloc_node_align");
            lines.push(line, GFP_KERNEL)?;

            let kv = KVVec::<u8>::with_capacity(bytes, GFP_KERNEL)?;
            let (file, _, _) = tag(kv.as_ptr()).ok_or(EINVAL)?;
            assert!(file.ends_with(b"rust/helpers/slab.c"));
        }
        // One line, whatever the backend.
        assert_eq!(lines[0], lines[1]);
        Ok(())
    }

    /// `Kmalloc` and `KVmalloc` pad layouts the same way.
    #[test]
    fn aligned_layout_is_kmallocs() -> Result {
        for (size, align) in [(1, 1), (80, 16), (100, 64), (4097, 4096), (5, 8192)] {
            let layout = Layout::from_size_align(size, align).map_err(|_| EINVAL)?;
            assert_eq!(
                Malloc::aligned_layout(layout),
                Kmalloc::aligned_layout(layout)
            );
        }
        assert_eq!(Malloc::MIN_ALIGN, KVmalloc::MIN_ALIGN);
        Ok(())
    }
}

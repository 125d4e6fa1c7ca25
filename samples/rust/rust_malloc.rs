// SPDX-License-Identifier: GPL-2.0

//! Rust sample: a misc device that keeps what user space last wrote to it.
//!
//! Each open file has a buffer. A write replaces it with a buffer of the size written, allocated
//! with the `malloc()` family's allocator, [`MVec`], and charged to the writer's memory cgroup
//! (`GFP_KERNEL_ACCOUNT`): small writes get `kmalloc()` memory, large ones `vmalloc()` memory,
//! and the driver does not choose. A read returns what was written.
//!
//! ```sh
//! head -c 100000 /dev/urandom > /tmp/data
//! exec 3<>/dev/rust-malloc
//! cat /tmp/data >&3
//! cmp /tmp/data /proc/self/fd/3
//! ```

use kernel::{
    alloc::MVec,
    fs::{
        File,
        Kiocb, //
    },
    iov::{
        IovIterDest,
        IovIterSource, //
    },
    miscdevice::{
        MiscDevice,
        MiscDeviceOptions,
        MiscDeviceRegistration, //
    },
    new_mutex,
    prelude::*,
    sync::Mutex,
};

module! {
    type: RustMallocModule,
    name: "rust_malloc",
    authors: ["Rust for Linux Contributors"],
    description: "Rust malloc() family sample",
    license: "GPL",
}

/// The largest write the device takes.
const MAX_SIZE: usize = 16 << 20;

#[pin_data]
struct RustMallocModule {
    #[pin]
    _miscdev: MiscDeviceRegistration<RustMalloc>,
}

impl kernel::InPlaceModule for RustMallocModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        let options = MiscDeviceOptions {
            name: c"rust-malloc",
        };

        try_pin_init!(Self {
            _miscdev <- MiscDeviceRegistration::register(options),
        })
    }
}

/// What was last written to an open file.
struct Store {
    data: MVec<u8>,
}

impl Store {
    fn new() -> Self {
        Self { data: MVec::new() }
    }

    /// Replaces the contents with up to `len` bytes that `fill` appends to the empty buffer it
    /// is given, and returns how many it appended. The buffer is allocated for `len` bytes and
    /// charged to the caller's memory cgroup; if `fill` appends fewer, it is shrunk to fit. On
    /// failure the old contents are kept.
    fn replace(
        &mut self,
        len: usize,
        fill: impl FnOnce(&mut MVec<u8>) -> Result<usize>,
    ) -> Result<usize> {
        if len > MAX_SIZE {
            return Err(EFBIG);
        }
        let mut data = MVec::with_capacity(len, GFP_KERNEL_ACCOUNT)?;
        let copied = fill(&mut data)?;
        data.shrink_to(0, GFP_KERNEL_ACCOUNT)?;
        self.data = data;
        Ok(copied)
    }
}

#[pin_data]
struct RustMalloc {
    #[pin]
    store: Mutex<Store>,
}

#[vtable]
impl MiscDevice for RustMalloc {
    type Ptr = Pin<KBox<Self>>;

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<Pin<KBox<Self>>> {
        KBox::try_pin_init(
            try_pin_init!(RustMalloc {
                store <- new_mutex!(Store::new()),
            }),
            GFP_KERNEL,
        )
    }

    fn read_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let me = kiocb.file();
        let store = me.store.lock();

        iov.simple_read_from_buffer(kiocb.ki_pos_mut(), &store.data)
    }

    fn write_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let me = kiocb.file();
        let len = iov.len();
        let copied = me
            .store
            .lock()
            .replace(len, |data| iov.copy_from_iter_vec(data, GFP_KERNEL_ACCOUNT))?;

        // Reads start over from the new contents.
        *kiocb.ki_pos_mut() = 0;
        Ok(copied)
    }
}

#[kunit_tests(rust_malloc_sample)]
mod tests {
    use super::*;
    use kernel::{alloc::allocator::Malloc, bindings};

    fn is_vmalloc(p: *const u8) -> bool {
        // SAFETY: `is_vmalloc_addr()` only looks at the address.
        unsafe { bindings::is_vmalloc_addr(p.cast()) }
    }

    /// Writes of every size get a buffer of that size, from the backend the size calls for.
    #[test]
    fn buffer_follows_writes() -> Result {
        let mut store = Store::new();

        for len in [100, Malloc::KMALLOC_MAX_SIZE + 1, 10, MAX_SIZE, 0] {
            let copied = store.replace(len, |data| {
                data.extend_with(len, 0x5a, GFP_KERNEL)?;
                Ok(len)
            })?;
            assert_eq!(copied, len);
            assert_eq!(store.data.len(), len);
            assert_eq!(store.data.capacity(), len);
            assert!(store.data.iter().all(|b| *b == 0x5a));
            assert_eq!(
                is_vmalloc(store.data.as_ptr()),
                len > Malloc::KMALLOC_MAX_SIZE
            );
        }
        Ok(())
    }

    /// A write that copies less than it announced keeps a buffer of what it copied; one that is
    /// too large or fails keeps the old contents.
    #[test]
    fn short_and_failed_writes() -> Result {
        let mut store = Store::new();

        let copied = store.replace(Malloc::KMALLOC_MAX_SIZE + 1, |data| {
            data.extend_with(600, 1, GFP_KERNEL)?;
            Ok(600)
        })?;
        assert_eq!(copied, 600);
        assert_eq!(store.data.capacity(), 600);
        assert!(!is_vmalloc(store.data.as_ptr()));

        assert_eq!(store.replace(MAX_SIZE + 1, |_| Ok(0)), Err(EFBIG));
        assert_eq!(store.replace(10, |_| Err(EFAULT)), Err(EFAULT));
        assert_eq!(store.data.len(), 600);
        assert!(store.data.iter().all(|b| *b == 1));
        Ok(())
    }
}

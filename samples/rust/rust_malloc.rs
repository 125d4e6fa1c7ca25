// SPDX-License-Identifier: GPL-2.0

//! Rust sample: the `malloc()` family's allocator used as a driver would.

use kernel::alloc::{MBox, MVec};
use kernel::prelude::*;
use kernel::{new_spinlock, sync::SpinLock};

module! {
    type: RustMalloc,
    name: "rust_malloc",
    authors: ["Rust for Linux Contributors"],
    description: "Rust malloc() family sample",
    license: "GPL",
}

struct Event {
    code: u32,
    len: u32,
}

struct RustMalloc {
    log: MVec<u64>,
    config: MBox<[u8; 64]>,
    pending: Pin<KBox<SpinLock<MVec<Event>>>>,
}

impl kernel::Module for RustMalloc {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("Rust malloc() sample (init)\n");

        // Grows from kmalloc() into vmalloc() as it passes 8 KiB.
        let mut log = MVec::new();
        for i in 0..4096_u64 {
            log.push(i * i, GFP_KERNEL)?;
        }
        pr_info!(
            "event log: {} entries in {} bytes\n",
            log.len(),
            log.capacity() * core::mem::size_of::<u64>()
        );

        let config = MBox::new([0x5a_u8; 64], GFP_KERNEL)?;

        // What an interrupt path would do: allocate with the lock held. GFP_KERNEL is narrowed
        // to what the context allows, so this does not sleep.
        let pending = KBox::pin_init(new_spinlock!(MVec::new()), GFP_KERNEL)?;
        {
            let mut queue = pending.lock();
            for code in 0..100 {
                queue.push(Event { code, len: 64 }, GFP_KERNEL)?;
            }
            pr_info!("queued {} events under a spinlock\n", queue.len());
        }

        Ok(RustMalloc {
            log,
            config,
            pending,
        })
    }
}

impl Drop for RustMalloc {
    fn drop(&mut self) {
        let queue = self.pending.lock();
        let bytes: u32 = queue.iter().map(|e| e.len).sum();
        let codes: u32 = queue.iter().map(|e| e.code).sum();
        pr_info!("Rust malloc() sample (exit)\n");
        pr_info!(
            "{} log entries, config[0] = {:#x}, {} queued bytes, code sum {}\n",
            self.log.len(),
            self.config[0],
            bytes,
            codes
        );
    }
}

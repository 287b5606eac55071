//! The kernel process's memory allocator: mimalloc. Before a kernel's first cell, evcxr's
//! rust-analyzer parses every source file the cells depend on, allocating millions of small
//! syntax nodes; with mimalloc instead of glibc's malloc the start is ~1 s shorter
//! (`bench/kernel_latency.py`).
//!
//! The process that runs cells (this binary again, re-executed by evcxr with
//! `EVCXR_IS_RUNTIME` set) keeps the system allocator: every cell's library allocates with its
//! own copy of std's (the system's), and the engine's copies must all share one allocator
//! (see `tessera::runtime`). The choice is made once, at the process's first allocation.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU8, Ordering};

use mimalloc::MiMalloc;

/// mimalloc in the kernel, the system allocator in the cell process (see the module docs).
pub struct KernelAllocator;

const UNDECIDED: u8 = 0;
const MIMALLOC: u8 = 1;
const SYSTEM: u8 = 2;

static CHOICE: AtomicU8 = AtomicU8::new(UNDECIDED);

#[inline]
fn use_mimalloc() -> bool {
    match CHOICE.load(Ordering::Relaxed) {
        MIMALLOC => true,
        SYSTEM => false,
        _ => {
            // SAFETY: getenv reads the environment without allocating. The environment
            // variable is fixed for the process (evcxr sets it when it starts the cell
            // process), so threads deciding at once decide alike.
            let cell_process = unsafe { !libc::getenv(c"EVCXR_IS_RUNTIME".as_ptr()).is_null() };
            CHOICE.store(
                if cell_process { SYSTEM } else { MIMALLOC },
                Ordering::Relaxed,
            );
            !cell_process
        }
    }
}

// SAFETY: each call goes to the allocator chosen once for the process, so every block is
// freed or resized by the allocator that made it; both uphold GlobalAlloc's contract.
unsafe impl GlobalAlloc for KernelAllocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if use_mimalloc() {
            unsafe { MiMalloc.alloc(layout) }
        } else {
            unsafe { System.alloc(layout) }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if use_mimalloc() {
            unsafe { MiMalloc.alloc_zeroed(layout) }
        } else {
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if use_mimalloc() {
            unsafe { MiMalloc.dealloc(ptr, layout) }
        } else {
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if use_mimalloc() {
            unsafe { MiMalloc.realloc(ptr, layout, new_size) }
        } else {
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }
}

//! What the validator's binary tests share: running a child while measuring
//! its peak memory.
//!
//! Peak memory is the child's `VmHWM` (its resident high-water mark), read
//! from `/proc/<pid>/status` every millisecond while it runs: the mark only
//! rises, so any read after the peak sees it.

use std::fs;
use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

/// Waits for `child`, killing it (and failing the test) after `limit`;
/// returns how it exited and its peak resident memory in bytes.
pub fn wait_measuring_peak(mut child: Child, limit: Duration, what: &str) -> (ExitStatus, u64) {
    let status_file = format!("/proc/{}/status", child.id());
    let started = Instant::now();
    let mut peak_kb = 0;
    let status = loop {
        if let Ok(status) = fs::read_to_string(&status_file) {
            peak_kb = peak_kb.max(vm_hwm_kb(&status));
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("{what} ran for more than {} s", limit.as_secs());
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    (status, peak_kb * 1024)
}

/// `VmHWM` of a `/proc/<pid>/status` text, in kB (0 when absent: a zombie).
fn vm_hwm_kb(status: &str) -> u64 {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

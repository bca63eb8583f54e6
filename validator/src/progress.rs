//! The progress bar: on stderr, only when stderr is a terminal, and only
//! once a run has lasted a second (short runs print nothing of the sort).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aperture_events_validator::input::Source;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs `work` while a thread shows the bytes read so far.
pub fn with_progress<T>(
    enabled: bool,
    sources: &[Source],
    bytes: &AtomicU64,
    work: impl FnOnce() -> T,
) -> T {
    if !enabled {
        return work();
    }
    let total: Option<u64> = sources
        .iter()
        .map(|s| match s {
            Source::Stdin => None,
            Source::File(path) => std::fs::metadata(path).ok().map(|m| m.len()),
        })
        .sum();
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let start = Instant::now();
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden());
            let template = if total.is_some() {
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}"
            } else {
                "{spinner} {bytes} {bytes_per_sec}"
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            let mut shown = false;
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                if !shown && start.elapsed() > Duration::from_secs(1) {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    shown = true;
                }
                bar.set_position(bytes.load(Ordering::Relaxed));
            }
            bar.finish_and_clear();
        });
        let result = work();
        done.store(true, Ordering::Relaxed);
        result
    })
}

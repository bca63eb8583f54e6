//! `aperture-validate nats://HOST:PORT/STREAM`: the records of a stream,
//! read through a durable consumer (library module `nats`, feature `nats`).

use aperture_events_validator::input::ReadOptions;
use aperture_events_validator::{Report, Validator};

use crate::cli::StreamSource;

/// Reads the stream into a finished report.
#[cfg(feature = "nats")]
pub fn read(
    validator: &Validator,
    source: &StreamSource,
    max_errors: usize,
    read: &ReadOptions,
) -> anyhow::Result<Report> {
    use aperture_events_validator::{Tally, nats};
    let (servers, stream) = nats::parse_target(&source.target).map_err(anyhow::Error::msg)?;
    let options = nats::ConsumeOptions {
        servers,
        stream,
        consumer: source.consumer.clone(),
        max_events: source.max_events,
        until_idle: source.until_idle,
        batch: 100,
        max_record_size: read.max_record_size(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut tally = Tally::new(validator.options().reading).with_max_errors(max_errors);
    runtime
        .block_on(nats::consume(
            validator,
            &mut tally,
            &options,
            std::future::pending(),
        ))
        .map_err(anyhow::Error::msg)?;
    Ok(tally.finish(validator))
}

/// Without the `nats` feature: says how to get it.
#[cfg(not(feature = "nats"))]
pub fn read(_: &Validator, _: &StreamSource, _: usize, _: &ReadOptions) -> anyhow::Result<Report> {
    // The target is not echoed: it may carry credentials.
    anyhow::bail!(
        "a nats:// stream: this aperture-validate was built without streams; install it with \
         `cargo install aperture-events-validator --features nats`"
    )
}

//! `--validate`: classify each event as it is captured, report on exit.
//!
//! Uses the validator's library: every event is classified right after its
//! response was durably written (so validation can slow a capture, never
//! lose an event), and bodies saved to the rejects directory count as
//! malformed records. On exit the validator's text report (summary, errors
//! with places, drift) goes to stderr, since stdout may carry the events.
//!
//! Places: source `capture`, `index` the event's number in this run (from 0);
//! a rejected body's source is its file in the rejects directory.

use std::path::Path;

use aperture_events_capture::rejects::RejectKind;
use aperture_events_validator::input::Sink;
use aperture_events_validator::{Locus, Options, Reading, SchemaError, Tally, Validator, render};

/// A validator and the tally it fills.
#[derive(Debug)]
pub struct Validation {
    validator: Validator,
    tally: Tally,
    captured: u64,
}

impl Validation {
    pub fn new(strict: bool, show_values: bool) -> Result<Self, SchemaError> {
        let reading = if strict {
            Reading::Strict
        } else {
            Reading::Tolerant
        };
        let validator = Validator::embedded(Options {
            reading,
            show_values,
        })?;
        Ok(Self {
            tally: Tally::new(reading),
            validator,
            captured: 0,
        })
    }

    pub fn events(&mut self, lines: &[Vec<u8>]) {
        let mut sink = self.tally.sink(&self.validator, "capture");
        for line in lines {
            let locus = Locus::Item {
                index: self.captured,
            };
            sink.record(locus, line);
            self.captured += 1;
        }
    }

    pub fn rejected(&mut self, kind: RejectKind, path: &Path) {
        let message = match kind {
            RejectKind::Malformed => {
                "response body does not parse; saved whole, not split into events"
            }
            RejectKind::Partial => {
                "response body cut off mid-way; its events could not be captured"
            }
            RejectKind::Unwritten => return,
        };
        let source = path.display().to_string();
        self.tally
            .sink(&self.validator, &source)
            .malformed(Locus::Whole, message.to_owned());
    }

    /// Finishes the report and renders it as text.
    pub fn render(self, color: bool) -> String {
        let report = self.tally.finish(&self.validator);
        let mut out = Vec::new();
        let options = render::TextOptions {
            color,
            ..render::TextOptions::default()
        };
        if let Err(e) = render::text(&report, &mut out, &options) {
            return format!("error: rendering the validation report: {e}");
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

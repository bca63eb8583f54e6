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
use aperture_events_validator::{
    Locus, Options, Place, Reading, Report, SchemaError, Validator, render,
};

/// A validator and the report it fills.
#[derive(Debug)]
pub struct Validation {
    validator: Validator,
    report: Report,
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
            report: Report::new(reading),
            validator,
            captured: 0,
        })
    }

    pub fn events(&mut self, lines: &[Vec<u8>]) {
        for line in lines {
            let place = Place::new(
                "capture",
                Locus {
                    index: Some(self.captured),
                    ..Locus::default()
                },
            );
            self.report.observe(&self.validator, place, line);
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
        let seq = self.report.summary.total;
        let place = Place::new(path.display().to_string(), Locus::default());
        self.report.malformed(seq, place, message.to_owned());
    }

    /// Finishes the report and renders it as text.
    pub fn render(mut self, color: bool) -> String {
        self.report.finish(&self.validator);
        let mut out = Vec::new();
        let options = render::TextOptions {
            color,
            ..render::TextOptions::default()
        };
        if let Err(e) = render::text(&self.report, &mut out, &options) {
            return format!("error: rendering the validation report: {e}");
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

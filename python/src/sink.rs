//! Reading an input held in memory, as the command line reads a file.
//!
//! The library's readers ([`input::read_with`]) find the records of an input
//! of any shape and hand them to a [`Sink`]; this one classifies each record
//! into a [`Report`] at once, in input order, on the calling thread.

use std::io::Cursor;
use std::sync::Arc;

use aperture_events_validator::input::{self, ReadOptions, Sink};
use aperture_events_validator::{Locus, Place, Report, Validator};

/// Classifies the records of one input into a report.
struct Observe<'a> {
    validator: &'a Validator,
    source: Arc<str>,
    report: &'a mut Report,
}

impl Sink for Observe<'_> {
    fn record(&mut self, locus: Locus, bytes: &[u8]) {
        let place = Place::new(self.source.clone(), locus);
        self.report.observe(self.validator, place, bytes);
    }

    fn malformed(&mut self, locus: Locus, message: String) {
        let seq = self.report.summary.total;
        let place = Place::new(self.source.clone(), locus);
        self.report.malformed(seq, place, message);
    }

    fn no_event(&mut self, _locus: Locus) {
        self.report.no_event();
    }

    fn error_response(&mut self, locus: Locus, status: u16) {
        let place = Place::new(self.source.clone(), locus);
        self.report.error_response(place, status);
    }
}

/// Reads `data` (any shape the command line reads) named `source` into `report`.
pub fn read_into(
    validator: &Validator,
    report: &mut Report,
    source: &str,
    data: &[u8],
    read: &ReadOptions,
) {
    let mut sink = Observe {
        validator,
        source: Arc::from(source),
        report,
    };
    if let Err(e) = input::read_with(Cursor::new(data), &mut sink, read) {
        report.unreadable(source, format!("cannot read: {e}"));
    }
}

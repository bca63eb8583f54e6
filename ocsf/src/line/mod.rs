//! The tree-free path: JSON text in, an OCSF line out, with no
//! `serde_json::Value` for the event or its output.
//!
//! # Design
//! A route writes a fixed set of attributes, so its output's shape is known
//! when the mapping is compiled: a [`Layout`] is that shape, every object's
//! members sorted by name as serde_json's map sorts them, each attribute a
//! numbered slot. Converting an event fills the slots (with references to
//! the borrowed input, integers and the plan's constants), reads the rules
//! back from the slots exactly as [`Converter::rebuild`] reads them from a
//! `Value`, then writes the line by walking the layout, leaving out what
//! was not written. The input is parsed into a sorted list of members whose
//! strings borrow from the text (see [`Val`]).
//!
//! The `Value` converter stays the reference: anything this path does not
//! take (text that is not an object, a route whose attributes overlap) goes
//! through it, and the tests compare both paths byte for byte.

mod escape;
mod input;
mod layout;
mod slots;

use serde::de::DeserializeSeed;
use serde_json::{Number, Value};

use crate::convert::{Converted, Converter, Error, OCSF_VERSION, millis, rfc3339, same};
use crate::model::Conv;
use crate::options::Unknown;
use crate::plan::{ClassInfo, RoutePlan, RulePlan, type_bit};

use input::*;
use slots::*;

pub(crate) use layout::Layout;

/// What [`Converter::convert_json_to`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// An OCSF event of this `class_uid`.
    Event {
        /// Its `class_uid` (0 for a Base Event).
        class_uid: i64,
    },
    /// Nothing: an unknown event type, skipped as [`Unknown::Skip`] asks.
    Skipped {
        /// Its `log_type` (empty when it has none that is a string).
        log_type: String,
    },
}

impl Converter {
    /// Converts one event given as JSON text and appends its OCSF event to
    /// `out` as one line of JSON (without the newline), exactly the bytes
    /// `serde_json::to_writer` writes for [`Converter::convert_json`]'s
    /// `Value`, without building that `Value`: the fast path of the command
    /// line. On an error `out` is left as it was.
    ///
    /// ```
    /// use aperture_events_ocsf::{Converted, Converter, Written};
    /// let converter = Converter::default();
    /// let text = br#"{"log_type":"incident","incident_id":"5eb5","severity":3,"timestamp":"2020-05-08T23:50:55Z"}"#;
    /// let mut line = Vec::new();
    /// assert_eq!(converter.convert_json_to(text, &mut line)?, Written::Event { class_uid: 2006 });
    /// let Converted::Event(event) = converter.convert_json(text)? else { unreachable!() };
    /// assert_eq!(line, serde_json::to_vec(&event).unwrap());
    /// # Ok::<(), aperture_events_ocsf::Error>(())
    /// ```
    pub fn convert_json_to(&self, text: &[u8], out: &mut Vec<u8>) -> Result<Written, Error> {
        let start = out.len();
        let result = match self.fast(text, out) {
            Some(result) => result,
            None => self.slow(text, out),
        };
        if result.is_err() {
            out.truncate(start);
        }
        result
    }

    /// The `Value` converter's line, for what the fast path does not take.
    fn slow(&self, text: &[u8], out: &mut Vec<u8>) -> Result<Written, Error> {
        match self.convert_json(text)? {
            Converted::Event(event) => {
                let class_uid = event["class_uid"].as_i64().unwrap_or(-1);
                // Writing a `Value` to a `Vec` cannot fail.
                let _ = serde_json::to_writer(&mut *out, &event);
                Ok(Written::Event { class_uid })
            }
            Converted::Skipped { log_type } => Ok(Written::Skipped { log_type }),
        }
    }

    /// `None` when the text is not for this path (the `Value` converter decides).
    fn fast(&self, text: &[u8], out: &mut Vec<u8>) -> Option<Result<Written, Error>> {
        // As `serde_json::from_slice`, into the last event's vector. The
        // text is checked to be UTF-8 once, whole, and parsed as a `str`
        // (serde_json then checks no string again); text that is not
        // UTF-8 is not JSON either: the `Value` converter gives its error.
        let mut parser = serde_json::Deserializer::from_str(std::str::from_utf8(text).ok()?);
        let spare = SPARE_FIELDS.with_borrow_mut(std::mem::take);
        let mut fields = Fields(respan(spare)).deserialize(&mut parser).ok()?;
        parser.end().ok()?;
        // Parsed, so UTF-8 (serde_json takes no other byte outside strings)
        // with nothing but JSON whitespace around the object: what
        // `str::trim` would take off.
        let text = text.trim_ascii();
        // serde_json reads a member of this name as a raw value when its
        // `raw_value` feature is on: left to it.
        if fields.iter().any(|(k, _)| k == RAW_VALUE_TOKEN) {
            return None;
        }
        let mut clean = SPARE_SPANS.with_borrow_mut(std::mem::take);
        clean.clear();
        if self.options.raw_data {
            // Before sorting: the members in the order of the text.
            Raw::spans(text, &fields, &mut clean);
        }
        let raw = Raw {
            text,
            clean: &clean,
        };
        // As a `Value` holds them: sorted by name, the last of a name kept.
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        fields.dedup_by(|later, kept| {
            let duplicate = later.0 == kept.0;
            if duplicate {
                std::mem::swap(later, kept);
            }
            duplicate
        });
        let event = Event(&fields);
        let log_type = event.get("log_type").and_then(Val::as_str);
        let route = log_type
            .and_then(|t| self.plan.types.get(t))
            .and_then(|t| t.routes.iter().find(|r| applies(r, &event)));
        let result = match route {
            Some(route) => self.fast_mapped(route.layout.as_ref()?, route, &event, raw, out)?,
            None if self.options.unknown == Unknown::Skip => Ok(Written::Skipped {
                log_type: log_type.unwrap_or_default().to_owned(),
            }),
            None => self.fast_base(self.plan.base_layout.as_ref()?, &event, raw, out),
        };
        SPARE_FIELDS.with_borrow_mut(|spare| *spare = respan(fields));
        if clean.capacity() <= 4096 {
            SPARE_SPANS.with_borrow_mut(|spare| *spare = clean);
        }
        Some(result)
    }

    fn fast_mapped(
        &self,
        layout: &Layout,
        route: &RoutePlan,
        event: &Event<'_>,
        raw: Raw<'_>,
        out: &mut Vec<u8>,
    ) -> Option<Result<Written, Error>> {
        let mut slots = Slots::new(layout.len);
        self.fast_header(&mut slots, layout, &route.class);
        for (target, value) in &route.set {
            slots.put(target, Out::Const(value), None);
        }
        if let Some(id) = route.fixed_activity {
            slots.put(&route.class.activity, Out::Int(id), None);
        }
        // The fields the rules read, found in one pass over both sorted lists;
        // a field no rule reads is unmapped.
        let mut at = vec![usize::MAX; route.sources.len()];
        let mut unmapped = vec![true; event.0.len()];
        let (mut i, mut j) = (0, 0);
        while i < event.0.len() && j < route.sources.len() {
            match event.0[i].0.as_ref().cmp(route.sources[j].as_str()) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    at[j] = i;
                    unmapped[i] = false;
                    i += 1;
                    j += 1;
                }
            }
        }
        for rule in &route.rules {
            if let Some((_, value)) = event.0.get(at[rule.source]) {
                self.fast_forward(rule, value, &mut slots);
            }
        }
        if slots.0[layout.fixed.time].is_empty() {
            return Some(Err(Error::NoTime));
        }
        for ((target, value, only_if), under) in route.defaults.iter().zip(&route.only_if_slots) {
            let wanted = only_if.is_none() || slots.any(under.clone());
            if wanted && !slots.any(target.span.clone()) {
                slots.put(target, Out::Const(value), None);
            }
        }
        // An object written whole and below: left to the `Value` converter,
        // which merges them.
        for whole in &layout.wholes {
            if !slots.0[whole.start].is_empty() && slots.any(whole.start + 1..whole.end) {
                return None;
            }
        }
        fast_footer(&mut slots, layout, &route.class);
        for rule in &route.rules {
            let i = at[rule.source];
            if let Some((_, value)) = event.0.get(i) {
                if !self.fast_reads_back(rule, &slots, value) {
                    unmapped[i] = true;
                }
            }
        }
        if unmapped.contains(&true) {
            slots.0[layout.fixed.unmapped] = Out::Unmapped;
        }
        let hash = event.content_hash();
        self.fast_trailer(&mut slots, layout, raw, &hash);
        layout.write(&slots.0, event, &unmapped, out);
        slots.recycle();
        Some(Ok(Written::Event {
            class_uid: route.class.uid,
        }))
    }

    fn fast_base(
        &self,
        layout: &Layout,
        event: &Event<'_>,
        raw: Raw<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Written, Error> {
        let class = &self.plan.base;
        let time = event
            .get("timestamp")
            .and_then(Val::as_str)
            .and_then(millis)
            .ok_or(Error::NoTime)?;
        let mut slots = Slots::new(layout.len);
        self.fast_header(&mut slots, layout, class);
        slots.0[layout.fixed.time] = Out::Int(time);
        fast_footer(&mut slots, layout, class);
        // A Base Event always has `unmapped`, even empty.
        slots.0[layout.fixed.unmapped] = Out::Unmapped;
        let hash = event.content_hash();
        self.fast_trailer(&mut slots, layout, raw, &hash);
        layout.write(&slots.0, event, &vec![true; event.0.len()], out);
        slots.recycle();
        Ok(Written::Event {
            class_uid: class.uid,
        })
    }

    fn fast_header<'a>(&'a self, slots: &mut Slots<'a>, layout: &Layout, class: &'a ClassInfo) {
        let f = &layout.fixed;
        slots.0[f.version] = Out::Str(OCSF_VERSION);
        slots.0[f.product] = Out::Json(&self.plan.product_text);
        slots.0[f.profiles] = Out::Const(&NO_PROFILES);
        slots.0[f.class_uid] = Out::Int(class.uid);
        slots.0[f.class_name] = Out::Str(&class.caption);
        slots.0[f.category_uid] = Out::Int(class.category_uid);
        slots.0[f.category_name] = Out::Str(&class.category_name);
    }

    /// `raw_data` and `metadata.uid`, written last as the `Value` converter does.
    fn fast_trailer<'a>(
        &self,
        slots: &mut Slots<'a>,
        layout: &Layout,
        raw: Raw<'a>,
        hash: &'a [u8; 32],
    ) {
        if self.options.raw_data {
            slots.0[layout.fixed.raw_data] = Out::Raw(raw);
        }
        // Hex digits: always UTF-8.
        slots.0[layout.fixed.uid] = Out::Str(std::str::from_utf8(hash).unwrap_or_default());
    }

    /// As `Converter::forward`, into slots.
    fn fast_forward<'a>(&'a self, rule: &'a RulePlan, value: &'a Val<'a>, slots: &mut Slots<'a>) {
        if matches!(value, Val::Null)
            || rule
                .type_mask
                .is_some_and(|mask| mask & type_bit(value.type_name()) == 0)
        {
            return;
        }
        let mut wrote = false;
        match rule.conv {
            Conv::Copy => {
                for target in &rule.targets {
                    if value.fits(target) {
                        slots.put(target, Out::Val(value), None);
                        wrote = true;
                    }
                }
            }
            Conv::Time => {
                if let Some(ms) = value.as_str().and_then(millis) {
                    for target in &rule.targets {
                        slots.put(target, Out::Int(ms), None);
                    }
                    wrote = true;
                }
            }
            Conv::Table => {
                let Some(text) = value.as_str() else { return };
                let found = rule
                    .table
                    .iter()
                    .find(|(k, _)| same(k, text, rule.fold_case));
                let (result, other) = match (found, &rule.fallback) {
                    (Some((_, v)), _) => (v, None),
                    (None, Some(fallback)) => (fallback, Some(text)),
                    (None, None) => return,
                };
                for target in &rule.targets {
                    slots.put(target, Out::Const(result), other);
                }
                wrote = true;
            }
            Conv::Severity => {
                if let Some(id) = value.integral().and_then(|l| self.options.severity.get(l)) {
                    for target in &rule.targets {
                        slots.put(target, Out::Int(id), None);
                    }
                    wrote = true;
                }
            }
        }
        if wrote {
            for (target, constant) in &rule.with {
                slots.put(target, Out::Const(constant), None);
            }
        }
    }

    /// As `Converter::reads_back`, from slots.
    fn fast_reads_back(&self, rule: &RulePlan, slots: &Slots<'_>, value: &Val<'_>) -> bool {
        let target = &rule.targets[0];
        let Some(got) = slots.0[target.slot].view() else {
            return false;
        };
        if rule.default.as_ref().map(View::of) == Some(got.clone()) {
            return false;
        }
        let wanted = Some(value.view());
        match rule.conv {
            Conv::Copy => Some(got) == wanted,
            Conv::Time => {
                got.as_i64().and_then(rfc3339).as_deref() == value.as_str() && value.is_str()
            }
            Conv::Table if rule.fallback.as_ref().map(View::of) == Some(got.clone()) => {
                got == View::Num(Number::from(99))
                    && target
                        .caption_slot
                        .and_then(|s| slots.0[s].view())
                        .is_some_and(|caption| Some(caption) == wanted)
            }
            Conv::Table => rule
                .table
                .iter()
                .find(|(_, v)| View::of(v) == got)
                .is_some_and(|(k, _)| value.as_str() == Some(k.as_str())),
            Conv::Severity => got
                .as_i64()
                .and_then(|id| self.options.severity.level_of(id))
                .is_some_and(|l| Some(View::Num(Number::from(l))) == wanted),
        }
    }
}

/// `metadata.profiles`.
static NO_PROFILES: Value = Value::Array(Vec::new());

/// The member name serde_json's `raw_value` feature reserves.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// `activity_id` and `severity_id` when nothing set them, `type_uid` and `type_name`.
fn fast_footer<'a>(slots: &mut Slots<'a>, layout: &Layout, class: &'a ClassInfo) {
    for target in [&class.activity, &class.severity] {
        if slots.0[target.slot].is_empty() {
            slots.put(target, Out::Int(0), None);
        }
    }
    let activity = slots.0[class.activity.slot].as_i64().unwrap_or(0);
    let caption = class
        .activity
        .caption_ids
        .iter()
        .find(|(id, _)| *id == activity)
        .map_or("", |(_, c)| c.as_str());
    slots.0[layout.fixed.type_uid] = Out::Int(class.uid * 100 + activity);
    slots.0[layout.fixed.type_name] = Out::TypeName(&class.caption, caption);
}

fn applies(route: &RoutePlan, event: &Event<'_>) -> bool {
    match &route.when {
        None => true,
        Some((field, values, fold_case)) => event
            .get(field)
            .and_then(Val::as_str)
            .is_some_and(|v| values.iter().any(|w| same(w, v, *fold_case))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::PLAN;

    /// The stock mapping takes the fast path everywhere (the `Value`
    /// converter remains for texts that are not objects).
    #[test]
    fn every_stock_route_has_a_layout() {
        assert!(PLAN.base_layout.is_some());
        for (log_type, plan) in &PLAN.types {
            for route in &plan.routes {
                assert!(
                    route.layout.is_some(),
                    "{log_type} → {}",
                    route.class.caption
                );
            }
        }
        let text = br#"{"log_type":"incident","incident_id":"a\/b","severity":3.0,"timestamp":"2020-05-08T23:50:55Z"}"#;
        let mut out = Vec::new();
        let converter = Converter::default();
        assert!(matches!(converter.fast(text, &mut out), Some(Ok(_))));
        assert!(converter.fast(b"[1]", &mut out).is_none());
    }
}

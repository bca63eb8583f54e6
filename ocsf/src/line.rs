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

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use crate::check::type_of;
use crate::convert::{Converted, Converter, Error, OCSF_VERSION, millis, rfc3339, same};
use crate::model::{Conv, Step, steps};
use crate::options::Unknown;
use crate::plan::{ClassInfo, Kind, RoutePlan, RulePlan, Target, type_bit};
use crate::uid;

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
        // As `serde_json::from_slice`, into the last event's vector.
        let mut parser = serde_json::Deserializer::from_slice(text);
        let spare = SPARE_FIELDS.with_borrow_mut(std::mem::take);
        let mut fields = Fields(respan(spare)).deserialize(&mut parser).ok()?;
        parser.end().ok()?;
        // Parsed, so UTF-8 (serde_json takes no other byte outside strings)
        // with nothing but JSON whitespace around the object: what
        // `str::trim` would take off.
        let raw = text.trim_ascii();
        // serde_json reads a member of this name as a raw value when its
        // `raw_value` feature is on: left to it.
        if fields.iter().any(|(k, _)| k == RAW_VALUE_TOKEN) {
            return None;
        }
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
        Some(result)
    }

    fn fast_mapped(
        &self,
        layout: &Layout,
        route: &RoutePlan,
        event: &Event<'_>,
        raw: &[u8],
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
        raw: &[u8],
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
        raw: &'a [u8],
        hash: &'a [u8; 32],
    ) {
        if self.options.raw_data {
            slots.0[layout.fixed.raw_data] = Out::Text(raw);
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

// ---------------------------------------------------------------------------
// The input: members borrowed from the text.

/// A member's value as a `Value` would hold it, its strings borrowed from
/// the text when they hold no escape; arrays and objects (rare in events)
/// are `Value`s.
#[derive(Debug)]
pub(crate) enum Val<'a> {
    Null,
    Bool(bool),
    Num(Number),
    Str(Cow<'a, str>),
    Json(Value),
}

impl Val<'_> {
    fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    fn is_str(&self) -> bool {
        matches!(self, Val::Str(_))
    }

    fn view(&self) -> View<'_> {
        match self {
            Val::Null => View::Null,
            Val::Bool(b) => View::Bool(*b),
            Val::Num(n) => View::Num(n.clone()),
            Val::Str(s) => View::Str(s),
            Val::Json(v) => View::of(v),
        }
    }

    /// As `check::type_of`.
    fn type_name(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "boolean",
            Val::Num(n) => type_of(&Value::Number(n.clone())),
            Val::Str(_) => "string",
            Val::Json(v) => type_of(v),
        }
    }

    /// As `convert::fits`.
    fn fits(&self, target: &Target) -> bool {
        match (target.kind, self) {
            (Kind::Json, _) => true,
            (Kind::String, Val::Str(s)) => {
                target
                    .pattern
                    .as_ref()
                    .is_none_or(|p| p.is_match(s.as_bytes()))
                    && target.max_len.is_none_or(|m| s.chars().count() <= m)
            }
            (Kind::Integer, Val::Num(n)) => {
                n.is_i64() && n.as_i64().is_some_and(|i| i32::try_from(i).is_ok())
            }
            (Kind::Long, Val::Num(n)) => n.is_i64(),
            (Kind::Boolean, Val::Bool(_)) => true,
            (Kind::Float, Val::Num(_)) => true,
            _ => false,
        }
    }

    /// As `convert::integral`.
    fn integral(&self) -> Option<i64> {
        match self {
            Val::Num(n) => n.as_i64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                    .map(|f| f as i64)
            }),
            _ => None,
        }
    }

    /// Writes the value as serde_json writes its `Value`.
    fn write(&self, out: &mut Vec<u8>) {
        // Writing to a `Vec` cannot fail.
        let _ = match self {
            Val::Null => serde_json::to_writer(&mut *out, &()),
            Val::Bool(b) => serde_json::to_writer(&mut *out, b),
            Val::Num(n) => serde_json::to_writer(&mut *out, n),
            Val::Str(s) => {
                write_str(out, s);
                Ok(())
            }
            Val::Json(v) => serde_json::to_writer(&mut *out, v),
        };
    }

    /// Writes the value's canonical text (`uid::canonical`).
    fn canonical(&self, out: &mut Vec<u8>) {
        match self {
            Val::Json(v) => uid::canonical(v, out),
            other => other.write(out),
        }
    }
}

impl<'de> Deserialize<'de> for Val<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValVisitor)
    }
}

/// The calls serde_json's `Value` visitor takes, giving the same values.
struct ValVisitor;

impl<'de> Visitor<'de> for ValVisitor {
    type Value = Val<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Val<'de>, E> {
        Ok(Val::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Val<'de>, E> {
        Ok(Val::Num(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Val<'de>, E> {
        Ok(Val::Num(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Val<'de>, E> {
        Ok(Number::from_f64(v).map_or(Val::Null, Val::Num))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Val<'de>, E> {
        Ok(Val::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Val<'de>, E> {
        Ok(Val::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Val<'de>, E> {
        Ok(Val::Str(Cow::Owned(v)))
    }

    fn visit_unit<E>(self) -> Result<Val<'de>, E> {
        Ok(Val::Null)
    }

    fn visit_none<E>(self) -> Result<Val<'de>, E> {
        Ok(Val::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Val<'de>, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(Val::Json)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Val<'de>, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Val::Json)
    }
}

/// A member name, borrowed when it holds no escape.
struct Name<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(NameVisitor)
    }
}

/// A top-level object's members, in the order of the text, read into the
/// (empty) vector it holds.
struct Fields<'a>(Vec<(Cow<'a, str>, Val<'a>)>);

impl<'de> DeserializeSeed<'de> for Fields<'de> {
    type Value = Vec<(Cow<'de, str>, Val<'de>)>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Fields<'de> {
    type Value = Vec<(Cow<'de, str>, Val<'de>)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = self.0;
        while let Some(Name(name)) = map.next_key()? {
            fields.push((name, map.next_value()?));
        }
        Ok(fields)
    }
}

thread_local! {
    /// The vectors of the thread's last event, empty: their allocations
    /// serve the next one.
    static SPARE_FIELDS: RefCell<Vec<(Cow<'static, str>, Val<'static>)>> =
        const { RefCell::new(Vec::new()) };
    static SPARE_SLOTS: RefCell<Vec<Out<'static>>> = const { RefCell::new(Vec::new()) };
}

/// An empty vector of the same element type with another lifetime, in the
/// same allocation (`collect` reuses it in place); a large one is dropped.
fn respan<T, U>(mut items: Vec<T>) -> Vec<U> {
    items.clear();
    if items.capacity() > 4096 {
        return Vec::new();
    }
    items.into_iter().filter_map(|_| None).collect()
}

/// An event's members sorted by name, one of each name.
pub(crate) struct Event<'a>(&'a [(Cow<'a, str>, Val<'a>)]);

impl<'a> Event<'a> {
    fn get(&self, name: &str) -> Option<&'a Val<'a>> {
        let i = self
            .0
            .binary_search_by(|(k, _)| k.as_ref().cmp(name))
            .ok()?;
        Some(&self.0[i].1)
    }

    /// `uid::content_hash` of the event as a `Value`, in hex digits.
    fn content_hash(&self) -> [u8; 32] {
        thread_local! {
            /// The canonical text, one buffer per thread.
            static TEXT: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(4096));
        }
        TEXT.with_borrow_mut(|text| {
            text.clear();
            text.push(b'{');
            for (i, (name, value)) in self.0.iter().enumerate() {
                if i > 0 {
                    text.push(b',');
                }
                write_str(text, name);
                text.push(b':');
                value.canonical(text);
            }
            text.push(b'}');
            let hash = uid::digest_hex_bytes(text);
            // A text that once was huge is not kept.
            if text.capacity() > 1 << 20 {
                *text = Vec::new();
            }
            hash
        })
    }
}

// ---------------------------------------------------------------------------
// The output: slots, and the layout that writes them.

/// What a slot holds.
#[derive(Debug, Clone, Copy)]
enum Out<'a> {
    Empty,
    Val(&'a Val<'a>),
    Int(i64),
    Const(&'a Value),
    Str(&'a str),
    /// UTF-8 text, as a string (`raw_data`).
    Text(&'a [u8]),
    /// JSON text, as it is (`metadata.product`).
    Json(&'a [u8]),
    /// `type_name`: the class's caption, `: `, the activity's.
    TypeName(&'a str, &'a str),
    /// The event's members marked unmapped, as an object.
    Unmapped,
}

impl Out<'_> {
    fn is_empty(&self) -> bool {
        matches!(self, Out::Empty)
    }

    fn view(&self) -> Option<View<'_>> {
        match *self {
            // Never read back.
            Out::Empty | Out::Unmapped | Out::TypeName(..) | Out::Text(_) | Out::Json(_) => None,
            Out::Val(v) => Some(v.view()),
            Out::Int(i) => Some(View::Num(i.into())),
            Out::Const(v) => Some(View::of(v)),
            Out::Str(s) => Some(View::Str(s)),
        }
    }

    /// As `Value::as_i64`.
    fn as_i64(&self) -> Option<i64> {
        self.view().and_then(|v| v.as_i64())
    }
}

/// A value as `Value`'s equality sees it.
#[derive(Debug, Clone, PartialEq)]
enum View<'a> {
    Null,
    Bool(bool),
    Num(Number),
    Str(&'a str),
    /// An array or an object.
    Json(&'a Value),
}

impl View<'_> {
    fn of(value: &Value) -> View<'_> {
        match value {
            Value::Null => View::Null,
            Value::Bool(b) => View::Bool(*b),
            Value::Number(n) => View::Num(n.clone()),
            Value::String(s) => View::Str(s),
            other => View::Json(other),
        }
    }

    fn as_i64(&self) -> Option<i64> {
        match self {
            View::Num(n) => n.as_i64(),
            _ => None,
        }
    }
}

struct Slots<'a>(Vec<Out<'a>>);

impl<'a> Slots<'a> {
    /// `len` empty slots, in the last event's vector.
    fn new(len: usize) -> Slots<'a> {
        let mut slots = respan(SPARE_SLOTS.with_borrow_mut(std::mem::take));
        slots.resize(len, Out::Empty);
        Slots(slots)
    }

    /// Gives the vector back for the next event.
    fn recycle(self) {
        SPARE_SLOTS.with_borrow_mut(|spare| *spare = respan(self.0));
    }

    /// As `convert::write`: the value, and the caption of an id beside it
    /// (`other` for 99 Other: the source's own value).
    fn put(&mut self, target: &'a Target, value: Out<'a>, other: Option<&'a str>) {
        self.0[target.slot] = value;
        let Some(caption_slot) = target.caption_slot else {
            return;
        };
        let id = value.as_i64();
        let caption = match other {
            Some(text) if id == Some(99) && !text.is_empty() => Some(text),
            _ => id.and_then(|id| {
                target
                    .caption_ids
                    .iter()
                    .find(|(i, _)| *i == id)
                    .map(|(_, c)| c.as_str())
            }),
        };
        if let Some(caption) = caption {
            self.0[caption_slot] = Out::Str(caption);
        }
    }

    /// Whether a slot of `range` is written.
    fn any(&self, range: Range<usize>) -> bool {
        self.0[range].iter().any(|s| !s.is_empty())
    }
}

/// A route's output shape: every attribute it can write, each object's
/// members in serde_json's order, each attribute a slot.
#[derive(Debug)]
pub(crate) struct Layout {
    members: Vec<Member>,
    len: usize,
    fixed: Fixed,
    /// The slots of each object that can be written whole (its own first).
    wholes: Vec<Range<usize>>,
}

/// The slots of the attributes every event has (or may have).
#[derive(Debug)]
struct Fixed {
    version: usize,
    product: usize,
    profiles: usize,
    uid: usize,
    class_uid: usize,
    class_name: usize,
    category_uid: usize,
    category_name: usize,
    time: usize,
    type_uid: usize,
    type_name: usize,
    raw_data: usize,
    unmapped: usize,
}

const FIXED: [&str; 13] = [
    "metadata.version",
    "metadata.product",
    "metadata.profiles",
    "metadata.uid",
    "class_uid",
    "class_name",
    "category_uid",
    "category_name",
    "time",
    "type_uid",
    "type_name",
    "raw_data",
    "unmapped",
];

#[derive(Debug)]
struct Member {
    /// `"name":`, escaped.
    key: Vec<u8>,
    /// The member is an array of one element: the node.
    array: bool,
    slots: Range<usize>,
    node: Node,
}

#[derive(Debug)]
enum Node {
    Leaf(usize),
    /// The slot of the object written whole, if it can be; its members.
    Object(Option<usize>, Vec<Member>),
}

/// The layout being built: a tree of names.
#[derive(Debug, Default)]
struct Tree(BTreeMap<String, TreeNode>);

#[derive(Debug)]
struct TreeNode {
    array: bool,
    /// `None`: an attribute.
    below: Option<Tree>,
    /// An object that is also written whole (a default such as
    /// `src_endpoint` = `{"name": "Unknown"}` beside `src_endpoint.ip`).
    whole: bool,
}

impl Tree {
    /// Adds a path; `None` when a name is an array on one path and not on
    /// another. A path that is a prefix of another makes a whole object.
    fn add(&mut self, steps: &[Step]) -> Option<()> {
        let (first, rest) = steps.split_first()?;
        let node = self
            .0
            .entry(first.name.clone())
            .or_insert_with(|| TreeNode {
                array: first.array,
                below: (!rest.is_empty()).then(Tree::default),
                whole: false,
            });
        if node.array != first.array {
            return None;
        }
        if rest.is_empty() {
            node.whole |= node.below.is_some();
            return Some(());
        }
        if node.below.is_none() {
            node.whole = true;
        }
        node.below.get_or_insert_with(Tree::default).add(rest)
    }

    /// Numbers the attributes in order, recording each path's slots.
    fn finish(
        self,
        prefix: &str,
        next: &mut usize,
        index: &mut HashMap<String, Range<usize>>,
    ) -> Vec<Member> {
        self.0
            .into_iter()
            .map(
                |(
                    name,
                    TreeNode {
                        array,
                        below,
                        whole,
                    },
                )| {
                    let step = if array {
                        format!("{name}[]")
                    } else {
                        name.clone()
                    };
                    let path = if prefix.is_empty() {
                        step
                    } else {
                        format!("{prefix}.{step}")
                    };
                    let start = *next;
                    let node = match below {
                        None => {
                            *next += 1;
                            Node::Leaf(start)
                        }
                        Some(tree) => {
                            let whole = whole.then(|| {
                                *next += 1;
                                start
                            });
                            Node::Object(whole, tree.finish(&path, next, index))
                        }
                    };
                    index.insert(path, start..*next);
                    let mut key = Vec::with_capacity(name.len() + 3);
                    // Writing to a `Vec` cannot fail.
                    let _ = serde_json::to_writer(&mut key, &name);
                    key.push(b':');
                    Member {
                        key,
                        array,
                        slots: start..*next,
                        node,
                    }
                },
            )
            .collect()
    }
}

fn path_of(steps: &[Step]) -> String {
    let names: Vec<String> = steps
        .iter()
        .map(|s| {
            if s.array {
                format!("{}[]", s.name)
            } else {
                s.name.clone()
            }
        })
        .collect();
    names.join(".")
}

/// Every target of a route.
fn each_target(route: &mut RoutePlan, f: impl FnMut(&mut Target)) {
    each_target_but_defaults(route, f, true);
}

/// Every target of a route, its defaults' if asked.
fn each_target_but_defaults(route: &mut RoutePlan, mut f: impl FnMut(&mut Target), defaults: bool) {
    f(&mut route.class.activity);
    f(&mut route.class.severity);
    for (target, _) in &mut route.set {
        f(target);
    }
    for rule in &mut route.rules {
        rule.targets.iter_mut().for_each(&mut f);
        for (target, _) in &mut rule.with {
            f(target);
        }
    }
    if defaults {
        for (target, _, _) in &mut route.defaults {
            f(target);
        }
    }
}

impl Layout {
    /// The layout of a route, its slots given to its targets; `None` when
    /// two of its paths overlap (the route then goes through a `Value`).
    pub(crate) fn for_route(route: &mut RoutePlan) -> Option<Layout> {
        let mut paths: Vec<Vec<Step>> = Vec::new();
        each_target(route, |t| paths.extend(target_paths(t)));
        let (layout, index) = Layout::new(paths)?;
        let mut known = true;
        each_target(route, |t| known &= assign(t, &index));
        // An object written whole must be a default's constant (written only
        // where nothing is below it), with no member the layout also has: then
        // reading below it finds nothing either way. A route where anything
        // else writes an object whole goes through a `Value`.
        let mut others = Vec::new();
        each_target_but_defaults(route, |t| others.push(t.slot), false);
        for whole in &layout.wholes {
            if others.contains(&whole.start) {
                return None;
            }
        }
        for (target, value, _) in &route.defaults {
            if layout.wholes.iter().any(|w| w.start == target.slot) {
                let path = path_of(&target.steps);
                let clash = value.as_object().is_some_and(|members| {
                    members.keys().any(|k| {
                        index.contains_key(&format!("{path}.{k}"))
                            || index.contains_key(&format!("{path}.{k}[]"))
                    })
                });
                if clash {
                    return None;
                }
            }
        }
        let mut under = Vec::new();
        for (_, _, only_if) in &route.defaults {
            under.push(match only_if {
                // A path that is no node of the layout could reach into a
                // written value: left to the `Value` converter.
                Some(steps) => index.get(&path_of(steps))?.clone(),
                None => 0..0,
            });
        }
        route.only_if_slots = under;
        known.then_some(layout)
    }

    /// The Base Event's layout, its slots given to `activity_id` and `severity_id`.
    pub(crate) fn for_base(class: &mut ClassInfo) -> Option<Layout> {
        let mut paths = target_paths(&class.activity);
        paths.extend(target_paths(&class.severity));
        let (layout, index) = Layout::new(paths)?;
        (assign(&mut class.activity, &index)
            && assign(&mut class.severity, &index)
            && layout.wholes.is_empty())
        .then_some(layout)
    }

    fn new(paths: Vec<Vec<Step>>) -> Option<(Layout, HashMap<String, Range<usize>>)> {
        let mut tree = Tree::default();
        for path in FIXED.iter().map(|p| steps(p)).chain(paths) {
            tree.add(&path)?;
        }
        let mut index = HashMap::new();
        let mut len = 0;
        let members = tree.finish("", &mut len, &mut index);
        let mut wholes = Vec::new();
        collect_wholes(&members, &mut wholes);
        let slot = |path: &str| index.get(path).map(|r| r.start);
        let fixed = Fixed {
            version: slot(FIXED[0])?,
            product: slot(FIXED[1])?,
            profiles: slot(FIXED[2])?,
            uid: slot(FIXED[3])?,
            class_uid: slot(FIXED[4])?,
            class_name: slot(FIXED[5])?,
            category_uid: slot(FIXED[6])?,
            category_name: slot(FIXED[7])?,
            time: slot(FIXED[8])?,
            type_uid: slot(FIXED[9])?,
            type_name: slot(FIXED[10])?,
            raw_data: slot(FIXED[11])?,
            unmapped: slot(FIXED[12])?,
        };
        Some((
            Layout {
                members,
                len,
                fixed,
                wholes,
            },
            index,
        ))
    }

    /// Writes the line: the written slots, in order.
    fn write(&self, slots: &[Out<'_>], event: &Event<'_>, unmapped: &[bool], out: &mut Vec<u8>) {
        write_object(&self.members, slots, event, unmapped, out);
    }
}

fn collect_wholes(members: &[Member], out: &mut Vec<Range<usize>>) {
    for member in members {
        if let Node::Object(whole, below) = &member.node {
            if whole.is_some() {
                out.push(member.slots.clone());
            }
            collect_wholes(below, out);
        }
    }
}

/// A target's path and its caption's.
fn target_paths(target: &Target) -> Vec<Vec<Step>> {
    let mut paths = vec![target.steps.clone()];
    if let Some((sibling, _)) = &target.caption {
        paths.push(sibling.clone());
    }
    paths
}

/// Gives a target its slots; false when a path is not an attribute of the layout.
fn assign(target: &mut Target, index: &HashMap<String, Range<usize>>) -> bool {
    let leaf = |steps: &[Step]| {
        index
            .get(&path_of(steps))
            .filter(|r| r.len() == 1)
            .map(|r| r.start)
    };
    let Some(span) = index.get(&path_of(&target.steps)) else {
        return false;
    };
    target.slot = span.start;
    target.span = span.clone();
    if let Some((sibling, _)) = &target.caption {
        let Some(caption) = leaf(sibling) else {
            return false;
        };
        target.caption_slot = Some(caption);
    }
    true
}

fn write_object(
    members: &[Member],
    slots: &[Out<'_>],
    event: &Event<'_>,
    unmapped: &[bool],
    out: &mut Vec<u8>,
) {
    out.push(b'{');
    let mut first = true;
    for member in members {
        if slots[member.slots.clone()].iter().all(Out::is_empty) {
            continue;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        out.extend_from_slice(&member.key);
        if member.array {
            out.push(b'[');
        }
        match &member.node {
            Node::Leaf(slot) => write_slot(&slots[*slot], event, unmapped, out),
            Node::Object(Some(whole), _) if !slots[*whole].is_empty() => {
                write_slot(&slots[*whole], event, unmapped, out);
            }
            Node::Object(_, members) => write_object(members, slots, event, unmapped, out),
        }
        if member.array {
            out.push(b']');
        }
    }
    out.push(b'}');
}

fn write_slot(slot: &Out<'_>, event: &Event<'_>, unmapped: &[bool], out: &mut Vec<u8>) {
    // Writing to a `Vec` cannot fail.
    let _ = match slot {
        Out::Empty => Ok(()),
        Out::Val(v) => {
            v.write(out);
            Ok(())
        }
        Out::Int(i) => serde_json::to_writer(&mut *out, i),
        Out::Const(v) => serde_json::to_writer(&mut *out, v),
        Out::Str(s) => {
            write_str(out, s);
            Ok(())
        }
        Out::Json(text) => {
            out.extend_from_slice(text);
            Ok(())
        }
        Out::Text(text) => {
            out.push(b'"');
            write_str_body(out, text);
            out.push(b'"');
            Ok(())
        }
        Out::TypeName(class, activity) => {
            out.push(b'"');
            write_str_body(out, class.as_bytes());
            out.extend_from_slice(b": ");
            write_str_body(out, activity.as_bytes());
            out.push(b'"');
            Ok(())
        }
        Out::Unmapped => {
            out.push(b'{');
            let mut first = true;
            for ((name, value), _) in event.0.iter().zip(unmapped).filter(|(_, u)| **u) {
                if !first {
                    out.push(b',');
                }
                first = false;
                write_str(out, name);
                out.push(b':');
                value.write(out);
            }
            out.push(b'}');
            Ok(())
        }
    };
}

/// What serde_json writes for each byte of a string: 0 the byte itself,
/// `u` `\u00XX`, any other the byte after a backslash.
const ESCAPE: [u8; 256] = {
    let mut table = [0; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = b'u';
        i += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// Writes `text` as a JSON string, escaped as serde_json escapes it.
fn write_str(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    write_str_body(out, text.as_bytes());
    out.push(b'"');
}

/// The inside of [`write_str`]. Eight bytes are tested at a time (for a
/// control character, `"` or `\\`: the lowest flagged byte of these
/// tests is always a true one) and copied whole; before an escape the copy
/// is cut back to it.
fn write_str_body(out: &mut Vec<u8>, bytes: &[u8]) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    out.reserve(bytes.len() + 2);
    let mut i = 0;
    while let Some(word) = bytes.get(i..i + 8) {
        let mut eight = [0; 8];
        eight.copy_from_slice(word);
        out.extend_from_slice(&eight);
        let v = u64::from_le_bytes(eight);
        let quote = v ^ (ONES * u64::from(b'"'));
        let backslash = v ^ (ONES * u64::from(b'\\'));
        let flags = ((v.wrapping_sub(ONES * 0x20) & !v)
            | (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash))
            & HIGH;
        if flags == 0 {
            i += 8;
            continue;
        }
        let clean = (flags.trailing_zeros() / 8) as usize;
        out.truncate(out.len() - (8 - clean));
        escape(out, bytes[i + clean]);
        i += clean + 1;
    }
    for &b in &bytes[i..] {
        if ESCAPE[usize::from(b)] == 0 {
            out.push(b);
        } else {
            escape(out, b);
        }
    }
}

/// The escape of a byte that needs one.
fn escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match ESCAPE[usize::from(b)] {
        b'u' => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(b >> 4)],
            HEX[usize::from(b & 0xf)],
        ]),
        short => out.extend_from_slice(&[b'\\', short]),
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

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let all: String = (0..=0x7f_u8)
            .map(char::from)
            .chain("é\u{2028}😀".chars())
            .collect();
        let mut texts = vec![all.clone(), String::new(), "plain".into(), "\"q\"\\".into()];
        // Every byte at every place of a word, between clean runs.
        for b in 0..=0x7f_u8 {
            for at in 0..17 {
                let mut text = "abcdefghijklmnopq".to_owned();
                text.insert(at, char::from(b));
                texts.push(text);
            }
        }
        for text in &texts {
            let mut out = Vec::new();
            write_str(&mut out, text);
            assert_eq!(out, serde_json::to_vec(text).unwrap());
        }
    }

    #[test]
    fn a_path_below_another_makes_an_object_written_whole() {
        let mut tree = Tree::default();
        assert!(tree.add(&steps("file.name")).is_some());
        assert!(tree.add(&steps("file.name")).is_some());
        assert!(tree.add(&steps("file.hashes[].value")).is_some());
        assert!(tree.add(&steps("file.hashes.value")).is_none());
        assert!(tree.add(&steps("src_endpoint.ip")).is_some());
        assert!(tree.add(&steps("src_endpoint")).is_some());
        let (layout, index) = Layout::new(vec![]).expect("a layout");
        assert!(layout.wholes.is_empty());
        assert_eq!(index["metadata"].len(), 4);
        let mut index = HashMap::new();
        let members = tree.finish("", &mut 0, &mut index);
        let mut wholes = Vec::new();
        collect_wholes(&members, &mut wholes);
        assert_eq!(wholes, vec![index["src_endpoint"].clone()]);
        assert_eq!(index["src_endpoint"].len(), 2);
    }
}

//! The output's slots: what each attribute of a layout holds.

use std::ops::Range;

use serde_json::{Number, Value};

use crate::plan::Target;

use super::input::*;

/// What a slot holds.
#[derive(Debug, Clone, Copy)]
pub(super) enum Out<'a> {
    Empty,
    Val(&'a Val<'a>),
    Int(i64),
    Const(&'a Value),
    Str(&'a str),
    /// The event's text, as a string (`raw_data`).
    Raw(Raw<'a>),
    /// JSON text, as it is (`metadata.product`).
    Json(&'a [u8]),
    /// `type_name`: the class's caption, `: `, the activity's.
    TypeName(&'a str, &'a str),
    /// The event's members marked unmapped, as an object.
    Unmapped,
}

impl Out<'_> {
    pub(super) fn is_empty(&self) -> bool {
        matches!(self, Out::Empty)
    }

    pub(super) fn view(&self) -> Option<View<'_>> {
        match *self {
            // Never read back.
            Out::Empty | Out::Unmapped | Out::TypeName(..) | Out::Raw(_) | Out::Json(_) => None,
            Out::Val(v) => Some(v.view()),
            Out::Int(i) => Some(View::Num(i.into())),
            Out::Const(v) => Some(View::of(v)),
            Out::Str(s) => Some(View::Str(s)),
        }
    }

    /// As `Value::as_i64`.
    pub(super) fn as_i64(&self) -> Option<i64> {
        self.view().and_then(|v| v.as_i64())
    }
}

/// A value as `Value`'s equality sees it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum View<'a> {
    Null,
    Bool(bool),
    Num(Number),
    Str(&'a str),
    /// An array or an object.
    Json(&'a Value),
}

impl View<'_> {
    pub(super) fn of(value: &Value) -> View<'_> {
        match value {
            Value::Null => View::Null,
            Value::Bool(b) => View::Bool(*b),
            Value::Number(n) => View::Num(n.clone()),
            Value::String(s) => View::Str(s),
            other => View::Json(other),
        }
    }

    pub(super) fn as_i64(&self) -> Option<i64> {
        match self {
            View::Num(n) => n.as_i64(),
            _ => None,
        }
    }
}

pub(super) struct Slots<'a>(pub(super) Vec<Out<'a>>);

impl<'a> Slots<'a> {
    /// `len` empty slots, in the last event's vector.
    pub(super) fn new(len: usize) -> Slots<'a> {
        let mut slots = respan(SPARE_SLOTS.with_borrow_mut(std::mem::take));
        slots.resize(len, Out::Empty);
        Slots(slots)
    }

    /// Gives the vector back for the next event.
    pub(super) fn recycle(self) {
        SPARE_SLOTS.with_borrow_mut(|spare| *spare = respan(self.0));
    }

    /// As `convert::write`: the value, and the caption of an id beside it
    /// (`other` for 99 Other: the source's own value).
    pub(super) fn put(&mut self, target: &'a Target, value: Out<'a>, other: Option<&'a str>) {
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
    pub(super) fn any(&self, range: Range<usize>) -> bool {
        self.0[range].iter().any(|s| !s.is_empty())
    }
}

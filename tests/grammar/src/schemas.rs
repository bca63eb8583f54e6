//! The schema grammar: every construct the generator is to support (issue
//! 12, and `if`/`then`/`else`, `contains` with `minContains`/`maxContains`,
//! `unevaluatedProperties`/`unevaluatedItems` beside applicators from issue
//! 24), nested a few levels deep, with `$defs` and `$ref`s into them.

use serde_json::{Map, Value, json};

use crate::Source;

/// Property names: plain, Rust keywords, odd characters, near-collisions.
const NAMES: &[&str] = &[
    "a",
    "b",
    "id",
    "type",
    "self",
    "a b",
    "x-a",
    "n_1",
    "A",
    "é",
    "",
    "Not Available",
    "not available",
];

/// Patterns with ECMA-262 features (classes, anchors, lookaround, unicode).
pub(crate) const PATTERNS: &[&str] = &[
    "^[a-z]+$",
    "^\\d{2,3}$",
    "\\w",
    "^(?=.*\\d).+$",
    "^(?!x)",
    "a|b",
    "^.$",
    "^\\p{L}*$",
    "^[^\\s]*$",
    "^(a)\\1$",
];

pub(crate) const FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "email",
    "uuid",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "hostname",
    "idn-hostname",
    "idn-email",
    "duration",
    "json-pointer",
    "relative-json-pointer",
    "uri-template",
    "regex",
];

/// JSON values for `const`, `enum` and wrong-type instances.
pub(crate) fn pool(source: &mut Source<'_>) -> Value {
    match source.below(14) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(false),
        3 => json!(0),
        4 => json!(1),
        5 => json!(-7),
        6 => json!(2.5),
        7 => json!(""),
        8 => json!("a"),
        9 => json!("Not Available"),
        10 => json!([]),
        11 => json!([1, "a"]),
        12 => json!({}),
        _ => json!({ "a": 1 }),
    }
}

/// The number bounds and steps a schema uses.
fn bound(source: &mut Source<'_>, integer: bool) -> Value {
    let ints = [0, 1, -1, 3, 10, -100, 255];
    let floats = [0.5, -1.5, 2.25, 1e3, 0.1];
    if integer && !source.one_in(4) {
        json!(source.pick(&ints))
    } else {
        json!(source.pick(&floats))
    }
}

/// A derived schema, its `$defs` gathered at the root.
struct Builder<'s, 'a> {
    source: &'s mut Source<'a>,
    defs: Map<String, Value>,
}

/// Derives an object schema (the root).
pub fn schema(source: &mut Source<'_>) -> Value {
    let mut builder = Builder {
        source,
        defs: Map::new(),
    };
    let mut root = builder.object(3, 1);
    if root["properties"].as_object().is_none_or(Map::is_empty) {
        root["properties"] = json!({ "a": { "type": "integer" } });
    }
    if !builder.defs.is_empty() {
        root["$defs"] = Value::Object(std::mem::take(&mut builder.defs));
    }
    root
}

impl Builder<'_, '_> {
    fn any(&mut self, depth: usize) -> Value {
        let choices = if depth == 0 { 9 } else { 15 };
        match self.source.below(choices) {
            0 => self.integer(),
            1 => self.number(),
            2 | 3 => self.string(),
            4 => json!({ "type": "boolean" }),
            5 => {
                // Nullable scalar: `type` as a list.
                let mut inner = self.any(0);
                if let Some(t) = inner.get("type").and_then(Value::as_str) {
                    inner["type"] = json!([t, "null"]);
                }
                inner
            }
            6 => {
                let n = 1 + self.source.below(4);
                let mut values: Vec<Value> = Vec::new();
                for _ in 0..n {
                    // `enum` items are unique (jsonschema refuses the schema otherwise).
                    let value = pool(self.source);
                    if !values.contains(&value) {
                        values.push(value);
                    }
                }
                json!({ "enum": values })
            }
            7 => json!({ "const": pool(self.source) }),
            8 => self.typeless(),
            9 | 10 => self.array(depth - 1),
            11 | 12 => self.object(depth - 1, 0),
            13 => self.composition(depth - 1),
            _ => self.reference(depth - 1),
        }
    }

    fn integer(&mut self) -> Value {
        let mut s = json!({ "type": "integer" });
        self.numeric_keywords(&mut s, true);
        s
    }

    fn number(&mut self) -> Value {
        let mut s = json!({ "type": "number" });
        self.numeric_keywords(&mut s, false);
        s
    }

    /// Bounds that leave values between them (a schema no value satisfies
    /// is the generator's to refuse, and says nothing of the types).
    fn numeric_keywords(&mut self, s: &mut Value, integer: bool) {
        let low = if self.source.one_in(3) {
            let value = bound(self.source, integer);
            let keyword = *self.source.pick(&["minimum", "exclusiveMinimum"]);
            s[keyword] = value.clone();
            value.as_f64()
        } else {
            None
        };
        if self.source.one_in(3) {
            let value = bound(self.source, integer);
            let value = match (low, value.as_f64()) {
                // At least two integers above the lower bound.
                (Some(low), Some(high)) if high < low + 3.0 => json!(low.floor() as i64 + 3),
                _ => value,
            };
            let keyword = *self.source.pick(&["maximum", "exclusiveMaximum"]);
            s[keyword] = value;
        }
        if self.source.one_in(5) {
            let steps = [json!(2), json!(3), json!(0.5), json!(0.1), json!(0.25)];
            s["multipleOf"] = self.source.pick(&steps).clone();
        }
    }

    fn string(&mut self) -> Value {
        let mut s = json!({ "type": "string" });
        if self.source.one_in(3) {
            s["minLength"] = json!(self.source.below(3));
        }
        if self.source.one_in(3) {
            s["maxLength"] = json!(1 + self.source.below(4));
        }
        if self.source.one_in(4) {
            s["pattern"] = json!(self.source.pick(PATTERNS));
        }
        if self.source.one_in(3) {
            s["format"] = json!(self.source.pick(FORMATS));
        }
        s
    }

    /// A keyword without `type`: it constrains its own type only.
    fn typeless(&mut self) -> Value {
        match self.source.below(8) {
            0 => json!({ "minimum": bound(self.source, true) }),
            1 => json!({ "maximum": bound(self.source, false) }),
            2 => json!({ "format": self.source.pick(FORMATS) }),
            3 => json!({ "maxLength": self.source.below(3) }),
            4 => json!({ "additionalProperties": false }),
            5 => json!({ "minItems": 1 }),
            6 => json!({ "multipleOf": 2 }),
            _ => json!(self.source.below(2) == 0),
        }
    }

    fn array(&mut self, depth: usize) -> Value {
        let mut s = json!({ "type": "array" });
        if self.source.one_in(3) {
            let n = 1 + self.source.below(2);
            let prefix: Vec<Value> = (0..n).map(|_| self.any(depth)).collect();
            s["prefixItems"] = Value::Array(prefix);
            if self.source.below(2) == 0 {
                s["items"] = json!(false);
            }
        } else if !self.source.one_in(5) {
            s["items"] = self.any(depth);
        }
        if self.source.one_in(3) {
            s["minItems"] = json!(self.source.below(3));
        }
        if self.source.one_in(3) {
            s["maxItems"] = json!(1 + self.source.below(3));
        }
        if self.source.one_in(4) {
            s["uniqueItems"] = json!(true);
        }
        if self.source.one_in(4) {
            s["contains"] = self.any(depth);
            if s.get("items").is_none() && self.source.one_in(2) {
                // The items `prefixItems` and `contains` did not evaluate.
                s["unevaluatedItems"] = self.unevaluated();
            }
            // `minContains: 0` lifts the need for a match; `maxContains`
            // alone still needs one.
            if self.source.one_in(2) {
                s["minContains"] = json!(self.source.below(3));
            }
            if self.source.one_in(2) {
                s["maxContains"] = json!(self.source.below(3));
            }
        }
        s
    }

    fn object(&mut self, depth: usize, min_properties: usize) -> Value {
        let mut s = json!({ "type": "object" });
        let n = min_properties + self.source.below(4);
        let mut properties = Map::new();
        let mut required = Vec::new();
        for _ in 0..n {
            let name = (*self.source.pick(NAMES)).to_owned();
            let schema = self.any(depth);
            if self.source.below(2) == 0 && !required.contains(&json!(name)) {
                required.push(json!(name));
            }
            properties.insert(name, schema);
        }
        s["properties"] = Value::Object(properties);
        if !required.is_empty() {
            s["required"] = Value::Array(required);
        }
        match self.source.below(6) {
            0 => s["additionalProperties"] = json!(false),
            1 => s["additionalProperties"] = json!(true),
            2 => s["additionalProperties"] = self.any(depth.saturating_sub(1)),
            _ => {}
        }
        if self.source.one_in(5) {
            s["patternProperties"] = json!({ "^x-": self.any(0) });
        }
        if self.source.one_in(6) {
            s["propertyNames"] = json!({ "maxLength": 2 });
        }
        if self.source.one_in(6) {
            s["minProperties"] = json!(1);
        }
        if self.source.one_in(6) {
            s["maxProperties"] = json!(2);
        }
        if self.source.one_in(6) {
            s["dependentRequired"] = json!({ "a": ["b"] });
        }
        s
    }

    fn composition(&mut self, depth: usize) -> Value {
        let keyword = *self.source.pick(&["allOf", "anyOf", "oneOf", "not", "if"]);
        let mut s = if keyword == "not" {
            json!({ "not": self.any(depth) })
        } else if keyword == "if" {
            // `then` and `else` each, one, or neither (then `if` constrains nothing).
            let mut s = json!({ "if": self.any(depth) });
            if !self.source.one_in(4) {
                s["then"] = self.any(depth);
            }
            if !self.source.one_in(3) {
                s["else"] = self.any(depth);
            }
            s
        } else {
            let parts: Vec<Value> = (0..2).map(|_| self.any(depth)).collect();
            json!({ keyword: parts })
        };
        // What the branches evaluated, tracked beside them.
        if self.source.one_in(3) {
            s["unevaluatedProperties"] = self.unevaluated();
        }
        if self.source.one_in(4) {
            s["unevaluatedItems"] = self.unevaluated();
        }
        s
    }

    /// The value of an `unevaluatedProperties`/`unevaluatedItems`: mostly `false`.
    fn unevaluated(&mut self) -> Value {
        if self.source.one_in(3) {
            self.any(0)
        } else {
            json!(false)
        }
    }

    fn reference(&mut self, depth: usize) -> Value {
        if self.source.one_in(6) {
            // Recursion through the root (an object, so the cycle ends in an optional field).
            return json!({ "$ref": "#" });
        }
        let name = format!("d{}", self.defs.len());
        // A placeholder first, so a definition may refer to itself.
        self.defs.insert(name.clone(), json!(true));
        let target = if self.source.one_in(4) {
            // A linked list: recursion through `$ref`.
            json!({
                "type": "object",
                "properties": { "next": { "$ref": format!("#/$defs/{name}") }, "n": { "type": "integer" } },
            })
        } else {
            self.any(depth)
        };
        self.defs.insert(name.clone(), target);
        let mut s = json!({ "$ref": format!("#/$defs/{name}") });
        if self.source.one_in(4) {
            s["maximum"] = json!(10);
        }
        s
    }
}

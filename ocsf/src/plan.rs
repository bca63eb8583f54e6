//! The mapping compiled for the converter: paths split into steps, the
//! caption of every enumerated attribute and the pattern of every typed
//! string looked up once in the vendored OCSF document.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use regex::bytes::{Regex, RegexBuilder};
use serde_json::Value;

use crate::check;
use crate::line::Layout;
use crate::model::{self, Activity, Conv, Step, steps};
use crate::ocsf_doc::{Attribute, Class, Doc};

/// The stock mapping, compiled once.
pub(crate) static PLAN: LazyLock<Plan> = LazyLock::new(|| {
    let mapping = model::parse(model::FILES).expect("the stock mapping parses (checked at build)");
    Plan::new(&mapping, &Doc::vendored())
});

#[derive(Debug)]
pub(crate) struct Plan {
    pub product: Value,
    /// `product` as JSON text.
    pub product_text: Vec<u8>,
    pub types: HashMap<String, TypePlan>,
    pub base: ClassInfo,
    /// The Base Event's output shape (`None`: written through a `Value`).
    pub base_layout: Option<Layout>,
}

#[derive(Debug)]
pub(crate) struct TypePlan {
    pub routes: Vec<RoutePlan>,
}

#[derive(Debug)]
pub(crate) struct ClassInfo {
    pub uid: i64,
    pub caption: String,
    pub category_uid: i64,
    pub category_name: String,
    /// `activity_id` with its caption sibling `activity_name`.
    pub activity: Target,
    /// `severity_id` with `severity`.
    pub severity: Target,
}

#[derive(Debug)]
pub(crate) struct RoutePlan {
    pub class: ClassInfo,
    pub when: Option<(String, Vec<String>, bool)>,
    pub fixed_activity: Option<i64>,
    pub set: Vec<(Target, Value)>,
    /// The activity table (when the activity comes from a field) and the rules.
    pub rules: Vec<RulePlan>,
    pub defaults: Vec<(Target, Value, Option<Vec<Step>>)>,
    /// The source fields some rule reads.
    pub reads: HashSet<String>,
    /// The same, sorted (rules give their place in it as `source`).
    pub sources: Vec<String>,
    /// For each of `defaults`, the slots under its `only_if` path (empty when none).
    pub only_if_slots: Vec<Range<usize>>,
    /// The output's shape (`None`: written through a `Value`).
    pub layout: Option<Layout>,
}

/// An attribute to write: its path, what its values must match, its caption.
#[derive(Debug)]
pub(crate) struct Target {
    pub steps: Vec<Step>,
    pub pattern: Option<Regex>,
    pub max_len: Option<usize>,
    pub base: String,
    /// `base`, as the fast path matches it.
    pub kind: Kind,
    /// For an enumerated `*_id`: the sibling holding the caption, and the captions.
    pub caption: Option<(Vec<Step>, BTreeMap<String, String>)>,
    /// The captions by integer id (those of `caption` whose key is an integer as written).
    pub caption_ids: Vec<(i64, String)>,
    /// The slot of the attribute in its route's [`Layout`].
    pub slot: usize,
    /// The slots at and below it (one, unless it is an object written whole).
    pub span: Range<usize>,
    /// The slot of the caption sibling.
    pub caption_slot: Option<usize>,
}

#[derive(Debug)]
pub(crate) struct RulePlan {
    pub from: String,
    /// Where `from` is in its route's `sources`.
    pub source: usize,
    pub conv: Conv,
    pub targets: Vec<Target>,
    pub table: Vec<(String, Value)>,
    pub fallback: Option<Value>,
    pub fold_case: bool,
    pub types: Option<Vec<String>>,
    /// `types` as a set of [`type_bit`]s.
    pub type_mask: Option<u8>,
    pub with: Vec<(Target, Value)>,
    /// A default written at the first target: read back as "absent".
    pub default: Option<Value>,
}

/// An attribute's base type, as [`Target::base`] names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Json,
    String,
    Integer,
    Long,
    Boolean,
    Float,
    Other,
}

impl Kind {
    fn of(base: &str) -> Kind {
        match base {
            "json_t" => Kind::Json,
            "string_t" => Kind::String,
            "integer_t" => Kind::Integer,
            "long_t" => Kind::Long,
            "boolean_t" => Kind::Boolean,
            "float_t" => Kind::Float,
            _ => Kind::Other,
        }
    }
}

/// The JSON type names `check::type_of` gives, each a bit.
pub(crate) const TYPE_NAMES: [&str; 7] = [
    "null", "boolean", "integer", "number", "string", "array", "object",
];

/// The bit of a JSON type name (none for a name `check::type_of` never gives).
pub(crate) fn type_bit(name: &str) -> u8 {
    TYPE_NAMES
        .iter()
        .position(|t| *t == name)
        .map_or(0, |i| 1 << i)
}

impl Plan {
    pub fn new(mapping: &model::Mapping, doc: &Doc) -> Plan {
        let types = mapping
            .types
            .iter()
            .map(|(_, t)| {
                let routes = t
                    .routes
                    .iter()
                    .map(|r| route(doc, r, &mapping.common.rules))
                    .collect();
                (t.log_type.clone(), TypePlan { routes })
            })
            .collect();
        let mut base = class_info(doc, "base_event");
        let base_layout = Layout::for_base(&mut base);
        let product = serde_json::to_value(&mapping.common.product).unwrap_or_default();
        Plan {
            product_text: serde_json::to_vec(&product).unwrap_or_default(),
            product,
            types,
            base,
            base_layout,
        }
    }
}

fn class_info(doc: &Doc, name: &str) -> ClassInfo {
    let class = &doc.classes[name];
    let category_name = class.attributes["category_uid"]
        .enum_
        .as_ref()
        .and_then(|e| e.get(&class.category_uid.to_string()))
        .cloned()
        .unwrap_or_default();
    ClassInfo {
        uid: class.uid,
        caption: class.caption.clone(),
        category_uid: class.category_uid,
        category_name,
        activity: target(doc, class, "activity_id"),
        severity: target(doc, class, "severity_id"),
    }
}

fn target(doc: &Doc, class: &Class, path: &str) -> Target {
    let attribute: &Attribute = check::resolve(doc, class, path).expect("checked at build");
    let steps = steps(path);
    let base = doc.base(&attribute.type_).to_owned();
    let ty = doc.types.get(&attribute.type_);
    let pattern = ty.and_then(|t| t.regex.as_deref()).map(|r| {
        RegexBuilder::new(r)
            .unicode(false)
            .build()
            .expect("the OCSF type patterns compile")
    });
    let max_len = ty.and_then(|t| t.max_len);
    let caption = attribute.enum_.as_ref().and_then(|captions| {
        let (last, parents) = steps.split_last()?;
        let name = match last.name.as_str() {
            "activity_id" => "activity_name".to_owned(),
            other => other.strip_suffix("_id")?.to_owned(),
        };
        let mut sibling: Vec<Step> = parents.to_vec();
        sibling.push(Step {
            name: name.clone(),
            array: false,
        });
        let sibling_path = match path.rsplit_once('.') {
            Some((parent, _)) => format!("{parent}.{name}"),
            None => name,
        };
        check::resolve(doc, class, &sibling_path).ok()?;
        Some((sibling, captions.clone()))
    });
    let caption_ids = caption
        .iter()
        .flat_map(|(_, captions)| captions)
        .filter_map(|(id, text)| {
            let n: i64 = id.parse().ok()?;
            (n.to_string() == *id).then(|| (n, text.clone()))
        })
        .collect();
    Target {
        steps,
        pattern,
        max_len,
        kind: Kind::of(&base),
        base,
        caption,
        caption_ids,
        slot: 0,
        span: 0..0,
        caption_slot: None,
    }
}

fn route(doc: &Doc, r: &model::Route, common: &[model::Rule]) -> RoutePlan {
    let class = &doc.classes[&r.class];
    let info = class_info(doc, &r.class);
    let defaults: Vec<(Target, Value, Option<Vec<Step>>)> = r
        .defaults
        .iter()
        .map(|d| {
            (
                target(doc, class, &d.at),
                d.value.clone(),
                d.only_if.as_deref().map(steps),
            )
        })
        .collect();
    let default_at = |path: &str| {
        r.defaults
            .iter()
            .find(|d| d.at == path)
            .map(|d| d.value.clone())
    };
    let mut rules = Vec::new();
    let mut fixed_activity = None;
    match &r.activity {
        Activity::Fixed { id } => fixed_activity = Some(*id),
        Activity::Table {
            from,
            table,
            fallback,
        } => rules.push(RulePlan {
            from: from.clone(),
            conv: Conv::Table,
            targets: vec![target(doc, class, "activity_id")],
            table: table
                .iter()
                .map(|(k, v)| (k.clone(), Value::from(*v)))
                .collect(),
            fallback: Some(Value::from(*fallback)),
            fold_case: false,
            types: None,
            type_mask: None,
            source: 0,
            with: Vec::new(),
            default: None,
        }),
    }
    for rule in common.iter().chain(&r.rules) {
        rules.push(RulePlan {
            from: rule.from.clone(),
            conv: rule.conv,
            targets: rule.to.iter().map(|t| target(doc, class, t)).collect(),
            table: rule
                .table
                .iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            fallback: rule.fallback.clone(),
            fold_case: rule.fold_case,
            types: rule.types.clone(),
            type_mask: rule
                .types
                .as_ref()
                .map(|t| t.iter().fold(0, |m, t| m | type_bit(t))),
            source: 0,
            with: rule
                .with
                .iter()
                .map(|(p, v)| (target(doc, class, p), v.clone()))
                .collect(),
            default: default_at(&rule.to[0]),
        });
    }
    let reads: HashSet<String> = rules.iter().map(|r| r.from.clone()).collect();
    let mut sources: Vec<String> = reads.iter().cloned().collect();
    sources.sort();
    for rule in &mut rules {
        rule.source = sources.binary_search(&rule.from).unwrap_or(0);
    }
    let mut plan = RoutePlan {
        class: info,
        when: r.when.as_ref().map(|w| {
            let values = w.values.clone();
            (w.field.clone(), values, w.fold_case)
        }),
        fixed_activity,
        set: r
            .set
            .iter()
            .map(|(p, v)| (target(doc, class, p), v.clone()))
            .collect(),
        rules,
        defaults,
        reads,
        sources,
        only_if_slots: Vec::new(),
        layout: None,
    };
    plan.layout = Layout::for_route(&mut plan);
    plan
}

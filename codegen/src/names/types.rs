//! The allocator of type names across one generated module.

use std::collections::{BTreeMap, BTreeSet};

use super::case::pascal_case;
use super::rename::{NameKind, Rename, check_chosen};

/// Names from the prelude and `std` that generated code uses unqualified; a
/// schema type must not shadow them.
const PRELUDE_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "ToString",
    "ToOwned",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Extend",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "TryFrom",
    "TryInto",
    "Debug",
    "Hash",
    "Serialize",
    "Deserialize",
    "Self",
];

/// Hands out distinct type names across one generated module.
#[derive(Debug)]
pub struct TypeNames {
    /// Names handed out, each with who holds it (for warnings).
    taken: BTreeMap<String, String>,
    /// Names some schema chooses with `x-rust-name`, kept from the others.
    chosen: BTreeSet<String>,
    renames: Vec<Rename>,
}

impl TypeNames {
    /// An allocator where `reserved` (names the generated runtime uses) are
    /// already taken, as are the prelude's types.
    pub fn new(reserved: &[&str]) -> Self {
        let prelude = PRELUDE_TYPES
            .iter()
            .map(|s| ((*s).to_owned(), "a name of the rust prelude".to_owned()));
        let runtime = reserved.iter().map(|s| {
            (
                (*s).to_owned(),
                "a type the generated code defines".to_owned(),
            )
        });
        TypeNames {
            taken: prelude.chain(runtime).collect(),
            chosen: BTreeSet::new(),
            renames: Vec::new(),
        }
    }

    /// Keeps `names` (every `x-rust-name` of the schemas) for the schemas
    /// choosing them: [`claim`](Self::claim) hands them to no one else.
    pub fn reserve_chosen<'n>(&mut self, names: impl IntoIterator<Item = &'n str>) {
        self.chosen.extend(names.into_iter().map(str::to_owned));
    }

    /// Gives the chosen name `name` to the schema at `place`, or says why it cannot.
    pub fn choose(&mut self, name: &str, place: &str) -> Result<String, String> {
        check_chosen(NameKind::Type, name)?;
        if let Some(holder) = self.taken.get(name) {
            return Err(format!("chosen name `{name}` is already {holder}"));
        }
        self.taken
            .insert(name.to_owned(), format!("the type of {place}"));
        Ok(name.to_owned())
    }

    /// A type name from the first candidate that converts to a name (title,
    /// then key); on a collision, prefixed with `scope` (the enclosing type
    /// or file), then numbered.
    pub fn claim(&mut self, candidates: &[&str], scope: &str) -> String {
        self.claim_at(candidates, scope, "")
    }

    /// [`claim`](Self::claim) for the schema at `place` (`file#pointer`,
    /// shown in the warning of a later schema that wanted the same name); a
    /// name other than the candidate's conversion is recorded as a [`Rename`].
    pub fn claim_at(&mut self, candidates: &[&str], scope: &str, place: &str) -> String {
        let found = candidates
            .iter()
            .find_map(|c| pascal_case(c).map(|name| (*c, name)));
        let text = found
            .as_ref()
            .map(|(text, _)| *text)
            .or_else(|| candidates.first().copied())
            .unwrap_or_default();
        let wanted = found.map(|(_, name)| name);
        let base = wanted.clone().unwrap_or_else(|| "Type".to_owned());
        let is_taken = |names: &Self, name: &str| {
            names.taken.contains_key(name) || names.chosen.contains(name)
        };
        let mut candidate = base.clone();
        if is_taken(self, &candidate) {
            candidate = format!("{}{base}", pascal_case(scope).unwrap_or_default());
        }
        if is_taken(self, &candidate) {
            candidate = format!("{base}Type");
        }
        let stem = candidate.clone();
        let mut n = 2;
        while is_taken(self, &candidate) {
            candidate = format!("{stem}{n}");
            n += 1;
        }
        if wanted.as_deref() != Some(candidate.as_str()) {
            let taken_by = self.taken.get(&base).cloned().or_else(|| {
                self.chosen
                    .contains(&base)
                    .then(|| "a schema choosing it with `x-rust-name`".to_owned())
            });
            self.renames.push(Rename {
                kind: NameKind::Type,
                text: text.to_owned(),
                wanted,
                given: candidate.clone(),
                taken_by,
            });
        }
        let holder = if place.is_empty() {
            format!("the type for {text:?}")
        } else {
            format!("the type of {place}")
        };
        self.taken.insert(candidate.clone(), holder);
        candidate
    }

    /// The renames so far, in order, leaving none behind.
    pub fn take_renames(&mut self) -> Vec<Rename> {
        std::mem::take(&mut self.renames)
    }
}

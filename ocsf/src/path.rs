//! Reading and writing an attribute path (`file.hashes[].value`) in a JSON
//! value: `[]` is the first element of an array.

use serde_json::{Map, Value};

use crate::model::Step;

/// The value at `steps`, if any.
pub fn get<'a>(mut value: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    for step in steps {
        value = value.get(&step.name)?;
        if step.array {
            value = value.get(0)?;
        }
    }
    Some(value)
}

/// The value at `steps` in an object, if any.
pub fn get_map<'a>(root: &'a Map<String, Value>, steps: &[Step]) -> Option<&'a Value> {
    let (first, rest) = steps.split_first()?;
    let mut value = root.get(&first.name)?;
    if first.array {
        value = value.get(0)?;
    }
    get(value, rest)
}

/// Writes `new` at `steps`, making the objects and arrays on the way.
pub fn set(root: &mut Map<String, Value>, steps: &[Step], new: Value) {
    let Some((last, parents)) = steps.split_last() else {
        return;
    };
    let mut map = root;
    for step in parents {
        // Looked up before inserting: the name is cloned only when new.
        if !map.contains_key(&step.name) {
            let fresh = if step.array {
                Value::Array(vec![Value::Object(Map::new())])
            } else {
                Value::Object(Map::new())
            };
            map.insert(step.name.clone(), fresh);
        }
        let Some(slot) = map.get_mut(&step.name) else {
            return;
        };
        let slot = if step.array {
            let Value::Array(items) = slot else { return };
            if items.is_empty() {
                items.push(Value::Object(Map::new()));
            }
            &mut items[0]
        } else {
            slot
        };
        let Value::Object(next) = slot else { return };
        map = next;
    }
    match (map.get_mut(&last.name), last.array) {
        (Some(Value::Array(items)), true) if items.is_empty() => items.push(new),
        (Some(Value::Array(items)), true) => items[0] = new,
        (Some(slot), false) => *slot = new,
        (Some(_), true) => {}
        (None, true) => {
            map.insert(last.name.clone(), Value::Array(vec![new]));
        }
        (None, false) => {
            map.insert(last.name.clone(), new);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::steps;
    use serde_json::json;

    #[test]
    fn paths_with_arrays_are_written_and_read_back() {
        let mut root = Map::new();
        set(&mut root, &steps("file.hashes[].value"), json!("ab"));
        set(&mut root, &steps("file.hashes[].algorithm_id"), json!(3));
        set(
            &mut root,
            &steps("finding_info.data_sources[]"),
            json!("Box"),
        );
        let v = Value::Object(root);
        assert_eq!(
            v,
            json!({"file": {"hashes": [{"value": "ab", "algorithm_id": 3}]}, "finding_info": {"data_sources": ["Box"]}})
        );
        assert_eq!(
            get(&v, &steps("file.hashes[].algorithm_id")),
            Some(&json!(3))
        );
        assert_eq!(
            get(&v, &steps("finding_info.data_sources[]")),
            Some(&json!("Box"))
        );
        assert_eq!(get(&v, &steps("file.name")), None);
    }
}

"""The pydantic models agree with the validator and round-trip every event they accept.

- Agreement: `LogEvent.model_validate_json` accepts exactly the events the
  validator finds valid (fixtures, capture records, and probes where
  pydantic's defaults and JSON Schema part ways).
- Lossless: an accepted event dumped with `model_dump_json(by_alias=True)` is
  the same JSON (unknown fields, unknown values, nulls, absent fields).
- Fresh: models.py is what python/generate_models.py writes from the export.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from aperture_events import Validator, _types, models
from conftest import CAPTURES, EXPORT, ROOT, capture_records, fixture_files
from pydantic import MISSING, ValidationError

BASE = {"log_type": "incident", "timestamp": "2017-08-14T23:20:57Z", "incident_id": "x"}
PROBES = [
    ("severity", 2.0), ("severity", "3"), ("severity", True), ("severity", None), ("severity", 6),
    ("occurrences_by_rule", 12.0), ("occurrences_by_rule", None), ("occurrences_by_rule", "12"),
    ("occurrences_by_rule", True), ("occurrences_by_rule", -1), ("occurrences_by_rule", 2**53),
    ("item_size", "2048"), ("item_size", 2048.0), ("item_size", True), ("item_size", -1), ("item_size", 2.5),
    ("timestamp", "2017-08-14T23:20:57.5+02:00"), ("timestamp", 1483729446), ("timestamp", "2017-08-14T23:20:57"),
    ("timestamp", "2017-08-14 23:20:57Z"), ("timestamp", "2017-02-30T00:00:00Z"),
    ("item_name", None), ("serial", None), ("exposure", "RESTRICTED"), ("exposure", 3), ("extra", {"nested": [1, None]}),
]


def differences(before: object, after: object, place: str = "") -> list[str]:
    """Where two JSON values differ, comparing numbers by value (1.0 == 1) but never a bool with a number."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in list(before) + [k for k in after if k not in before]:
            if key not in after:
                found.append(f"{place}/{key} dropped")
            elif key not in before:
                found.append(f"{place}/{key} added")
            else:
                found += differences(before[key], after[key], f"{place}/{key}")
        return found
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [d for i, (b, a) in enumerate(zip(before, after)) for d in differences(b, a, f"{place}/{i}")]
    same_kind = isinstance(before, bool) == isinstance(after, bool) and \
        isinstance(before, (dict, list)) == isinstance(after, (dict, list))
    return [] if same_kind and before == after else [f"{place or '/'} changed"]


def test_differences_sees_what_matters():
    assert differences({"a": 1, "b": [None]}, {"a": 1.0, "b": [None]}) == []
    assert differences({"a": 1}, {}) == ["/a dropped"]
    assert differences({"a": True}, {"a": 1}) == ["/a changed"]


def events() -> list[tuple[str, bytes]]:
    found = [(f"{p.parent.name}/{p.name}", p.read_bytes()) for p in fixture_files() if p.parent != CAPTURES]
    return found + capture_records()


def load(data: bytes):
    try:
        return models.LogEvent.model_validate_json(data)
    except ValidationError:
        return None


def test_models_accept_exactly_the_valid_events_and_round_trip_them(validator):
    accepted = rejected = 0
    for name, data in events():
        valid = validator.validate(data).class_ == "valid"
        event = load(data)
        assert (event is not None) == valid, name
        if event is None:
            rejected += 1
            continue
        accepted += 1
        again = json.loads(event.model_dump_json(by_alias=True))
        assert differences(json.loads(data), again) == [], name
        # And loading the dump gives the same model.
        assert models.LogEvent.model_validate_json(event.model_dump_json(by_alias=True)) == event
    assert accepted > 40 and rejected > 25


@pytest.mark.parametrize("field,value", PROBES, ids=lambda v: repr(v))
def test_probes_where_pydantic_and_json_schema_part_ways(field, value, validator):
    event = json.dumps({**BASE, field: value})
    valid = validator.validate(event).class_ == "valid"
    loaded = load(event.encode())
    assert (loaded is not None) == valid
    if loaded is not None:
        assert differences(json.loads(event), json.loads(loaded.model_dump_json(by_alias=True))) == []


def test_absent_stays_absent_null_stays_null_unknown_fields_are_kept():
    event = models.LogEvent.model_validate_json(json.dumps({**BASE, "serial": None, "remoteAddress": "10.0.0.1"}))
    incident = event.root
    assert isinstance(incident, models.Incident)
    assert incident.severity is MISSING and incident.serial is None
    assert incident.model_extra == {"remoteAddress": "10.0.0.1"}
    assert json.loads(event.model_dump_json(by_alias=True)) == {**BASE, "serial": None, "remoteAddress": "10.0.0.1"}


def test_open_value_sets_keep_the_spelling_and_compare_by_value():
    def exposure(value: str):
        return models.LogEvent.model_validate_json(json.dumps({**BASE, "exposure": value})).root.exposure

    upper, other = exposure("COMPANY"), exposure("Restricted")
    assert upper.root == "COMPANY" and other.root == "Restricted"
    # x-case-insensitive: every ASCII case of a known value is that value, the spelling kept.
    assert upper == models.Exposure("Company") == exposure("company") and upper.canonical() == "Company"
    assert hash(upper) == hash(models.Exposure("cOMPANY")) and len({upper, exposure("Company")}) == 1
    assert json.loads(models.LogEvent.model_validate_json(json.dumps({**BASE, "exposure": "cOmPaNy"}))
                      .model_dump_json(by_alias=True))["exposure"] == "cOmPaNy"
    # Unknown values compare exactly; sets without x-case-insensitive compare by their string.
    assert other != models.Exposure("RESTRICTED") and other.canonical() == "Restricted"
    assert models.ItemType("FOLDER") == models.ItemType("Folder")
    assert models.AdminAction("Login") != models.AdminAction("login")
    known, quirks = models.OPEN_VALUE_SETS["Exposure"]
    assert upper.root in known and upper.root in quirks and other.root not in known


def test_case_insensitive_sets_are_the_exports():
    union = json.loads((EXPORT / "log_event.schema.json").read_text("utf-8"))
    marked = {d["title"] for d in union["$defs"].values() if d.get("x-case-insensitive")}
    assert marked == {"Exposure", "ItemType"}
    classes = {name: getattr(models, name) for name in dir(models) if isinstance(getattr(models, name), type)}
    assert {name for name, cls in classes.items()
            if issubclass(cls, _types.CaseInsensitiveValue) and cls is not _types.CaseInsensitiveValue} == marked


def test_open_value_sets_are_the_exports():
    union = json.loads((EXPORT / "log_event.schema.json").read_text("utf-8"))
    listed = {d["title"]: (frozenset(d["x-known-values"]), frozenset(d.get("x-quirk-values", [])))
              for d in union["$defs"].values() if "x-known-values" in d}
    assert models.OPEN_VALUE_SETS == listed


def test_exact_types_restate_the_exports_bounds():
    defs = json.loads((EXPORT / "log_event.schema.json").read_text("utf-8"))["$defs"]
    occurrences = defs["incident"]["properties"]["occurrences_by_rule"]
    assert (defs["severity"]["type"], defs["severity"]["minimum"], defs["severity"]["maximum"]) == \
        ("integer", _types.SEVERITY_MINIMUM, _types.SEVERITY_MAXIMUM)
    assert (defs["timestamp"]["type"], defs["timestamp"]["format"]) == ("string", "date-time")
    assert (defs["item_size"]["type"], defs["item_size"]["minimum"], defs["item_size"]["maximum"]) == \
        (["string", "integer"], 0, _types.COUNT_MAXIMUM)
    assert (occurrences["type"], occurrences["minimum"], occurrences["maximum"]) == \
        (["integer", "null"], 0, _types.COUNT_MAXIMUM)


def test_models_py_is_fresh():
    result = subprocess.run([sys.executable, str(ROOT / "python" / "generate_models.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

"""`Report.to_json()` writes what the published report schema describes
(validator/report.schema.json, issue 29): reports of every fixture and
capture in both readings, of hostile input, of a batch, merged reports, and a
hostile report read back (`from_json`) and written again. The schema is the
one `aperture-validate --report-schema` prints, checked with the `jsonschema`
package (draft 2020-12, formats asserted).
"""

from __future__ import annotations

import json

import jsonschema
import pytest
from aperture_events import Report, Validator
from conftest import CAPTURES, FIXTURES, KINDS, ROOT, cli_command
from test_report_readback import EVIL, hostile

SCHEMA = json.loads((ROOT / "validator" / "report.schema.json").read_text("utf-8"))
CHECKER = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def assert_conforms(report: Report) -> dict:
    document = json.loads(report.to_json())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in CHECKER.iter_errors(document)]
    assert not errors, errors
    return document


def test_the_schema_is_the_one_the_cli_prints():
    import subprocess

    printed = subprocess.run([*cli_command(), "--report-schema"], capture_output=True, text=True, check=True)
    assert json.loads(printed.stdout) == SCHEMA
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("strict", [False, True])
def test_reports_of_every_fixture_conform(strict):
    validator = Validator(strict=strict, show_values=strict)
    paths = [FIXTURES / kind for kind in KINDS] + sorted(p for p in CAPTURES.iterdir() if p.is_file())
    reports = [validator.validate_path(path) for path in paths]
    documents = [assert_conforms(report) for report in reports]
    # Reports with errors, drift and notes, not only clean ones.
    assert any(d["errors"] for d in documents)
    assert any(any(d["drift"].values()) for d in documents)
    assert_conforms(Report.merge_all(reports))
    assert_conforms(validator.validate_path(paths))


def test_reports_of_hostile_input_conform():
    validator = Validator(show_values=True)
    records = [
        b"{",
        b"[]",
        json.dumps({"log_type": EVIL, "x": EVIL}).encode(),
        json.dumps({"log_type": "incident", EVIL: 1, "severity": EVIL * 1000}).encode(),
        b'{"log_type": "incident", "log_type": "incident"}',
        b"\xff\xfe\x00",
    ]
    batch = validator.validate_batch([*records, None], source=EVIL)
    assert_conforms(batch.report)
    assert_conforms(validator.validate_input(b"\n".join(records), source=EVIL, max_errors=2))
    assert_conforms(validator.validate_path(ROOT / "no" / "such" / "file"))


def test_a_report_read_back_is_written_as_the_schema_says():
    document = hostile()
    report = Report.from_json(json.dumps(document))
    written = assert_conforms(report)
    assert written["summary"]["total"] == document["summary"]["total"]
    assert_conforms(report.merge(report))


def test_the_check_has_teeth():
    document = json.loads(Validator().validate_path(FIXTURES / "invalid").to_json())
    assert CHECKER.is_valid(document)
    for spoil in (
        lambda d: d["summary"].update(total="3"),
        lambda d: d["errors"][0].update({"class": "wrong"}),
        lambda d: d.pop("drift"),
    ):
        spoilt = json.loads(json.dumps(document))
        spoil(spoilt)
        assert not CHECKER.is_valid(spoilt)

"""Agreement with `aperture-validate --format json`, report for report and record for record.

Every fixture and every capture file: the report of `Validator.validate_path`
and of `Validator.validate_input` is the CLI's JSON document byte for byte (in
both readings, values masked and shown); every event, alone, gets from
`validate` and `validate_many` the class and the problems the CLI lists for it.
"""

from __future__ import annotations

import json

import pytest
from aperture_events import Validator
from conftest import CAPTURES, capture_records, fixture_files, run_cli, run_cli_text

READINGS = [(False, False), (True, False), (False, True)]


@pytest.fixture(scope="module")
def validators():
    return {(strict, show): Validator(strict=strict, show_values=show) for strict, show in READINGS}


def cli_flags(strict: bool, show: bool) -> list[str]:
    return [*(["--strict"] if strict else []), *(["--show-values"] if show else [])]


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_reports_equal_the_cli_json(path, validators):
    for (strict, show), validator in validators.items():
        expected = run_cli_text(*cli_flags(strict, show), "--max-errors", "1000", str(path))
        assert validator.validate_path(path).to_json() == expected, (strict, show)
        assert validator.validate_input(path.read_bytes(), str(path)).to_json() == expected, (strict, show)


def test_a_directory_and_several_paths_equal_the_cli(validator):
    assert validator.validate_path(CAPTURES).to_json() == run_cli_text(str(CAPTURES))
    files = [str(p) for p in fixture_files()]
    assert validator.validate_path(files, max_errors=7).to_json() == run_cli_text("--max-errors", "7", *files)


def expected_verdict(report: dict) -> tuple[str, list]:
    """The class and problems of the one record of a one-record CLI report."""
    summary = report["summary"]
    assert summary["total"] == 1
    (found,) = [kind for kind in ("valid", "invalid", "malformed", "unknown_type") if summary[kind] == 1]
    problems = report["errors"][0]["problems"] if report["errors"] else []
    return found, problems


def single_events(tmp_path_factory) -> list[tuple[str, bytes, str]]:
    """(name, bytes, path) of every event on its own: fixture files, and each capture record written alone."""
    folder = tmp_path_factory.mktemp("records")
    events = [(f"{p.parent.name}/{p.name}", p.read_bytes(), str(p)) for p in fixture_files() if p.parent != CAPTURES]
    for number, (name, data) in enumerate(capture_records()):
        path = folder / f"record-{number:03}.json"
        path.write_bytes(data)
        events.append((name, data, str(path)))
    return events


def test_every_record_gets_the_cli_verdict(tmp_path_factory, validators):
    events = single_events(tmp_path_factory)
    assert len(events) > 80
    seen = set()
    for (strict, show), validator in validators.items():
        many = validator.validate_many([data for _, data, _ in events])
        for (name, data, path), from_many in zip(events, many):
            expected_class, expected_problems = expected_verdict(run_cli(*cli_flags(strict, show), path))
            verdict = validator.validate(data)
            assert verdict == from_many, name
            assert verdict.class_ == expected_class, (name, strict)
            assert [p.to_dict() for p in verdict.problems] == expected_problems, (name, strict, show)
            # str and bytes are the same record.
            if not strict and not show:
                assert validator.validate(data.decode("utf-8")) == verdict
            seen.add(expected_class)
    assert seen == {"valid", "invalid", "malformed", "unknown_type"}


def test_fixture_directories_name_the_class(validator):
    for path in fixture_files():
        if path.parent.name in ("valid", "invalid", "malformed", "unknown_type"):
            assert validator.validate(path.read_bytes()).class_ == path.parent.name, path.name


def test_values_are_masked_unless_shown():
    event = json.dumps({"log_type": "incident", "timestamp": "jane.doe@example.com", "incident_id": "x",
                        "severity": "Jane Doe"})
    masked = Validator().validate(event)
    shown = Validator(show_values=True).validate(event)
    assert masked.class_ == shown.class_ == "invalid"
    masked_text = " ".join(p.message for p in masked.problems)
    shown_text = " ".join(p.message for p in shown.problems)
    assert "jane.doe" not in masked_text and "Jane Doe" not in masked_text
    assert "a string of 20 characters" in masked_text
    assert "jane.doe@example.com" in shown_text and "Jane Doe" in shown_text
    report = Validator().validate_input(event.encode(), "x.ndjson")
    assert "jane.doe" not in report.to_json()


def test_problems_name_pointer_keyword_and_schema_location(validator):
    verdict = validator.validate(b'{"log_type": "incident", "timestamp": "2017-08-14T23:20:57Z", "incident_id": "x", "severity": 9}')
    assert verdict.class_ == "invalid" and verdict.log_type == "incident"
    (problem,) = verdict.problems
    assert (problem.pointer, problem.keyword) == ("/severity", "maximum")
    assert problem.schema == "common.schema.json#/$defs/severity/maximum"
    assert problem.message == "must be at most 5, found an integer"
    broken = validator.validate(b'{"log_type":\n "incident",,}')
    assert broken.class_ == "malformed" and broken.syntax_position == (2, 13)

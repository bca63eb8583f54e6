"""The Python API itself: inputs it takes, options, errors, and batches on all cores."""

from __future__ import annotations

import threading

import pytest
from aperture_events import CLASSES, Report, SchemaError, Validator
from conftest import CAPTURES, FIXTURES, ROOT

EVENT = b'{"log_type": "incident", "timestamp": "2017-08-14T23:20:57Z", "incident_id": "x"}'


def test_the_installed_wheel_is_tested():
    import aperture_events

    assert "site-packages" in aperture_events.__file__


def test_records_come_as_bytes_str_bytearray_or_memoryview(validator):
    for data in (EVENT, EVENT.decode(), bytearray(EVENT), memoryview(EVENT)):
        assert validator.validate(data).class_ == "valid"
    with pytest.raises(TypeError, match="bytes or str"):
        validator.validate(42)
    with pytest.raises(TypeError):
        validator.validate_many([EVENT, None])


def test_validate_many_keeps_order_over_large_batches(validator):
    records = [EVENT, b"{", b'{"log_type": "dlp_scan"}', b'{"log_type": "incident"}'] * 5000
    verdicts = validator.validate_many(iter(records))
    assert [v.class_ for v in verdicts[:4]] == ["valid", "malformed", "unknown_type", "invalid"]
    assert [v.class_ for v in verdicts] == [v.class_ for v in verdicts[:4]] * 5000
    assert set(CLASSES) == {v.class_ for v in verdicts}


def test_classes_and_defaults_come_from_the_native_module(validator, tmp_path):
    import inspect

    import aperture_events
    from aperture_events import DEFAULT_MAX_ERRORS, _native, spark

    # One home: the Python package re-exports what Rust gives, it does not restate it.
    assert aperture_events.CLASSES is _native.CLASSES
    assert CLASSES == ("valid", "invalid", "malformed", "unknown_type")
    # The reports' summary counts exactly these classes.
    assert set(CLASSES) <= set(validator.validate_input(EVENT).summary)
    # DEFAULT_MAX_ERRORS is the default every call that reports uses, Spark's included.
    over = ['"x"'] * (DEFAULT_MAX_ERRORS + 1)
    assert validator.validate_batch(over).report.errors_omitted == 1
    assert validator.validate_input("\n".join(over)).errors_omitted == 1
    path = tmp_path / "over.ndjson"
    path.write_text("\n".join(over))
    assert validator.validate_path(path).errors_omitted == 1
    report = validator.validate_batch(over[1:]).report
    assert report.merge(validator.validate_input(over[0])).errors_omitted == 1
    assert Report.merge_all([report, validator.validate_input(over[0])]).errors_omitted == 1
    for function in (spark.validate, spark.validate_files):
        assert inspect.signature(function).parameters["max_errors"].default == DEFAULT_MAX_ERRORS


def test_other_threads_run_while_a_batch_is_validated(validator):
    # The GIL is released: a Python thread counts while validate_many works.
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(1)

    thread = threading.Thread(target=tick)
    thread.start()
    before = len(ticks)
    validator.validate_many([EVENT] * 200_000)
    during = len(ticks) - before
    done.set()
    thread.join()
    assert during > 0


def test_strict_reading_rejects_what_the_tolerant_accepts():
    quirky = (FIXTURES / "valid" / "incident_all_quirks.json").read_bytes()
    assert Validator().validate(quirky).class_ == "valid"
    strict = Validator(strict=True)
    assert strict.strict and not Validator().strict
    assert strict.validate(quirky).class_ == "invalid"
    assert strict.validate(b'{"log_type": "dlp_scan"}').class_ == "unknown_type"
    assert strict.validate(b'{"log_type": "dlp_scan"}').problems[0].keyword == "log_type"


def test_schema_dir_is_read_and_a_bad_one_refused(tmp_path):
    assert Validator(schema_dir=ROOT / "schema").validate(EVENT).class_ == "valid"
    with pytest.raises(SchemaError):
        Validator(schema_dir=tmp_path)
    assert issubclass(SchemaError, ValueError)


def test_validate_path_reports_what_it_cannot_read(validator, tmp_path):
    report = validator.validate_path([CAPTURES, tmp_path / "missing.ndjson"])
    assert report.summary["unreadable_inputs"] == 1
    assert report.exit_code() == 2 and report.inputs[0]["message"] == "cannot read: no such file"


def test_report_accessors(validator):
    report = validator.validate_path(CAPTURES)
    assert report.total == 31 and report.reading == "tolerant" and report.all_accepted()
    assert report.exit_code() == 0 and report.exit_code(fail_on_drift=True) == 1 and report.has_drift
    assert {row["field"] for row in report.drift["undocumented_fields"]} >= {"remoteAddress"}
    assert "summary (tolerant reading): 31 records" in report.to_text()
    assert repr(report) == "Report(31 records: 30 valid, 0 invalid, 0 malformed, 1 unknown_type)"
    assert isinstance(Report.from_json(report.to_json()), Report)


def test_batches_place_records_and_skip_blank_ones(validator):
    batch = validator.validate_batch([EVENT, b"  ", None, b"{oops"], "rows", first_line=10)
    assert [v.class_ if v else None for v in batch.verdicts] == ["valid", None, None, "malformed"]
    (error,) = batch.report.errors
    assert (error["source"], error["line"], error["class"]) == ("rows", 13, "malformed")
    assert batch.report.total == 2

"""Spark: a local session (`local[2]`) over the captures split into several files gives the CLI's counts and drift.

The capture records are written as NDJSON into several files, read with
`spark.read.text` (one partition per file at least) and validated with
`aperture_events.spark.validate`. Its merged report must have the CLI's
counts (per class and per event type) and drift tables (undocumented fields,
unknown values, quirk forms, unknown types, null and absent rates), on the
same files and on the original captures; its per-record classes must be the
validator's. Spark orders files by size, not by name, so the first places of
drift findings and the order of listed errors are not compared (the places
name partitions and rows: see the module's documentation); `validate_files`,
which reads whole files, is compared with the CLI byte for byte.

The session binds to the loopback interface only.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from aperture_events import Validator
from aperture_events import spark as aperture_spark
from conftest import CAPTURES, capture_records, run_cli, run_cli_text

pyspark = pytest.importorskip("pyspark")


def without_places(drift: dict) -> dict:
    """The drift tables without the `first` place of each finding."""
    return {name: [{k: v for k, v in row.items() if k != "first"} for row in table] if isinstance(table, list) else table
            for name, table in drift.items()}


def error_classes(report: dict) -> Counter:
    return Counter((e["class"], e.get("log_type"), json.dumps(e["problems"])) for e in report["errors"])


@pytest.fixture(scope="module")
def split_captures(tmp_path_factory):
    """The capture records as NDJSON in four files (HTTP bodies on one line each)."""
    folder = tmp_path_factory.mktemp("spark-captures")
    records = [json.dumps(json.loads(data), ensure_ascii=False) for _, data in capture_records()]
    records.insert(7, "")  # a blank line, skipped like the CLI skips it
    records.insert(12, '{"log_type": "incident", "severity": 9}')  # an invalid one
    records.insert(20, "{not json")  # a malformed one
    cuts = [0, 5, 14, 22, len(records)]
    for number, (start, end) in enumerate(zip(cuts, cuts[1:])):
        (folder / f"part-{number}.ndjson").write_text("".join(r + "\n" for r in records[start:end]), "utf-8")
    return folder


def test_spark_counts_and_drift_equal_the_cli(spark, split_captures):
    df = spark.read.text(str(split_captures))
    assert df.rdd.getNumPartitions() >= 2
    result = aperture_spark.validate(df)
    try:
        got = json.loads(result.report.to_json())
        cli = run_cli(str(split_captures))
        assert got["summary"] == cli["summary"]
        assert got["summary"]["total"] == 31 + 2
        assert (got["summary"]["invalid"], got["summary"]["malformed"]) == (1, 1)
        assert without_places(got["drift"]) == without_places(cli["drift"])
        assert error_classes(got) == error_classes(cli)
        # The original captures: the same records, and two 204 responses a DataFrame of events has no row for.
        original = run_cli(str(CAPTURES))
        assert {k: v for k, v in original["summary"].items() if k not in ("no_event_responses",)} == {
            **{k: v for k, v in got["summary"].items() if k != "no_event_responses"},
            "total": got["summary"]["total"] - 2, "invalid": 0, "malformed": 0,
            "by_log_type": {**got["summary"]["by_log_type"], "incident": {
                **got["summary"]["by_log_type"]["incident"],
                "total": got["summary"]["by_log_type"]["incident"]["total"] - 1,
                "invalid": 0}},
        }
        assert original["summary"]["no_event_responses"] == 2
        original_drift = without_places(original["drift"])
        for table in ("undocumented_fields", "unknown_values", "quirk_forms", "unknown_types"):
            assert without_places(got["drift"])[table] == original_drift[table], table

        rows = result.records.collect()
        assert len(rows) == df.count()
        validator = Validator()
        for row in rows:
            expected = None if not row["value"].strip() else validator.validate(row["value"])
            assert row["class"] == (expected.class_ if expected else None), row["value"]
            assert row["log_type"] == (expected.log_type if expected else None)
        counted = Counter(row["class"] for row in rows if row["class"])
        assert counted == {k: got["summary"][k] for k in ("valid", "invalid", "malformed", "unknown_type")
                           if got["summary"][k]}
    finally:
        result.unpersist()


def test_spark_report_only(spark, split_captures):
    df = spark.read.text(str(split_captures)).repartition(3)
    result = aperture_spark.validate(df, records=False)
    assert result.records is None
    cli = run_cli(str(split_captures))
    assert json.loads(result.report.to_json())["summary"] == cli["summary"]


def test_spark_validate_files_equals_the_cli(spark):
    report = aperture_spark.validate_files(spark, str(CAPTURES))
    assert report.to_json() == run_cli_text(str(CAPTURES))


def test_spark_rejects_a_missing_column(spark):
    df = spark.createDataFrame([("{}",)], ["event"])
    with pytest.raises(ValueError, match="no column 'value'"):
        aperture_spark.validate(df)
    result = aperture_spark.validate(df, column="event", records=False)
    assert result.report.summary["invalid"] == 1

"""OCSF 1.8.0 export from Python (issue 28, item 5): `to_ocsf`, `to_ocsf_many`, `spark.to_ocsf`.

They call the Rust converter of `aperture-ocsf`, so their output is compared with the
command line's, line for line, on the fixtures and the captures, with the default options
and with every option changed. Options are checked (a hostile one is a `ValueError`, in a
child interpreter so that an abort fails the test instead of killing pytest), and a record
that cannot be converted is a `ValueError` saying why, or `None` when asked.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from aperture_events import OCSF_VERSION, OcsfConverter, to_ocsf, to_ocsf_many
from conftest import CAPTURES, FIXTURES

INCIDENT = {"log_type": "incident", "incident_id": "5eb5ed492021c32b37588a6c", "severity": 3,
            "timestamp": "2020-05-08T23:50:55Z"}
UNKNOWN = {"log_type": "no_such_type", "timestamp": "2020-05-08T23:50:55Z", "x": 1}
OPTIONS = {"raw_data": False, "unknown": "skip", "severity_table": "0=1,5=6"}
FLAGS = ["--no-raw-data", "--unknown", "skip", "--severity-table", "0=1,5=6"]


def ocsf_cli(*args: str | Path) -> list[str]:
    """The lines `aperture-ocsf -q ARGS...` writes (exit 0 or 1)."""
    command = os.environ.get("APERTURE_OCSF")
    if not command:
        pytest.fail("APERTURE_OCSF is not set: run the tests with python/run-tests.sh")
    result = subprocess.run([*shlex.split(command), "-q", *map(str, args)], capture_output=True)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout.decode().splitlines()


def event_files() -> list[Path]:
    """The fixtures of one event per file that convert: valid and unknown types."""
    return sorted(p for kind in ("valid", "unknown_type") for p in (FIXTURES / kind).glob("*.json")
                  if p.name != "index.json")


def ndjson_lines() -> list[bytes]:
    return [line for line in (CAPTURES / "events.ndjson").read_bytes().splitlines() if line.strip()]


# --- the same lines as the command line -------------------------------------------------------


@pytest.mark.parametrize("options", [{}, OPTIONS], ids=["defaults", "every-option"])
def test_fixture_files_give_the_command_lines_lines(options):
    files = event_files()
    assert len(files) > 10
    flags = FLAGS if options else []
    expected = ocsf_cli(*flags, *files)
    got = to_ocsf_many([p.read_bytes() for p in files], as_json=True, **options)
    assert [line for line in got if line is not None] == expected
    if not options:
        assert None not in got


@pytest.mark.parametrize("options", [{}, OPTIONS], ids=["defaults", "every-option"])
def test_ndjson_captures_give_the_command_lines_lines(options):
    lines = ndjson_lines()
    expected = ocsf_cli(*(FLAGS if options else []), CAPTURES / "events.ndjson")
    got = to_ocsf_many(lines, as_json=True, **options)
    assert [line for line in got if line is not None] == expected
    if not options:
        assert len(expected) == len(lines)


def test_every_capture_record_gives_the_command_lines_event_without_raw_data():
    # The captures in all their shapes (bulk bodies, HTTP transcripts): records as the reader
    # finds them; raw_data off, since a bulk record here is re-serialized by json.dumps.
    from conftest import capture_records

    records = [record for _, record in capture_records()]
    expected = ocsf_cli("--no-raw-data", CAPTURES)
    assert to_ocsf_many(records, raw_data=False, as_json=True) == expected


def test_to_ocsf_is_to_ocsf_many_of_one_and_decodes_the_text():
    for line in ndjson_lines():
        text = to_ocsf(line, as_json=True)
        assert to_ocsf_many([line], as_json=True) == [text]
        assert to_ocsf(line) == json.loads(text)
        assert to_ocsf(line.decode()) == to_ocsf(bytearray(line)) == to_ocsf(memoryview(line))


# --- what comes out ---------------------------------------------------------------------------


def test_an_incident_is_a_data_security_finding_with_its_raw_data():
    text = json.dumps(INCIDENT)
    event = to_ocsf(text)
    assert event is not None
    assert (event["class_uid"], event["type_uid"], event["metadata"]["version"]) == (2006, 200601, OCSF_VERSION)
    assert event["finding_info"]["uid"] == INCIDENT["incident_id"]
    assert event["time"] == 1588981855000
    assert event["severity_id"] == 3
    assert event["raw_data"] == text
    assert "raw_data" not in to_ocsf(text, raw_data=False)


def test_a_mapping_converts_as_its_json_text():
    compact = json.dumps(INCIDENT, separators=(",", ":"))
    assert to_ocsf(INCIDENT) == to_ocsf(compact)
    assert to_ocsf_many([INCIDENT, None, compact.encode()]) == [to_ocsf(compact), None, to_ocsf(compact)]


def test_the_severity_table_as_text_or_mapping():
    assert to_ocsf(INCIDENT, severity_table="3=5")["severity_id"] == 5
    assert to_ocsf(INCIDENT, severity_table={3: 5}) == to_ocsf(INCIDENT, severity_table="3=5")
    assert OcsfConverter(severity_table="3=5").severity_table == "0=0,1=1,2=2,3=5,4=4,5=5"


def test_unknown_types_are_base_events_or_skipped():
    event = to_ocsf(UNKNOWN)
    assert event["class_uid"] == 0 and event["unmapped"] == UNKNOWN
    assert to_ocsf(UNKNOWN, unknown="skip") is None
    assert to_ocsf_many([UNKNOWN, INCIDENT], unknown="skip")[0] is None


def test_records_that_cannot_be_converted():
    for record, reason in [(b"{not json", "not JSON"), (b"[1]", "not a JSON object"),
                           ({"log_type": "incident"}, "timestamp"), (b"", "not JSON")]:
        with pytest.raises(ValueError, match=reason):
            to_ocsf(record)
    with pytest.raises(ValueError, match="^record 1: not JSON"):
        to_ocsf_many([INCIDENT, b"{", INCIDENT])
    assert to_ocsf_many([INCIDENT, b"{", INCIDENT], errors="none")[1] is None
    with pytest.raises(ValueError, match="record longer than 10 bytes"):
        to_ocsf(INCIDENT, max_record_size=10)


def test_the_native_converter_gives_kinds():
    converter = OcsfConverter(unknown="skip")
    assert converter.convert(json.dumps(UNKNOWN)) == ("skipped", "no_such_type")
    kinds = [kind for kind, _ in converter.convert_many([json.dumps(INCIDENT), None, "{"])]
    assert kinds == ["event", "missing", "error"]
    assert repr(converter).startswith("OcsfConverter(raw_data=True, unknown='skip'") or \
        repr(converter).startswith('OcsfConverter(raw_data=True, unknown="skip"')


# --- hostile arguments: a ValueError, never a crash ---------------------------------------------

HOSTILE = [
    "to_ocsf(EVENT, max_record_size=10**10)",
    "to_ocsf(EVENT, max_record_size=2**64 - 1)",
    "to_ocsf(EVENT, max_record_size=2**200)",
    "to_ocsf(EVENT, max_record_size=-1)",
    "to_ocsf(EVENT, max_record_size=0)",
    "to_ocsf(EVENT, max_record_size=1.5)",
    "to_ocsf(EVENT, severity_table='6=1')",
    "to_ocsf(EVENT, severity_table='1=7')",
    "to_ocsf(EVENT, severity_table={10**30: 1})",
    "to_ocsf(EVENT, severity_table={1: 2**64})",
    "to_ocsf(EVENT, severity_table='=' * 10**6)",
    "to_ocsf(EVENT, severity_table=[1, 2])",
    "to_ocsf(EVENT, unknown='nope' * 10**5)",
    "to_ocsf(EVENT, unknown=5)",
    "to_ocsf(EVENT, raw_data='yes')",
    "to_ocsf_many([EVENT], errors='maybe')",
    "to_ocsf(5)",
    "to_ocsf(None)",
    "to_ocsf({'a': float('nan')})",
    "to_ocsf({'a': object()})",
    "to_ocsf(deep)",
    "to_ocsf('[' * 10**6)",
    "to_ocsf('{\"log_type\":\"incident\",\"timestamp\":\"9999999-01-01T00:00:00Z\"}')",
    "to_ocsf(b'\\xff\\xfe')",
    "OcsfConverter(max_record_size=2**64)",
    "OcsfConverter(max_record_size=-5)",
    "OcsfConverter(max_record_size='7')",
]


def test_hostile_arguments_are_value_errors():
    code = textwrap.dedent(
        """
        import json, sys
        from aperture_events import OcsfConverter, to_ocsf, to_ocsf_many
        EVENT = {"log_type": "incident", "timestamp": "2020-05-08T23:50:55Z"}
        deep = {}
        node = deep
        for _ in range(100000):
            node["a"] = {}
            node = node["a"]
        out = []
        for call in json.loads(sys.argv[1]):
            try:
                eval(call)
                out.append([call, "no error"])
            except Exception as e:
                out.append([call, type(e).__name__])
        print(json.dumps(out))
        """
    )
    result = subprocess.run([sys.executable, "-c", code, json.dumps(HOSTILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "PanicException" not in result.stderr
    outcomes = json.loads(result.stdout.strip().splitlines()[-1])
    assert [o for o in outcomes if o[1] != "ValueError"] == []


# --- Spark ------------------------------------------------------------------------------------


def test_spark_adds_the_ocsf_column(spark):
    pytest.importorskip("pyspark")
    lines = [line.decode() for line in ndjson_lines()] + ["{", json.dumps(UNKNOWN)]
    df = spark.createDataFrame([(i, line) for i, line in enumerate(lines)] + [(len(lines), None)], "n long, value string")
    rows = sorted(spark_rows(df.repartition(3)), key=lambda r: r[0])
    expected = to_ocsf_many(lines, as_json=True, errors="none")
    assert [r[2] for r in rows] == expected + [None]
    assert [r[3] is not None for r in rows] == [False] * (len(lines) - 2) + [True, False, False]
    assert rows[-3][3].startswith("not JSON")
    skipped = spark_rows(df, unknown="skip", error=None, output="event")
    assert all(len(r) == 3 for r in skipped)
    assert sorted(skipped, key=lambda r: r[0])[-2][2] is None


def spark_rows(df, **options):
    from aperture_events import spark as aperture_spark

    return [tuple(row) for row in aperture_spark.to_ocsf(df, **options).collect()]


def test_spark_checks_its_options_on_the_driver(spark):
    from aperture_events import spark as aperture_spark

    df = spark.createDataFrame([("x",)], "value string")
    with pytest.raises(ValueError, match="severity_table"):
        aperture_spark.to_ocsf(df, severity_table="9=9")
    with pytest.raises(ValueError, match="no column"):
        aperture_spark.to_ocsf(df, column="nope")
    with pytest.raises(ValueError, match="must be new"):
        aperture_spark.to_ocsf(df, output="value")

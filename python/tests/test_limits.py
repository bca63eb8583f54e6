"""The bounds of the Python API (issue 26, items 4, 5, 6 and 13): no call aborts the interpreter.

Every numeric argument is attacked with 10**10 and 2**64 - 1: each is either a
number the call handles whatever its size (`max_errors`) or refused with a
`ValueError` that names the argument and gives its range. A panic reaches
Python as `InternalError`, which `except Exception` catches. Records longer
than `max_record_size` are malformed without being parsed, and what a call
takes beyond the caller's own objects stays within the bound python/README.md
states. A compression bomb stops at the decompression ratio.

Every attack runs in a child interpreter: an abort then fails its test
instead of killing pytest, and the child's peak memory is its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from aperture_events import (
    DEFAULT_MAX_DECOMPRESSION_RATIO,
    DEFAULT_MAX_RECORD_SIZE,
    LAST_LINE,
    LARGEST_MAX_DECOMPRESSION_RATIO,
    LARGEST_MAX_RECORD_SIZE,
    MAX_JOBS,
)
from conftest import run_cli

EVENT = '{"log_type": "incident", "timestamp": "2020-05-08T23:50:55Z", "incident_id": "5eb5ed492021c32b37588a6c"}'
ATTACKS = (10**10, 2**64 - 1)

PRELUDE = textwrap.dedent(
    f"""
    import gzip, json, resource, sys
    import aperture_events
    from aperture_events import Report, Validator
    EVENT = {EVENT!r}
    v = Validator()

    def attempt(call):
        try:
            return {{"ok": call()}}
        except Exception as e:
            return {{"error": type(e).__name__, "message": str(e)}}

    def peak_mib():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    """
)


def child(code: str) -> object:
    """Runs `code` after PRELUDE in a child interpreter; it prints one JSON value, returned here.

    The child must exit 0: an abort (a signal) or an exception that `except Exception`
    does not catch (pyo3's PanicException) fails the test."""
    result = subprocess.run([sys.executable, "-c", PRELUDE + textwrap.dedent(code)], capture_output=True, text=True)
    assert result.returncode == 0, f"the child exited with {result.returncode}: {result.stderr[-3000:]}"
    assert "PanicException" not in result.stderr, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def out_of_range(name: str, value: int, low: int, high: int, unit: str) -> dict:
    return {"error": "ValueError", "message": f"{name}: {value} is out of range: give {low} to {high} {unit}"}


@pytest.fixture(scope="module")
def event_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("limits") / "good.ndjson"
    path.write_text(EVENT + "\n")
    return path


# --- item 4: jobs, and every other number -----------------------------------------


@pytest.mark.parametrize("jobs", [*ATTACKS, MAX_JOBS + 1])
def test_jobs_past_the_bound_are_a_value_error(event_file, jobs):
    got = child(f"print(json.dumps(attempt(lambda: v.validate_path({str(event_file)!r}, jobs={jobs}).total)))")
    assert got == out_of_range("jobs", jobs, 0, MAX_JOBS, "worker threads (0: one per core)")


@pytest.mark.parametrize("jobs", [2**64, -1])
def test_jobs_that_are_no_usize_are_an_ordinary_exception(event_file, jobs):
    got = child(f"print(json.dumps(attempt(lambda: v.validate_path({str(event_file)!r}, jobs={jobs}).total)))")
    assert got["error"] == "OverflowError", got


def test_the_most_jobs_allowed_run(event_file):
    got = child(f"print(json.dumps(attempt(lambda: v.validate_path({str(event_file)!r}, jobs={MAX_JOBS}).summary['valid'])))")
    assert got == {"ok": 1}


def calls(path: Path, n: int) -> dict:
    """Each numeric argument of each call, given `n`, as Python source."""
    p = repr(str(path))
    return {
        "validate max_record_size": f"v.validate(EVENT, max_record_size={n}).class_",
        "validate_many max_record_size": f"[x.class_ for x in v.validate_many([EVENT], max_record_size={n})]",
        "validate_batch max_record_size": f"v.validate_batch([EVENT], max_record_size={n}).report.total",
        "validate_batch max_errors": f"v.validate_batch([EVENT, '[]'], max_errors={n}).report.summary['malformed']",
        "validate_batch first_line": f"v.validate_batch(['[]'], first_line={n}).report.errors[0]['line']",
        "validate_input max_record_size": f"v.validate_input(EVENT, max_record_size={n}).total",
        "validate_input max_decompression_ratio": f"v.validate_input(EVENT, max_decompression_ratio={n}).total",
        "validate_input max_errors": f"v.validate_input('\"x\"', max_errors={n}).summary['malformed']",
        "validate_path max_record_size": f"v.validate_path({p}, max_record_size={n}).total",
        "validate_path max_decompression_ratio": f"v.validate_path({p}, max_decompression_ratio={n}).total",
        "validate_path max_errors": f"v.validate_path({p}, max_errors={n}).total",
        "Report.merge max_errors": f"v.validate_input('\"x\"').merge(v.validate_input('\"x\"'), max_errors={n}).total",
        "Report.merge_all max_errors": f"Report.merge_all([v.validate_input('\"x\"')] * 2, max_errors={n}).total",
    }


@pytest.mark.parametrize("n", ATTACKS)
def test_every_numeric_argument_is_bounded(event_file, n):
    code = calls(event_file, n)
    got = child("print(json.dumps({name: attempt(lambda c=c: eval(c)) for name, c in %r.items()}))" % code)
    size = out_of_range("max_record_size", n, 1, LARGEST_MAX_RECORD_SIZE, "bytes")
    ratio = out_of_range("max_decompression_ratio", n, 1, LARGEST_MAX_DECOMPRESSION_RATIO, "times")
    # A merged report lists at most what one report's error budget holds.
    merged = out_of_range("max_errors", n, 0, 65536, "errors (the most a report lists)")
    assert got == {
        "validate max_record_size": size,
        "validate_many max_record_size": size,
        "validate_batch max_record_size": size,
        "validate_batch max_errors": {"ok": 1},
        "validate_batch first_line": {"ok": n} if n <= LAST_LINE else first_line_past(1, n),
        "validate_input max_record_size": size,
        "validate_input max_decompression_ratio": ratio,
        "validate_input max_errors": {"ok": 1},
        "validate_path max_record_size": size,
        "validate_path max_decompression_ratio": ratio,
        "validate_path max_errors": {"ok": 1},
        "Report.merge max_errors": merged,
        "Report.merge_all max_errors": merged,
    }


def test_a_panic_reaches_python_as_an_internal_error():
    got = child(
        """
        from aperture_events import _native, InternalError
        try:
            _native._panic_inside_guard("boom")
            print(json.dumps("no exception"))
        except Exception as e:
            print(json.dumps([type(e).__name__, isinstance(e, InternalError), isinstance(e, RuntimeError), str(e)]))
        """
    )
    assert got == ["InternalError", True, True, "internal error in aperture-events (please report it): boom"]


# --- item 5: line numbers do not wrap ---------------------------------------------


def first_line_past(count: int, first_line: int) -> dict:
    return {
        "error": "ValueError",
        "message": f"first_line: {count} records from line {first_line} go past line {LAST_LINE} "
        "(the last line number: the largest integer JSON readers keep exact)",
    }


def test_first_line_past_the_last_line_number_is_a_value_error():
    # The attack: two records from line 2**64 - 1 placed the second at line 0.
    assert LAST_LINE == 2**53 - 1
    got = child(
        f"""
        lines = lambda batch: [e['line'] for e in batch.report.errors]
        print(json.dumps({{
            "two from 2**64 - 1": attempt(lambda: lines(v.validate_batch(['[]', '[]'], first_line=2**64 - 1))),
            "two from the last": attempt(lambda: lines(v.validate_batch(['[]', '[]'], first_line={LAST_LINE}))),
            "zero": attempt(lambda: lines(v.validate_batch(['[]'], first_line=0))),
            "one at the last": attempt(lambda: lines(v.validate_batch(['[]'], first_line={LAST_LINE}))),
            "two up to the last": attempt(lambda: lines(v.validate_batch(['[]', '[]'], first_line={LAST_LINE - 1}))),
            "a syntax error on its third line, at the last": attempt(
                lambda: lines(v.validate_batch(['{{\\n\\n oops'], first_line={LAST_LINE}))),
        }}))
        """
    )
    assert got == {
        "two from 2**64 - 1": first_line_past(2, 2**64 - 1),
        "two from the last": first_line_past(2, LAST_LINE),
        "zero": {"error": "ValueError", "message": "first_line: 0 is out of range: lines are numbered from 1"},
        "one at the last": {"ok": [LAST_LINE]},
        "two up to the last": {"ok": [LAST_LINE - 1, LAST_LINE]},
        "a syntax error on its third line, at the last": {"ok": [LAST_LINE + 2]},
    }


# --- item 6: the maximum record size ----------------------------------------------


def test_the_default_is_the_command_lines():
    assert DEFAULT_MAX_RECORD_SIZE == 8 << 20
    got = child(
        """
        over = '{"log_type": "incident", "x": "' + "a" * aperture_events.DEFAULT_MAX_RECORD_SIZE + '"}'
        print(json.dumps([p.message for p in v.validate(over).problems]))
        """
    )
    assert got == [f"record longer than {DEFAULT_MAX_RECORD_SIZE} bytes (--max-record-size)"]


def test_a_record_longer_than_max_record_size_is_malformed_as_the_command_line_says(tmp_path):
    limit = len(EVENT)
    long_event = EVENT[:-1] + ', "x": 1}'
    path = tmp_path / "two.ndjson"
    path.write_text(f"{EVENT}\n{long_event}\n")
    cli = run_cli("--max-record-size", str(limit), str(path))
    cli_problems = cli["errors"][0]["problems"]
    assert cli_problems[0]["message"] == f"record longer than {limit} bytes (--max-record-size)"
    got = child(
        f"""
        limit, long_event = {limit}, {long_event!r}
        verdicts = []
        for record in (long_event, long_event.encode(), bytearray(long_event.encode()), memoryview(long_event.encode())):
            verdict = v.validate(record, max_record_size=limit)
            verdicts.append([verdict.class_, [p.to_dict() for p in verdict.problems]])
        many = [x.class_ for x in v.validate_many([EVENT, long_event], max_record_size=limit)]
        batch = v.validate_batch([EVENT, long_event], {str(path)!r}, max_record_size=limit)
        print(json.dumps({{
            "verdicts": verdicts,
            "at the limit": v.validate(EVENT, max_record_size=limit).class_,
            "many": many,
            "batch": [x.class_ for x in batch.verdicts],
            "batch errors": batch.report.errors,
            "batch summary": [batch.report.summary[k] for k in ("total", "valid", "malformed")],
        }}))
        """
    )
    assert got["verdicts"] == [["malformed", cli_problems]] * 4
    assert got["at the limit"] == "valid"
    assert got["many"] == ["valid", "malformed"]
    assert got["batch"] == ["valid", "malformed"]
    assert [(e["source"], e["line"], e["class"], e["problems"]) for e in got["batch errors"]] == [
        (e["source"], e["line"], e["class"], e["problems"]) for e in cli["errors"]
    ]
    assert got["batch summary"] == [2, 1, 1]


@pytest.mark.parametrize("call", ["v.validate(record)", "v.validate_many([record])", "v.validate_batch([record])"])
def test_an_over_long_record_takes_no_memory_to_refuse(call):
    # The attack: 200 MiB of `1,` in one record took 3.3 GB to refuse.
    got = child(
        f"""
        record = b'{{"log_type": "incident", "x": [' + b"1," * (100 << 20) + b'1]}}'
        before = peak_mib()
        {call}
        print(json.dumps(peak_mib() - before))
        """
    )
    assert got < 16, f"{call} took {got:.0f} MiB more"


def test_a_record_within_the_limit_stays_within_the_stated_bound():
    # The costliest record of the default size: `[1,1,…]` of 8 MiB, refused
    # by its parse budget. python/README.md: at most 18 × max_record_size + 1 MiB.
    got = child(
        """
        size = aperture_events.DEFAULT_MAX_RECORD_SIZE
        head, tail = b'{"log_type": "incident", "x": [', b'1]}'
        record = head + b"1," * ((size - len(head) - len(tail)) // 2) + tail
        before = peak_mib()
        verdict = v.validate(record)
        print(json.dumps([len(record) <= size, verdict.class_, peak_mib() - before]))
        """
    )
    fits, class_, grown = got
    assert fits and class_ == "malformed"
    assert grown <= 18 * DEFAULT_MAX_RECORD_SIZE / (1 << 20) + 1, f"{grown:.0f} MiB"


def test_spark_rows_longer_than_max_record_size_are_malformed():
    pytest.importorskip("pyspark")
    got = child(
        f"""
        import os
        os.environ["PYSPARK_PYTHON"] = os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
        os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
        from pyspark.sql import SparkSession
        from aperture_events import spark as aperture_spark
        session = (SparkSession.builder.master("local[1]").config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1").config("spark.ui.enabled", "false").getOrCreate())
        session.sparkContext.setLogLevel("ERROR")
        df = session.createDataFrame([(EVENT,), (EVENT[:-1] + ', "x": 1}}',)], ["value"])
        result = aperture_spark.validate(df, max_record_size={len(EVENT)})
        classes = sorted(row["class"] for row in result.records.collect())
        messages = [p["message"] for e in result.report.errors for p in e["problems"]]
        result.unpersist()
        session.stop()
        print(json.dumps([classes, messages]))
        """
    )
    assert got == [["malformed", "valid"], [f"record longer than {len(EVENT)} bytes (--max-record-size)"]]


# --- item 13: compression bombs ---------------------------------------------------


def test_a_compression_bomb_stops_at_the_ratio():
    got = child(
        """
        bomb = gzip.compress(gzip.compress(EVENT.encode() + b"\\n" * (16 << 20)))
        stopped = v.validate_input(bomb, "bomb.gz")
        whole = v.validate_input(bomb, "bomb.gz", max_decompression_ratio=aperture_events.LARGEST_MAX_DECOMPRESSION_RATIO)
        print(json.dumps([len(bomb), stopped.summary["valid"], stopped.inputs, whole.summary["valid"], whole.inputs]))
        """
    )
    size, valid, inputs, whole_valid, whole_inputs = got
    assert valid == 1, "the event before the line breaks is counted"
    assert [i["source"] for i in inputs] == ["bomb.gz"]
    assert inputs[0]["message"].startswith(
        f"cannot read: decompressed more than {DEFAULT_MAX_DECOMPRESSION_RATIO * size} bytes from {size} bytes"
    ), inputs
    assert (whole_valid, whole_inputs) == (1, [])

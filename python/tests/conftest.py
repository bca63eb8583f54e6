"""Shared fixtures: the repository's paths, and `aperture-validate` to compare with.

The tests run against the installed `aperture_events` wheel (never the source
tree) and the command line named by APERTURE_VALIDATE (python/run-tests.sh
builds both from the repository).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
CAPTURES = FIXTURES / "captures"
EXPORT = ROOT / "schema" / "export"
KINDS = ("valid", "invalid", "malformed", "unknown_type")


def fixture_files() -> list[Path]:
    """Every fixture event file (one event per file) and every capture file."""
    files = []
    for kind in KINDS:
        files += sorted(p for p in (FIXTURES / kind).glob("*.json") if p.name != "index.json")
    files += sorted(p for p in CAPTURES.iterdir() if p.is_file())
    return files


def cli_command() -> list[str]:
    command = os.environ.get("APERTURE_VALIDATE")
    if not command:
        pytest.fail("APERTURE_VALIDATE is not set: run the tests with python/run-tests.sh")
    return shlex.split(command)


def run_cli(*args: str) -> dict:
    """`aperture-validate --format json ARGS...` as a parsed report (exit 0 or 1 expected)."""
    result = subprocess.run([*cli_command(), "--format", "json", *args], capture_output=True, text=True)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def run_cli_text(*args: str) -> str:
    """`aperture-validate --format json ARGS...` as printed."""
    result = subprocess.run([*cli_command(), "--format", "json", *args], capture_output=True, text=True)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


@pytest.fixture(scope="session")
def validator():
    from aperture_events import Validator

    return Validator()


def capture_records() -> list[tuple[str, bytes]]:
    """(name, bytes) of every event in the captures: NDJSON lines, bulk events, HTTP bodies,
    each as the reader hands it on (found with the library's own reader)."""
    from aperture_events import Validator

    records = []
    for path in sorted(p for p in CAPTURES.iterdir() if p.is_file()):
        text = path.read_text("utf-8")
        if path.suffix == ".ndjson":
            records += [(f"{path.name}:{i}", line.encode()) for i, line in enumerate(text.splitlines(), 1) if line.strip()]
        elif path.suffix == ".json":
            records += [(f"{path.name}#/events/{i}", json.dumps(e).encode()) for i, e in enumerate(json.loads(text)["events"])]
        else:
            for number, body in http_bodies(text):
                records.append((f"{path.name}:{number}", body.encode()))
    # Every record of the captures is here: as many as the validator reads.
    assert len(records) == Validator().validate_path(CAPTURES).summary["total"]
    return records


def http_bodies(text: str) -> list[tuple[int, str]]:
    """(first line, body) of each non-empty body of an HTTP transcript."""
    bodies, body, start, in_headers = [], None, 0, False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("HTTP/"):
            if body is not None and "".join(body).strip():
                bodies.append((start, "\n".join(body)))
            body, in_headers = None, True
        elif in_headers and not line.strip():
            in_headers, body, start = False, [], number + 1
        elif body is not None:
            body.append(line)
    if body is not None and "".join(body).strip():
        bodies.append((start, "\n".join(body)))
    return bodies


@pytest.fixture(scope="session")
def spark():
    """A local Spark session (`local[2]`) bound to the loopback interface, for the whole test session."""
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    session = (
        SparkSession.builder.master("local[2]")
        .appName("aperture-events-tests")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()

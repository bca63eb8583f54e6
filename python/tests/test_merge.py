"""Merging reports: the merge of the reports of any split of the captures is the report of the whole.

A split cuts the capture records (in order) into consecutive files; the
report of all the files together (`validate_path` over them, and the CLI) must
equal `Report.merge_all` of the per-file reports, and the pairwise
`a.merge(b)` chain, byte for byte in `--format json`: counts, listed errors
and their order, drift tables, first places, rates. Reports also travel as
JSON and pickles (what Spark does with them).
"""

from __future__ import annotations

import json
import pickle
import random
from functools import reduce

import pytest
from aperture_events import Report, Validator
from conftest import CAPTURES, FIXTURES, capture_records, fixture_files, run_cli_text


def compact(data: bytes) -> bytes:
    """A record on one line (HTTP bodies span lines): same content, same verdict."""
    try:
        return json.dumps(json.loads(data), ensure_ascii=False).encode()
    except ValueError:
        return data.replace(b"\r", b" ").replace(b"\n", b" ")


def lines() -> list[bytes]:
    """Every capture record and every fixture event as one NDJSON line each: all four classes."""
    records = [compact(data) for _, data in capture_records()]
    records += [compact(p.read_bytes()) for p in fixture_files() if p.parent != CAPTURES]
    return records


def write_split(folder, records: list[bytes], cuts: list[int]) -> list[str]:
    paths = []
    bounds = [0, *cuts, len(records)]
    for number, (start, end) in enumerate(zip(bounds, bounds[1:])):
        path = folder / f"part-{number:02}.ndjson"
        path.write_bytes(b"".join(r + b"\n" for r in records[start:end]))
        paths.append(str(path))
    return paths


@pytest.mark.parametrize("seed", range(12))
def test_any_split_merges_into_the_whole(seed, tmp_path, validator):
    records = lines()
    rng = random.Random(seed)
    pieces = rng.randint(2, 8)
    cuts = sorted(rng.sample(range(len(records) + 1), pieces - 1))  # empty parts too
    paths = write_split(tmp_path, records, cuts)
    max_errors = rng.choice([1000, 5, 1])
    whole = validator.validate_path(paths, max_errors=max_errors)
    parts = [validator.validate_path(path, max_errors=max_errors) for path in paths]
    merged = Report.merge_all(parts, max_errors=max_errors)
    assert merged.to_json() == whole.to_json()
    chained = reduce(lambda a, b: a.merge(b, max_errors=max_errors), parts)
    assert chained.to_json() == whole.to_json()
    assert whole.to_json() == run_cli_text("--max-errors", str(max_errors), *paths)
    # Counts add. (A part that opens with a malformed line may be read as a JSON
    # document rather than NDJSON: shapes are told from content, part by part.)
    assert merged.summary["total"] == sum(p.summary["total"] for p in parts) > 0
    if seed == 0:
        # The reports of the CLI, read back, merge the same way.
        from_cli = [Report.from_json(run_cli_text("--max-errors", str(max_errors), path)) for path in paths]
        assert Report.merge_all(from_cli, max_errors=max_errors).to_json() == whole.to_json()


def test_the_capture_files_merge_into_the_captures_report(validator):
    files = sorted(p for p in CAPTURES.iterdir() if p.is_file())
    whole = validator.validate_path(CAPTURES)
    merged = Report.merge_all([validator.validate_path(p) for p in files])
    assert merged.to_json() == whole.to_json() == run_cli_text(str(CAPTURES))
    assert merged.summary["no_event_responses"] == 2


def test_batches_merge_like_files(validator, tmp_path):
    records = lines()
    (path,) = write_split(tmp_path, records, [])
    whole = validator.validate_path(path)
    halves = [validator.validate_batch(records[:30], path).report,
              validator.validate_batch(records[30:], path, first_line=31).report]
    assert halves[0].merge(halves[1]).to_json() == whole.to_json()


def test_reports_travel_as_json_and_pickles(validator):
    report = validator.validate_path([CAPTURES, FIXTURES / "invalid"])
    assert Report.from_json(report.to_json()).to_json() == report.to_json()
    assert pickle.loads(pickle.dumps(report)).to_json() == report.to_json()
    assert report.summary == json.loads(report.to_json())["summary"]
    assert report.drift == json.loads(report.to_json())["drift"]


def test_reports_of_different_readings_do_not_merge(validator):
    tolerant = validator.validate_path(CAPTURES)
    strict = Validator(strict=True).validate_path(CAPTURES)
    with pytest.raises(ValueError, match="reading"):
        tolerant.merge(strict)
    with pytest.raises(ValueError):
        Report.from_json('{"summary": {}}')

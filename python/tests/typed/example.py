"""A small program that uses aperture_events as a user would, fully typed.

python/tests/test_typing.py type-checks it with `mypy --strict` (against the
stub of the native module, `aperture_events/_native.pyi`) and runs it.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any, Optional

from aperture_events import (
    CLASSES,
    DEFAULT_MAX_ERRORS,
    DEFAULT_MAX_RECORD_SIZE,
    OCSF_VERSION,
    Batch,
    InternalError,
    OcsfConverter,
    Problem,
    Report,
    SchemaError,
    Validator,
    Verdict,
    to_ocsf,
    to_ocsf_many,
)

EVENT = b'{"log_type": "incident", "timestamp": "2017-08-14T23:20:57Z", "incident_id": "x"}'


def problems_of(verdict: Verdict) -> list[str]:
    found: list[str] = []
    for problem in verdict.problems:
        assert isinstance(problem, Problem)
        schema: Optional[str] = problem.schema
        found.append(f"{problem.pointer} {problem.keyword} {schema or '-'}: {problem.message}")
        assert problem.to_dict()["message"] == problem.message
    return found


def summarise(report: Report) -> dict[str, int]:
    counts: dict[str, int] = {name: int(report.summary[name]) for name in CLASSES}
    assert sum(counts.values()) == report.total
    return counts


def main(workdir: Path) -> int:
    validator = Validator(strict=False, show_values=False)
    assert not validator.strict and not validator.show_values

    verdict: Verdict = validator.validate(EVENT, max_record_size=DEFAULT_MAX_RECORD_SIZE)
    assert verdict.valid and verdict.class_ == "valid" and verdict.log_type == "incident"
    broken = validator.validate("{")
    position: Optional[tuple[int, int]] = broken.syntax_position
    assert broken.class_ == "malformed" and position is not None
    assert problems_of(broken)

    many: list[Verdict] = validator.validate_many([EVENT, bytearray(EVENT), memoryview(EVENT), "[]"])
    assert [v.class_ for v in many] == ["valid", "valid", "valid", "malformed"]

    batch: Batch = validator.validate_batch([EVENT, None, ""], "<batch>", first_line=1, max_errors=DEFAULT_MAX_ERRORS)
    assert [v is None for v in batch.verdicts] == [False, True, True]

    path = workdir / "events.ndjson"
    path.write_bytes(EVENT + b"\n{}\n")
    from_file: Report = validator.validate_path(path, jobs=1)
    from_files = validator.validate_path([str(path), path], max_errors=1)
    from_bytes = validator.validate_input(path.read_bytes(), str(path), max_decompression_ratio=10)
    assert from_file.to_json() == from_bytes.to_json()

    merged = Report.merge_all([batch.report, from_file, from_files], max_errors=10)
    merged = merged.merge(Report.from_json(from_bytes.to_json()))
    again: Report = pickle.loads(pickle.dumps(merged))
    assert again.to_json() == merged.to_json()
    assert summarise(merged)["valid"] == 5
    drift: bool = merged.has_drift
    assert merged.reading == "tolerant" and isinstance(drift, bool)
    assert merged.errors_omitted >= 0 and merged.errors and not merged.inputs and not merged.notes
    assert not merged.all_accepted() and merged.exit_code(fail_on_drift=True) == 1
    assert merged.to_text(all_rates=True)

    ocsf: Optional[dict[str, Any]] = to_ocsf(EVENT, raw_data=False, severity_table={3: 5})
    assert ocsf is not None and ocsf["metadata"]["version"] == OCSF_VERSION
    line: Optional[str] = to_ocsf(EVENT, unknown="skip", as_json=True)
    lines: list[Optional[str]] = to_ocsf_many([EVENT, None, "{"], as_json=True, errors="none")
    assert lines == [line, None, None]
    events: list[Optional[dict[str, Any]]] = to_ocsf_many([EVENT], severity_table="0=1")
    kind, text = OcsfConverter(unknown="skip", max_record_size=None).convert(EVENT)
    assert kind == "event" and events[0] is not None and text

    try:
        Validator(schema_dir=workdir)
    except SchemaError as e:
        message: str = str(e)
        assert message
    except InternalError:
        raise
    return merged.exit_code()


if __name__ == "__main__":
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as workdir:
        sys.exit(0 if main(Path(workdir)) == 1 else 1)

"""Events/s of Validator.validate_many against python-jsonschema and jsonschema-rs.

Usage: bench.py CORPUS.ndjson EXPORT_DIR [JSONSCHEMA_EVENTS]

Every validator gets the same events (one JSON text each, as read from the
corpus) and the same schema: the export's self-contained union,
log_event.schema.json, with formats asserted (date-time). The other two take
Python objects, so their time includes `json.loads` (what a user of them
pays); aperture_events parses in Rust. python-jsonschema is timed on the first
JSONSCHEMA_EVENTS events (default 20,000: it is slow), the others on all.
Each figure is the best of RUNS runs (environment, default 3). Every validator
must find every event valid: the corpus is valid in the tolerant reading.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def best(runs: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> int:
    corpus, export = Path(sys.argv[1]), Path(sys.argv[2])
    slow_events = int(sys.argv[3]) if len(sys.argv) > 3 else 20_000
    runs = int(os.environ.get("RUNS", "3"))
    events = corpus.read_bytes().splitlines()
    texts = [e.decode("utf-8") for e in events]
    schema = json.loads((export / "log_event.schema.json").read_text("utf-8"))
    rows = []

    from aperture_events import Validator

    validator = Validator()
    seconds, verdicts = best(runs, lambda: validator.validate_many(events))
    assert all(v.class_ == "valid" for v in verdicts), "aperture_events: not every event valid"
    rows.append(("aperture_events validate_many (all cores)", len(events), seconds))

    import jsonschema_rs

    rs = jsonschema_rs.validator_for(schema, validate_formats=True)
    seconds, valid = best(runs, lambda: sum(rs.is_valid(json.loads(t)) for t in texts))
    assert valid == len(texts), f"jsonschema-rs: {len(texts) - valid} events invalid"
    rows.append(("jsonschema-rs is_valid(json.loads(text))", len(texts), seconds))

    from jsonschema import Draft202012Validator, FormatChecker

    py = Draft202012Validator(schema, format_checker=FormatChecker())
    subset = texts[:slow_events]
    seconds, valid = best(runs, lambda: sum(py.is_valid(json.loads(t)) for t in subset))
    assert valid == len(subset), f"python-jsonschema: {len(subset) - valid} events invalid"
    rows.append(("python-jsonschema is_valid(json.loads(text))", len(subset), seconds))

    print(f"{'':48} {'events':>8} {'seconds':>9} {'events/s':>12}")
    rate = {}
    for label, count, seconds in rows:
        rate[label] = count / seconds
        print(f"{label:48} {count:8d} {seconds:9.3f} {count / seconds:12.0f}")
    ours = rows[0][0]
    print(f"\naperture_events / python-jsonschema: {rate[ours] / rate[rows[2][0]]:.1f}x")
    print(f"aperture_events / jsonschema-rs: {rate[ours] / rate[rows[1][0]]:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Peak memory of ``to_ocsf_many`` over a generator (python/README.md, "OCSF export").

Usage: python ocsf_memory.py N json|dict

Converts N records drawn in turn from the lines of tests/fixtures/captures/events.ndjson,
handed in by a generator, with ``errors="none"``, and prints how much the process's peak
resident memory (``ru_maxrss``) grew, beside the size of the result when it is JSON text.
Run it with the wheel installed (``maturin develop`` or ``pip install ./python``); the
figures are in docs/notes/2026-12-03-issue-28-h.md.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from aperture_events import to_ocsf_many

CAPTURE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "captures" / "events.ndjson"


def main() -> None:
    n, shape = int(sys.argv[1]), sys.argv[2]
    lines = [line for line in CAPTURE.read_bytes().splitlines() if line.strip()]
    records = (lines[i % len(lines)] for i in range(n))
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    out = to_ocsf_many(records, as_json=shape == "json", errors="none")
    seconds = time.perf_counter() - start
    grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
    result = sum(sys.getsizeof(o) for o in out) / 2**20 if shape == "json" else float("nan")
    print(f"{n} records, {shape}: {seconds:.1f} s, peak RSS grew {grew:,.0f} MiB; result {result:,.0f} MiB")


if __name__ == "__main__":
    main()

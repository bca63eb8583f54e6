"""Puts the verdicts side by side, prints the table, and fails on any disagreement.

Reads EVENTS_JSON and the verdict files named after it (jsonschema, ajv,
pydantic, and aperture-validate when it ran). For every event of a documented
type, each tool's verdict must equal the expected one (valid fixtures and
captures: accept; invalid fixtures: reject), and so equal each other; an
accepted event must also come back unchanged from the pydantic models.
Events of unknown type are shown but not compared: the union does not list
them, so the schema tools reject them, and aperture-validate reports them as
`unknown_type`.

Usage: compare.py EVENTS_JSON VERDICTS_JSON...
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> int:
    records = json.loads(Path(sys.argv[1]).read_text("utf-8"))
    tools = [json.loads(Path(p).read_text("utf-8")) for p in sys.argv[2:]]
    names = [tool["tool"] for tool in tools]
    headers = ["event", "expected", *names]
    rows = []
    failures = []
    for record in records:
        name, expected = record["name"], record["expected"]
        cells = []
        for tool in tools:
            verdict = tool["verdicts"].get(name)
            if verdict is None:
                cells.append("missing")
                failures.append(f"{name}: {tool['tool']} gave no verdict")
                continue
            cell = "unknown_type" if verdict["verdict"] == "unknown" else verdict["verdict"]
            if verdict.get("round_trip") is False:
                cell += " (changed on dump)"
                failures.append(f"{name}: {tool['tool']} does not dump it back unchanged: {verdict['detail']}")
            if expected != "unknown" and verdict["verdict"] != expected:
                cell += " ✗"
                failures.append(f"{name}: {tool['tool']} says {verdict['verdict']} ({verdict['detail']}), expected {expected}")
            cells.append(cell)
        rows.append([name, expected if expected != "unknown" else "(unknown type)", *cells])
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    line = lambda row: "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip()
    print(line(headers))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))
    compared = sum(1 for r in records if r["expected"] != "unknown")
    print()
    if failures:
        print(f"conformance: {len(failures)} disagreement(s) over {compared} events of documented types:")
        for failure in failures:
            print(f"  {failure}")
        return 1
    print(f"conformance: {', '.join(names)} agree on all {compared} events of documented types "
          f"({len(records) - compared} of unknown type shown, not compared)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

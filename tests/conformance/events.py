"""Every event the conformance run checks, with the verdict its place implies.

Reads tests/fixtures/: valid/*.json (accept), invalid/*.json (reject),
unknown_type/*.json (unknown: no documented log_type), and the captures:
events.ndjson lines, bulk.json's "events", and the JSON bodies of the HTTP
responses in transcripts.http. A capture event's expected verdict is "accept"
when its log_type is one of the five, "unknown" otherwise (captures are real
traffic the schemas accept).

Run as a script it writes them as one JSON array to the path given (or stdout),
for the Node checks to read the very same list:
    [{"name": "valid/incident_minimal.json", "expected": "accept",
      "log_type": "incident", "path": "tests/fixtures/valid/incident_minimal.json",
      "line": null, "event": {...}}, ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
KNOWN_TYPES = ("activity_monitoring", "incident", "remediation", "policy_violation", "admin_audit")


def _log_type(event: object) -> str | None:
    if isinstance(event, dict) and isinstance(event.get("log_type"), str):
        return event["log_type"]
    return None


def _record(name: str, expected: str, path: Path, event: object, line: int | None = None) -> dict:
    return {
        "name": name,
        "expected": expected,
        "log_type": _log_type(event),
        "path": str(path.relative_to(ROOT)),
        "line": line,
        "event": event,
    }


def _capture_expected(event: object) -> str:
    return "accept" if _log_type(event) in KNOWN_TYPES else "unknown"


def http_bodies(text: str) -> list[tuple[int, str]]:
    """(first line number, body) of each non-empty response body in an HTTP transcript."""
    bodies: list[tuple[int, str]] = []
    body: list[str] | None = None
    start = 0
    in_headers = False
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


def collect() -> list[dict]:
    records: list[dict] = []
    for kind, expected in (("valid", "accept"), ("invalid", "reject"), ("unknown_type", "unknown")):
        for path in sorted((FIXTURES / kind).glob("*.json")):
            if path.name == "index.json":
                continue
            records.append(_record(f"{kind}/{path.name}", expected, path, json.loads(path.read_text("utf-8"))))
    captures = FIXTURES / "captures"
    path = captures / "events.ndjson"
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if line.strip():
            event = json.loads(line)
            records.append(_record(f"captures/events.ndjson:{number}", _capture_expected(event), path, event, number))
    path = captures / "bulk.json"
    for index, event in enumerate(json.loads(path.read_text("utf-8"))["events"]):
        records.append(_record(f"captures/bulk.json#/events/{index}", _capture_expected(event), path, event))
    path = captures / "transcripts.http"
    for number, body in http_bodies(path.read_text("utf-8")):
        event = json.loads(body)
        records.append(_record(f"captures/transcripts.http:{number}", _capture_expected(event), path, event, number))
    return records


def main() -> None:
    text = json.dumps(collect(), ensure_ascii=False, indent=1)
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(text, "utf-8")
    else:
        print(text)


if __name__ == "__main__":
    main()

"""aperture-validate's tolerant verdicts on the same events, from its JSON report.

Each event is written to its own file (so a verdict maps back to its event
whatever reader the validator would pick for the original capture), then one
run of `aperture-validate --format json` over that directory. Its report lists
every record not accepted under `errors`, each with `place.source` and `class`
(`invalid`, `malformed` or `unknown_type`); a file not listed was accepted
(kept as an unknown type when `drift.unknown_types` lists its `log_type`).
`summary.total` must equal the number of events, so a file the validator
skipped cannot pass as accepted.

Usage: check_validate.py EVENTS_JSON OUT_JSON WORK_DIR COMMAND...
(COMMAND runs aperture-validate, for example `cargo run -q -p aperture-events-validator --`.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def main() -> int:
    events_path, out_path, work_dir = map(Path, sys.argv[1:4])
    command = sys.argv[4:]
    records = json.loads(events_path.read_text("utf-8"))
    folder = work_dir / "aperture-validate"
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for number, record in enumerate(records):
        path = folder / f"event-{number:04}.json"
        path.write_text(json.dumps(record["event"], ensure_ascii=False), "utf-8")
        files[str(path)] = record["name"]
    run = subprocess.run(
        [*command, "--format", "json", "--max-errors", str(len(records) + 1), str(folder)],
        capture_output=True,
        text=True,
    )
    if run.returncode not in (0, 1):
        sys.stderr.write(run.stderr[-4000:])
        print(f"aperture-validate failed with exit code {run.returncode}", file=sys.stderr)
        return 2
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError as error:
        sys.stderr.write(run.stdout[:2000] + run.stderr[-2000:])
        print(f"aperture-validate --format json did not print JSON: {error}", file=sys.stderr)
        return 2
    total = report.get("summary", {}).get("total")
    if total != len(records):
        print(f"aperture-validate read {total} records, expected {len(records)}", file=sys.stderr)
        return 2
    # Accepted events whose log_type the report lists as an unknown type (kept,
    # in the tolerant reading) are shown as such.
    unknown_types = {entry["log_type"] for entry in report.get("drift", {}).get("unknown_types", [])}
    log_types = {record["name"]: record["log_type"] for record in records}
    verdicts = {
        name: {"verdict": "unknown" if log_types[name] in unknown_types else "accept", "detail": ""}
        for name in files.values()
    }
    for error in report.get("errors", []):
        source = str(Path(error.get("place", error)["source"]))
        name = files.get(source) or files.get(str(Path(source).resolve()))
        if name is None:
            print(f"aperture-validate reported an unknown source {source}", file=sys.stderr)
            return 2
        problems = error.get("problems") or [{}]
        first = problems[0]
        verdict = "unknown" if error["class"] == "unknown_type" else "reject"
        detail = f"{first.get('pointer') or '/'}: {first.get('keyword', error['class'])}"
        verdicts[name] = {"verdict": verdict, "detail": detail}
    Path(out_path).write_text(json.dumps({"tool": "aperture-validate", "verdicts": verdicts}, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

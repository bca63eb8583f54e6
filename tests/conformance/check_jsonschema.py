"""Python `jsonschema` verdicts: every event against the exported union schema
(after checking every exported file against the 2020-12 meta-schema).

Draft202012Validator with a FormatChecker, so `format: date-time` is asserted
(checked by rfc3339-validator, which jsonschema uses when it is installed; the
script fails if it is not, rather than silently passing every timestamp).
The `x-` keywords and `discriminator` are unknown keywords to jsonschema and
are ignored, as the 2020-12 specification says they should be.

Usage: check_jsonschema.py EXPORT_DIR EVENTS_JSON OUT_JSON
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker


def main() -> int:
    export_dir, events_path, out_path = map(Path, sys.argv[1:4])
    for path in sorted(export_dir.glob("*.schema.json")):
        Draft202012Validator.check_schema(json.loads(path.read_text("utf-8")))
    schema = json.loads((export_dir / "log_event.schema.json").read_text("utf-8"))
    checker = FormatChecker()
    if checker.conforms("2017-02-30T00:00:00Z", "date-time"):
        print("jsonschema does not check date-time: rfc3339-validator is missing", file=sys.stderr)
        return 2
    validator = Draft202012Validator(schema, format_checker=checker)
    verdicts = {}
    for record in json.loads(events_path.read_text("utf-8")):
        errors = sorted(validator.iter_errors(record["event"]), key=lambda e: list(e.absolute_path))
        if errors:
            first = errors[0]
            place = "/" + "/".join(str(p) for p in first.absolute_path)
            verdicts[record["name"]] = {"verdict": "reject", "detail": f"{place}: {first.validator}"}
        else:
            verdicts[record["name"]] = {"verdict": "accept", "detail": ""}
    Path(out_path).write_text(json.dumps({"tool": "python-jsonschema", "verdicts": verdicts}, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Generates aperture_events/models.py from the exported schemas.

    python python/generate_models.py            # rewrite python/python/aperture_events/models.py
    python python/generate_models.py --check    # exit 1 when the checked-in file is stale

Needs datamodel-code-generator (pinned in python/pyproject.toml's `test` extra).
The models are datamodel-code-generator's pydantic v2 output for
schema/export/log_event.schema.json. This is the one configuration of the
models: the conformance suite (tests/conformance/check_models.py) calls
`generate()` on its export, so the models it tests are the models shipped.
The options, and why:
- `--extra-fields allow`: keep fields the schema does not list (real traffic
  has them) instead of dropping them;
- `--use-missing-sentinel --target-pydantic-version 2.14`: an optional field
  that is absent stays absent (pydantic's MISSING) instead of becoming `None`.
  Without it the generator types every optional field `X | None = None`, so an
  explicit `null` is accepted where the schema forbids it (`"ip": null`,
  `"severity": null`) and a dump cannot tell absent from null;
- `--use-title-as-name`: class names from the schemas' titles (`Incident`);
- `--no-use-union-operator`: `Optional[...]`/`Union[...]`, so the module
  imports on Python 3.9 (the package's oldest Python);
- MISSING imported from aperture_events._types (see IMPORTS);
- the `x-case-insensitive` sets (exposure, item_type) derive from
  `aperture_events._types.CaseInsensitiveValue`: compared by value in any
  ASCII case, the spelling kept, as the Rust types do;
- `--type-overrides` into aperture_events._types (the exact JSON Schema
  readings of timestamps, severity, counts and item_size);
- a tail listing each open value set's known values and quirk spellings (the
  schemas' `x-known-values` and `x-quirk-values`): OPEN_VALUE_SETS.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXPORT = ROOT / "schema" / "export" / "log_event.schema.json"
TARGET = HERE / "python" / "aperture_events" / "models.py"
# The keyword registry of aperture-events-schema, as JSON: the one home of
# the schema keywords' names (checked fresh by the schema crate's tests).
VOCABULARY = ROOT / "schema" / "vocabulary.json"


def keyword(name: str) -> str:
    """`name`, when the registry has it: a misspelt or dropped keyword fails here, not silently."""
    names = {entry["name"] for entry in json.loads(VOCABULARY.read_text("utf-8"))["keywords"]}
    if name not in names:
        raise SystemExit(f"generate_models.py: `{name}` is not in {VOCABULARY.relative_to(ROOT)}")
    return name


DEFS = keyword("$defs")
KNOWN_VALUES = keyword("x-known-values")
QUIRK_VALUES = keyword("x-quirk-values")
CASE_INSENSITIVE = keyword("x-case-insensitive")
COMMAND = "python python/generate_models.py"

OPTIONS = [
    "--input-file-type", "jsonschema",
    "--output-model-type", "pydantic_v2.BaseModel",
    "--target-python-version", "3.10",
    "--no-use-union-operator",
    "--target-pydantic-version", "2.14",
    "--use-missing-sentinel",
    "--extra-fields", "allow",
    "--use-title-as-name",
    "--use-annotated",
    "--field-constraints",
    "--disable-timestamp",
    "--formatters", "builtin",
    "--type-overrides", json.dumps({
        "Timestamp": "aperture_events._types.Timestamp",
        "Severity": "aperture_events._types.Severity",
        "ItemSize": "aperture_events._types.ItemSize",
        "Incident.occurrences_by_rule": "aperture_events._types.Count",
    }),
]

HEADER = f'''"""pydantic v2 models of the Log Events API: the five event types and their union `LogEvent`.

Generated from schema/export/log_event.schema.json by datamodel-code-generator;
do not edit by hand. Regenerate with `{COMMAND}` (a test fails while this
file is stale). Load events with `LogEvent.model_validate_json(text)` and write
them back with `model_dump_json(by_alias=True)`: unknown fields are kept
(`extra='allow'`), an absent field stays absent (`MISSING`), `null` stays `null`.
"""
'''


def open_value_sets(union: dict) -> dict[str, tuple[list[str], list[str]]]:
    """Title -> (known values, quirk spellings) of every definition with `x-known-values`."""
    found = {}
    for definition in union.get(DEFS, {}).values():
        if KNOWN_VALUES in definition and "title" in definition:
            found[definition["title"]] = (definition[KNOWN_VALUES], definition.get(QUIRK_VALUES, []))
    return dict(sorted(found.items()))


# pydantic has MISSING at its top level from 2.14 on, in pydantic.experimental before (2.12,
# 2.13: the last versions for Python 3.9): the models take it from aperture_events._types.
IMPORTS = [
    ("from pydantic import MISSING, BaseModel,", "from pydantic import BaseModel,"),
    ("from aperture_events._types import Count, ItemSize, Severity, Timestamp",
     "from aperture_events._types import MISSING, Count, ItemSize, Severity, Timestamp"),
]


def case_insensitive(union: dict) -> dict[str, dict[str, str]]:
    """Title -> {ASCII-lowercased known value: documented spelling} of every `x-case-insensitive` set."""
    found = {}
    for definition in union.get(DEFS, {}).values():
        if definition.get(CASE_INSENSITIVE) and "title" in definition:
            quirks = set(definition.get(QUIRK_VALUES, []))
            documented = [v for v in definition[KNOWN_VALUES] if v not in quirks]
            found[definition["title"]] = {v.lower(): v for v in documented}
    return dict(sorted(found.items()))


def render(generated: str, union: dict) -> str:
    body = generated.split("\n", 3)[3] if generated.startswith("# generated by") else generated
    insensitive = case_insensitive(union)
    imports = list(IMPORTS)
    if insensitive:
        old, new = imports[1]
        imports[1] = (old, new.replace("import MISSING,", "import MISSING, CANONICAL_SPELLINGS, CaseInsensitiveValue,"))
    for title in insensitive:
        imports.append((f"class {title}(RootModel[str]):", f"class {title}(CaseInsensitiveValue, RootModel[str]):"))
    for old, new in imports:
        if old not in body:
            raise SystemExit(f"generate_models.py: the generated code has no `{old}`: update IMPORTS")
        body = body.replace(old, new)
    lines = [HEADER.rstrip("\n"), body.strip("\n"), "", ""]
    lines.append("# Open value sets: the known values and the undocumented spellings real traffic uses.")
    lines.append("OPEN_VALUE_SETS: dict[str, tuple[frozenset[str], frozenset[str]]] = {")
    for title, (known, quirks) in open_value_sets(union).items():
        lines.append(f"    {title!r}: (frozenset({sorted(known)!r}), frozenset({sorted(quirks)!r})),")
    lines.append("}")
    if insensitive:
        lines += ["", "# Sets whose known values are one value in any ASCII case (x-case-insensitive): compared by value.",
                  "CANONICAL_SPELLINGS.update({"]
        for title, spellings in insensitive.items():
            lines.append(f"    {title!r}: {dict(sorted(spellings.items()))!r},")
        lines.append("})")
    return "\n".join(lines) + "\n"


def generate(export: Path = EXPORT) -> str:
    """The text of models.py for the union schema `export`."""
    codegen = Path(sys.executable).parent / "datamodel-codegen"
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "models.py"
        result = subprocess.run([str(codegen), "--input", str(export), "--output", str(out), *OPTIONS],
                                capture_output=True, text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stdout + result.stderr)
            raise SystemExit(f"datamodel-codegen failed with exit code {result.returncode}")
        generated = out.read_text("utf-8")
    return render(generated, json.loads(export.read_text("utf-8")))


def main() -> int:
    text = generate()
    if "--check" in sys.argv[1:]:
        if TARGET.read_text("utf-8") != text:
            print(f"{TARGET.relative_to(ROOT)} is stale: run `{COMMAND}`", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

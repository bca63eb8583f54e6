"""Builds the real-world corpus (tests/realworld/README.md) from the packages
that tests/realworld/run.sh downloaded and unpacked.

Writes one file per schema, in the JSON Schema Test Suite's format (a list
with one group: description, schema, tests of {description, data, valid}),
so that the Rust test reads it with the suite's own loader:

- check-jsonschema/<name>.json: each schema check-jsonschema vendors, with
  the example files its test suite checks against it (`hooks/positive/<name>`
  valid, `hooks/negative/<name>` invalid; YAML read as YAML 1.1 without its
  date and time conversions, so every value stays JSON);
- metaschema/<draft>.json: the official metaschema of draft-04, -06 and -07,
  with every schema of that draft's JSON Schema Test Suite as an instance
  (valid: each is a schema of that draft).

Usage: corpus.py CHECK_JSONSCHEMA_DIR SPECIFICATIONS_DIR SUITE_DIR OUT_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml


class JsonSafeLoader(yaml.SafeLoader):
    """YAML's safe loader without the implicit timestamp type: `2024-01-01`
    stays the string it is in JSON (check-jsonschema reads it the same way)."""


JsonSafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}

# The metaschemas, by the suite's name for their draft.
METASCHEMAS = {"draft4": "draft4", "draft6": "draft6", "draft7": "draft7"}


def read_instance(path: Path) -> object:
    """The example file as JSON data; raises ValueError when it is not JSON data."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    if path.suffix in (".yaml", ".yml"):
        data = yaml.load(text, Loader=JsonSafeLoader)  # noqa: S506 (a safe loader)
        # Reject what JSON cannot hold (binary, sets, non-string keys...).
        return json.loads(json.dumps(data, allow_nan=False))
    raise ValueError(f"not JSON or YAML: {path.suffix}")


def check_jsonschema(root: Path, out: Path) -> list[str]:
    """Writes a file per vendored schema; returns the example files left out, with why."""
    vendor = root / "src/check_jsonschema/builtin_schemas/vendor"
    examples = root / "tests/example-files/hooks"
    skipped = []
    (out / "check-jsonschema").mkdir(parents=True, exist_ok=True)
    for schema_file in sorted(vendor.glob("*.json")):
        name = schema_file.stem
        tests = []
        for label, valid in (("positive", True), ("negative", False)):
            for example in sorted((examples / label / name).glob("*")):
                if example.name == "_config.yaml":
                    continue
                try:
                    data = read_instance(example)
                except (ValueError, yaml.YAMLError) as error:
                    first = str(error).splitlines()[0] if str(error) else type(error).__name__
                    skipped.append(f"{label}/{name}/{example.name}: {first}")
                    continue
                tests.append({"description": f"{label}/{example.name}", "data": data, "valid": valid})
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        group = {"description": name, "schema": schema, "tests": tests}
        write(out / "check-jsonschema" / f"{name}.json", [group])
    return skipped


def metaschemas(specifications: Path, suite: Path, out: Path) -> None:
    """Writes a file per metaschema, the suite's schemas of its draft as instances."""
    (out / "metaschema").mkdir(parents=True, exist_ok=True)
    for suite_name, spec_name in METASCHEMAS.items():
        metaschema_file = specifications / "jsonschema_specifications/schemas" / spec_name / "metaschema.json"
        metaschema = json.loads(metaschema_file.read_text(encoding="utf-8"))
        tests = []
        for suite_file in sorted((suite / suite_name).rglob("*.json")):
            groups = json.loads(suite_file.read_text(encoding="utf-8"))
            for n, group in enumerate(groups):
                where = f"{suite_file.relative_to(suite)}#{n}"
                tests.append({"description": where, "data": group["schema"], "valid": True})
        group = {"description": f"{suite_name} metaschema", "schema": metaschema, "tests": tests}
        write(out / "metaschema" / f"{suite_name}.json", [group])


def write(path: Path, groups: list) -> None:
    path.write_text(json.dumps(groups, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> int:
    if len(sys.argv) != 5:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    check_root, specifications, suite, out = map(Path, sys.argv[1:])
    skipped = check_jsonschema(check_root, out)
    metaschemas(specifications, suite, out)
    for line in skipped:
        print(f"realworld: example left out: {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

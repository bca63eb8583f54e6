"""Checks an OpenAPI document whose schemas come from the types: the 3.0
document of `--example openapi`, or the 3.1 document aide generates for the
example service (examples/openapi-service).

1. It passes the official OpenAPI schema check (openapi-spec-validator, for
   the document's version).
2. Its `LogEvent` component, read by an OpenAPI-aware validator
   (openapi-schema-validator's OAS30Validator or OAS31Validator, formats
   asserted), gives every fixture event the verdict the source schema gives
   it (the export's `log_event.schema.json` under the `jsonschema` package,
   formats asserted).

Usage: python3 openapi_check.py DOCUMENT REPO
"""

import json
import pathlib
import sys

import jsonschema
from openapi_schema_validator import (
    OAS30Validator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from openapi_spec_validator import validate


def events(root):
    """Every JSON document, array item, bulk body event and NDJSON line under root."""
    out = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            value = json.loads(text)
            if isinstance(value, list):
                docs = value
            elif isinstance(value, dict) and isinstance(value.get("events"), list):
                docs = value["events"]
            else:
                docs = [value]
        except ValueError:
            docs = []
            for line in text.splitlines():
                try:
                    docs.append(json.loads(line))
                except ValueError:
                    pass
        out.extend((f"{path.relative_to(root)}[{i}]", d) for i, d in enumerate(docs))
    return out


def main():
    document = json.loads(pathlib.Path(sys.argv[1]).read_text())
    repo = pathlib.Path(sys.argv[2])
    validate(document)
    version = document["openapi"]
    if version.startswith("3.0."):
        validator, format_checker = OAS30Validator, oas30_format_checker
    elif version.startswith("3.1."):
        validator, format_checker = OAS31Validator, oas31_format_checker
    else:
        sys.exit(f"unexpected OpenAPI version {version}")
    ours = validator(
        {"$ref": "#/components/schemas/LogEvent", "components": document["components"]},
        format_checker=format_checker,
    )
    source_schema = json.loads((repo / "schema/export/log_event.schema.json").read_text())
    source = jsonschema.Draft202012Validator(
        source_schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    found = events(repo / "tests/fixtures")
    agree, integral, disagree = 0, [], []
    for name, event in found:
        expected = source.is_valid(event)
        if ours.is_valid(event) == expected:
            agree += 1
        elif (
            version.startswith("3.0.")
            and expected
            and all(integral_float(e) for e in leaves(ours.iter_errors(event)))
        ):
            # OpenAPI 3.0's validators read types as draft 4 does: `1.0` is
            # not an `integer` there, as it is in the source schema (draft
            # 2020-12). No OpenAPI 3.0 schema says otherwise; 3.1's dialect
            # is draft 2020-12, so there every verdict must agree.
            integral.append(name)
        else:
            disagree.append((name, expected))
    accepted = sum(source.is_valid(event) for _, event in found)
    for name, expected in disagree:
        print(f"disagree: {name}: the source schema {'accepts' if expected else 'refuses'} it")
    integral_note = (
        f"{len(integral)} refused only for an integer written as 1.0 "
        f"(draft 4 typing, which OpenAPI 3.0 cannot change), "
        if version.startswith("3.0.")
        else ""
    )
    print(
        f"OpenAPI {version} document valid; LogEvent on {len(found)} fixture events "
        f"({accepted} accepted by the source schema): {agree} agree, "
        f"{integral_note}{len(disagree)} disagree otherwise"
    )
    sys.exit(1 if disagree or len(found) < 50 else 0)


def leaves(errors):
    """The innermost errors (those of the `oneOf` branch that was meant)."""
    for error in errors:
        if error.context:
            yield from leaves(error.context)
        else:
            yield error


def integral_float(error):
    """A `type: integer` error on a float with no fraction (`1.0`)."""
    return (
        error.validator == "type"
        and error.validator_value == "integer"
        and isinstance(error.instance, float)
        and error.instance.is_integer()
    )


main()

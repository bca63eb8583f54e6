"""Python types for the two definitions pydantic's defaults read differently from JSON Schema.

datamodel-code-generator is told to use these in place of the types it would
generate for `Timestamp`, `Severity`, `ItemSize` and the field
`Incident.occurrences_by_rule` (its `--type-overrides` option):

- `Timestamp` (`type: string, format: date-time`): by default it becomes
  pydantic's `AwareDatetime`, whose parser accepts more than RFC 3339 (a space
  instead of `T`, a Unix time given as a number) and which writes the value
  back in its own spelling (`.961Z` becomes `.961000Z`). `Rfc3339` is the
  string as sent, checked with the same RFC 3339 check `jsonschema` uses.
- the integers (`Severity`, the integer side of `ItemSize`,
  `occurrences_by_rule`): pydantic's lax `int` accepts `"3"` and `true`, and
  its strict `int` rejects `1.0`, which JSON Schema (and the API) count as the
  integer 1. `JsonInteger` takes JSON numbers with no fractional part, and
  nothing else.
"""

from __future__ import annotations

from typing import Annotated

from annotated_types import Ge, Le
from pydantic import AfterValidator, BeforeValidator
from rfc3339_validator import validate_rfc3339


def _rfc3339(value: str) -> str:
    if not validate_rfc3339(value):
        raise ValueError("not an RFC 3339 date-time")
    return value


def _json_integer(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("not a JSON number")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("not an integral number")
        return int(value)
    return value


Rfc3339 = Annotated[str, AfterValidator(_rfc3339)]
JsonInteger = Annotated[int, BeforeValidator(_json_integer)]

# The schema's bounds restated (check_models.py fails when they differ from the export's).
SEVERITY_MINIMUM = 0
SEVERITY_MAXIMUM = 5
# item_size and occurrences_by_rule: at most 2^53 - 1.
COUNT_MAXIMUM = 9007199254740991

Timestamp = Rfc3339
Severity = Annotated[JsonInteger, Ge(SEVERITY_MINIMUM), Le(SEVERITY_MAXIMUM)]
# `type: [string, integer], minimum: 0`: the minimum applies to numbers only.
ItemSize = str | Annotated[JsonInteger, Ge(0), Le(COUNT_MAXIMUM)]
# For an inline `type: [integer, null]` field: the generator keeps `| None` and the bounds.
Count = Annotated[JsonInteger, Ge(0), Le(COUNT_MAXIMUM)]

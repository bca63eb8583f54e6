"""The exact types the generated models use where pydantic's defaults read JSON differently from JSON Schema.

They are the types the conformance suite (``tests/conformance/check_models.py``,
which checks the very models shipped) found necessary, written for Python 3.9
(``Union`` instead of ``|``). ``models.py`` is generated with
``--type-overrides`` pointing here:

- ``Timestamp`` (``type: string, format: date-time``): pydantic's
  ``AwareDatetime`` accepts more than RFC 3339 (a space for ``T``, a Unix time
  given as a number) and writes the value back in its own spelling (``.961Z``
  becomes ``.961000Z``). Here it is the string as sent, checked with the RFC
  3339 check ``jsonschema`` uses.
- The integers (``Severity``, the integer side of ``ItemSize``,
  ``occurrences_by_rule``): pydantic's lax ``int`` accepts ``"3"`` and
  ``true``, its strict ``int`` rejects ``1.0``, which JSON Schema (and the
  API) count as the integer 1. ``JsonInteger`` takes JSON numbers with no
  fractional part, and nothing else.

``MISSING`` (an absent field) is pydantic's sentinel, wherever the installed
pydantic keeps it.
"""

from __future__ import annotations

from typing import Dict, Union

from annotated_types import Ge, Le
from pydantic import AfterValidator, BeforeValidator
from rfc3339_validator import validate_rfc3339
from typing_extensions import Annotated

try:  # pydantic >= 2.14
    from pydantic import MISSING
except ImportError:  # pragma: no cover - pydantic 2.12 and 2.13 (the last for Python 3.9)
    from pydantic.experimental.missing_sentinel import MISSING


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

# The schema's bounds restated (a test fails when they differ from the export's).
SEVERITY_MINIMUM = 0
SEVERITY_MAXIMUM = 5
# item_size and occurrences_by_rule: at most 2^53 - 1.
COUNT_MAXIMUM = 9007199254740991

Timestamp = Rfc3339
Severity = Annotated[JsonInteger, Ge(SEVERITY_MINIMUM), Le(SEVERITY_MAXIMUM)]
# `type: [string, integer], minimum: 0`: the minimum applies to numbers only.
ItemSize = Union[str, Annotated[JsonInteger, Ge(0), Le(COUNT_MAXIMUM)]]
# For an inline `type: [integer, null]` field: the generator keeps `Optional` and the bounds.
Count = Annotated[JsonInteger, Ge(0), Le(COUNT_MAXIMUM)]


# Open value sets marked `x-case-insensitive` (exposure, item_type): every
# ASCII case variant of a known value is that value. models.py fills this
# table: class name -> {ASCII-lowercased known value: its documented spelling}.
CANONICAL_SPELLINGS: Dict[str, Dict[str, str]] = {}
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class CaseInsensitiveValue:
    """A value of an open set compared by value: `COMPANY`, `company` and `Company` are one value.

    The spelling received stays in `root` (and is what a dump writes);
    `canonical()` is the documented spelling of a known value, or the value as
    received when it is not known (unknown values compare exactly), as the
    Rust types do.
    """

    root: str

    def canonical(self) -> str:
        spellings = CANONICAL_SPELLINGS.get(type(self).__name__, {})
        return spellings.get(self.root.translate(_ASCII_LOWER), self.root)

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            return self.canonical() == other.canonical()  # type: ignore[attr-defined]
        return NotImplemented

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.canonical()))

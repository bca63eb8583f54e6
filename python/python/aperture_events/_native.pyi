# The types of `aperture_events._native`, the Rust extension (python/src/*.rs).
# Checked against the built module by mypy's stubtest in the tests
# (python/tests/test_typing.py): a method, argument or default that changes on
# one side and not the other fails there.

import os
from collections.abc import Iterable, Sequence
from typing import Any, Literal, final

from typing_extensions import TypeAlias

_Record: TypeAlias = bytes | bytearray | memoryview | str
"""One record, or one whole input: JSON text as bytes or str."""
_Path: TypeAlias = str | os.PathLike[str]
_Class: TypeAlias = Literal["valid", "invalid", "malformed", "unknown_type"]

__all__ = [
    "Validator",
    "Verdict",
    "Problem",
    "Report",
    "Batch",
    "SchemaError",
    "InternalError",
    "_panic_inside_guard",
    "DEFAULT_MAX_RECORD_SIZE",
    "LARGEST_MAX_RECORD_SIZE",
    "DEFAULT_MAX_DECOMPRESSION_RATIO",
    "LARGEST_MAX_DECOMPRESSION_RATIO",
    "MAX_JOBS",
    "DEFAULT_MAX_ERRORS",
    "CLASSES",
    "LAST_LINE",
    "OCSF_VERSION",
    "OcsfConverter",
    "__version__",
]

__version__: str

CLASSES: tuple[_Class, ...]
"""Every record ends in exactly one of these classes."""
DEFAULT_MAX_ERRORS: int
"""The errors a report lists by default (`max_errors`)."""
DEFAULT_MAX_RECORD_SIZE: int
LARGEST_MAX_RECORD_SIZE: int
DEFAULT_MAX_DECOMPRESSION_RATIO: int
LARGEST_MAX_DECOMPRESSION_RATIO: int
MAX_JOBS: int
LAST_LINE: int
OCSF_VERSION: str
"""The OCSF version the converter writes (`metadata.version`)."""

class SchemaError(ValueError):
    """The schemas could not be loaded or compiled."""

class InternalError(RuntimeError):
    """A bug in aperture-events (a Rust panic), caught before it reached Python."""

def _panic_inside_guard(message: str) -> None: ...
@final
class Problem:
    """One thing wrong with a record."""

    @property
    def pointer(self) -> str: ...
    @property
    def keyword(self) -> str: ...
    @property
    def schema(self) -> str | None: ...
    @property
    def message(self) -> str: ...
    def to_dict(self) -> dict[str, str]: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class Verdict:
    """The verdict on one record."""

    @property
    def class_(self) -> _Class: ...
    @property
    def log_type(self) -> str | None: ...
    @property
    def problems(self) -> list[Problem]: ...
    @property
    def syntax_position(self) -> tuple[int, int] | None: ...
    @property
    def valid(self) -> bool: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class Report:
    """The report of a run: counts, listed errors, drift."""

    @property
    def summary(self) -> dict[str, Any]: ...
    @property
    def drift(self) -> dict[str, Any]: ...
    @property
    def errors(self) -> list[dict[str, Any]]: ...
    @property
    def errors_omitted(self) -> int: ...
    @property
    def notes(self) -> list[dict[str, Any]]: ...
    @property
    def inputs(self) -> list[dict[str, Any]]: ...
    @property
    def total(self) -> int: ...
    @property
    def reading(self) -> Literal["tolerant", "strict"]: ...
    @property
    def has_drift(self) -> bool: ...
    def all_accepted(self) -> bool: ...
    def exit_code(self, fail_on_drift: bool = False) -> int: ...
    def to_json(self) -> str: ...
    def to_text(self, all_rates: bool = False) -> str: ...
    @staticmethod
    def from_json(text: str) -> Report: ...
    def merge(self, other: Report, *, max_errors: int = ...) -> Report: ...
    @staticmethod
    def merge_all(reports: Iterable[Report], *, max_errors: int = ...) -> Report: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...

@final
class Batch:
    """The verdicts of a batch of records and the report of the same records."""

    @property
    def verdicts(self) -> list[Verdict | None]: ...
    @property
    def report(self) -> Report: ...

@final
class Validator:
    """Validates Log Events API records against the aperture-events schemas."""

    def __new__(
        cls, strict: bool = False, schema_dir: _Path | None = None, show_values: bool = False
    ) -> Validator: ...
    @property
    def strict(self) -> bool: ...
    @property
    def show_values(self) -> bool: ...
    def validate(self, data: _Record, *, max_record_size: int = ...) -> Verdict: ...
    def validate_many(self, records: Iterable[_Record], *, max_record_size: int = ...) -> list[Verdict]: ...
    def validate_path(
        self,
        path: _Path | Sequence[_Path],
        *,
        max_errors: int = ...,
        jobs: int = 0,
        max_record_size: int = ...,
        max_decompression_ratio: int = ...,
    ) -> Report: ...
    def validate_input(
        self,
        data: _Record,
        source: str = "<bytes>",
        *,
        max_errors: int = ...,
        max_record_size: int = ...,
        max_decompression_ratio: int = ...,
    ) -> Report: ...
    def validate_batch(
        self,
        records: Iterable[_Record | None],
        source: str = "<records>",
        *,
        first_line: int = 1,
        max_errors: int = ...,
        max_record_size: int = ...,
    ) -> Batch: ...

_OcsfKind: TypeAlias = Literal["event", "skipped", "error", "missing"]

@final
class OcsfConverter:
    """Converts Log Events API records to OCSF 1.8.0 events (the converter of `aperture-ocsf`)."""

    def __new__(
        cls,
        *,
        raw_data: bool = True,
        unknown: str = "base_event",
        severity_table: str | None = None,
        max_record_size: int | None = None,
    ) -> OcsfConverter: ...
    @property
    def raw_data(self) -> bool: ...
    @property
    def unknown(self) -> str: ...
    @property
    def severity_table(self) -> str: ...
    @property
    def max_record_size(self) -> int: ...
    def convert(self, record: _Record) -> tuple[_OcsfKind, str]: ...
    def convert_many(self, records: Iterable[_Record | None]) -> list[tuple[_OcsfKind, str]]: ...

"""OCSF 1.8.0 export: ``to_ocsf`` and ``to_ocsf_many``.

Both call the Rust converter of ``aperture-events-ocsf`` (``_native.OcsfConverter``),
the one ``aperture-ocsf`` runs: one mapping, and the same OCSF event, byte for byte,
as the command line writes for the same record.

    >>> from aperture_events import to_ocsf
    >>> event = to_ocsf(b'{"log_type": "incident", "incident_id": "x", "timestamp": "2020-05-08T23:50:55Z"}')
    >>> event["class_name"], event["finding_info"]["uid"]
    ('Data Security Finding', 'x')
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from itertools import islice
from typing import Any, Literal, Optional, Union, overload

from ._native import DEFAULT_MAX_RECORD_SIZE, OcsfConverter

Record = Union[bytes, bytearray, memoryview, str, Mapping[str, Any]]
"""One event: its JSON text (``bytes`` or ``str``), or the decoded object (a ``dict``)."""
SeverityTable = Union[str, Mapping[int, int], None]
"""Vendor severity (0 to 5) → OCSF ``severity_id``: ``"0=1,5=6"`` or ``{0: 1, 5: 6}``;
levels not named keep the default (the identity)."""
Unknown = Literal["base_event", "skip"]

CHUNK = 20_000
"""Records converted at a time: by ``to_ocsf_many`` (what it holds beyond its result and the
caller's objects is one chunk's texts and outcomes) and by each task of ``spark.to_ocsf``."""

_CONVERTERS: dict = {}


def _table(severity_table: SeverityTable) -> Optional[str]:
    if severity_table is None or isinstance(severity_table, str):
        return severity_table
    if not isinstance(severity_table, Mapping):
        raise ValueError(f"severity_table: a str or a mapping, not {type(severity_table).__name__}")
    # Each key and value is spelled as given; the Rust parser refuses what is not a level or an id.
    return ",".join(f"{level!s}={ident!s}" for level, ident in severity_table.items())


def converter(*, raw_data: bool = True, unknown: Unknown = "base_event", severity_table: SeverityTable = None,
              max_record_size: int = DEFAULT_MAX_RECORD_SIZE) -> OcsfConverter:
    """The converter of these options (made once per process and option set); a bad option is a ``ValueError``."""
    if not isinstance(raw_data, bool):
        raise ValueError(f"raw_data: True or False, not {type(raw_data).__name__}")
    if not isinstance(unknown, str):
        raise ValueError(f"unknown: \"base_event\" or \"skip\", not {type(unknown).__name__}")
    if isinstance(max_record_size, bool) or not isinstance(max_record_size, int):
        raise ValueError(f"max_record_size: an int, not {type(max_record_size).__name__}")
    table = _table(severity_table)
    key = (raw_data, unknown, table, max_record_size)
    found = _CONVERTERS.get(key)
    if found is None:
        found = OcsfConverter(raw_data=raw_data, unknown=unknown, severity_table=table,
                              max_record_size=max_record_size)
        if len(_CONVERTERS) < 64:
            _CONVERTERS[key] = found
    return found


def _plain(value: Any) -> Any:
    """``json.dumps``'s fallback: any other ``Mapping`` is written as the ``dict`` of its items."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _text(record: Any) -> Any:
    """A record as the native converter takes it: a mapping is written as compact JSON."""
    if isinstance(record, Mapping):
        try:
            return json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_plain)
        except RecursionError as e:
            raise ValueError("the event is nested too deeply to be written as JSON") from e
        except (TypeError, ValueError) as e:
            raise ValueError(f"the event cannot be written as JSON: {e}") from e
    if not isinstance(record, (bytes, bytearray, memoryview, str)):
        raise ValueError(f"a record must be bytes, str or a mapping, not {type(record).__name__}")
    return record


def _check_as_json(as_json: Any) -> None:
    if not isinstance(as_json, bool):
        raise ValueError(f"as_json: True or False, not {type(as_json).__name__}")


def _decode(kind: str, text: str, as_json: bool) -> Any:
    if kind == "event":
        return text if as_json else json.loads(text)
    return None


@overload
def to_ocsf(record: Record, *, raw_data: bool = ..., unknown: Unknown = ..., severity_table: SeverityTable = ...,
            max_record_size: int = ..., as_json: Literal[False] = ...) -> Optional[dict[str, Any]]: ...
@overload
def to_ocsf(record: Record, *, raw_data: bool = ..., unknown: Unknown = ..., severity_table: SeverityTable = ...,
            max_record_size: int = ..., as_json: Literal[True]) -> Optional[str]: ...
def to_ocsf(record: Record, *, raw_data: bool = True, unknown: Unknown = "base_event",
            severity_table: SeverityTable = None, max_record_size: int = DEFAULT_MAX_RECORD_SIZE,
            as_json: bool = False) -> Union[dict[str, Any], str, None]:
    """The OCSF 1.8.0 event of one Log Events API event (a ``dict``; its JSON text, the line
    ``aperture-ocsf`` writes, with ``as_json=True``).

    ``None`` when the event's ``log_type`` is unknown and ``unknown="skip"``. A record that is not
    a JSON object with an RFC 3339 ``timestamp``, or is longer than ``max_record_size`` bytes, is
    a ``ValueError`` saying why; so is a bad option.
    """
    _check_as_json(as_json)
    kind, text = converter(raw_data=raw_data, unknown=unknown, severity_table=severity_table,
                           max_record_size=max_record_size).convert(_text(record))
    if kind == "error":
        raise ValueError(text)
    return _decode(kind, text, as_json)


@overload
def to_ocsf_many(records: Iterable[Optional[Record]], *, raw_data: bool = ..., unknown: Unknown = ...,
                 severity_table: SeverityTable = ..., max_record_size: int = ...,
                 errors: Literal["raise", "none"] = ..., as_json: Literal[False] = ...
                 ) -> list[Optional[dict[str, Any]]]: ...
@overload
def to_ocsf_many(records: Iterable[Optional[Record]], *, raw_data: bool = ..., unknown: Unknown = ...,
                 severity_table: SeverityTable = ..., max_record_size: int = ...,
                 errors: Literal["raise", "none"] = ..., as_json: Literal[True]) -> list[Optional[str]]: ...
def to_ocsf_many(records: Iterable[Optional[Record]], *, raw_data: bool = True, unknown: Unknown = "base_event",
                 severity_table: SeverityTable = None, max_record_size: int = DEFAULT_MAX_RECORD_SIZE,
                 errors: Literal["raise", "none"] = "raise", as_json: bool = False
                 ) -> Union[list[Optional[dict[str, Any]]], list[Optional[str]]]:
    """``to_ocsf`` of every record, in order, converted on every core without the GIL, ``CHUNK``
    records at a time (a generator is read as it goes).

    ``None`` in, ``None`` out; a skipped unknown type gives ``None``. A record that cannot be
    converted raises a ``ValueError`` naming its position (``errors="raise"``) or gives ``None``
    (``errors="none"``).
    """
    if errors not in ("raise", "none"):
        raise ValueError(f"errors: \"raise\" or \"none\", not {errors!r}"[:200])
    _check_as_json(as_json)
    if records is None or isinstance(records, (str, bytes, bytearray, memoryview, Mapping)) or \
            not isinstance(records, Iterable):
        raise TypeError(f"to_ocsf_many takes an iterable of records, not {type(records).__name__} "
                        "(for one record, use to_ocsf)")
    convert = converter(raw_data=raw_data, unknown=unknown, severity_table=severity_table,
                        max_record_size=max_record_size)
    out: list = []
    records = iter(records)
    while True:
        chunk = list(islice(records, CHUNK))
        if not chunk:
            return out
        for kind, text in _convert_chunk(convert, chunk):
            if kind == "error" and errors == "raise":
                raise ValueError(f"record {len(out)}: {text}")
            out.append(_decode(kind, text, as_json))


def _convert_chunk(convert: OcsfConverter, chunk: list) -> list:
    """The outcomes of ``chunk``, in order; a record that cannot be written as JSON is an error in its place."""
    texts: list = []
    refused: dict[int, str] = {}
    for position, record in enumerate(chunk):
        try:
            texts.append(None if record is None else _text(record))
        except ValueError as e:
            refused[position] = str(e)
            texts.append(None)
    outcomes = convert.convert_many(texts)
    for position, why in refused.items():
        outcomes[position] = ("error", why)
    return outcomes

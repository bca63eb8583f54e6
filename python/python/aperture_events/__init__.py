"""Validate Log Events API payloads, report drift, and load them into typed models.

The validator is the Rust library behind ``aperture-validate``, compiled into
this package (``aperture_events._native``): verdicts and reports are the very
ones the command line gives. ``aperture_events.models`` holds the pydantic v2
models generated from the same schemas; ``aperture_events.spark`` runs the
validator over a Spark DataFrame. ``to_ocsf`` and ``to_ocsf_many`` convert
events to OCSF 1.8.0 with the Rust converter of ``aperture-ocsf``
(``aperture_events.spark.to_ocsf`` adds an OCSF column to a DataFrame).

    >>> from aperture_events import Validator
    >>> verdict = Validator().validate(b'{"log_type": "incident", "timestamp": "2017-08-14T23:20:57Z", "incident_id": "x"}')
    >>> verdict.class_
    'valid'
"""

from __future__ import annotations

from ._native import (
    CLASSES,
    DEFAULT_MAX_DECOMPRESSION_RATIO,
    DEFAULT_MAX_ERRORS,
    DEFAULT_MAX_RECORD_SIZE,
    LARGEST_MAX_DECOMPRESSION_RATIO,
    LARGEST_MAX_RECORD_SIZE,
    LAST_LINE,
    MAX_JOBS,
    OCSF_VERSION,
    Batch,
    InternalError,
    OcsfConverter,
    Problem,
    Report,
    SchemaError,
    Validator,
    Verdict,
    __version__,
)
from ._ocsf import to_ocsf, to_ocsf_many

__all__ = [
    "CLASSES",
    "DEFAULT_MAX_DECOMPRESSION_RATIO",
    "DEFAULT_MAX_ERRORS",
    "DEFAULT_MAX_RECORD_SIZE",
    "LARGEST_MAX_DECOMPRESSION_RATIO",
    "LARGEST_MAX_RECORD_SIZE",
    "LAST_LINE",
    "MAX_JOBS",
    "OCSF_VERSION",
    "Batch",
    "InternalError",
    "OcsfConverter",
    "Problem",
    "Report",
    "SchemaError",
    "Validator",
    "Verdict",
    "__version__",
    "to_ocsf",
    "to_ocsf_many",
]

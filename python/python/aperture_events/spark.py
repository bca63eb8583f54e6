"""Validating events at scale with Spark: a DataFrame of raw events in, classes and one report out.

    >>> from aperture_events import spark as aperture_spark
    >>> result = aperture_spark.validate(session.read.text("s3://archive/2026/"))
    >>> result.report.summary["invalid"], result.records.groupBy("class").count()

Each partition is validated by the same Rust library as ``aperture-validate``
(``Validator.validate_batch``: one record per row, blank rows skipped), in
chunks, inside the Spark task (``mapPartitions``); each task sends back its
partial report, and the driver merges them in partition order
(``Report.merge_all``) into the report of the whole DataFrame. The same code
runs on a laptop (``local[*]``) and on a cluster; the workers need this
package installed.

Places in the report name the partition and the row's position in it
(``<partition 3>:120``): a DataFrame row does not know its file and line.
``validate_files`` reads whole files instead (``binaryFiles``, every input
shape the command line reads, places by file and line).

``to_ocsf`` adds a column of OCSF 1.8.0 events (JSON text, the lines
``aperture-ocsf`` writes) to a DataFrame of raw events, converted by the same
Rust converter inside each task.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional, Tuple

from ._native import DEFAULT_MAX_ERRORS, DEFAULT_MAX_RECORD_SIZE, Report, Validator
from ._ocsf import CHUNK as CHUNK, SeverityTable, Unknown, converter as _ocsf_converter

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame, SparkSession

# CHUNK: the rows validated or converted at a time inside a task (memory stays bounded by a chunk,
# see python/README.md); its home is _ocsf.py, shared with to_ocsf_many.

_VALIDATORS: dict = {}


def _pyspark() -> None:
    """Checks, first thing in each helper, that pyspark is there (an optional dependency)."""
    try:
        import pyspark  # noqa: F401
    except ImportError as e:
        raise ImportError("aperture_events.spark needs pyspark: pip install 'aperture-events[spark]' "
                          f"(importing it failed: {e})", name="pyspark") from e


def _validator(strict: bool, schema_dir: Optional[str], show_values: bool) -> Validator:
    """One compiled validator per worker process and option set."""
    key = (strict, schema_dir, show_values)
    validator = _VALIDATORS.get(key)
    if validator is None:
        validator = _VALIDATORS[key] = Validator(strict=strict, schema_dir=schema_dir, show_values=show_values)
    return validator


@dataclass
class SparkValidation:
    """What ``validate`` returns."""

    records: Optional["DataFrame"]
    """The input rows with two more columns: ``class`` (``valid``, ``invalid``,
    ``malformed``, ``unknown_type``; null for a blank row) and ``log_type``.
    None when ``validate`` was called with ``records=False``. Backed by a
    persisted RDD: call ``unpersist()`` when done with it."""
    report: Report
    """The merged report of every row: counts, listed errors, drift tables."""
    _cached: Any = None

    def unpersist(self) -> None:
        """Frees the persisted rows behind ``records``."""
        if self._cached is not None:
            self._cached.unpersist()
            self._cached = None


def _text_column(df: "DataFrame", column: str) -> int:
    """The position of ``column``, checked on the driver: it must exist and hold text (``string``
    or ``binary``, one event per row), else a ``ValueError`` before any task runs."""
    from pyspark.sql.types import BinaryType, StringType

    if not isinstance(column, str):
        raise ValueError(f"column: a column name (str), not {type(column).__name__}")
    if column not in df.columns:
        raise ValueError(f"no column {column!r} in the DataFrame (columns: {', '.join(df.columns)})")
    kind = df.schema[column].dataType
    if not isinstance(kind, (StringType, BinaryType)):
        raise ValueError(f"column {column!r} holds {kind.simpleString()}: give a string or binary column "
                         "(one event per row)")
    return df.columns.index(column)


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list]:
    chunk: list = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _partition(options: Tuple[bool, Optional[str], bool], position: int, max_errors: int, records: bool,
               max_record_size: int):
    """The function run on each partition: yields (0, row, class, log_type) per row, then (1, report JSON)."""

    def run(index: int, rows: Iterable[Any]) -> Iterator[tuple]:
        validator = _validator(*options)
        source = f"<partition {index}>"
        reports = []
        line = 1
        for chunk in _chunks(rows, CHUNK):
            batch = validator.validate_batch([row[position] for row in chunk], source,
                                             first_line=line, max_errors=max_errors,
                                             max_record_size=max_record_size)
            line += len(chunk)
            reports.append(batch.report)
            if records:
                for row, verdict in zip(chunk, batch.verdicts):
                    if verdict is None:
                        yield (0, tuple(row), None, None)
                    else:
                        yield (0, tuple(row), verdict.class_, verdict.log_type)
        report = Report.merge_all(reports, max_errors=max_errors) if reports else \
            validator.validate_batch([], source, max_errors=max_errors).report
        yield (1, index, report.to_json())

    return run


def validate(df: "DataFrame", column: str = "value", *, strict: bool = False, schema_dir: Optional[str] = None,
             show_values: bool = False, max_errors: int = DEFAULT_MAX_ERRORS, records: bool = True,
             max_record_size: int = DEFAULT_MAX_RECORD_SIZE) -> SparkValidation:
    """Validates every row of ``df[column]`` (strings or binary: one event each, as ``spark.read.text`` gives).

    Returns the rows with their class (``records``) and the merged report.
    With ``records=False`` only the report is computed (nothing is persisted).
    A row longer than ``max_record_size`` bytes is malformed (``record longer than … bytes``).
    """
    _pyspark()
    from pyspark import StorageLevel
    from pyspark.sql.types import StringType, StructField, StructType

    position = _text_column(df, column)
    run = _partition((strict, schema_dir, show_values), position, max_errors, records, max_record_size)
    out = df.rdd.mapPartitionsWithIndex(run)
    cached = None
    if records:
        cached = out.persist(StorageLevel.MEMORY_AND_DISK)
        out = cached
    parts = out.filter(lambda item: item[0] == 1).map(lambda item: (item[1], item[2])).collect()
    report = _merged([text for _, text in sorted(parts)], options=(strict, schema_dir, show_values),
                     max_errors=max_errors)
    if not records:
        return SparkValidation(records=None, report=report)
    schema = StructType(df.schema.fields + [
        StructField("class", StringType(), True),
        StructField("log_type", StringType(), True),
    ])
    rows = out.filter(lambda item: item[0] == 0).map(lambda item: (*item[1], item[2], item[3]))
    return SparkValidation(records=df.sparkSession.createDataFrame(rows, schema), report=report, _cached=cached)


def validate_files(spark: "SparkSession", path: str, *, strict: bool = False, schema_dir: Optional[str] = None,
                   show_values: bool = False, max_errors: int = DEFAULT_MAX_ERRORS,
                   max_record_size: int = DEFAULT_MAX_RECORD_SIZE) -> Report:
    """The report of every file under ``path`` (a directory, a glob), each read whole in every
    input shape ``aperture-validate`` reads (NDJSON, bulk bodies, HTTP transcripts, HAR, gzip),
    placed by file and line. Files are merged in path order. Each file is held in memory by its task;
    a record in it longer than ``max_record_size`` bytes is malformed.
    """
    _pyspark()
    options = (strict, schema_dir, show_values)

    def run(files: Iterable[Tuple[str, bytes]]) -> Iterator[Tuple[str, str]]:
        validator = _validator(*options)
        for name, data in files:
            source = name[len("file:"):] if name.startswith("file:") else name
            yield name, validator.validate_input(bytes(data), source, max_errors=max_errors,
                                                 max_record_size=max_record_size).to_json()

    parts = spark.sparkContext.binaryFiles(path).mapPartitions(run).collect()
    return _merged([text for _, text in sorted(parts)], options=options, max_errors=max_errors)


def _merged(texts: list, *, options: Tuple[bool, Optional[str], bool], max_errors: int) -> Report:
    """The merge of reports sent as JSON, in order; the empty report when there is none."""
    if not texts:
        return _validator(*options).validate_batch([], "<none>", max_errors=max_errors).report
    return Report.merge_all([Report.from_json(text) for text in texts], max_errors=max_errors)


def to_ocsf(df: "DataFrame", column: str = "value", output: str = "ocsf", *, error: Optional[str] = "ocsf_error",
            raw_data: bool = True, unknown: Unknown = "base_event", severity_table: SeverityTable = None,
            max_record_size: int = DEFAULT_MAX_RECORD_SIZE) -> "DataFrame":
    """``df`` with a string column ``output``: the OCSF 1.8.0 event of each row of ``df[column]``
    (strings or binary, one event each, as ``spark.read.text`` gives), as JSON text, the line
    ``aperture-ocsf`` writes with the same options.

    ``output`` is null for a null row, for an unknown type skipped (``unknown="skip"``) and for a
    row that cannot be converted; then the column ``error`` (unless ``error=None``) says why (null
    otherwise). The options are those of ``aperture_events.to_ocsf``, checked here, on the driver
    (a bad one is a ``ValueError``). Rows are converted ``CHUNK`` at a time inside each task.
    """
    _pyspark()
    from pyspark.sql.types import StringType, StructField, StructType

    position = _text_column(df, column)
    for argument, name in (("output", output), ("error", error)):
        if not isinstance(name, str) and not (argument == "error" and name is None):
            raise ValueError(f"{argument}: a column name (str){' or None' if argument == 'error' else ''}, "
                             f"not {type(name).__name__}")
    added = [name for name in (output, error) if name is not None]
    if len(set(added)) != len(added) or any(name in df.columns for name in added):
        raise ValueError(f"the new columns {added!r} must be new and distinct (columns: {', '.join(df.columns)})")
    options = dict(raw_data=raw_data, unknown=unknown, severity_table=severity_table,
                   max_record_size=max_record_size)
    _ocsf_converter(**options)  # checks the options before any task runs
    keep_error = error is not None

    def run(rows: Iterable[Any]) -> Iterator[tuple]:
        convert = _ocsf_converter(**options)
        for chunk in _chunks(rows, CHUNK):
            values = [row[position] for row in chunk]
            outcomes = convert.convert_many([bytes(v) if isinstance(v, (bytearray, memoryview)) else v
                                             for v in values])
            for row, (kind, text) in zip(chunk, outcomes):
                event = text if kind == "event" else None
                reason = text if kind == "error" else None
                yield (*row, event, reason) if keep_error else (*row, event)

    fields = [StructField(output, StringType(), True)]
    if keep_error:
        fields.append(StructField(error, StringType(), True))
    schema = StructType(df.schema.fields + fields)
    return df.sparkSession.createDataFrame(df.rdd.mapPartitions(run), schema)

"""The Python API attacked from its edges (issue 28, round h): arguments a caller controls.

Each test here failed before its fix: an iterable whose ``__len__`` lies aborted the
interpreter; one bad record in ``to_ocsf_many`` stopped the batch without its place, even
with ``errors="none"``; a single record handed to ``to_ocsf_many`` was iterated character
by character; a ``Mapping`` that is not a ``dict`` was refused although the type says
``Mapping``. Calls that could abort run in a child interpreter, so that an abort fails the
test instead of killing pytest.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import types
from collections.abc import Mapping

import pytest
from aperture_events import to_ocsf, to_ocsf_many

EVENT = {"log_type": "incident", "incident_id": "x", "timestamp": "2020-05-08T23:50:55Z"}


def run_child(body: str) -> subprocess.CompletedProcess:
    code = "import json\nfrom aperture_events import *\nEVENT = " + repr(EVENT) + "\n" + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


# --- an iterable whose __len__ lies -------------------------------------------------------------


@pytest.mark.parametrize("call", [
    "OcsfConverter().convert_many(Liar())",
    "Validator().validate_many(Liar())",
    "Validator().validate_batch(Liar(), 'x').verdicts",
])
def test_an_iterable_whose_len_lies_is_no_abort(call):
    result = run_child(f"""
        class Liar:
            def __len__(self):
                return 2**40
            def __iter__(self):
                return iter([json.dumps(EVENT)])
        print(len({call}))
    """)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "1"


# --- to_ocsf_many: one bad record is one record -------------------------------------------------

BAD = [5, "\ud800", {"a": float("nan")}, {"a": object()}, {"a": "\udcff"}, b"{"]


@pytest.mark.parametrize("bad", BAD, ids=lambda b: type(b).__name__ + ":" + ascii(b)[:20])
def test_a_bad_record_is_named_by_its_position(bad):
    with pytest.raises(ValueError, match=r"^record 1: "):
        to_ocsf_many([EVENT, bad, EVENT])


@pytest.mark.parametrize("bad", BAD, ids=lambda b: type(b).__name__ + ":" + ascii(b)[:20])
def test_a_bad_record_does_not_stop_the_rest(bad):
    out = to_ocsf_many([EVENT, bad, EVENT], errors="none")
    assert out[1] is None
    assert out[0] == out[2] == to_ocsf(EVENT)


def test_to_ocsf_gives_value_errors_for_the_same_records():
    for bad in BAD:
        with pytest.raises(ValueError):
            to_ocsf(bad)


# --- to_ocsf_many of one record ------------------------------------------------------------------


@pytest.mark.parametrize("one", [json.dumps(EVENT), json.dumps(EVENT).encode(), EVENT,
                                 bytearray(b"{}"), None, 5])
def test_one_record_given_to_to_ocsf_many_is_refused(one):
    with pytest.raises(TypeError, match="to_ocsf_many takes an iterable of records"):
        to_ocsf_many(one)


def test_an_iterable_of_lines_is_accepted(tmp_path):
    path = tmp_path / "events.ndjson"
    path.write_text(json.dumps(EVENT) + "\n" + json.dumps(EVENT) + "\n")
    expected = to_ocsf(EVENT, raw_data=False)
    with open(path) as lines:
        assert to_ocsf_many(lines, raw_data=False) == [expected] * 2
    with open(path, "rb") as lines:
        assert to_ocsf_many(lines, raw_data=False) == [expected] * 2
    assert to_ocsf_many(iter([EVENT]), raw_data=False) == [expected]
    assert to_ocsf_many(()) == []


# --- any Mapping ---------------------------------------------------------------------------------


class Frozen(Mapping):
    def __init__(self, data):
        self._data = data

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)


def test_a_mapping_that_is_not_a_dict_converts_as_the_dict():
    nested = {**EVENT, "item": {"name": "a"}}
    expected = to_ocsf(nested)
    assert to_ocsf(types.MappingProxyType(nested)) == expected
    assert to_ocsf(Frozen(nested)) == expected
    assert to_ocsf({**EVENT, "item": Frozen({"name": "a"})}) == expected
    assert to_ocsf_many([Frozen(nested)]) == [expected]


# --- to_ocsf_many streams its iterable ------------------------------------------------------------


def test_to_ocsf_many_reads_its_iterable_a_chunk_at_a_time():
    """A generator is read ``CHUNK`` records at a time (what a call holds beyond its result is one
    chunk), and ``errors="raise"`` stops at the chunk of the first bad record: an endless
    generator with a bad record is an error, not a hang."""
    from aperture_events._ocsf import CHUNK

    taken = 0

    def endless():
        nonlocal taken
        while True:
            taken += 1
            yield b"{" if taken == 6 else EVENT

    with pytest.raises(ValueError, match=r"^record 5: not JSON"):
        to_ocsf_many(endless())
    assert taken <= CHUNK + 1
    many = to_ocsf_many((EVENT if i % 7 else b"{" for i in range(2 * CHUNK + 3)), errors="none", as_json=True)
    assert len(many) == 2 * CHUNK + 3
    assert [i for i, e in enumerate(many) if e is None] == list(range(0, 2 * CHUNK + 3, 7))


# --- the first lines a user writes --------------------------------------------------------------


@pytest.mark.parametrize("call", [
    "spark.to_ocsf(None)",
    "spark.validate(None)",
    "spark.validate_files(None, 'x')",
])
def test_spark_without_pyspark_says_how_to_install_it(call):
    result = run_child(f"""
        import sys
        sys.modules["pyspark"] = None  # as if pyspark were not installed
        from aperture_events import spark
        try:
            {call}
        except ImportError as e:
            print("ImportError:", e)
    """)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "ImportError: aperture_events.spark needs pyspark: pip install 'aperture-events[spark]'" in result.stdout


def test_the_readmes_ocsf_example_runs_as_shown():
    """python/README.md's "OCSF export" block, run line by line up to its Spark part, with
    the names it leaves to the reader bound; a ``# 'value'`` comment is the value shown."""
    from conftest import ROOT

    text = (ROOT / "python" / "README.md").read_text()
    block = text.split("## OCSF export", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    names = {"record_dict": dict(EVENT), "line": json.dumps(EVENT), "lines": [json.dumps(EVENT)] * 3}
    ran = 0
    for line in block.strip().splitlines():
        if "spark" in line:
            break
        if not line.strip():
            continue
        code, _, shown = line.partition("#")
        value = eval(code.strip(), names) if not code.lstrip().startswith(("from ", "import ")) and \
            "=" not in code.split("(")[0] else exec(code.strip(), names)
        shown = shown.strip()
        if shown.startswith("'"):
            assert repr(value) == shown, line
        ran += 1
    assert ran >= 5


# --- the validator's many-record calls -----------------------------------------------------------

LINE = json.dumps(EVENT)


@pytest.mark.parametrize("call", ["validate_many", "validate_batch", "convert_many"])
@pytest.mark.parametrize("one", [LINE, LINE.encode(), bytearray(LINE.encode())], ids=["str", "bytes", "bytearray"])
def test_one_record_given_as_the_iterable_is_refused(call, one):
    from aperture_events import OcsfConverter, Validator

    method = getattr(OcsfConverter() if call == "convert_many" else Validator(), call)
    with pytest.raises(TypeError, match="an iterable of records, not a single record"):
        method(one)


@pytest.mark.parametrize("call", ["validate_many", "validate_batch"])
def test_a_record_that_is_not_one_is_named_by_its_position(call):
    from aperture_events import Validator

    method = getattr(Validator(), call)
    with pytest.raises(TypeError, match=r"^record 2: a record must be bytes or str, not int"):
        method([LINE, LINE, 5])
    with pytest.raises(ValueError, match=r"^record 1: .*surrogates not allowed"):
        method([LINE, "\ud800"])


def test_a_memoryview_of_any_shape_is_its_bytes():
    from aperture_events import OcsfConverter, Validator

    data = LINE.encode()
    rows = len(data) // 4
    square = memoryview(data[:rows * 4]).cast("B", (rows, 4))
    spaced = memoryview(b" ".join(bytes([b]) for b in data))[::2]
    assert Validator().validate(square).class_ == Validator().validate(data[:rows * 4]).class_
    assert OcsfConverter().convert(square) == OcsfConverter().convert(data[:rows * 4])
    assert to_ocsf(spaced) == to_ocsf(data)


@pytest.mark.parametrize("helper", ["to_ocsf", "validate"])
def test_spark_refuses_a_column_that_is_not_text_on_the_driver(spark, helper):
    from aperture_events import spark as aperture_spark

    df = spark.createDataFrame([(1, LINE)], "n long, value string")
    with pytest.raises(ValueError, match=r"column 'n' holds bigint: give a string or binary column"):
        getattr(aperture_spark, helper)(df, column="n")


# --- what held: locked in ------------------------------------------------------------------------


def test_threads_convert_at_once_with_the_same_results():
    """Eight Python threads converting at once (the GIL is released during conversion) get what one
    thread gets: no deadlock, no panic, no mixed-up results."""
    import threading

    lines = [json.dumps({**EVENT, "incident_id": str(i)}) for i in range(500)]
    expected = to_ocsf_many(lines, as_json=True)
    results: list = []

    def work() -> None:
        for _ in range(5):
            results.append(to_ocsf_many(lines, as_json=True) == expected and
                           to_ocsf(lines[7], as_json=True) == expected[7])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert results == [True] * 40


def test_deep_nesting_is_an_error_on_the_worker_threads_too():
    """A record nested 100,000 deep is refused by the parser's depth limit, also when it is
    converted on rayon's worker threads (smaller stacks than the main thread's)."""
    result = run_child("""
        deep = '{"log_type":"incident","timestamp":"2020-05-08T23:50:55Z","a":' + "[" * 100_000 + "]" * 100_000 + "}"
        print([kind for kind, _ in OcsfConverter().convert_many([deep] * 200)] == ["error"] * 200,
              [v.class_ for v in Validator().validate_many([deep] * 200)] == ["malformed"] * 200)
    """)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["True", "True"]


# --- options that were taken without a check ------------------------------------------------------


@pytest.mark.parametrize("as_json", ["yes", 1, None])
def test_as_json_is_a_bool(as_json):
    with pytest.raises(ValueError, match="as_json: True or False"):
        to_ocsf(EVENT, as_json=as_json)
    with pytest.raises(ValueError, match="as_json: True or False"):
        to_ocsf_many([EVENT], as_json=as_json)


@pytest.mark.parametrize("names", [{"output": None}, {"output": 5}, {"error": b"e"}, {"column": 5}])
def test_spark_to_ocsf_column_names_are_checked(spark, names):
    from aperture_events import spark as aperture_spark

    df = spark.createDataFrame([(LINE,)], "value string")
    with pytest.raises(ValueError, match="a column name"):
        aperture_spark.to_ocsf(df, **names).collect()


def test_spark_validate_column_name_is_checked(spark):
    from aperture_events import spark as aperture_spark

    df = spark.createDataFrame([(LINE,)], "value string")
    with pytest.raises(ValueError, match="a column name"):
        aperture_spark.validate(df, column=None)

"""Reports read back are untrusted input (issue 26, items 1 to 3).

`Report.from_json` reads a report as `aperture-validate merge` does: every
text made printable and cut (a report cannot make `to_text()` print a control
character or forge a line), every cap of a run applied while it is read, and
merged counts that would overflow refused, never saturated.
"""

from __future__ import annotations

import json

import pytest
from aperture_events import Report

EVIL = "x\x1b[2J\x07\r\nok: every record is accepted\n::error file=forged.py,line=1::pwned\u202e\x00"


def place(**more):
    return {"source": EVIL, "line": 1, **more}


def hostile() -> dict:
    counts = {"total": 2, "valid": 0, "invalid": 2, "unknown_type": 0}
    entry = {"log_type": EVIL, "field": EVIL, "count": 1, "first": place()}
    return {
        "summary": {
            "reading": "tolerant", "total": 3, "valid": 0, "invalid": 2, "malformed": 1,
            "unknown_type": 0, "by_log_type": {EVIL: counts},
            "error_responses": 1, "unreadable_inputs": 1,
        },
        "errors": [
            place(**{"class": "invalid", "log_type": EVIL, "problems": [
                {"pointer": EVIL, "keyword": EVIL, "schema": EVIL, "message": EVIL}]}),
            place(**{"class": "malformed", "problems": [
                {"pointer": "", "keyword": "syntax", "message": EVIL}]}),
        ],
        "errors_omitted": 1,
        "drift": {
            "undocumented_fields": [entry],
            "unknown_values": [{**entry, "value": EVIL}],
            "quirk_forms": [{**entry, "form": EVIL}],
            "unknown_types": [{"log_type": EVIL, "count": 1, "first": place()}],
            "fields": [{"log_type": EVIL, "field": EVIL, "events": 2, "absent": 0, "null": 1,
                        "absent_rate": 0.0, "null_rate": 0.5}],
        },
        "notes": [place(message=EVIL)],
        "inputs": [{"source": EVIL, "message": EVIL}],
    }


def assert_safe(text: str) -> None:
    for c in "\x1b\x07\r\u202e\x00":
        assert c not in text, repr(c)
    for line in text.split("\n"):
        assert not line.startswith("ok: every record is accepted"), text
        assert not line.startswith("::error file=forged.py"), text


def test_texts_read_back_are_printable():
    report = Report.from_json(json.dumps(hostile()))
    text = report.to_text()
    assert_safe(text)
    assert "\\u001b[2J" in text
    # What Python reads of it is escaped too, and JSON reads back as itself.
    assert_safe(json.dumps(report.errors, ensure_ascii=False))
    assert_safe(json.dumps(report.drift, ensure_ascii=False))
    assert_safe(json.dumps(report.summary, ensure_ascii=False))
    assert Report.from_json(report.to_json()).to_json() == report.to_json()


def test_caps_of_a_run_hold_when_read():
    n = 3006
    doc = {
        "summary": {"reading": "tolerant", "total": n, "valid": n, "invalid": 0,
                    "malformed": 0, "unknown_type": 0, "unreadable_inputs": n,
                    "by_log_type": {f"type_{i}": {"total": 1, "valid": 1, "invalid": 0,
                                                  "unknown_type": 0} for i in range(n)}},
        "errors": [],
        "drift": {},
        "inputs": [{"source": "s" * 100_000, "message": "m"} for _ in range(n)],
    }
    report = Report.from_json(json.dumps(doc))
    summary = report.summary
    assert len(summary["by_log_type"]) <= 2000
    listed = sum(c["total"] for c in summary["by_log_type"].values())
    assert listed + summary["other_log_types"]["total"] == n
    assert len(report.inputs) <= 100
    assert all(len(i["source"]) <= 4097 for i in report.inputs)


def test_merged_counts_that_overflow_are_refused():
    def doc(total):
        return json.dumps({"summary": {"reading": "tolerant", "total": total, "valid": total,
                                       "invalid": 0, "malformed": 0, "unknown_type": 0},
                           "errors": [], "drift": {}})

    big, one = Report.from_json(doc(2**64 - 1)), Report.from_json(doc(1))
    with pytest.raises(ValueError, match="report 2: the merged total would be more than"):
        big.merge(one)
    bad = json.loads(doc(3))
    bad["summary"]["by_log_type"] = {"incident": {"total": 5, "valid": 5, "invalid": 0, "unknown_type": 0}}
    with pytest.raises(ValueError, match="report 1: the log types count 5 records total"):
        Report.merge_all([Report.from_json(json.dumps(bad))])


@pytest.mark.parametrize("max_errors", [65537, 2**64 - 1])
def test_merge_max_errors_is_bounded(max_errors):
    report = Report.from_json(Report.from_json(json.dumps(hostile())).to_json())
    with pytest.raises(ValueError, match="max_errors: .* give 0 to 65536 errors"):
        report.merge(report, max_errors=max_errors)

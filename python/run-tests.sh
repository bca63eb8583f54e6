#!/usr/bin/env bash
# Tests of the Python package (python/): lint, build the wheel, install it
# into a fresh virtual environment, run pytest against it.
#
#   1. installs maturin (pinned) into python/.tools once, and Java 17 with
#      apt-get when `java -version` shows none (pyspark's JVM);
#   2. cargo fmt --check and clippy -D warnings on python/ (a workspace of
#      its own: the main workspace never compiles pyo3);
#   3. builds aperture-validate and aperture-ocsf (the CLIs the tests compare with) and the wheel
#      with maturin from this repository (--locked);
#   4. creates a fresh venv, installs the wheel with its `test` extra
#      (pyproject.toml, pinned: pytest, pyspark, datamodel-code-generator,
#      mypy), runs pytest from outside the source tree so that the installed
#      wheel is what is tested.
#
# Usage: bash python/run-tests.sh [PYTEST ARGS...]
# Environment: PYTHON_WHEEL_PROFILE=release builds an optimised wheel (default:
# the dev profile, minutes faster to compile; the benchmark builds its own
# release wheel); CARGO_TARGET_DIR (default: the repository's target/, shared
# with the main workspace so that the validator's dependencies build once).
set -euo pipefail
echo "== python: the aperture-events wheel (python/run-tests.sh)"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
MATURIN_VERSION=1.16.0
step() { printf '\n==> %s (at %ss)\n' "$*" "$SECONDS"; }
die() {
  echo "python tests: $*" >&2
  exit 1
}
command -v python3 >/dev/null || die "python3 is required"

# --- tools --------------------------------------------------------------------
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }
if ! command -v java >/dev/null || [ "$(java_major)" -lt 17 ]; then
  step "installing Java 17 (pyspark's JVM) with apt-get"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null ||
    die "cannot install openjdk-17-jre-headless"
fi
echo "java: $(java -version 2>&1 | head -n1)"

TOOLS="$HERE/.tools"
if [ "$("$TOOLS/bin/maturin" --version 2>/dev/null)" != "maturin $MATURIN_VERSION" ]; then
  step "installing maturin $MATURIN_VERSION into python/.tools"
  rm -rf "$TOOLS"
  python3 -m venv "$TOOLS" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
  "$TOOLS/bin/pip" install --quiet --disable-pip-version-check "maturin==$MATURIN_VERSION" ||
    die "pip install maturin failed"
fi

# --- lint ---------------------------------------------------------------------
step "cargo fmt and clippy on python/"
cargo fmt --manifest-path "$HERE/Cargo.toml" --all -- --check
cargo clippy --quiet --manifest-path "$HERE/Cargo.toml" --all-targets --locked -- -D warnings

# --- build --------------------------------------------------------------------
step "building aperture-validate, aperture-ocsf and the wheel"
cargo build --quiet --locked --manifest-path "$ROOT/Cargo.toml" -p aperture-events-validator --bin aperture-validate
cargo build --quiet --locked --manifest-path "$ROOT/Cargo.toml" -p aperture-events-ocsf --bin aperture-ocsf
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
profile=()
[ "${PYTHON_WHEEL_PROFILE:-dev}" = release ] && profile=(--release)
"$TOOLS/bin/maturin" build --quiet --locked "${profile[@]}" --manifest-path "$HERE/Cargo.toml" --out "$WORK/dist"
wheel="$(ls "$WORK"/dist/aperture_events-*.whl)"
echo "wheel: $(basename "$wheel")"

# --- a fresh venv with the wheel ------------------------------------------------
step "installing the wheel into a fresh virtual environment"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet --disable-pip-version-check "$wheel[test]" ||
  die "pip install of the wheel with its test extra (python/pyproject.toml) failed"

# --- tests ----------------------------------------------------------------------
step "pytest"
cd "$WORK"
status=0
APERTURE_VALIDATE="$CARGO_TARGET_DIR/debug/aperture-validate" \
  APERTURE_OCSF="$CARGO_TARGET_DIR/debug/aperture-ocsf" \
  "$WORK/venv/bin/python" -m pytest "$HERE/tests" -p no:cacheprovider -q "$@" || status=$?
# pytest's 5 means no test ran: a failure here, never a pass.
[ "$status" -ne 5 ] || die "pytest collected no test"
echo "python tests: done in ${SECONDS}s"
exit "$status"

#!/usr/bin/env bash
# The crates as a user gets them, tested from outside the repository:
#  1. `cargo package` packages and verifies every published crate;
#  2. a consumer crate in a temporary directory outside the workspace, whose
#     build.rs is the README's verbatim, builds and runs against the packaged
#     crates (through [patch.crates-io] on the unpacked packages); its edited
#     schema uses `pattern`, `email`, `uri` and `multipleOf`, so it needs only
#     the runtime's features, and with one left out the build fails naming it;
#  3. `cargo install --path` installs working aperture-validate,
#     aperture-capture, aperture-mock, aperture-forward and aperture-ocsf into a
#     temporary root.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
target=${CARGO_TARGET_DIR:-$root/target}

published=(aperture-events-schema aperture-events-codegen aperture-events-runtime aperture-events aperture-events-validator aperture-events-journal aperture-events-capture aperture-events-mock aperture-events-forward aperture-events-ocsf)

echo "== cargo package: every published crate packages and verifies"
# Cargo unpacks the packaged crates into CARGO_HOME under a directory named
# after the temporary registry's path, and reuses what it finds there: a
# second run at the same version would verify against the first run's
# sources. Our crates' unpacked copies go first (only those, and only from
# local registries, whose directory names start with `-`).
rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/aperture-events-*
# Likewise cargo takes a registry crate's build for fresh by its version: the
# builds of our packaged crates (their dep-info names a registry source) go too.
for info in "$target"/debug/deps/*aperture_events*.d; do
  [ -e "$info" ] && grep -q '/registry/src/-' "$info" || continue
  hash=${info##*-}; hash=${hash%.d}
  rm -rf "$target"/debug/deps/*"-$hash".* "$target"/debug/deps/*"-$hash" "$target"/debug/.fingerprint/*"-$hash"
done
cargo package --locked --workspace \
  --exclude aperture-events-tests --exclude aperture-events-downstream --exclude aperture-events-constructs \
  2>&1 | grep -v '^warning: ignoring \(test\|benchmark\|example\)'
for crate in "${published[@]}"; do
  printf '  %-28s %3d files\n' "$crate" "$(cargo package --locked --list -p "$crate" 2>/dev/null | wc -l)"
done

work=$(mktemp -d /tmp/aperture-consumer.XXXXXX)
trap 'rm -rf "$work"' EXIT
consumer=$work/consumer
mkdir -p "$consumer/schema"
cp -r tests/package/consumer/src "$consumer/"
cp tests/downstream/schema/incident.schema.json "$consumer/schema/"
# Four more properties whose checks need the runtime's four features.
python3 - "$consumer/schema/incident.schema.json" <<'PY'
import json, sys
path = sys.argv[1]
schema = json.load(open(path))
schema["properties"].update({
    "case_ref": {"type": "string", "pattern": "^CASE-[0-9]+$"},
    "reporter": {"type": "string", "format": "email"},
    "runbook": {"type": "string", "format": "uri"},
    "risk_step": {"type": "number", "multipleOf": 0.25},
})
json.dump(schema, open(path, "w"), indent=2)
PY
# The README's build.rs, verbatim: the ```rust block that calls Config::new().
awk '/^```rust(,(no_run|ignore))?$/ {block=""; inside=1; next} /^```$/ && inside {if (block ~ /aperture_events_codegen::Config::new\(\)/) {printf "%s", block; exit} inside=0; next} inside {block = block $0 "\n"}' README.md > "$consumer/build.rs"
grep -q 'aperture_events_codegen::Config::new()' "$consumer/build.rs" || { echo "README.md has no build.rs block"; exit 1; }
# The README's src/lib.rs, verbatim: the ```rust block that includes the generated file.
awk '/^```rust(,(no_run|ignore))?$/ {block=""; inside=1; next} /^```$/ && inside {if (block ~ /include!\(concat!\(env!\("OUT_DIR"\)/) {printf "%s", block; exit} inside=0; next} inside {block = block $0 "\n"}' README.md > "$consumer/src/lib.rs"
grep -q 'pub mod events' "$consumer/src/lib.rs" || { echo "README.md has no src/lib.rs block"; exit 1; }
{
  cat <<TOML
[package]
name = "aperture-consumer"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
aperture-events-runtime = { version = "0.1", features = ["email", "uri", "patterns", "multiple-of"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"

[build-dependencies]
aperture-events-codegen = "0.1"

[patch.crates-io]
TOML
  for crate in "${published[@]}"; do
    echo "$crate = { path = \"$target/package/$crate-0.1.0\" }"
  done
} > "$consumer/Cargo.toml"

echo "== the consumer, outside the workspace, against the packaged crates (cold build)"
start=$(date +%s)
(cd "$consumer" && CARGO_TARGET_DIR="$work/target" cargo run --quiet)
echo "  cold build and run: $(( $(date +%s) - start )) s"
# The build path (the generator and what it pulls) stays light; the regex
# crates are the runtime's, at run time, for the schema's `pattern`.
if (cd "$consumer" && cargo tree -p aperture-events-codegen -e normal --prefix none 2>/dev/null) \
    | grep -E '^(hyper|ureq|reqwest|rustls|regex|regex-automata|regex-syntax|jsonschema|jsonschema-regex|fancy-regex|clap) '; then
  echo "the consumer's build path pulls one of the crates above"; exit 1
fi

echo "== the consumer without the runtime's \`email\` feature: the build fails naming it"
sed -i 's/features = \["email", /features = [/' "$consumer/Cargo.toml"
grep -q 'features = \["uri", "patterns", "multiple-of"\]' "$consumer/Cargo.toml"
if (cd "$consumer" && CARGO_TARGET_DIR="$work/target" cargo build --quiet 2> "$work/missing.log"); then
  echo "the consumer built without the email feature"; exit 1
fi
grep -q 'enable the `email` feature of aperture-events-runtime' "$work/missing.log" || { cat "$work/missing.log"; exit 1; }
echo "  $(grep -m1 'enable the `email` feature' "$work/missing.log")"

echo "== cargo install --path: the tools install and run"
install_root=$work/install
CARGO_TARGET_DIR=$target cargo install --quiet --locked --debug --path validator --root "$install_root"
for dir in capture mock forward ocsf; do
  CARGO_TARGET_DIR=$target cargo install --quiet --locked --debug --path "$dir" --root "$install_root"
done
"$install_root/bin/aperture-validate" tests/fixtures/captures > "$work/report.txt"
grep -q '^ok: every record is accepted' "$work/report.txt"
"$install_root/bin/aperture-capture" --help > /dev/null
"$install_root/bin/aperture-mock" --help > /dev/null
"$install_root/bin/aperture-forward" --help > /dev/null
# Every fixture capture converts, one OCSF event per line with its class.
"$install_root/bin/aperture-ocsf" tests/fixtures/captures > "$work/ocsf.ndjson" 2> "$work/ocsf.txt"
[ -s "$work/ocsf.ndjson" ] && ! grep -qv '"class_uid":' "$work/ocsf.ndjson" || { cat "$work/ocsf.txt"; exit 1; }
echo "  installed: $(ls "$install_root/bin" | tr '\n' ' ')"
echo "package checks: ok"

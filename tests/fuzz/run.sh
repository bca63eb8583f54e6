#!/usr/bin/env bash
# Bounded fuzzing of the toolkit, for CI and by hand.
#
# Installs cargo-fuzz (pinned) into tests/fuzz/.tools if it is not there,
# builds the fuzz targets with the machine's stable toolchain
# (RUSTC_BOOTSTRAP=1 lets it accept the -Z flags cargo-fuzz passes), seeds a
# corpus per target from the fixtures and runs every target for FUZZ_SECONDS
# (default 60), all targets at the same time. Exits non-zero when any target
# finds a crash (a panic, a failed check, a timeout or too much memory); the
# input that did it is kept in tests/fuzz/artifacts/<target>/.
#
# Environment:
#   FUZZ_SECONDS    seconds per target (default 60)
#   FUZZ_TARGETS    targets to run (default: all three)
#   FUZZ_SANITIZER  none (default) or address; the code under test forbids
#                   `unsafe`, so the sanitizer adds build and run time for little
#   FUZZ_TOOLS      where cargo-fuzz is installed (default tests/fuzz/.tools)
#   FUZZ_TARGET_DIR where the targets are built (default tests/fuzz/target)
#
# Reproduce a crash (after a run has built the targets):
#   tests/fuzz/target/x86_64-unknown-linux-gnu/release/<target> tests/fuzz/artifacts/<target>/crash-...
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
fuzz_dir=tests/fuzz
cargo_fuzz_version=0.13.2
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-"validate_input log_event codegen_schema"}
sanitizer=${FUZZ_SANITIZER:-none}
tools=${FUZZ_TOOLS:-$root/$fuzz_dir/.tools}
export RUSTC_BOOTSTRAP=1
# The fuzz project has a workspace (and a target directory) of its own.
unset CARGO_TARGET_DIR
export CARGO_TARGET_DIR=${FUZZ_TARGET_DIR:-$root/$fuzz_dir/target}

cargo_fuzz=$tools/bin/cargo-fuzz
if ! "$cargo_fuzz" --version 2>/dev/null | grep -q " $cargo_fuzz_version\$"; then
  echo "== installing cargo-fuzz $cargo_fuzz_version into $tools"
  CARGO_TARGET_DIR=$tools/build cargo install --locked --quiet \
    cargo-fuzz --version "$cargo_fuzz_version" --root "$tools"
  rm -rf "$tools/build"
fi

echo "== building fuzz targets ($targets), sanitizer $sanitizer"
# -O -a: optimized, with debug assertions so overflows are crashes too;
# 16 codegen units: a much shorter build on two cores, for slightly slower runs.
build_flags=(--fuzz-dir "$fuzz_dir" --sanitizer "$sanitizer" -O -a --codegen-units 16)
if [ -z "${FUZZ_TARGETS:-}" ]; then
  # One build for all targets: the libraries are compiled once.
  "$cargo_fuzz" build "${build_flags[@]}"
else
  for target in $targets; do
    "$cargo_fuzz" build "${build_flags[@]}" "$target"
  done
fi

# Seed corpora from the fixtures (the corpus directory is not checked in;
# what a run adds to it is kept for the next run on the same machine).
corpus=$fuzz_dir/corpus
mkdir -p "$corpus"
seed() { # target file...
  local dir=$corpus/$1
  shift
  mkdir -p "$dir"
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$dir/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
  done
  return 0
}
shopt -s nullglob
fixtures=(tests/fixtures/*/*.json tests/fixtures/captures/* validator/tests/data/*)
seed validate_input "${fixtures[@]}"
if [ -f tests/fixtures/captures/events.ndjson ]; then
  gzip -c tests/fixtures/captures/events.ndjson > "$corpus/validate_input/seed-events.ndjson.gz"
  # UTF-16 with its byte order mark, as Windows tools write it.
  if command -v iconv >/dev/null; then
    iconv -f UTF-8 -t UTF-16 tests/fixtures/captures/events.ndjson \
      > "$corpus/validate_input/seed-events.ndjson.utf16" || true
  fi
fi
seed log_event tests/fixtures/valid/*.json tests/fixtures/invalid/*.json \
  tests/fixtures/unknown_type/*.json tests/fixtures/malformed/*.json
mkdir -p "$corpus/codegen_schema"
# codegen_schema: first byte = which schema file the rest replaces (7: the only file).
i=0
for name in common activity_monitoring incident remediation policy_violation admin_audit log_event; do
  file=schema/$name.schema.json
  if [ -f "$file" ]; then
    { printf "\\$(printf '%03o' "$i")"; cat "$file"; } > "$corpus/codegen_schema/seed-$i-$name"
    { printf "\\$(printf '%03o' "$((i + 8))")"; cat "$file"; } > "$corpus/codegen_schema/seed-$((i + 8))-$name"
  fi
  i=$((i + 1))
done
{ printf '\007'; cat schema/incident.schema.json; } > "$corpus/codegen_schema/seed-7-alone"
# Grammar mode (first byte 16 or more): the bytes after it are choices that
# derive a schema and instances (aperture-events-schema-grammar); any bytes do.
i=16
for file in schema/*.schema.json; do
  { printf "\\$(printf '%03o' "$i")"; tail -c 512 "$file"; } > "$corpus/codegen_schema/seed-$i-grammar"
  i=$((i + 1))
done

triple=$(rustc -vV | sed -n 's/^host: //p')

echo "== fuzzing each target for ${seconds}s"
mkdir -p "$fuzz_dir/artifacts"
pids=()
for target in $targets; do
  mkdir -p "$fuzz_dir/artifacts/$target"
  case $target in
    codegen_schema) dict=$fuzz_dir/dictionaries/schema.dict ;;
    *) dict=$fuzz_dir/dictionaries/events.dict ;;
  esac
  (
    # -rss_limit_mb / -malloc_limit_mb: memory beyond 2 GiB is a crash (unbounded memory).
    # -timeout: one input taking 30 s is a crash (a hang, or quadratic time).
    # The binary built above, run directly: `cargo fuzz run` would build again.
    "$CARGO_TARGET_DIR/$triple/release/$target" "$corpus/$target" \
      -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=30 \
      -print_final_stats=1 -close_fd_mask=1 -dict="$dict" \
      -artifact_prefix="$root/$fuzz_dir/artifacts/$target/" \
      > "$fuzz_dir/artifacts/$target.log" 2>&1
  ) &
  pids+=("$!:$target")
done
failed=()
for entry in "${pids[@]}"; do
  pid=${entry%%:*}
  target=${entry#*:}
  if wait "$pid"; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$fuzz_dir/artifacts/$target.log" | grep -o '[0-9]*$' || true)
    echo "   $target: no crash in ${seconds}s (${runs:-?} inputs)"
  else
    echo "   $target: CRASH (log: $fuzz_dir/artifacts/$target.log)"
    grep -E 'panicked at|ERROR: libFuzzer|SUMMARY|Test unit written' "$fuzz_dir/artifacts/$target.log" | head -20 || true
    failed+=("$target")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) crashed: ${failed[*]}"
  exit 1
fi
echo "fuzz: all targets ran ${seconds}s without a crash"

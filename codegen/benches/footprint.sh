#!/usr/bin/env bash
# Footprint of generating the event types from build.rs: cold build time and
# number of crates compiled for a fresh downstream crate that uses
# aperture-events-codegen, against one that uses typify (from crates.io) the
# same way on the same schemas.
#
# Usage: codegen/benches/footprint.sh            (needs cargo, python3, crates.io)
#
# Both crates have the same runtime dependencies (serde with derive,
# serde_json, chrono; the codegen crate adds aperture-events-runtime, which
# its generated code calls) and differ otherwise only in their build script. typify cannot
# follow references across files, so a small python step bundles the schemas
# into one draft-07 file for it (x- keywords dropped, $refs rewritten to
# #/definitions/NAME). Dependencies are fetched before timing; each build
# starts from an empty target directory.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
typify_version=${TYPIFY_VERSION:-0.5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$repo/schema" "$work/bundle.schema.json" <<'PY'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
files = sorted(f for f in os.listdir(src) if f.endswith(".schema.json"))
docs = {f: json.load(open(os.path.join(src, f))) for f in files}

def name(f, pointer):
    if pointer in ("", "/"):
        return docs[f].get("title") or f[: -len(".schema.json")]
    return pointer.rsplit("/", 1)[1]

def rewrite(node, f):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "$ref":
                target, _, pointer = v.partition("#")
                out[k] = "#/definitions/" + name(target or f, pointer)
            elif k in ("$defs", "$schema", "$id") or k.startswith("x-"):
                continue
            else:
                out[k] = rewrite(v, f)
        return out
    if isinstance(node, list):
        return [rewrite(x, f) for x in node]
    return node

definitions = {}
for f, doc in docs.items():
    for key, sub in doc.get("$defs", {}).items():
        assert key not in definitions, key
        definitions[key] = rewrite(sub, f)
    if "properties" in doc:
        definitions[name(f, "")] = rewrite(doc, f)
union = rewrite(docs["log_event.schema.json"], "log_event.schema.json")
union["$schema"] = "http://json-schema.org/draft-07/schema#"
union["definitions"] = definitions
json.dump(union, open(out, "w"), indent=2)
PY

runtime_deps='serde = { version = "1", features = ["derive"] }
serde_json = "1"
chrono = { version = "0.4", default-features = false, features = ["std", "serde"] }'

mkdir -p "$work/with-codegen/src" "$work/with-typify/src"
cat > "$work/with-codegen/Cargo.toml" <<EOF
[package]
name = "with-codegen"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
$runtime_deps
aperture-events-runtime = { path = "$repo/runtime" }

[build-dependencies]
aperture-events-codegen = { path = "$repo/codegen" }
EOF
cat > "$work/with-codegen/build.rs" <<EOF
fn main() -> Result<(), Box<dyn std::error::Error>> {
    aperture_events_codegen::Config::new().schema_dir("$repo/schema").compile()?;
    Ok(())
}
EOF
cat > "$work/with-codegen/src/lib.rs" <<'EOF'
include!(concat!(env!("OUT_DIR"), "/aperture_events.rs"));
EOF

cat > "$work/with-typify/Cargo.toml" <<EOF
[package]
name = "with-typify"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
$runtime_deps

[build-dependencies]
typify = "$typify_version"
schemars = "0.8"
serde_json = "1"
syn = "2"
prettyplease = "0.2"
EOF
cat > "$work/with-typify/build.rs" <<EOF
fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=$work/bundle.schema.json");
    let text = std::fs::read_to_string("$work/bundle.schema.json")?;
    let schema: schemars::schema::RootSchema = serde_json::from_str(&text)?;
    let mut types = typify::TypeSpace::new(&typify::TypeSpaceSettings::default());
    types.add_root_schema(schema)?;
    let code = prettyplease::unparse(&syn::parse2::<syn::File>(types.to_stream())?);
    std::fs::write(std::path::Path::new(&std::env::var("OUT_DIR")?).join("typify.rs"), code)?;
    Ok(())
}
EOF
cat > "$work/with-typify/src/lib.rs" <<'EOF'
#![allow(clippy::all, warnings)]
include!(concat!(env!("OUT_DIR"), "/typify.rs"));
EOF

measure() {
    local crate=$1
    (cd "$work/$crate" && cargo fetch -q)
    local start end
    start=$(date +%s.%N)
    (cd "$work/$crate" && CARGO_TARGET_DIR="$work/target-$crate" cargo build 2> "$work/$crate.log") || {
        cat "$work/$crate.log" >&2
        return 1
    }
    end=$(date +%s.%N)
    local crates
    crates=$(grep -c '^ *Compiling ' "$work/$crate.log" || true)
    printf '%-14s cold build %6.1f s, %3d crates compiled\n' "$crate" "$(awk "BEGIN { print $end - $start }")" "$crates"
    grep '^ *Compiling ' "$work/$crate.log" | awk '{print $2}' | sort > "$work/$crate.crates"
}

echo "cold debug builds on $(nproc) cores (typify $typify_version):"
measure with-codegen
measure with-typify
echo
echo "compiled only for typify: $(comm -13 "$work/with-codegen.crates" "$work/with-typify.crates" | tr '\n' ' ')"
echo "compiled only for codegen: $(comm -23 "$work/with-codegen.crates" "$work/with-typify.crates" | tr '\n' ' ')"

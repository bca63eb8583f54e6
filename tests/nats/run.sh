#!/usr/bin/env bash
# The NATS JetStream tests: the forwarder (forward/tests/forward) and the
# validator's durable-consumer reader (validator feature `nats`), against
# real nats-server processes on loopback ports. Installs nats-server (Debian's
# package) where it is missing. About a minute on two cores.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v nats-server >/dev/null 2>&1; then
  echo "== installing nats-server"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq nats-server
fi
nats-server --version

echo "== forwarding journals into JetStream (one node, SIGKILLs, a 3-node cluster)"
# The tests run aperture-capture --forward too: a binary of another package.
cargo build --locked -p aperture-events-capture --bins
cargo test --locked -p aperture-events-forward --test forward -- --ignored --test-threads 2

echo "== aperture-validate on a durable consumer (feature nats)"
cargo clippy --locked -p aperture-events-validator --features nats --all-targets -- -D warnings
cargo test --locked -p aperture-events-validator --features nats --test nats

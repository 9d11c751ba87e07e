#!/usr/bin/env bash
# Installs what cunwu needs on Debian 12, idempotently: Debian packages that are missing,
# the pinned SQLite amalgamation (npm package better-sqlite3, sha256-checked) and the Debian
# source of Google Benchmark (for the WebAssembly build). Safe to run again and again.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
deps="$here/.deps"
mkdir -p "$deps"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- Debian packages -------------------------------------------------------------------
pkgs=(build-essential cmake ninja-build git python3 nodejs ca-certificates xz-utils
      emscripten libsqlite3-dev nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev
      libsodium-dev libssl-dev libcpp-httplib-dev libqrencode-dev libdeflate-dev zlib1g-dev clang libclang-rt-14-dev
      chromium fonts-noto-cjk)   # the browser tests (tests/web) and Chinese text in their screenshots
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Debian's nodejs ships npm separately; other node builds bundle it.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- SQLite amalgamation, one pinned version for native and wasm ------------------------
sqlite_pkg="better-sqlite3@12.4.1"      # ships deps/sqlite3/sqlite3.c = SQLite 3.50.4
sqlite_c_sha="90b7189566ea710ee18361b25d893f5cda3fcf43033223a16384762f53e99a85"
sqlite_h_sha="abd1514e0351f79393d1be882830afdb40a8099e8257f311f0bfdf8486f11bea"
sq="$deps/sqlite-3.50.4"
if ! (cd "$sq" 2>/dev/null && echo "$sqlite_c_sha  sqlite3.c" | sha256sum -c --quiet - 2>/dev/null); then
  echo "setup: fetching SQLite amalgamation from npm ($sqlite_pkg)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$sqlite_pkg" >/dev/null && tar xzf ./*.tgz)
  mkdir -p "$sq"
  cp "$tmp/package/deps/sqlite3/sqlite3.c" "$tmp/package/deps/sqlite3/sqlite3.h" "$sq/"
  rm -rf "$tmp"
  (cd "$sq" && printf '%s  sqlite3.c\n%s  sqlite3.h\n' "$sqlite_c_sha" "$sqlite_h_sha" | sha256sum -c --quiet -) ||
    { echo "setup: SQLite amalgamation hash mismatch" >&2; rm -rf "$sq"; exit 1; }
fi

# --- Google Benchmark sources (Debian source package of the installed libbenchmark-dev) ---
bm_sha="6430e4092653380d9dc4ccb45a1e2dc9259d581f4866dc0759713126056bc1d7"
bm="$deps/benchmark-1.7.1"
if [ ! -f "$bm/CMakeLists.txt" ]; then
  echo "setup: fetching Google Benchmark 1.7.1 source from Debian"
  apt="$deps/apt-src"
  mkdir -p "$apt/lists/partial"
  cat > "$apt/src.sources" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  aptopts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt" -o "Dir::State::Lists=$apt/lists"
           -o APT::Sandbox::User=root)
  apt-get update -qq "${aptopts[@]}"
  (cd "$apt" && apt-get source -qq --download-only "${aptopts[@]}" benchmark=1.7.1-1 >/dev/null)
  (cd "$apt" && echo "$bm_sha  benchmark_1.7.1.orig.tar.gz" | sha256sum -c --quiet -) ||
    { echo "setup: benchmark source hash mismatch" >&2; exit 1; }
  tar xzf "$apt/benchmark_1.7.1.orig.tar.gz" -C "$deps"
fi

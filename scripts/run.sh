#!/usr/bin/env bash
# The main job: builds the native host and the web app (the wasm preset's build/wasm/web/app),
# creates the demo county (青山县) in data/demo if it is not there yet, and runs the sync host on
# http://127.0.0.1:8080/ with it, serving the web app there, printing the demo accounts.
# Ctrl-C (or SIGTERM) stops it gracefully. Options after `--` go to cunwu-server
# (e.g. scripts/run.sh -- --port 9000); CUNWU_DATA picks another data directory.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset native >/dev/null
cmake --build --preset native -j "$(nproc)" --target cunwu-server cunwu-admin
export NODE_PATH=/usr/share/nodejs   # Debian's emscripten needs it
cmake --preset wasm >/dev/null
cmake --build --preset wasm -j "$(nproc)" --target cunwu_web_app
data="${CUNWU_DATA:-data/demo}"
build/native/native/cunwu-admin demo --data "$data"
[[ $# -gt 0 && "$1" == "--" ]] && shift
echo
echo "The web app and the sync host: open http://127.0.0.1:8080/ and log in with a phone number above"
echo "and the demo password; see README.md for the API."
exec build/native/native/cunwu-server --data "$data" --port 8080 --web build/wasm/web/app "$@"

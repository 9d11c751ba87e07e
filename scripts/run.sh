#!/usr/bin/env bash
# The main job: builds the native host, creates the demo county (青山县) in data/demo if it is
# not there yet, and runs the sync host on http://127.0.0.1:8080/ with it, printing the demo
# accounts. Ctrl-C (or SIGTERM) stops it gracefully. Options after `--` go to cunwu-server
# (e.g. scripts/run.sh -- --port 9000); CUNWU_DATA picks another data directory.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset native >/dev/null
cmake --build --preset native -j "$(nproc)" --target cunwu-server cunwu-admin
data="${CUNWU_DATA:-data/demo}"
build/native/native/cunwu-admin demo --data "$data"
[[ $# -gt 0 && "$1" == "--" ]] && shift
web=()
[[ -f web/dist/index.html ]] && web=(--web web/dist)
echo
echo "The sync host: log in with a phone number above and the demo password; see README.md for the API."
exec build/native/native/cunwu-server --data "$data" --port 8080 "${web[@]}" "$@"

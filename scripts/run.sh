#!/usr/bin/env bash
# The main job. Until the sync host exists (issue 4) this builds the core natively and runs the
# appeal stories from examples/: a villager's appeal from filing to a rated close, and one that
# escalates on a breached deadline, printed as the villager sees them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset native >/dev/null
cmake --build --preset native -j "$(nproc)" --target appeal_story escalation_story
build/native/examples/appeal_story
echo
build/native/examples/escalation_story

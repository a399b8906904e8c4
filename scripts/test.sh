#!/usr/bin/env bash
# Runs ruqi's whole test suite: unit and API tests, then the tests that start the packaged jar.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
exec mvn -B verify "$@"

#!/usr/bin/env bash
# Builds ruqi and starts it on the embedded store (./data), at http://127.0.0.1:8585. Arguments go to ruqi.
set -euo pipefail
cd "$(dirname "$0")/.."
RUQI_SETUP=run source scripts/setup.sh
mvn -B -q package -DskipTests
exec java -jar target/ruqi.jar "$@"

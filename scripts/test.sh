#!/usr/bin/env bash
# Runs ruqi's whole test suite: unit and API tests, then the tests that start the packaged jar; then the Java
# client's (client/, an artifact of its own), against a node of the jar just built.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
mvn -B verify "$@"
mvn -B -f client/pom.xml verify -Druqi.jar="$PWD/target/ruqi.jar"

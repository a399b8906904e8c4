#!/usr/bin/env bash
# ruqi's benchmark: builds the jar, then runs the scenarios against the embedded store and MariaDB, on one node and
# on an HA pair, prints a table and writes bench/results.json. Needs MariaDB's binaries (installed by setup.sh).
#   bash scripts/bench.sh                      # drain, lateness, add, processes on embedded, mariadb, pair (12 to 19 min)
#   bash scripts/bench.sh scale                # 1,000,000 jobs: heap, first fire, job_list pages (opt-in)
#   bash scripts/bench.sh drain --configs=pair --jfr   # one scenario, one configuration, with JFR files per node
#   bash scripts/bench.sh drain-large --configs=pair   # the drain of 50,000 alone (drain runs 5,000, then 50,000)
#   bash scripts/bench.sh spawn [runner|bare] [n] [threads] [rounds]   # process starts/s in this JVM, no node
#   bash scripts/bench.sh replay [jobs] [rounds] [h2,h2-delayed,sqlite,sqlite-full]   # a drain's store work alone, no node
# Options: --configs=embedded,mariadb,pair  --quick (small sizes, a smoke test)  --jfr  --pool=N (MariaDB, 8)  --h2-pool=N (the embedded node's store.pool_size, 4)
#          --set=RUQI_KEY=VALUE (a node setting, for experiments)  --out=FILE (bench/results.json)
#          --http-base=PORT (the nodes' HTTP ports, 18585 on; another benchmark running here holds those)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
mvn -B -q package -DskipTests
# the benchmark JVM logs like the nodes (Hazelcast at WARN)
exec mvn -B -q -Pbench test-compile exec:java -Dlogback.configurationFile=src/bench/resources/bench-logback.xml \
  -Dexec.args="$*"

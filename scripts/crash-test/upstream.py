#!/usr/bin/env python3
"""The crash test's upstream (scripts/crash-test/run.py): a stub of the Pulpo API.

It answers for one user (id 233) one of two sets, which the test chooses between runs:
  A: warehouses 1 .. N, version 1;
  B: warehouses N/10+1 .. N+N/10, version 2: every warehouse of A that B keeps has changed
     (name, address, priority, ...), the first tenth of A is gone, a tenth is new.
The user's own fields change with the set too. The answers are built once, so that each run
gets the same bytes; they hold nulls and non-ASCII text as the real API does.

  GET /iam/users/me                  the user, with its warehouse ids
  GET /iam/users/233/warehouses      the user with its warehouses as objects

Any bearer token is accepted.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

USER_ID = 233
CITIES = ["Madrid", "Zaragoza", "Logroño", "A Coruña", "Málaga", "Vitoria-Gasteiz", None]


def warehouse(wid, version):
    return {
        "id": wid,
        "name": f"Almacén {wid} v{version}",
        "line1": f"Calle Nº {wid % 997} - {version}",
        "line2": None if wid % 3 else f"Nave {version}",
        "site": f"site-{(wid + version) % 50}",
        "city": CITIES[(wid + version) % len(CITIES)],
        "state": None if wid % 7 == 0 else f"Provincia {version}",
        "zip_code": f"{(wid * 31 + version) % 100000:05d}",
        "country": None if wid % 11 == 0 else "España",
        "fax": None,
        "phone": None if wid % 2 else f"+34 600 {wid:06d}-{version}",
        "tenant_id": 137,
        "active": (wid + version) % 5 != 0,
        "priority": (wid * 7 + version) % 1000,
        # a field the mirror does not map: kept in the raw JSON
        "external_ref": f"ref-{version}-{wid}",
    }


def user(version, ids):
    return {
        "id": USER_ID,
        "username": "crash_user",
        "email": "crash.user@example.com",
        "employee_id": "E-233",
        "first_name": ["Ana", "Berta"][version - 1],
        "last_name": "Ortíz",
        "active": True,
        "tenant_id": 137,
        "erp_tenant_id": None,
        "location_id": 25441 + version,
        "type": "admin",
        "warehouses": ids,
    }


def answers(count):
    tenth = count // 10
    sets = {"A": (1, range(1, count + 1)), "B": (2, range(tenth + 1, count + tenth + 1))}
    built = {}
    for name, (version, ids) in sets.items():
        me = user(version, list(ids))
        listing = dict(me, warehouses=[warehouse(i, version) for i in ids])
        built[name] = {
            "/iam/users/me": json.dumps(me, ensure_ascii=False).encode(),
            f"/iam/users/{USER_ID}/warehouses": json.dumps(listing, ensure_ascii=False).encode(),
        }
    return built


class Stub(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    answers = {}
    current = "A"
    lock = threading.Lock()

    def do_GET(self):
        if not self.headers.get("Authorization", "").startswith("Bearer "):
            self.reply(401, b'{"error":"unauthorized"}')
            return
        with Stub.lock:
            body = Stub.answers[Stub.current].get(self.path)
        if body is None:
            self.reply(404, b'{"error":"not found"}')
        else:
            self.reply(200, body)

    def reply(self, status, body):
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the service was killed while it read: what this test does

    def log_message(self, fmt, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(count):
    """Starts the stub on a free port of 127.0.0.1, in a thread; answers set A."""
    Stub.answers = answers(count)
    server = Server(("127.0.0.1", 0), Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def choose(name):
    """What the next calls answer: set A or B."""
    with Stub.lock:
        Stub.current = name

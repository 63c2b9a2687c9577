#!/usr/bin/env python3
"""Seeds the benchmark data over the public HTTP API and writes the created ids for Gatling.

Creates 1 clinic (time zone UTC), its clinic admin, DESK_USERS receptionists (the load's users:
one per connection of the load, so each holds one session, within the production cap of 5 per
user), PRACTITIONERS practitioners with a 7-day 08:00-20:00 schedule of 30-minute slots, and
PATIENTS patients whose family names come in groups of 20 ("Family<k>": a search by one of those
names finds 20 patients). Writes into the output directory, one item per line: practitioners.txt,
patients.txt, search-names.txt (the family names), users.txt (the receptionists' e-mail
addresses), and bench.json (the clinic's id and the first receptionist's id).

Configuration comes from the environment (scripts/bench.sh sets it):
  BENCH_BASE_URL, BOOTSTRAP_ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD, BENCH_CLINIC_ADMIN_EMAIL,
  BENCH_USER_EMAIL (the receptionists' addresses are this one with -<i> before the @), BENCH_PASSWORD,
  BENCH_PRACTITIONERS (50), BENCH_PATIENTS (2000, a multiple of 20), BENCH_DESK_USERS (64),
  BENCH_SEED_DIR.
"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

BASE = urllib.parse.urlsplit(os.environ.get("BENCH_BASE_URL", "http://127.0.0.1:18088"))
if BASE.hostname not in ("127.0.0.1", "localhost"):
    sys.exit("seed: BENCH_BASE_URL must point at this machine")
PRACTITIONERS = int(os.environ.get("BENCH_PRACTITIONERS", "50"))
PATIENTS = int(os.environ.get("BENCH_PATIENTS", "2000"))
DESK_USERS = int(os.environ.get("BENCH_DESK_USERS", "64"))
SEARCH_GROUP = 20  # patients per family name: what one search by name finds
OUT = os.environ.get("BENCH_SEED_DIR", "bench/target/seed")
PASSWORD = os.environ["BENCH_PASSWORD"]
DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]

_local = threading.local()


def call(method, path, body=None, token=None, expect=(200, 201)):
    """One request on this thread's keep-alive connection; exits on an unexpected status. A 503
    (the service changed nothing: a dependency was slow, as on an overloaded machine) is retried."""
    if not hasattr(_local, "conn"):
        _local.conn = http.client.HTTPConnection(BASE.hostname, BASE.port, timeout=30)
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    for attempt in range(5):
        _local.conn.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = _local.conn.getresponse()
        text = response.read().decode()
        if response.status != 503:
            break
        time.sleep(1 + attempt)
    if response.status not in expect:
        sys.exit(f"seed: {method} {path} -> {response.status} {text[:300]}")
    return json.loads(text) if text else {}


def login(email, password):
    return call("POST", "/api/v1/auth/login", {"email": email, "password": password})["accessToken"]


def practitioner(token, n):
    pid = call("POST", "/api/v1/practitioners", {"givenName": f"Pat{n}", "familyName": f"Practitioner{n}"},
               token)["id"]
    hours = [{"day": d, "start": "08:00", "end": "20:00"} for d in DAYS]
    call("PUT", f"/api/v1/practitioners/{pid}/schedule", {"slotMinutes": 30, "weeklyHours": hours}, token)
    return pid


def family_name(n):
    return f"Family{n % (PATIENTS // SEARCH_GROUP)}"


def patient(token, n):
    body = {"givenName": f"Given{n}", "familyName": family_name(n),
            "birthDate": f"{1940 + n % 70}-{1 + n % 12:02d}-{1 + n % 28:02d}", "mrn": f"BENCH-{n:06d}"}
    return call("POST", "/api/v1/patients", body, token)["id"]


def desk_email(i):
    local, domain = os.environ["BENCH_USER_EMAIL"].split("@", 1)
    return f"{local}-{i}@{domain}"


def main():
    if PATIENTS < SEARCH_GROUP or PATIENTS % SEARCH_GROUP:
        sys.exit(f"seed: BENCH_PATIENTS must be a multiple of {SEARCH_GROUP}")
    started = time.monotonic()
    platform = login(os.environ["BOOTSTRAP_ADMIN_EMAIL"], os.environ["BOOTSTRAP_ADMIN_PASSWORD"])
    clinic = call("POST", "/api/v1/clinics", {"name": "Bench Clinic", "timeZone": "UTC"}, platform)["id"]
    call("POST", f"/api/v1/clinics/{clinic}/users",
         {"email": os.environ["BENCH_CLINIC_ADMIN_EMAIL"], "name": "Bench Admin", "role": "CLINIC_ADMIN",
          "password": PASSWORD}, platform)
    admin = login(os.environ["BENCH_CLINIC_ADMIN_EMAIL"], PASSWORD)

    with ThreadPoolExecutor(max_workers=8) as pool:
        desk_ids = list(pool.map(lambda i: call("POST", f"/api/v1/clinics/{clinic}/users",
                                                {"email": desk_email(i), "name": f"Bench Receptionist {i}",
                                                 "role": "RECEPTIONIST", "password": PASSWORD}, admin)["id"],
                                 range(DESK_USERS)))
        practitioner_ids = list(pool.map(lambda n: practitioner(admin, n), range(PRACTITIONERS)))
        patient_ids = list(pool.map(lambda n: patient(admin, n), range(PATIENTS)))

    os.makedirs(OUT, exist_ok=True)
    names = [family_name(k) for k in range(PATIENTS // SEARCH_GROUP)]
    for name, lines in (("practitioners.txt", practitioner_ids), ("patients.txt", patient_ids),
                        ("search-names.txt", names), ("users.txt", [desk_email(i) for i in range(DESK_USERS)])):
        with open(os.path.join(OUT, name), "w") as f:
            f.write("\n".join(lines) + "\n")
    with open(os.path.join(OUT, "bench.json"), "w") as f:
        json.dump({"clinic": clinic, "deskUser": desk_ids[0]}, f)
    print(f"seed: clinic {clinic}, {len(desk_ids)} receptionists, {len(practitioner_ids)} practitioners, "
          f"{len(patient_ids)} patients ({len(names)} family names of {SEARCH_GROUP}) "
          f"in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()

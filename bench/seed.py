#!/usr/bin/env python3
"""Seeds the benchmark data over the public HTTP API and writes the created ids for Gatling.

Creates 1 clinic (time zone UTC), its clinic admin and a receptionist (the load's user),
PRACTITIONERS practitioners with a 7-day 08:00-20:00 schedule of 30-minute slots, and PATIENTS
patients. Writes practitioners.txt and patients.txt (one id per line) into the output directory.

Configuration comes from the environment (scripts/bench.sh sets it):
  BENCH_BASE_URL, BOOTSTRAP_ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD, BENCH_CLINIC_ADMIN_EMAIL,
  BENCH_USER_EMAIL, BENCH_PASSWORD, BENCH_PRACTITIONERS (50), BENCH_PATIENTS (2000), BENCH_SEED_DIR.
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
OUT = os.environ.get("BENCH_SEED_DIR", "bench/target/seed")
PASSWORD = os.environ["BENCH_PASSWORD"]
DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]

_local = threading.local()


def call(method, path, body=None, token=None, expect=(200, 201)):
    """One request on this thread's keep-alive connection; exits on an unexpected status."""
    if not hasattr(_local, "conn"):
        _local.conn = http.client.HTTPConnection(BASE.hostname, BASE.port, timeout=30)
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    _local.conn.request(method, path, json.dumps(body) if body is not None else None, headers)
    response = _local.conn.getresponse()
    text = response.read().decode()
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


def patient(token, n):
    body = {"givenName": f"Given{n}", "familyName": f"Family{n}",
            "birthDate": f"{1940 + n % 70}-{1 + n % 12:02d}-{1 + n % 28:02d}", "mrn": f"BENCH-{n:06d}"}
    return call("POST", "/api/v1/patients", body, token)["id"]


def main():
    started = time.monotonic()
    platform = login(os.environ["BOOTSTRAP_ADMIN_EMAIL"], os.environ["BOOTSTRAP_ADMIN_PASSWORD"])
    clinic = call("POST", "/api/v1/clinics", {"name": "Bench Clinic", "timeZone": "UTC"}, platform)["id"]
    call("POST", f"/api/v1/clinics/{clinic}/users",
         {"email": os.environ["BENCH_CLINIC_ADMIN_EMAIL"], "name": "Bench Admin", "role": "CLINIC_ADMIN",
          "password": PASSWORD}, platform)
    admin = login(os.environ["BENCH_CLINIC_ADMIN_EMAIL"], PASSWORD)
    call("POST", f"/api/v1/clinics/{clinic}/users",
         {"email": os.environ["BENCH_USER_EMAIL"], "name": "Bench Receptionist", "role": "RECEPTIONIST",
          "password": PASSWORD}, admin)

    with ThreadPoolExecutor(max_workers=8) as pool:
        practitioner_ids = list(pool.map(lambda n: practitioner(admin, n), range(PRACTITIONERS)))
        patient_ids = list(pool.map(lambda n: patient(admin, n), range(PATIENTS)))

    os.makedirs(OUT, exist_ok=True)
    for name, ids in (("practitioners.txt", practitioner_ids), ("patients.txt", patient_ids)):
        with open(os.path.join(OUT, name), "w") as f:
            f.write("\n".join(ids) + "\n")
    print(f"seed: clinic {clinic}, {len(practitioner_ids)} practitioners, {len(patient_ids)} patients "
          f"in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()

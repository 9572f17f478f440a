"""Schemathesis hooks for the Closeloop API contract check (loaded through Tests/API/schemathesis.toml).

Without help, schemathesis only ever sends random complaint ids, random versions and random customer numbers, so
every action answers 404 and the check never sees a complaint change state: the contract of the 200 responses of
the 24 actions and of the customer endpoints would go untested. `before_call` therefore rewrites part of the cases
just before they are sent:

* a `{id}` path parameter becomes the id or the number of a real complaint (most of the time; the rest keep the
  generated value, so unknown ids keep being checked too);
* an action body's `version`, when it is a valid one (integer >= 1), becomes the complaint's current version for
  part of the cases, so the action really runs (or is refused for its state / the caller's roles, with a
  documented status);
* a `/track*` body's `number` and `phone` become a real complaint's number and phone for part of the cases;
* part of the intakes (POST /complaints) get a valid phone and lose fields that must name existing things;
* a `{attachmentId}` becomes the id of an attachment uploaded when the hooks load.

The stateful phase is left alone. The choices are a pure function of the generated case (CRC32 of its values), so with a fixed seed (or derandomised
generation) and one worker the same requests are sent on every run. Cases that are invalid on purpose (negative
testing) keep their invalid values: only values that satisfy the schema are replaced.

Environment (set by scripts/api-contract.sh): CLOSELOOP_CONTRACT_BASE_URL (…/api/v1), CLOSELOOP_CONTRACT_TOKEN
(a supervisor's bearer token).
"""

from __future__ import annotations

import json
import os
import zlib

import requests
import schemathesis

BASE_URL = os.environ["CLOSELOOP_CONTRACT_BASE_URL"].rstrip("/")
TOKEN = os.environ["CLOSELOOP_CONTRACT_TOKEN"]
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
TIMEOUT = 10


def _load_complaints() -> list[dict]:
    items: list[dict] = []
    cursor = None
    for _ in range(10):
        params = {"limit": 200}
        if cursor:
            params["cursor"] = cursor
        response = requests.get(f"{BASE_URL}/complaints", params=params, headers=HEADERS, timeout=TIMEOUT)
        response.raise_for_status()
        page = response.json()
        items.extend(page["items"])
        cursor = page.get("nextCursor")
        if not cursor:
            break
    # A stable order, whatever order the server lists them in.
    return sorted(items, key=lambda c: c["number"])


def _upload_attachment() -> str:
    response = requests.post(
        f"{BASE_URL}/attachments",
        params={"fileName": "contract-check.txt", "contentType": "text/plain"},
        data=b"uploaded by the API contract check\n",
        headers={**HEADERS, "Content-Type": "application/octet-stream"},
        timeout=TIMEOUT,
    )
    response.raise_for_status()
    return response.json()["id"]


COMPLAINTS = _load_complaints()
if not COMPLAINTS:
    raise RuntimeError("the demo database has no complaints; was the server started with --demo?")
# Ids and numbers both address a complaint.
COMPLAINT_KEYS = [c["id"] for c in COMPLAINTS] + [c["number"] for c in COMPLAINTS]


def _unmasked_phone(complaint: dict) -> str | None:
    """Lists mask phones; the single view shows them in full to a supervisor (and logs that it did)."""
    phone = complaint["customer"].get("phone")
    if phone and "*" in phone:
        response = requests.get(f"{BASE_URL}/complaints/{complaint['id']}", headers=HEADERS, timeout=TIMEOUT)
        response.raise_for_status()
        phone = response.json()["customer"].get("phone")
    return phone if phone and "*" not in phone else None


TRACKABLE = [(c["number"], phone) for c in COMPLAINTS if (phone := _unmasked_phone(c))]
ATTACHMENT_ID = _upload_attachment()


def _digest(case) -> int:
    """A number that depends only on the generated case, for reproducible choices."""
    material = json.dumps(
        [case.operation.label, case.path_parameters, case.query, case.body],
        sort_keys=True,
        default=repr,
        ensure_ascii=True,
    )
    return zlib.crc32(material.encode())


def _current_version(key: str) -> int | None:
    response = requests.get(f"{BASE_URL}/complaints/{key}", headers=HEADERS, timeout=TIMEOUT)
    if response.status_code != 200:
        return None
    return response.json()["version"]


def _is_valid_text(value, max_length: int) -> bool:
    return isinstance(value, str) and 0 < len(value) <= max_length


def _phase(case) -> str | None:
    meta = getattr(case, "_meta", None)
    return str(meta.phase.name.value) if meta is not None else None


@schemathesis.hook
def before_call(context, case, kwargs):
    if _phase(case) == "stateful":
        # (The stateful phase is off in schemathesis.toml.) Its scenarios take ids and versions from the server's
        # own responses; choices made from those values (fresh UUIDs on every run) would make the runs differ.
        return
    digest = _digest(case)
    path = case.operation.path
    body = case.body

    if "{id}" in path and _is_valid_text(case.path_parameters.get("id"), 100):
        choice = digest % (len(COMPLAINT_KEYS) + 4)
        if choice < len(COMPLAINT_KEYS):  # else: keep the generated id (an unknown complaint)
            key = COMPLAINT_KEYS[choice]
            case.path_parameters["id"] = key
            version = body.get("version") if isinstance(body, dict) else None
            # `bool` is an `int` in Python; negative cases may send `true` as the version.
            if isinstance(version, int) and not isinstance(version, bool) and version >= 1 and (digest >> 8) % 3:
                current = _current_version(key)
                if current is not None:
                    body["version"] = current

    if "{attachmentId}" in path and _is_valid_text(case.path_parameters.get("attachmentId"), 100):
        if digest % 2:
            case.path_parameters["attachmentId"] = ATTACHMENT_ID

    if path == "/complaints" and case.method.upper() == "POST" and isinstance(body, dict) and (digest >> 12) % 3:
        # The document can not say what a valid phone is, nor that a phone or an email is required, nor that
        # attachment ids must exist: random intakes are nearly always refused with 422. Make part of them
        # acceptable so that 201 (and the Complaint it returns) is checked too.
        customer = body.get("customer")
        if isinstance(customer, dict) and isinstance(customer.get("phone", ""), str):
            customer["phone"] = f"139{digest % 10**8:08d}"
            customer.pop("email", None)
        for field in ("attachmentIds", "receivedAt", "complainedAboutUser", "complainedAboutDepartment"):
            body.pop(field, None)

    if path.startswith("/track") and isinstance(body, dict) and TRACKABLE:
        number, phone = body.get("number"), body.get("phone")
        if _is_valid_text(number, 40) and _is_valid_text(phone, 40) and (digest >> 4) % 4:
            body["number"], body["phone"] = TRACKABLE[digest % len(TRACKABLE)]

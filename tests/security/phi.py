"""The demo patients' identifying strings, to search files and logs for."""

from __future__ import annotations

import json
from datetime import date

from mmsdesk import paths


def demo_phi_terms() -> dict[str, list[str]]:
    """Names, dates of birth (ISO and MM/DD/YYYY) and medicine names of the demo patients."""
    src = json.loads((paths.resources_dir() / "demo" / "demo_patients.json").read_text("utf-8"))
    names, dobs, meds = set(), set(), set()
    for p in src["patients"]:
        names.update(n for n in (p["first_name"], p["last_name"]) if len(n) >= 4)
        dob = date.fromisoformat(p["date_of_birth"])
        dobs.update({dob.isoformat(), dob.strftime("%m/%d/%Y")})
        for m in p["medications"]:
            word = m[0].split()[0]
            if len(word) >= 5:
                meds.add(word)
    return {"names": sorted(names), "dobs": sorted(dobs), "medicines": sorted(meds)}


def find_terms(blob: bytes, terms: list[str]) -> list[str]:
    """Which terms appear in ``blob`` (UTF-8 and UTF-16, any case)."""
    low = blob.lower()
    found = []
    for t in terms:
        for enc in ("utf-8", "utf-16-le"):
            if t.lower().encode(enc) in low:
                found.append(t)
                break
    return found

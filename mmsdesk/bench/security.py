"""Encryption costs: unlock time, and the patient list encrypted vs unencrypted in the same run.

Both stores hold the same 10,000 generated patients (``bench/patient_list.generated_store``);
the encrypted one is that file converted with the production key set-up (Argon2id at the
production cost). The patient-list probe of ``bench/patient_list.py`` runs on each, alternately,
and also reports the time from opening the store to the list shown.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from mmsdesk.bench import BenchContext, Figure, median
from mmsdesk.bench.patient_list import PROBE, generated_store

PASSPHRASE = "bench passphrase for the encrypted store"
RUNS = 5
UNLOCK_RUNS = 5

_OPEN = "store = open_for_probe(sys.argv[1])  # a data file, or a server's address (bench/server.py)\n"
_OPEN_EITHER = """import os
from mmsdesk.store import Store
key = None
if len(sys.argv) > 2:
    from mmsdesk.store.vault import unlock_key
    key = unlock_key(sys.argv[1], os.environ["MMSDESK_BENCH_PASSPHRASE"])
t_open = time.perf_counter()
store = Store.open(sys.argv[1], key=key)
"""
_SHOWN = "page.resize(1280, 700); page.show(); app.processEvents()\n"
_SHOWN_TIMED = _SHOWN + "load_ms = (time.perf_counter() - t_open) * 1000\n"
_PRINT = 'print(json.dumps({"times": times, "rows": page.model.total_count()}))'
_PRINT_LOAD = 'print(json.dumps({"times": times, "rows": page.model.total_count(), "load_ms": load_ms}))'


def security_probe() -> str:
    """The patient-list probe, opening either store and timing the list load."""
    for anchor in (_OPEN, _SHOWN, _PRINT):
        if anchor not in PROBE:
            raise RuntimeError("bench/patient_list.py's probe changed; update bench/security.py")
    return PROBE.replace(_OPEN, _OPEN_EITHER).replace(_SHOWN, _SHOWN_TIMED).replace(
        _PRINT, _PRINT_LOAD)


def compact_copy(source: Path, folder: Path) -> Path:
    """A checkpointed, compacted plain copy (so both stores start from the same layout)."""
    import sqlite3

    dest = folder / source.name
    if not dest.exists():
        con = sqlite3.connect(source)
        try:
            con.execute("VACUUM INTO ?", (str(dest),))
        finally:
            con.close()
    return dest


def encrypted_copy(plain: Path, folder: Path) -> Path:
    """The same store, encrypted with a production-strength key file."""
    from mmsdesk.store.crypto import PRODUCTION, KeyFile, keyfile_path
    from mmsdesk.store.vault import encrypt_plain_file

    dest = folder / plain.name
    if dest.exists():
        return dest
    shutil.copyfile(plain, dest)
    kf, key, _recovery = KeyFile.create(PASSPHRASE, PRODUCTION)
    kf.save(keyfile_path(dest))
    encrypt_plain_file(dest, key)
    return dest


def _probe(path: Path, encrypted: bool) -> dict[str, float]:
    env = dict(os.environ, MMSDESK_BENCH_PASSPHRASE=PASSPHRASE)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    args = [sys.executable, "-c", security_probe(), str(path)] + (["encrypted"] if encrypted else [])
    out = subprocess.run(args, env=env, check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    times = sorted(result["times"])
    return {"p95": times[int(0.95 * (len(times) - 1))], "load": result["load_ms"],
            "rows": result["rows"]}


def bench_unlock(ctx: BenchContext) -> list[Figure]:
    from mmsdesk.store import Store
    from mmsdesk.store.vault import unlock_key

    plain = compact_copy(generated_store(ctx.folder("patients10k")), ctx.folder("patients10k-plain"))
    path = encrypted_copy(plain, ctx.folder("patients10k-enc"))
    kdf, total = [], []
    for _ in range(UNLOCK_RUNS):
        t0 = time.perf_counter()
        key = unlock_key(path, PASSPHRASE)
        t1 = time.perf_counter()
        store = Store.open(path, key=key, create=False)
        with store.engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM patient").scalar()
        t2 = time.perf_counter()
        store.close()
        kdf.append((t1 - t0) * 1000)
        total.append((t2 - t0) * 1000)
    return [
        Figure("unlock_ms", median(total), "ms", target=1000),
        Figure("unlock_kdf_ms", median(kdf), "ms"),
    ]


def bench_encrypted_patient_list(ctx: BenchContext) -> list[Figure]:
    plain = compact_copy(generated_store(ctx.folder("patients10k")), ctx.folder("patients10k-plain"))
    enc = encrypted_copy(plain, ctx.folder("patients10k-enc"))
    _probe(plain, False)  # warm the file cache for both
    _probe(enc, True)
    p = {"p95": [], "load": []}
    e = {"p95": [], "load": []}
    for _ in range(RUNS):  # interleaved, so machine noise hits both alike
        for store, acc, is_enc in ((plain, p, False), (enc, e, True)):
            r = _probe(store, is_enc)
            acc["p95"].append(r["p95"])
            acc["load"].append(r["load"])
    p95_p, p95_e = median(p["p95"]), median(e["p95"])
    load_p, load_e = median(p["load"]), median(e["load"])
    return [
        Figure("patient_list_plain_load_ms", load_p, "ms"),
        Figure("patient_list_encrypted_load_ms", load_e, "ms"),
        Figure("patient_list_encrypted_load_ratio", load_e / load_p, "x", target=1.3),
        Figure("patient_filter_plain_p95_ms", p95_p, "ms"),
        Figure("patient_filter_encrypted_p95_ms", p95_e, "ms"),
        Figure("patient_filter_encrypted_ratio", p95_e / p95_p, "x", target=1.3),
    ]


BENCHMARKS = {"unlock": bench_unlock, "encrypted_patient_list": bench_encrypted_patient_list}

"""The security benchmark's building blocks (the figures themselves come from `mmsdesk bench`)."""

from __future__ import annotations

from mmsdesk.bench.security import PASSPHRASE, compact_copy, encrypted_copy, security_probe
from mmsdesk.store import Store
from mmsdesk.store.crypto import PRODUCTION, KeyFile, keyfile_path
from mmsdesk.store.vault import StoreState, store_state, unlock_key


def test_probe_is_the_patient_list_probe_with_either_store_and_load_time():
    probe = security_probe()
    assert "PatientListPage" in probe and "unlock_key" in probe and '"load_ms"' in probe


def test_encrypted_copy_holds_the_same_rows_with_production_kdf(tmp_path):
    from mmsdesk.bench.patient_list import generated_store

    src = generated_store(tmp_path / "g", n=50)
    (tmp_path / "p").mkdir()
    (tmp_path / "e").mkdir()
    plain = compact_copy(src, tmp_path / "p")
    enc = encrypted_copy(plain, tmp_path / "e")
    assert store_state(plain) is StoreState.PLAIN and store_state(enc) is StoreState.ENCRYPTED
    assert KeyFile.load(keyfile_path(enc)).kdf == PRODUCTION
    with Store.open(enc, key=unlock_key(enc, PASSPHRASE), create=False) as store, \
            store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM patient").scalar() == 50

"""Key material for the encrypted store.

The database is encrypted (SQLCipher, AES-256) with a random 256-bit *database key*. That key
is never written anywhere in the clear: the key file beside the store holds it twice, wrapped
(AES-256-GCM) by

* a key derived from the pharmacist's passphrase with Argon2id (parameters stored in the file,
  so a stronger setting can be introduced without breaking older files), and
* a key derived from a random *recovery key* (160 bits, shown once at setup to be printed and
  kept), for a forgotten passphrase.

Changing the passphrase re-wraps the database key; the database itself is not re-encrypted.
The key file holds only wrapped keys, salts, nonces and KDF parameters.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from mmsdesk.paths import fsync_dir as fsync_dir  # one folder sync, shared with backup

KEY_BYTES = 32
KEYFILE_FORMAT = "mmsdesk-keys"
KEYFILE_VERSION = 1
MIN_PASSPHRASE = 8
RECOVERY_BYTES = 20  # 160 bits, 32 base32 characters
_AAD_PASSPHRASE = b"mmsdesk db key v1 / passphrase"
_AAD_RECOVERY = b"mmsdesk db key v1 / recovery"


class KeyProblem(Exception):
    """Base for key problems shown to the user as one sentence."""


class WrongPassphrase(KeyProblem):
    """The passphrase (or recovery key) does not unwrap the database key."""


class KeyFileError(KeyProblem):
    """The key file is missing or unreadable."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. PRODUCTION follows RFC 9106's second recommended option (64 MiB, t=3, p=4)."""

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 4

    @classmethod
    def default(cls) -> KdfParams:
        # Test runs create many stores; MMSDESK_KDF=fast (set by tests/conftest.py only) uses a
        # cheap setting that is recorded in the key file like any other.
        if os.environ.get("MMSDESK_KDF") == "fast":
            return cls(time_cost=1, memory_kib=8192, parallelism=1)
        return PRODUCTION


PRODUCTION = KdfParams()

# Bounds on the Argon2id cost read from a key file: a crafted file with an enormous time or
# memory cost would hang the app before any passphrase is checked. The production setting
# sits well inside them; a file outside them is refused at once, with a message.
KDF_BOUNDS = {"time_cost": (1, 10), "memory_kib": (8192, 1 << 20), "parallelism": (1, 16)}


def check_kdf_params(params: KdfParams) -> KdfParams:
    """``params`` when every cost is within :data:`KDF_BOUNDS`; else KeyFileError."""
    for name, (low, high) in KDF_BOUNDS.items():
        value = getattr(params, name)
        if not low <= value <= high:
            raise KeyFileError(f"The key file asks for an Argon2 {name.replace('_', ' ')} of "
                               f"{value}, outside {low} to {high}: it is damaged or was not "
                               "written by MMS Desk; nothing was opened.")
    return params


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def derive_passphrase_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(passphrase.encode("utf-8"), salt, params.time_cost, params.memory_kib,
                           params.parallelism, KEY_BYTES, Type.ID)


def normalise_recovery_key(text: str) -> bytes:
    """The recovery key's bytes from how it was typed (any case, spaces or dashes)."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    cleaned = cleaned.replace("0", "O").replace("1", "I").replace("8", "B")
    try:
        raw = base64.b32decode(cleaned)
    except (ValueError, base64.binascii.Error) as exc:  # type: ignore[attr-defined]
        raise WrongPassphrase("That recovery key is not valid (check each group of 4).") from exc
    if len(raw) != RECOVERY_BYTES:
        raise WrongPassphrase("That recovery key is not valid (it should have 8 groups of 4).")
    return raw


def format_recovery_key(raw: bytes) -> str:
    text = base64.b32encode(raw).decode("ascii")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def derive_recovery_key(raw: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt,
                info=b"mmsdesk recovery wrap").derive(raw)


def _wrap(kek: bytes, db_key: bytes, aad: bytes) -> tuple[str, str]:
    nonce = secrets.token_bytes(12)
    return _b64(nonce), _b64(AESGCM(kek).encrypt(nonce, db_key, aad))


def _unwrap(kek: bytes, nonce: str, wrapped: str, aad: bytes) -> bytes:
    try:
        return AESGCM(kek).decrypt(_unb64(nonce), _unb64(wrapped), aad)
    except InvalidTag as exc:
        raise WrongPassphrase("Wrong passphrase.") from exc


@dataclass
class KeyFile:
    """The wrapped database key, as stored beside the store (``<store>.keys``)."""

    kdf: KdfParams
    salt: str
    nonce: str
    wrapped: str
    recovery_salt: str
    recovery_nonce: str
    recovery_wrapped: str

    # -- creating and unwrapping
    @classmethod
    def create(cls, passphrase: str, params: KdfParams | None = None) -> tuple[KeyFile, bytes, str]:
        """A new random database key. Returns (key file, database key, recovery key text)."""
        check_new_passphrase(passphrase)
        params = params or KdfParams.default()
        db_key = secrets.token_bytes(KEY_BYTES)
        recovery = secrets.token_bytes(RECOVERY_BYTES)
        salt, rsalt = secrets.token_bytes(16), secrets.token_bytes(16)
        nonce, wrapped = _wrap(derive_passphrase_key(passphrase, salt, params), db_key,
                               _AAD_PASSPHRASE)
        rnonce, rwrapped = _wrap(derive_recovery_key(recovery, rsalt), db_key, _AAD_RECOVERY)
        kf = cls(params, _b64(salt), nonce, wrapped, _b64(rsalt), rnonce, rwrapped)
        return kf, db_key, format_recovery_key(recovery)

    def unlock(self, passphrase: str) -> bytes:
        kek = derive_passphrase_key(passphrase, _unb64(self.salt), self.kdf)
        return _unwrap(kek, self.nonce, self.wrapped, _AAD_PASSPHRASE)

    def unlock_with_recovery(self, recovery_text: str) -> bytes:
        kek = derive_recovery_key(normalise_recovery_key(recovery_text), _unb64(self.recovery_salt))
        try:
            return _unwrap(kek, self.recovery_nonce, self.recovery_wrapped, _AAD_RECOVERY)
        except WrongPassphrase as exc:
            raise WrongPassphrase("That recovery key does not open this data file.") from exc

    def with_new_passphrase(self, db_key: bytes, passphrase: str,
                            params: KdfParams | None = None) -> KeyFile:
        """The same database key wrapped by a new passphrase (the recovery wrap is kept)."""
        check_new_passphrase(passphrase)
        params = params or KdfParams.default()
        salt = secrets.token_bytes(16)
        nonce, wrapped = _wrap(derive_passphrase_key(passphrase, salt, params), db_key,
                               _AAD_PASSPHRASE)
        return KeyFile(params, _b64(salt), nonce, wrapped, self.recovery_salt,
                       self.recovery_nonce, self.recovery_wrapped)

    # -- the file
    def to_json(self) -> str:
        data = {"format": KEYFILE_FORMAT, "version": KEYFILE_VERSION, "cipher": "aes-256-gcm",
                "kdf": {"name": "argon2id", **asdict(self.kdf)},
                "passphrase": {"salt": self.salt, "nonce": self.nonce, "wrapped": self.wrapped},
                "recovery": {"kdf": "hkdf-sha256", "salt": self.recovery_salt,
                             "nonce": self.recovery_nonce, "wrapped": self.recovery_wrapped}}
        return json.dumps(data, indent=2)

    @classmethod
    def from_json(cls, text: str) -> KeyFile:
        try:
            d = json.loads(text)
            if d.get("format") != KEYFILE_FORMAT or d.get("version") != KEYFILE_VERSION:
                raise ValueError("not an MMS Desk key file of a known version")
            k = d["kdf"]
            if k.get("name") != "argon2id":
                raise ValueError("unknown key derivation")
            params = KdfParams(int(k["time_cost"]), int(k["memory_kib"]), int(k["parallelism"]))
            p, r = d["passphrase"], d["recovery"]
            kf = cls(params, p["salt"], p["nonce"], p["wrapped"], r["salt"], r["nonce"],
                     r["wrapped"])
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise KeyFileError(f"The key file is damaged ({exc}).") from exc
        _check_sizes(kf)
        check_kdf_params(kf.kdf)
        return kf

    def save(self, path: Path) -> None:
        """Write atomically (temporary file, fsync, rename)."""
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(self.to_json())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        if not path.exists():
            raise KeyFileError(
                f"The key file {path.name} is missing; it must sit beside the data file.")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise KeyFileError(f"The key file {path.name} is damaged (not text).") from exc
        except OSError as exc:
            raise KeyFileError(f"The key file {path.name} cannot be read "
                               f"({exc.strerror or type(exc).__name__}).") from exc
        return cls.from_json(text)


# Each field's decoded size: salts 16 bytes, AES-GCM nonces 12, a wrapped 32-byte key with its
# 16-byte tag 48. A key file that differs is refused before any key derivation runs.
_FIELD_SIZES = {"salt": (16,), "nonce": (12,), "wrapped": (KEY_BYTES + 16,),
                "recovery_salt": (16,), "recovery_nonce": (12,),
                "recovery_wrapped": (KEY_BYTES + 16,)}


def _check_sizes(kf: KeyFile) -> None:
    for name, sizes in _FIELD_SIZES.items():
        value = getattr(kf, name)
        label = name.replace("_", " ")
        if not isinstance(value, str):
            raise KeyFileError(f"The key file is damaged (its {label} is missing).")
        try:
            raw = _unb64(value)
        except (ValueError, UnicodeEncodeError) as exc:
            raise KeyFileError(f"The key file is damaged (its {label} is not base64).") from exc
        if len(raw) not in sizes:
            raise KeyFileError(f"The key file is damaged (its {label} has {len(raw)} bytes, "
                               f"not {sizes[0]}).")


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise KeyProblem(f"Choose a passphrase of at least {MIN_PASSPHRASE} characters.")


def keyfile_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".keys")


def keyfile_copy_path(store_path: Path) -> Path:
    """The key file's second copy beside the store (refreshed on each unlock): the
    passphrase and the recovery key still open the data when ``.keys`` is lost."""
    return store_path.with_name(store_path.name + ".keys-copy")


def sqlcipher_key_blob(db_key: bytes | bytearray) -> bytearray:
    """The raw key as SQLCipher's key text ``x'<hex>'``, built in a mutable buffer (no
    immutable hex string is made) for ``Connection.set_key``; :func:`wipe` it when done."""
    digits = b"0123456789abcdef"
    blob = bytearray(3 + 2 * len(db_key))
    blob[0:2] = b"x'"
    for i, byte in enumerate(db_key):
        blob[2 + 2 * i] = digits[byte >> 4]
        blob[3 + 2 * i] = digits[byte & 15]
    blob[-1] = ord("'")
    return blob


def wipe(buffer: bytearray | None) -> None:
    """Overwrite a key buffer in place (what Python allows: immutable copies cannot be)."""
    if buffer is not None:
        buffer[:] = bytes(len(buffer))


def sqlcipher_key_pragma(db_key: bytes | bytearray) -> str:
    """``PRAGMA key`` with a raw 256-bit key (SQLCipher then skips its own passphrase KDF)."""
    return f"PRAGMA key = \"x'{bytes(db_key).hex()}'\""



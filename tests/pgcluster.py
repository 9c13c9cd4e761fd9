"""A throwaway PostgreSQL cluster for the tests: ``initdb`` + ``pg_ctl`` in a temporary folder.

The cluster listens on 127.0.0.1 on a free port, with SSL on (a certificate for ``localhost``
signed by a CA made here, so the app's default ``sslmode=verify-full`` is exercised for real)
and password authentication over TCP (the tests give the password in ``PGPASSWORD``, as a
user's environment would). initdb refuses to run as root: as root the cluster belongs to a
dedicated system user (``postgres`` when it exists) and runs under ``runuser``.

Each test gets a database of its own, copied from a template built once at the schema head
(``CREATE DATABASE ... TEMPLATE``), which takes a few tens of milliseconds.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

SUPERUSER = "mmsdesk_test"
PASSWORD = "test-only-password"
TEMPLATE = "mmsdesk_head"


def find_bindir() -> Path | None:
    """The folder of PostgreSQL's server programs (initdb, pg_ctl, postgres), or None."""
    chosen = os.environ.get("MMSDESK_PG_BINDIR")
    if chosen is not None:  # named: that folder or none (the test of a missing server uses it)
        ok = (Path(chosen) / "initdb").is_file() and (Path(chosen) / "pg_ctl").is_file()
        return Path(chosen) if ok else None
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            candidates.append(subprocess.run([pg_config, "--bindir"], capture_output=True,
                                             text=True, check=True).stdout.strip())
        except (OSError, subprocess.CalledProcessError):
            pass
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).parent))
    for c in candidates:
        if c and (Path(c) / "initdb").is_file() and (Path(c) / "pg_ctl").is_file():
            return Path(c)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _write_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A CA, and a server certificate for localhost/127.0.0.1 signed by it."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "MMS Desk test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .sign(ca_key, hashes.SHA256()))
    ca_file, crt_file, key_file = folder / "ca.crt", folder / "server.crt", folder / "server.key"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    crt_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    return ca_file, crt_file, key_file


@dataclass
class Cluster:
    bindir: Path
    root: Path
    port: int
    ca_file: Path
    run_as: str | None = None
    _counter: itertools.count = field(default_factory=itertools.count)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres", *, sslmode: str | None = None) -> str:
        """A URL as a user would type it (no password: it comes from PGPASSWORD); the test
        CA is named so that verify-full can check the server."""
        query = f"sslrootcert={self.ca_file}"
        if sslmode:
            query += f"&sslmode={sslmode}"
        return f"postgresql://{SUPERUSER}@localhost:{self.port}/{database}?{query}"

    def _cmd(self, *args: str) -> list[str]:
        if self.run_as:
            return ["runuser", "-u", self.run_as, "--", *args]
        return list(args)

    def run(self, *args: str) -> None:
        res = subprocess.run(self._cmd(*args), capture_output=True, text=True, timeout=120)
        if res.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {res.stderr.strip() or res.stdout.strip()}")

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run one statement as the superuser, outside any transaction (CREATE DATABASE)."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER,
                             password=PASSWORD, dbname=database, autocommit=True,
                             sslmode="disable") as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    def new_database(self, template: str = TEMPLATE) -> str:
        name = f"t{os.getpid()}_{next(self._counter)}"
        self.sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def drop_database(self, name: str) -> None:
        self.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        subprocess.run(self._cmd(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m",
                                 "immediate", "-w", "stop"), capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster() -> Cluster:
    """initdb + pg_ctl start in a new temporary folder; raises RuntimeError when it cannot."""
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) were not found")
    run_as = None
    if os.geteuid() == 0:
        run_as = os.environ.get("MMSDESK_PG_USER", "postgres")
        try:
            pw = pwd.getpwnam(run_as)
        except KeyError as exc:
            raise RuntimeError(f"running as root and there is no user {run_as!r} to run "
                               "PostgreSQL as (initdb refuses root)") from exc
    # as root, in /tmp: a TMPDIR under root's home would not be reachable by that user
    root = Path(tempfile.mkdtemp(prefix="mmsdesk-pg-", dir="/tmp" if run_as else None))
    os.chmod(root, 0o755)
    ca_file, crt, key = _write_certificates(root)
    pwfile = root / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if run_as:
        for p in (root, crt, key, pwfile):
            os.chown(p, pw.pw_uid, pw.pw_gid)
    key.chmod(0o600)
    cluster = Cluster(bindir, root, _free_port(), ca_file, run_as)
    cluster.run(str(bindir / "initdb"), "-D", str(cluster.data), "-U", SUPERUSER,
                f"--pwfile={pwfile}", "--auth-local=trust", "--auth-host=scram-sha-256",
                "-E", "UTF8", "--locale=C", "--no-sync")
    options = (f"-c listen_addresses=127.0.0.1 -p {cluster.port} -k {root} -c fsync=off "
               f"-c synchronous_commit=off -c full_page_writes=off -c ssl=on "
               f"-c ssl_cert_file={crt} -c ssl_key_file={key} -c max_connections=60")
    try:
        cluster.run(str(bindir / "pg_ctl"), "-D", str(cluster.data), "-l",
                    str(root / "server.log"), "-o", options, "-w", "-t", "60", "start")
    except RuntimeError as exc:
        log = (root / "server.log").read_text(errors="replace")[-2000:] if (
            root / "server.log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"{exc}\n{log}") from exc
    return cluster

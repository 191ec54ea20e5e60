"""A throw-away local certificate authority (trustme) and the server certificate it signs."""

from __future__ import annotations

import fcntl
import ssl
from pathlib import Path

import trustme

from brandkit._files import atomic_write, open_lock

__all__ = ["server_context"]


def server_context(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """An SSL context for 127.0.0.1/localhost and the CA file clients must trust.

    Kept in ``folder`` so a persisted sandbox keeps the same CA between runs.
    """
    folder.mkdir(parents=True, exist_ok=True)
    ca_path, chain_path = folder / "ca.pem", folder / "server.pem"
    # two sandboxes starting on one folder must not each write half of a pair: one makes it,
    # under the lock, and the other uses it
    with open_lock(folder / "tls.lock") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (ca_path.exists() and chain_path.exists()):
            ca = trustme.CA(organization_name="brandkit sandbox")
            cert = ca.issue_cert("127.0.0.1", "localhost", "::1")
            atomic_write(chain_path, cert.private_key_and_cert_chain_pem.bytes(), private=True)
            atomic_write(ca_path, ca.cert_pem.bytes())
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(chain_path))
    return context, ca_path

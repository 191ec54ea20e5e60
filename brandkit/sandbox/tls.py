"""A throw-away local certificate authority (trustme) and the server certificate it signs."""

from __future__ import annotations

import ssl
from pathlib import Path

import trustme

__all__ = ["server_context"]


def server_context(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """An SSL context for 127.0.0.1/localhost and the CA file clients must trust.

    Kept in ``folder`` so a persisted sandbox keeps the same CA between runs.
    """
    folder.mkdir(parents=True, exist_ok=True)
    ca_path, chain_path = folder / "ca.pem", folder / "server.pem"
    if not (ca_path.exists() and chain_path.exists()):
        ca = trustme.CA(organization_name="brandkit sandbox")
        cert = ca.issue_cert("127.0.0.1", "localhost", "::1")
        ca.cert_pem.write_to_path(str(ca_path))
        cert.private_key_and_cert_chain_pem.write_to_path(str(chain_path))
        chain_path.chmod(0o600)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(chain_path))
    return context, ca_path

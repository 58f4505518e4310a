"""The site's Web Push (VAPID) key pair: from the settings, or a development pair made once into var/.

With ``DEBUG`` off and no keys set, push is off (:func:`vapid_keys` is None): a production site never
makes up keys of its own, since every subscription is bound to the public key it was made with.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

DEVELOPMENT_FILE = "vapid.json"


@dataclass(frozen=True)
class VapidKeys:
    private_key: str  # base64url of the raw 32-byte private number, as pywebpush reads it
    public_key: str  # base64url of the 65-byte uncompressed point, as PushManager.subscribe takes it


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def new_key_pair() -> VapidKeys:
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return VapidKeys(b64url(private), b64url(public))


def _development_pair(folder: Path) -> VapidKeys:
    path = folder / DEVELOPMENT_FILE
    if path.exists():
        stored = json.loads(path.read_text(encoding="utf-8"))
        return VapidKeys(stored["private_key"], stored["public_key"])
    keys = new_key_pair()
    folder.mkdir(parents=True, exist_ok=True)
    # Made private before the key is written into it.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump({"private_key": keys.private_key, "public_key": keys.public_key}, file)
    return keys


def vapid_keys() -> VapidKeys | None:
    """The key pair to sign push messages with, or None when push is off (production without keys)."""
    private, public = settings.SCIATRACK_VAPID_PRIVATE_KEY, settings.SCIATRACK_VAPID_PUBLIC_KEY
    if private and public:
        return VapidKeys(private, public)
    if not settings.DEBUG:
        return None
    try:
        return _development_pair(Path(settings.VAR_DIR))
    except FileExistsError:  # another process made it a moment ago
        return _development_pair(Path(settings.VAR_DIR))

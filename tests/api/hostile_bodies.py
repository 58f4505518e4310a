"""Bodies that once made the JSON API answer 500, each as the raw bytes an attacker or a broken client sends.

Every one must get a 4xx (``status``: 400 unreadable, 413 too big to read) that names the field ``body``,
and store nothing.
"""

from __future__ import annotations

from typing import NamedTuple

from sciatrack.lib.request_limits import MAX_JSON_DEPTH


class HostileBody(NamedTuple):
    body: bytes
    content_type: str = "application/json"
    status: int = 400


HOSTILE_BODIES = {
    # Python's int() refuses more than 4,300 digits with a ValueError json.loads does not turn into its own.
    "a 5,000-digit integer": HostileBody(b'{"pain_before": ' + b"9" * 5000 + b"}"),
    # json.loads recurses once per bracket: a RecursionError long before any field is read.
    "100,000 nested brackets": HostileBody(b"[" * 100_000 + b"]" * 100_000, status=413),
    "30,000 nested brackets, under the size limit": HostileBody(b"[" * 30_000 + b"]" * 30_000),
    "10,000 nested objects": HostileBody(b'{"a":' * 10_000 + b"1" + b"}" * 10_000),
    "one level deeper than the limit": HostileBody(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1)),
    "bytes that are not UTF-8": HostileBody(b'{"pain_before": "\xff\xfe"}'),
    "not JSON at all": HostileBody(b"{not json"),
    "NaN, which JSON does not have": HostileBody(b'{"pain_before": NaN}'),
    "a number too big for a float": HostileBody(b'{"onset_weeks": 1e999}'),
    "an empty body": HostileBody(b""),
    "a multipart body with no end": HostileBody(
        b'--xx\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue\r\n--xx',
        "multipart/form-data; boundary=xx",
    ),
    "a multipart body with no boundary": HostileBody(b"garbage", "multipart/form-data"),
}

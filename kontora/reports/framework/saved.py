"""Saved reports (RPT-05): a generated report kept as a file — its result and parameters, not a query — that any
Kontora server of the same or a newer file format shows exactly as it was, «Сформировал» line included.

The file is gzip'd JSON: the format's name and version, the SHA-256 of the result's canonical JSON, an HMAC of that
hash under the server's secret key (salted for this use), and the result. A changed byte of the result fails the
hash: the file is refused as damaged. The hash proves no origin — anyone can compute one — so only the HMAC tells
that this very server (or one sharing its key) wrote the file: such a file shows as verified, any other as «не
проверено». A file of a newer format is refused with a message saying so, never half-read.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import zlib
from dataclasses import dataclass
from typing import Any

from django.utils.crypto import salted_hmac
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kontora.core.errors import Refused
from kontora.reports.framework.result import Result, from_data, materialised, to_data

MAGIC = "kontora-report"
FILE_VERSION = 1
EXTENSION = "kontora"
CONTENT_TYPE = "application/gzip"
SAVE_CAP = 50_000  # rows: a saved report is read into memory to be written, and again to be opened
MAX_FILE = 20 * 1024 * 1024  # bytes uploaded
MAX_UNPACKED = 200 * 1024 * 1024  # bytes of JSON inside: a small file must not unpack into gigabytes
_SALT = "kontora.reports.saved"


@dataclass(frozen=True)
class Opened:
    result: Result
    verified: bool  # signed by this server's key


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _signature(digest: str) -> str:
    return salted_hmac(_SALT, digest, algorithm="sha256").hexdigest()


def saved_file(result: Result) -> bytes:
    """The result as a saved-report file; `Refused` past SAVE_CAP rows."""
    whole = materialised(result, cap=SAVE_CAP, too_many=lambda: _(
        "The report has more than %(cap)s rows, too many to save. Export it to Excel (XLSX) or CSV, or narrow the "
        "parameters.") % {"cap": number_format(SAVE_CAP, force_grouping=True)})
    payload = to_data(whole)
    digest = hashlib.sha256(_canonical(payload)).hexdigest()
    envelope = {"format": MAGIC, "version": FILE_VERSION, "sha256": digest, "signature": _signature(digest),
                "result": payload}
    return gzip.compress(json.dumps(envelope, ensure_ascii=False).encode("utf-8"), compresslevel=6)


def _unpacked(data: bytes) -> bytes:
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip
    try:
        body = inflater.decompress(data, MAX_UNPACKED + 1)
    except zlib.error as error:
        raise Refused(_("This is not a saved Kontora report.")) from error
    if len(body) > MAX_UNPACKED or inflater.unconsumed_tail:
        raise Refused(_("The saved report is too large to open."))
    if not inflater.eof:
        raise Refused(_("The saved report's file is damaged: it ends too early."))
    return body


def open_file(data: bytes) -> Opened:
    """The report of a saved file, or `Refused` with what is wrong with it."""
    if len(data) > MAX_FILE:
        raise Refused(_("The file is larger than a saved report can be."))
    try:
        envelope = json.loads(_unpacked(data))
    except ValueError as error:
        raise Refused(_("This is not a saved Kontora report.")) from error
    if not isinstance(envelope, dict) or envelope.get("format") != MAGIC:
        raise Refused(_("This is not a saved Kontora report."))
    version = envelope.get("version")
    if not isinstance(version, int) or version < 1:
        raise Refused(_("This is not a saved Kontora report."))
    if version > FILE_VERSION:
        raise Refused(_("The report was saved by a newer version of Kontora (file format %(version)s). Update the "
                        "program to open it.") % {"version": version})
    payload, digest = envelope.get("result"), envelope.get("sha256")
    if not isinstance(payload, dict) or not isinstance(digest, str) \
            or not hmac.compare_digest(hashlib.sha256(_canonical(payload)).hexdigest(), digest):
        raise Refused(_("The saved report is damaged or was changed: its checksum does not match."))
    try:
        result = from_data(payload)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise Refused(_("The saved report is damaged or was changed: its checksum does not match.")) from error
    signature = envelope.get("signature")
    verified = isinstance(signature, str) and hmac.compare_digest(signature, _signature(digest))
    return Opened(result, verified)

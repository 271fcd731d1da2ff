"""SMS.ru's HTTP API (GRP-04): POST /sms/send and /sms/status with the account's api_id and json=1, through urllib.

SMS.ru answers 200 OK with JSON for every outcome: a top-level status ("OK" or "ERROR") with its status_code and
status_text, and for a send one entry per number under "sms" with its own status_code and, when taken, its sms_id.
The codes are SMS.ru's documented ones; `REFUSALS` says which the program tells how, and which are worth a retry.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kontora.core.errors import Refused
from kontora.messaging.services.sms.parts import measure, normalised
from kontora.messaging.services.sms.replies import Gateway, SmsReply, SmsStatus

TIMEOUT_S = 20
OK = 100
# status_code → (what to tell the user, worth a retry, the account's own problem: held, the form field at fault)
REFUSALS: dict[int, tuple[Promise, bool, bool, str | None]] = {
    200: (gettext_lazy("SMS.ru did not accept the api_id"), False, True, "api_id"),
    201: (gettext_lazy("There is not enough money on the SMS.ru balance"), False, True, None),
    202: (gettext_lazy("SMS.ru refused the number"), False, False, "number"),
    203: (gettext_lazy("SMS.ru received no text"), False, False, "text"),
    204: (gettext_lazy("SMS.ru has not approved the sender name"), False, True, "sender"),
    205: (gettext_lazy("The message is too long for SMS.ru (more than 8 parts)"), False, False, "text"),
    206: (gettext_lazy("The daily limit of the SMS.ru account is reached"), True, False, None),
    207: (gettext_lazy("SMS.ru has no route to this number"), False, False, "number"),
    209: (gettext_lazy("The number is in the stop list of the SMS.ru account"), False, False, "number"),
    220: (gettext_lazy("SMS.ru is unavailable for now"), True, False, None),
    230: (gettext_lazy("SMS.ru's daily limit of messages to this number is reached"), True, False, None),
    231: (gettext_lazy("SMS.ru's limit of the same message to this number a minute is reached"), True, False, None),
    232: (gettext_lazy("SMS.ru's limit of the same message to this number a day is reached"), True, False, None),
    300: (gettext_lazy("SMS.ru did not accept the api_id"), False, True, "api_id"),
    301: (gettext_lazy("SMS.ru did not accept the api_id"), False, True, "api_id"),
    302: (gettext_lazy("The SMS.ru account is not confirmed yet"), False, True, None),
    500: (gettext_lazy("SMS.ru had an internal error"), True, False, None),
}
# /sms/status's codes of one message → (state, final)
STATES = {100: ("queued", False), 101: ("sent", False), 102: ("sent", False), 103: ("delivered", True),
          104: ("failed", True), 105: ("failed", True), 106: ("failed", True), 107: ("failed", True),
          108: ("failed", True), 110: ("delivered", True), 150: ("failed", True)}


def _post(gateway: Gateway, method: str, fields: dict[str, str]) -> dict[str, Any]:
    """The JSON SMS.ru answered; Refused with the reason when none came."""
    where = urllib.parse.urlsplit(gateway.api_url).netloc or gateway.api_url
    body = urllib.parse.urlencode({"api_id": gateway.api_id, **fields, "json": "1"}).encode()
    url = f"{gateway.api_url}/sms/{method}"  # http(s) only: gateway_of refuses another scheme
    request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "User-Agent": "Kontora"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 — http(s) only (gateway_of)
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raise Refused(_("SMS.ru answered HTTP %(code)s %(reason)s.") % {"code": exc.code, "reason": exc.reason}
                      ) from exc
    except urllib.error.URLError as exc:
        reason = exc.reason.strerror if isinstance(exc.reason, OSError) and exc.reason.strerror else exc.reason
        raise Refused(_("Cannot connect to SMS.ru at %(where)s: %(reason)s.") % {"where": where, "reason": reason}
                    ) from exc
    except (TimeoutError, OSError) as exc:
        raise Refused(_("Cannot connect to SMS.ru at %(where)s: %(reason)s.") % {"where": where, "reason": exc}
                    ) from exc
    try:
        answer = json.loads(raw)
    except ValueError as exc:
        raise Refused(_("SMS.ru answered something that is not its API's JSON: %(answer)s") % {
            "answer": raw[:200].decode("utf-8", "replace")}) from exc
    if not isinstance(answer, dict):
        raise Refused(_("SMS.ru answered something that is not its API's JSON: %(answer)s") % {"answer": answer})
    return answer


def _code(entry: Any) -> int:
    try:
        return int(entry.get("status_code"))
    except (TypeError, ValueError, AttributeError):
        return 0


def _said(entry: dict[str, Any]) -> str:
    return f"{entry.get('status_code', '')} {entry.get('status_text', '')}".strip()


def _refusal(entry: dict[str, Any], balance: str, parts: int) -> SmsReply:
    code = _code(entry)
    answer = _said(entry)
    what, temporary, held, field = REFUSALS.get(code, (gettext_lazy("SMS.ru refused the message"), False, False,
                                                       None))
    return SmsReply(False, "auth" if held else "submit", str(code), answer, f"{what}: {answer}",
                    temporary=temporary, field=field, parts=parts, balance=balance)


def deliver(gateway: Gateway, e164: str, text: str) -> SmsReply:
    parts = measure(text).parts
    number = e164.lstrip("+")
    fields = {"to": number, "msg": normalised(text)}
    if gateway.sender:
        fields["from"] = gateway.sender
    try:
        answer = _post(gateway, "send", fields)
    except Refused as exc:
        return SmsReply(False, "connect", "", "", exc.message, temporary=True, field="api_url", parts=parts)
    balance = str(answer.get("balance", ""))
    if answer.get("status") != "OK":
        return _refusal(answer, balance, parts)
    entry = (answer.get("sms") or {}).get(number)
    if not isinstance(entry, dict):
        said = json.dumps(answer, ensure_ascii=False)[:300]
        return SmsReply(False, "submit", "", said, _("SMS.ru did not answer about the number: %(answer)s") % {
            "answer": said}, temporary=True, parts=parts, balance=balance)
    if entry.get("status") != "OK" or _code(entry) != OK:
        return _refusal(entry, balance, parts)
    sms_id = str(entry.get("sms_id", ""))
    said = f"{OK} OK sms_id {sms_id}"
    return SmsReply(True, "sent", str(OK), said, said, message_id=sms_id, message_ids=(sms_id,), parts=parts,
                    balance=balance)


def status(gateway: Gateway, message_id: str) -> SmsStatus:
    answer = _post(gateway, "status", {"sms_id": message_id})  # Refused when no answer came
    if answer.get("status") != "OK":
        code = _code(answer)
        what = REFUSALS.get(code, (gettext_lazy("SMS.ru refused the message"),))[0]
        raise Refused(f"{what}: {_said(answer)}")
    entry = (answer.get("sms") or {}).get(message_id) or {}
    code = _code(entry)
    state, final = STATES.get(code, ("unknown", False))
    return SmsStatus(state, final, str(code), _said(entry))

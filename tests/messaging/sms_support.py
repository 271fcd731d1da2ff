"""Real SMS gateways on 127.0.0.1 for the SMS tests (GRP-04), written here from the protocols' texts, not from the
client library: an SMPP 3.4 SMSC over TCP (threads) that speaks the PDUs byte by byte, and SMS.ru's HTTP API
(http.server) with its JSON answers and error codes. Each records what it was sent, for the tests to read back."""

from __future__ import annotations

import itertools
import json
import socket
import socketserver
import struct
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SYSTEM_ID, SMPP_PASSWORD = "kontora", "s3cret"
API_ID = "6A1B2C3D-0000-1111-2222-333344445555"

# SMPP 3.4 command ids and statuses used here (section 5.1.2, 5.1.3)
BIND_TRANSMITTER, BIND_TRANSCEIVER, SUBMIT_SM, DELIVER_SM = 0x02, 0x09, 0x04, 0x05
QUERY_SM, UNBIND, ENQUIRE_LINK, RESP, GENERIC_NACK = 0x03, 0x06, 0x15, 0x80000000, 0x80000000
ESME_ROK, ESME_RINVPASWD, ESME_RINVSYSID, ESME_RINVDSTADR, ESME_RTHROTTLED = 0x00, 0x0E, 0x0F, 0x0B, 0x58
ESME_RINVCMDID = 0x03


@dataclass
class Submitted:
    """One submit_sm as it arrived."""

    source_addr_ton: int
    source_addr_npi: int
    source_addr: str
    dest_addr_ton: int
    destination_addr: str
    esm_class: int
    registered_delivery: int
    data_coding: int
    short_message: bytes
    message_id: str

    @property
    def udh(self) -> bytes:
        """The user data header (with its length octet) when esm_class says there is one."""
        return self.short_message[: self.short_message[0] + 1] if self.esm_class & 0x40 else b""

    @property
    def text(self) -> str:
        """This part's text, decoded independently of the program's own codec."""
        body = self.short_message[len(self.udh):]
        if self.data_coding == 0x08:
            return body.decode("utf-16-be")
        extension = {0x0A: "\f", 0x14: "^", 0x28: "{", 0x29: "}", 0x2F: "\\", 0x3C: "[", 0x3D: "~", 0x3E: "]",
                     0x40: "|", 0x65: "€"}
        basic = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
                 "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
        out, escape = [], False
        for octet in body:
            if escape:
                out.append(extension[octet])
                escape = False
            elif octet == 0x1B:
                escape = True
            else:
                out.append(basic[octet])
        return "".join(out)


@dataclass
class Smsc:
    """The SMSC's state: what it was asked and what it will answer. `bind_status` answers every bind with that
    status when set; `submit_statuses` answers the next submits with those statuses (then ROK); `receipts` sends a
    deliver_sm receipt right after each accepted submit."""

    port: int = 0
    binds: list[dict[str, Any]] = field(default_factory=list)
    submitted: list[Submitted] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    receipts_acknowledged: int = 0
    bind_status: int = ESME_ROK
    submit_statuses: list[int] = field(default_factory=list)
    receipts: bool = True
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1001))

    def messages(self) -> list[str]:
        """The texts the SMSC received, the concatenated parts joined in their order."""
        texts: list[str] = []
        groups: dict[int, dict[int, str]] = {}
        for part in self.submitted:
            if not part.udh:
                texts.append(part.text)
                continue
            reference, total, number = part.udh[3], part.udh[4], part.udh[5]
            groups.setdefault(reference, {})[number] = part.text
            if len(groups[reference]) == total:
                group = groups.pop(reference)
                texts.append("".join(group[n] for n in range(1, total + 1)))
        return texts


def _cstring(body: bytes, at: int) -> tuple[str, int]:
    end = body.index(b"\0", at)
    return body[at:end].decode("latin-1"), end + 1


def _pdu(command_id: int, status: int, sequence: int, body: bytes = b"") -> bytes:
    return struct.pack(">IIII", 16 + len(body), command_id, status, sequence) + body


class _SmppHandler(socketserver.BaseRequestHandler):
    server: Any

    def _read(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.request.recv(size - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def handle(self) -> None:
        smsc: Smsc = self.server.smsc
        sequence = itertools.count(0x10000)
        self.outstanding, self.unbind_seq = 0, 0  # receipts not yet acknowledged; an unbind waiting for them
        try:
            while True:
                length, command_id, _status, seq = struct.unpack(">IIII", self._read(16))
                body = self._read(length - 16)
                answer = self._answer(smsc, command_id, seq, body, sequence)
                if answer is None:
                    return
        except (ConnectionError, OSError):
            return

    def _answer(self, smsc: Smsc, command_id: int, seq: int, body: bytes, sequence: Iterator[int]) -> bool | None:
        send = self.request.sendall
        if command_id in (BIND_TRANSMITTER, BIND_TRANSCEIVER):
            system_id, at = _cstring(body, 0)
            password, at = _cstring(body, at)
            system_type, at = _cstring(body, at)
            smsc.commands.append("bind_transceiver" if command_id == BIND_TRANSCEIVER else "bind_transmitter")
            smsc.binds.append({"system_id": system_id, "password": password, "system_type": system_type,
                               "interface_version": body[at]})
            status = smsc.bind_status or (ESME_RINVSYSID if system_id != SYSTEM_ID else
                                          ESME_RINVPASWD if password != SMPP_PASSWORD else ESME_ROK)
            send(_pdu(RESP | command_id, status, seq, b"KontoraSMSC\0" if status == ESME_ROK else b""))
        elif command_id == SUBMIT_SM:
            smsc.commands.append("submit_sm")
            _service, at = _cstring(body, 0)
            source_ton, source_npi = body[at], body[at + 1]
            source, at = _cstring(body, at + 2)
            dest_ton = body[at]
            dest, at = _cstring(body, at + 2)
            esm_class = body[at]
            _schedule, at = _cstring(body, at + 3)  # after protocol_id, priority_flag
            _validity, at = _cstring(body, at)
            registered, data_coding, sm_length = body[at], body[at + 2], body[at + 4]
            message = body[at + 5: at + 5 + sm_length]
            status = smsc.submit_statuses.pop(0) if smsc.submit_statuses else ESME_ROK
            if status != ESME_ROK:
                send(_pdu(RESP | SUBMIT_SM, status, seq, b"\0"))
                return True
            message_id = f"K{next(smsc.ids):07d}"
            smsc.submitted.append(Submitted(source_ton, source_npi, source, dest_ton, dest, esm_class, registered,
                                            data_coding, message, message_id))
            send(_pdu(RESP | SUBMIT_SM, ESME_ROK, seq, message_id.encode() + b"\0"))
            if smsc.receipts and registered & 0x01:
                self.outstanding += 1
                send(_pdu(DELIVER_SM, ESME_ROK, next(sequence), _receipt(message_id, source, dest)))
        elif command_id == RESP | DELIVER_SM:
            smsc.commands.append("deliver_sm_resp")
            smsc.receipts_acknowledged += 1
            self.outstanding -= 1
            if self.unbind_seq and not self.outstanding:
                send(_pdu(RESP | UNBIND, ESME_ROK, self.unbind_seq))
        elif command_id == QUERY_SM:
            smsc.commands.append("query_sm")
            message_id, _at = _cstring(body, 0)
            known = any(part.message_id == message_id for part in smsc.submitted)
            send(_pdu(RESP | QUERY_SM, ESME_ROK if known else 0x67, seq,
                      message_id.encode() + b"\0" + b"\0" + bytes((2 if known else 7, 0))))
        elif command_id == ENQUIRE_LINK:
            send(_pdu(RESP | ENQUIRE_LINK, ESME_ROK, seq))
        elif command_id == UNBIND:
            # Answered once every receipt sent is acknowledged: the ESME reads them before unbind_resp.
            smsc.commands.append("unbind")
            self.unbind_seq = seq
            if not self.outstanding:
                send(_pdu(RESP | UNBIND, ESME_ROK, seq))
        else:
            send(_pdu(GENERIC_NACK, ESME_RINVCMDID, seq))
        return True


def _receipt(message_id: str, sender: str, recipient: str) -> bytes:
    """A deliver_sm carrying an SMSC delivery receipt (SMPP 3.4 appendix B), with receipted_message_id and
    message_state as TLVs."""
    text = (f"id:{message_id} sub:001 dlvrd:001 submit date:2612061415 done date:2612061415 stat:DELIVRD err:000 "
            f"text:").encode()
    fixed = (b"\0" + bytes((1, 1)) + recipient.encode() + b"\0" + bytes((5, 0)) + sender.encode() + b"\0"
             + bytes((0x04, 0, 0)) + b"\0" + b"\0" + bytes((0, 0, 0, 0, len(text))) + text)
    receipted = message_id.encode() + b"\0"
    return (fixed + struct.pack(">HH", 0x001E, len(receipted)) + receipted
            + struct.pack(">HHB", 0x0427, 1, 2))


class _SmppServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve_smpp() -> Iterator[Smsc]:
    smsc = Smsc()
    server = _SmppServer(("127.0.0.1", 0), _SmppHandler)
    server.smsc = smsc  # type: ignore[attr-defined]
    smsc.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield smsc
    finally:
        server.shutdown()
        server.server_close()


# --- SMS.ru ---

TEXTS = {  # SMS.ru's own wording of its status codes
    100: "Запрос выполнен или сообщение находится в нашей очереди",
    103: "Сообщение доставлено",
    200: "Неправильный api_id",
    201: "Не хватает средств на лицевом счету",
    202: "Неправильно указан номер телефона получателя, либо на него нет маршрута",
    204: "Имя отправителя не согласовано с администрацией",
    207: "На этот номер нет маршрута для доставки сообщений",
    220: "Сервис временно недоступен, попробуйте чуть позже",
    -1: "Сообщение не найдено",
}


@dataclass
class SmsRu:
    """SMS.ru's state: `balance` pays 1.00 a part, `errors` answers a number with that status_code, `down` answers
    every request with 220. `sent` holds each message taken (its fields as posted)."""

    url: str = ""
    balance: float = 10.0
    sent: dict[str, dict[str, str]] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)  # (method, path, fields)
    errors: dict[str, int] = field(default_factory=dict)
    down: bool = False
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(10000001))

    def answer(self, path: str, fields: dict[str, str]) -> dict[str, Any]:
        if self.down:
            return {"status": "ERROR", "status_code": 220, "status_text": TEXTS[220]}
        if fields.get("api_id") != API_ID:
            return {"status": "ERROR", "status_code": 200, "status_text": TEXTS[200]}
        if path == "/sms/send":
            return self._send(fields)
        if path == "/sms/status":
            code = 103 if fields.get("sms_id") in self.sent else -1
            return {"status": "OK", "status_code": 100, "balance": self.balance,
                    "sms": {fields.get("sms_id", ""): {"status": "OK" if code > 0 else "ERROR", "status_code": code,
                                                        "status_text": TEXTS[code]}}}
        return {"status": "ERROR", "status_code": 211, "status_text": "Метод не найден"}

    def _send(self, fields: dict[str, str]) -> dict[str, Any]:
        parts = 1 + (len(fields.get("msg", "")) - 1) // 67
        if self.balance < parts:
            return {"status": "ERROR", "status_code": 201, "status_text": TEXTS[201]}
        if fields.get("from") and fields["from"] != "Romashka":
            return {"status": "ERROR", "status_code": 204, "status_text": TEXTS[204]}
        answers: dict[str, Any] = {}
        for number in fields.get("to", "").split(","):
            code = self.errors.get(number) or (202 if not number.isdigit() or len(number) < 11 else 100)
            if code != 100:
                answers[number] = {"status": "ERROR", "status_code": code, "status_text": TEXTS[code]}
                continue
            sms_id = f"000000-{next(self.ids)}"
            self.sent[sms_id] = dict(fields, to=number)
            self.balance -= parts
            answers[number] = {"status": "OK", "status_code": 100, "sms_id": sms_id}
        return {"status": "OK", "status_code": 100, "sms": answers, "balance": round(self.balance, 2)}


class _SmsRuHandler(BaseHTTPRequestHandler):
    server: Any

    def _reply(self, fields: dict[str, str]) -> None:
        gateway: SmsRu = self.server.gateway
        path = urllib.parse.urlsplit(self.path).path
        gateway.requests.append((self.command, path, fields))
        body = json.dumps(gateway.answer(path, fields), ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        query = urllib.parse.urlsplit(self.path).query
        self._reply(dict(urllib.parse.parse_qsl(query)))

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        self._reply(dict(urllib.parse.parse_qsl(raw)))

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the tests read `requests`
        pass


def serve_smsru() -> Iterator[SmsRu]:
    gateway = SmsRu()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SmsRuHandler)
    server.daemon_threads = True
    server.gateway = gateway  # type: ignore[attr-defined]
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A port nothing listens on (bound and released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])

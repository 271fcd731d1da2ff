"""How an SMS is measured (GRP-04): the GSM 03.38 alphabet or UCS-2, 160/153 and 70/67 characters, extension
characters as two septets; and the browser's counter (behaviours/sms-count.js) counting exactly the same."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from kontora.messaging.services.sms.parts import measure, segments
from tests.support.codebase import PACKAGE

TEXTS = [
    "", "Hello", "a" * 160, "a" * 161, "a" * 306, "a" * 307, "€" * 80, "€" * 81, "a" * 152 + "€" + "b",
    "[" * 76 + "a" * 7, "Привет", "я" * 70, "я" * 71, "я" * 134, "я" * 135, "x😀" * 40, "😀" * 34,
    "line\r\nnext", "line\nnext", "Ünïcödé ß ñ", "Tab\there", "Ромашка €",
]


@pytest.mark.feature("GRP-04")
@pytest.mark.parametrize(("text", "expected"), [
    ("Hello", ("gsm7", 5, 1)),
    ("a" * 160, ("gsm7", 160, 1)),
    ("a" * 161, ("gsm7", 161, 2)),
    ("a" * 306, ("gsm7", 306, 2)),
    ("a" * 307, ("gsm7", 307, 3)),
    ("€" * 80, ("gsm7", 160, 1)),  # an extension character takes two septets
    ("€" * 81, ("gsm7", 162, 2)),
    ("Привет", ("ucs2", 6, 1)),
    ("я" * 70, ("ucs2", 70, 1)),
    ("я" * 71, ("ucs2", 71, 2)),
    ("я" * 134, ("ucs2", 134, 2)),
    ("я" * 135, ("ucs2", 135, 3)),
    ("Tab\there", ("ucs2", 8, 1)),  # a tab has no septet
    ("line\r\nnext", ("gsm7", 9, 1)),  # a posted line break counts as the browser counts it
    ("", ("gsm7", 0, 0)),
])
def test_an_sms_is_measured_in_septets_or_ucs2_units_and_parts(text, expected):
    assert measure(text) == expected


@pytest.mark.feature("GRP-04")
def test_parts_carry_the_concatenation_header_and_fit_one_pdu():
    cut = segments("я" * 135, reference=7)
    assert cut.udhi and [part[:6] for part in cut.payloads] == [bytes((5, 0, 3, 7, 3, n)) for n in (1, 2, 3)]
    assert all(len(part) <= 140 for part in cut.payloads)
    single = segments("Hi")
    assert not single.udhi and single.payloads == [b"Hi"]


@pytest.mark.feature("GRP-04")
@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the behaviour's code")
def test_the_browsers_counter_counts_as_the_server_does():
    script = (PACKAGE / "static" / "kontora" / "behaviours" / "sms-count.js").read_text()
    # The behaviour wires itself to `document`; a bare stand-in lets node load it and call its measure.
    runner = ("var document = {addEventListener: function () {}}; var window = {};\n" + script +
              "\nvar texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "\nconsole.log(JSON.stringify(texts.map(function (t) { var m = window.kontoraSmsMeasure(t);"
              " return [m.encoding, m.characters, m.parts]; })));")
    done = subprocess.run(["node", "-e", runner], input=json.dumps(TEXTS), capture_output=True, text=True,
                          timeout=30, check=True)
    assert json.loads(done.stdout) == [list(measure(text)) for text in TEXTS]

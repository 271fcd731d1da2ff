"""Fill msgstr entries of the Russian catalogue from JSON dictionaries {msgid: msgstr}.

Used when several people add UI strings at once: each keeps a dictionary under i18n-pending/,
then `make messages` extracts the strings and this script fills them in.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    po_path = ROOT / "kontora/locale/ru/LC_MESSAGES/django.po"
    catalogue = polib.pofile(str(po_path))
    table: dict[str, str] = {}
    for path in sorted((ROOT / "i18n-pending").glob("*.json")):
        table.update(json.loads(path.read_text(encoding="utf-8")))
    filled = 0
    for entry in catalogue:
        if entry.msgid in table and not entry.msgid_plural:
            entry.msgstr = table[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
        elif entry.msgid_plural and entry.msgid in table:
            forms = table[entry.msgid]
            if isinstance(forms, list):
                # Django's Russian catalogue has 4 plural forms; the 4th (fractions) reads like the 3rd.
                forms = [*forms, *[forms[-1]] * (4 - len(forms))]
                entry.msgstr_plural = dict(enumerate(forms))
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                filled += 1
    catalogue.save(str(po_path))
    missing = [e.msgid for e in catalogue if not e.translated() and not e.obsolete]
    print(f"filled {filled}; untranslated {len(missing)}")
    for msgid in missing[:50]:
        print("  -", msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main())

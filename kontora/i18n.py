"""Compiles a .po catalogue to .mo without GNU gettext, so `make install` needs only Python."""

from __future__ import annotations

import sys

import polib


def compile_catalogue(po_path: str, mo_path: str) -> None:
    catalogue = polib.pofile(po_path)
    catalogue.save_as_mofile(mo_path)


if __name__ == "__main__":
    compile_catalogue(sys.argv[1], sys.argv[2])

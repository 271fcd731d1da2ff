"""`make features`: the catalogue with each feature's passing/failing/missing tests from the last run."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def catalogue() -> list[tuple[str, str]]:
    for candidate in (ROOT.parent / "shared" / "FEATURES.md", ROOT / "docs" / "FEATURES.md"):
        if candidate.exists():
            text = candidate.read_text(encoding="utf-8")
            return re.findall(r"^- ([A-Z]{3}-\d{2}) (.+)$", text, flags=re.M)
    sys.exit("FEATURES.md not found (expected ../shared/FEATURES.md)")


def main() -> None:
    path = ROOT / "build" / "features.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    counts = {"passing": 0, "failing": 0, "missing": 0}
    for fid, title in catalogue():
        entry = results.get(fid, {"passed": [], "failed": []})
        if entry["failed"]:
            state = "failing"
        elif entry["passed"]:
            state = "passing"
        else:
            state = "missing"
        counts[state] += 1
        short = title if len(title) <= 90 else title[:87] + "..."
        print(f"{fid}  {state:8}  {len(entry['passed']):3}✓ {len(entry['failed']):3}✗  {short}")
    print(f"\n{counts['passing']} passing, {counts['failing']} failing, {counts['missing']} missing")


if __name__ == "__main__":
    main()

"""`make test` on a fresh machine (issue 11 item 1): scripts/test-deps.sh installs Chromium, the fonts, (issue 12,
the several-servers tests) redis-server and Node.js (the SMS counter's parity test) with apt-get when it runs as root,
and otherwise stops before the run with one line naming the command. The system is faked: a PATH holding only a fake
`id` and a fake `apt-get` that records its calls and "installs" into a temporary tree."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.cli.support import ROOT

SCRIPT = ROOT / "scripts" / "test-deps.sh"
EVERYTHING = ["chromium", "fonts-dejavu-core", "fonts-liberation2", "redis-server", "nodejs", "libpango-1.0-0",
              "libpangoft2-1.0-0", "libharfbuzz-subset0", "libcairo2"]
# What WeasyPrint loads, and Cairo for CairoSVG (core.charts)
LIBRARIES = ("libpango-1.0.so.0", "libpangoft2-1.0.so.0", "libharfbuzz-subset.so.0", "libcairo.so.2")

# Installs by creating the files the script looks for; with FAIL_UNTIL_UPDATE, "install" fails until "update" ran.
FAKE_APT_GET = """#!/bin/bash
PATH=/usr/bin:/bin  # the fake's own tools; the script under test sees only the fake bin
echo "$*" >> "$SYSTEM/apt-get.log"
if [ "$1" = update ]; then touch "$SYSTEM/updated"; exit 0; fi
if [ -n "${FAIL_UNTIL_UPDATE:-}" ] && [ ! -e "$SYSTEM/updated" ]; then exit 100; fi
for pkg in "$@"; do
  case "$pkg" in
    chromium) printf '#!/bin/sh\\n' > "$SYSTEM/chromium"; chmod +x "$SYSTEM/chromium" ;;
    fonts-dejavu-core) mkdir -p "$SYSTEM/fonts/dejavu"; touch "$SYSTEM/fonts/dejavu/DejaVuSans.ttf" ;;
    fonts-liberation2) mkdir -p "$SYSTEM/fonts/liberation2"
                       touch "$SYSTEM/fonts/liberation2/LiberationSans-Regular.ttf" ;;
    redis-server) printf '#!/bin/sh\\n' > "$SYSTEM/redis-server"; chmod +x "$SYSTEM/redis-server" ;;
    libpango-1.0-0) mkdir -p "$SYSTEM/lib"; touch "$SYSTEM/lib/libpango-1.0.so.0" ;;
    libpangoft2-1.0-0) mkdir -p "$SYSTEM/lib"; touch "$SYSTEM/lib/libpangoft2-1.0.so.0" ;;
    libharfbuzz-subset0) mkdir -p "$SYSTEM/lib"; touch "$SYSTEM/lib/libharfbuzz-subset.so.0" ;;
    libcairo2) mkdir -p "$SYSTEM/lib"; touch "$SYSTEM/lib/libcairo.so.2" ;;
    nodejs) printf '#!/bin/sh\\n' > "$SYSTEM/node"; chmod +x "$SYSTEM/node" ;;
  esac
done
"""


def _system(tmp_path: Path, *, uid: int, apt_get: bool = True) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "id").write_text(f"#!/bin/bash\necho {uid}\n")
    (bin_dir / "id").chmod(0o755)
    if apt_get:
        (bin_dir / "apt-get").write_text(FAKE_APT_GET)
        (bin_dir / "apt-get").chmod(0o755)
    return {"PATH": str(bin_dir), "SYSTEM": str(tmp_path), "KONTORA_CHROMIUM": str(tmp_path / "chromium"),
            "KONTORA_FONTS_DIR": str(tmp_path / "fonts"), "KONTORA_REDIS_SERVER": str(tmp_path / "redis-server"),
            "KONTORA_LIB_DIR": str(tmp_path / "lib"), "KONTORA_NODE": str(tmp_path / "node")}


def _run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["/bin/bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30,
                          check=False)


def _apt_calls(tmp_path: Path) -> list[str]:
    log = tmp_path / "apt-get.log"
    return log.read_text().splitlines() if log.exists() else []


@pytest.mark.feature("SYS-01")
def test_as_root_what_is_missing_is_installed_with_one_line_saying_so(tmp_path: Path) -> None:
    # given a machine without Chromium and the fonts, and make test run as root
    env = _system(tmp_path, uid=0)
    # when
    done = _run(env)
    # then apt-get installed the three packages, and one line said so
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"make test: installing {' '.join(EVERYTHING)} with apt-get"]
    assert _apt_calls(tmp_path) == [f"install -y -qq {' '.join(EVERYTHING)}"]
    # and a second run finds everything and says nothing (the positive control of the checks themselves)
    again = _run(env)
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    assert len(_apt_calls(tmp_path)) == 1


@pytest.mark.feature("SYS-01")
def test_stale_package_lists_are_updated_once_before_installing(tmp_path: Path) -> None:
    env = {**_system(tmp_path, uid=0), "FAIL_UNTIL_UPDATE": "1"}
    done = _run(env)
    assert done.returncode == 0, done.stderr
    assert [call.split()[0] for call in _apt_calls(tmp_path)] == ["install", "update", "install"]


@pytest.mark.feature("SYS-01")
@pytest.mark.parametrize(("uid", "apt_get"), [(1000, True), (0, False)], ids=["not-root", "no-apt-get"])
def test_otherwise_the_run_stops_with_one_line_naming_the_command(tmp_path: Path, uid: int, apt_get: bool) -> None:
    # given Chromium, redis-server, Node.js and WeasyPrint's libraries present but the fonts missing, and no way to
    # install them
    env = _system(tmp_path, uid=uid, apt_get=apt_get)
    for program in ("KONTORA_CHROMIUM", "KONTORA_REDIS_SERVER", "KONTORA_NODE"):
        Path(env[program]).write_text("#!/bin/sh\n")
        Path(env[program]).chmod(0o755)
    (tmp_path / "lib").mkdir()
    for library in LIBRARIES:
        (tmp_path / "lib" / library).touch()
    # when
    done = _run(env)
    # then the run stops, naming exactly what to run, and nothing was installed
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "make test: missing fonts-dejavu-core fonts-liberation2; "
        "install them with: sudo apt-get install -y fonts-dejavu-core fonts-liberation2"]
    assert _apt_calls(tmp_path) == []


@pytest.mark.feature("SYS-01")
def test_make_test_checks_the_system_before_pytest_runs() -> None:
    plan = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
                          env={**os.environ, "MAKEFLAGS": ""}).stdout.splitlines()
    steps = [line for line in plan if "test-deps.sh" in line or "/pytest" in line]
    assert [("deps" if "test-deps.sh" in step else "pytest") for step in steps] == ["deps", "pytest"]

#!/usr/bin/env bash
# What `make test` needs from the system besides Python: Chromium for the browser tests, the fonts the pages (and
# the guide's pictures) are drawn with, Pango and HarfBuzz's subsetter for WeasyPrint (the print module's PDFs), Cairo
# for CairoSVG (core.charts' PNG pictures), and
# redis-server for the several-servers tests (their job queue), and Node.js to run the SMS counter's browser code
# against the server's (tests/messaging/services/test_sms_parts.py). Run as root with apt-get, it installs what is missing and says so in
# one line; otherwise it stops the run before it starts with one line naming the exact command.
set -uo pipefail

chromium=${KONTORA_CHROMIUM:-/usr/bin/chromium}
fonts=${KONTORA_FONTS_DIR:-/usr/share/fonts/truetype}
redis=${KONTORA_REDIS_SERVER:-/usr/bin/redis-server}
node=${KONTORA_NODE:-/usr/bin/node}

need=()
[ -x "$chromium" ] || need+=(chromium)
[ -e "$fonts/dejavu/DejaVuSans.ttf" ] || need+=(fonts-dejavu-core)
[ -e "$fonts/liberation2/LiberationSans-Regular.ttf" ] || need+=(fonts-liberation2)
[ -x "$redis" ] || need+=(redis-server)
[ -x "$node" ] || need+=(nodejs)
# WeasyPrint loads these shared libraries by name (core.printing): each package's library file is looked for.
libs=${KONTORA_LIB_DIR:-/usr/lib/*-linux-gnu}
has_lib() { compgen -G "$libs/$1" >/dev/null; }
has_lib libpango-1.0.so.0 || need+=(libpango-1.0-0)
has_lib libpangoft2-1.0.so.0 || need+=(libpangoft2-1.0-0)
has_lib libharfbuzz-subset.so.0 || need+=(libharfbuzz-subset0)
has_lib libcairo.so.2 || need+=(libcairo2)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "make test: installing ${need[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  # The package lists of a fresh machine may be empty or stale: update once if the first attempt fails.
  if ! apt-get install -y -qq "${need[@]}" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 \
      || { echo "make test: 'apt-get install -y ${need[*]}' failed; run it by hand to see why" >&2; exit 1; }
  fi
  exit 0
fi
echo "make test: missing ${need[*]}; install them with: sudo apt-get install -y ${need[*]}" >&2
exit 1

#!/usr/bin/env bash
# Re-extract UI strings, fill Russian from i18n-pending/*.json, compile. Serialised with flock
# because several people may run it at once on one checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
exec 9>/tmp/kontora-i18n.lock
flock 9
(cd kontora && KONTORA_HOME=/tmp/kontora-i18n-home ../.venv/bin/django-admin makemessages -l ru -l en \
   --no-obsolete --settings=kontora.settings --pythonpath=.. >/dev/null)
.venv/bin/python scripts/po_fill.py
for po in kontora/locale/*/LC_MESSAGES/django.po; do .venv/bin/python -m kontora.i18n "$po" "${po%.po}.mo"; done

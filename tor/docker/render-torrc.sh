#!/bin/sh
# Usage: render-torrc.sh TEMPLATE OUTPUT
# Fills the production torrc template for the Docker network: the app's onion port is
# APP_ADDRESS (default app:8082, the app's ONION_PORT) instead of loopback, no SOCKS
# port, and tor is owned by PID 1.
set -eu
sed -e "s|{{dataDir}}|${TOR_DATA_DIR:-/var/lib/tor/data}|" \
    -e "s|{{hiddenServiceDir}}|${TOR_HS_DIR:-/var/lib/tor/hidden_service}|" \
    -e "s|{{socksPort}}|0|" \
    -e "s|{{owningPid}}|${TOR_OWNER_PID:-1}|" \
    -e "s|HiddenServicePort 80 127.0.0.1:{{appPort}}|HiddenServicePort 80 ${APP_ADDRESS:-app:8082}|" \
    "$1" > "$2"
if grep -q '{{' "$2"; then
  echo "render-torrc: the template has placeholders this script does not fill" >&2
  exit 1
fi

#!/bin/sh
# Starts tor with the rendered torrc and copies the onion hostname to /run/onion, where
# the app reads it (the app never sees the onion keys).
set -eu
conf=/var/lib/tor/torrc
hs=/var/lib/tor/hidden_service
/usr/local/bin/render-torrc /etc/tor/onionchat.torrc.template "$conf"
if ! tor --list-modules 2>/dev/null | grep -qx 'pow: yes'; then
  # Such a tor refuses the PoW options: publish without them, and say so (tor/src/tor-modules.ts).
  echo "WARNING: this tor has no proof-of-work module (tor --list-modules), so the onion service is" \
       "published WITHOUT its PoW defence against introduction floods. Use tor 0.4.8 or newer." >&2
  sed -i '/^[[:space:]]*HiddenServicePoW/d' "$conf"
fi
if [ -n "${ONIONBALANCE_FRONTEND_FILE:-}" ]; then
  # One of several instances behind Onionbalance (deploy/onionbalance): also accept
  # introductions made for the frontend's address, named in ob_config.
  while [ ! -s "$ONIONBALANCE_FRONTEND_FILE" ]; do sleep 1; done
  echo "MasterOnionAddress $(cat "$ONIONBALANCE_FRONTEND_FILE")" > "$hs/ob_config"
  echo "HiddenServiceOnionbalanceInstance 1" >> "$conf"
fi
mkdir -p /var/lib/tor/data
chmod 0700 /var/lib/tor/data "$hs"
tor -f "$conf" &
tor_pid=$!
trap 'kill -TERM "$tor_pid"' TERM INT
while [ ! -s "$hs/hostname" ]; do
  kill -0 "$tor_pid" 2>/dev/null || { echo "tor exited before writing the onion hostname" >&2; exit 1; }
  sleep 1
done
cp "$hs/hostname" /run/onion/hostname
echo "OnionChat onion address: http://$(cat /run/onion/hostname)/"
wait "$tor_pid"

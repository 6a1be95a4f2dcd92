#!/bin/sh
# Onionbalance container. On first start makes the frontend key (kept in the volume at
# /var/lib/onionbalance: back it up, it IS the onion address), publishes the frontend's
# address in /run/onion/hostname (read by the app instances for their Host check and
# by their tors for ob_config), waits for the instances' addresses, then runs the
# management tor and Onionbalance.
set -eu
state=/var/lib/onionbalance
keys="$state/keys"
mkdir -p "$keys"
chmod 0700 "$state" "$keys"
if ! ls "$keys"/*.key >/dev/null 2>&1; then
  onionbalance-config --hs-version v3 --no-interactive --output "$keys" -n 1 >/dev/null
  rm -f "$keys/config.yaml"
fi
key=$(ls "$keys"/*.key | head -n 1)
frontend="$(basename "$key" .key).onion"
echo "$frontend" > /run/onion/hostname
echo "OnionChat onion address: http://$frontend/"

for i in 1 2; do
  while [ ! -s "/run/instance$i/hostname" ]; do sleep 1; done
done
sed -e "s|{{frontendKey}}|$key|" \
    -e "s|{{instance1}}|$(cat /run/instance1/hostname)|" \
    -e "s|{{instance2}}|$(cat /run/instance2/hostname)|" \
    /etc/onionbalance/config.yaml.template > "$state/config.yaml"
sed -e "s|{{dataDir}}|$state/tor|" \
    -e "s|{{controlPort}}|9051|" \
    -e "s|{{owningPid}}|1|" \
    /etc/onionbalance/torrc.template > "$state/torrc"
if grep -q '{{' "$state/config.yaml" "$state/torrc"; then
  echo "onionbalance: a template has placeholders this script does not fill" >&2
  exit 1
fi

mkdir -p "$state/tor"
chmod 0700 "$state/tor"
tor -f "$state/torrc" --defaults-torrc /dev/null &
tor_pid=$!
while [ ! -s "$state/tor/control_auth_cookie" ]; do
  kill -0 "$tor_pid" 2>/dev/null || { echo "the management tor exited" >&2; exit 1; }
  sleep 1
done
# Onionbalance becomes PID 1; the management tor watches it (__OwningControllerProcess).
exec onionbalance -c "$state/config.yaml" -i 127.0.0.1 -p 9051

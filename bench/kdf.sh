#!/bin/sh
# Runs bench/kdf.mjs twice: with the JIT, and with --jitless (Tor Browser's
# "Safer" security level turns the JavaScript JIT off, and WebAssembly too).
# Arguments are passed through, e.g. `bench/kdf.sh --runs 9`.
# With --json, the two reports are written to bench/results/ (git-ignored).
set -eu
cd "$(dirname "$0")/.."
[ -f protocol/dist/index.js ] || npm run build -w protocol

case " $* " in
  *" --json "*)
    mkdir -p bench/results
    node bench/kdf.mjs "$@" > bench/results/kdf-jit.json
    node --jitless bench/kdf.mjs "$@" > bench/results/kdf-jitless.json
    echo "wrote bench/results/kdf-jit.json and bench/results/kdf-jitless.json"
    ;;
  *)
    echo "== node (JIT on) =="
    node bench/kdf.mjs "$@"
    echo
    echo "== node --jitless (as in Tor Browser at the Safer level) =="
    node --jitless bench/kdf.mjs "$@"
    ;;
esac

#!/usr/bin/env bash
# The README's first command: sets up what a fresh Debian/Ubuntu machine lacks, then runs the demo.
#   - a redis-server / valkey-server, unless one is installed, already listening on 127.0.0.1:6379,
#     or REDIS_URL points somewhere (the demo starts its own throwaway server from the binary);
#   - the npm dependencies, unless they are installed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1; then
  echo "run-demo: Node.js 20 or later is needed first (https://nodejs.org/)" >&2
  exit 1
fi

have_binary() { command -v redis-server >/dev/null 2>&1 || command -v valkey-server >/dev/null 2>&1; }
listening() { (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }
if [ -z "${REDIS_URL:-}" ] && ! have_binary && ! listening; then
  bash .ci/install-servers.sh --no-redis8
fi

[ -d node_modules ] || npm ci --no-audit --no-fund
npm run -s demo

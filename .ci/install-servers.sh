#!/usr/bin/env bash
# Installs the Redis and Valkey binaries the tests start. Takes the mirror from the machine's own apt
# sources so that no host name lives in this repository.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# The Debian archive this machine's apt sources name (only enabled deb822 or one-line sources whose path
# ends in /debian), so that no host name lives in this repository.
debian_uri() {
  local f uri=""
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri=$(awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}' "$f")
    [ -n "$uri" ] && break
  done
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1=="deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list)
  fi
  if [ -z "$uri" ]; then echo "install-servers: no Debian mirror URI found in apt sources" >&2; exit 1; fi
  echo "$uri"
}

# Redis 8 with the module families (JSON, Search, TimeSeries, Bloom; vector sets built in), for the
# module suites and the core commands newer than 7.0. It comes from the shared test tools next to the
# repository (REDWIRE_SHARED_DIR, default the nearest shared/ beside the repository or a parent of it) into a cache dir (REDWIRE_REDIS8_DIR,
# default ~/.cache/redwire/redis8) that test/servers/redis8.ts reads; nothing is installed system-wide.
repo=$(cd "$(dirname "$0")/.." && pwd)
# The nearest folder named shared/ beside the checkout or beside one of its parents: a checkout made
# elsewhere for CI still finds the tools next to the project's folder.
find_shared() {
  local d=$repo
  while [ "$d" != "/" ]; do
    d=$(dirname "$d")
    if [ -d "$d/shared/redis8" ]; then echo "$d/shared"; return; fi
  done
  echo "$repo/../shared"
}
shared=${REDWIRE_SHARED_DIR:-$(find_shared)}
redis8=${REDWIRE_REDIS8_DIR:-${HOME:-/root}/.cache/redwire/redis8}
# --no-redis8: only redis-server and valkey-server (the demo needs no modules, nor the shared test tools).
with_redis8=1
[ "${1:-}" = "--no-redis8" ] && with_redis8=0
if [ "$with_redis8" = 1 ] && { [ ! -x "$redis8/server/redis-server" ] || [ ! -f "$redis8/modules/modules-8.0/redisearch.so" ]; }; then
  if [ ! -f "$shared/redis8/modules-8.0.tgz" ]; then
    echo "install-servers: $shared/redis8/modules-8.0.tgz not found; set REDWIRE_SHARED_DIR to the folder holding redis8/" >&2
    exit 1
  fi
  rm -rf "$redis8.tmp"; mkdir -p "$redis8.tmp/modules"
  # Our own fetch rather than shared/redis8/get-redis8.sh: that script takes the first URI of any apt
  # source, which on machines with a disabled third-party source is not Debian's archive.
  mirror=$(debian_uri)
  bash "$repo/.ci/fetch-redis8.sh" "$mirror" "$redis8.tmp/server" "$redis8/server"
  tar xzf "$shared/redis8/modules-8.0.tgz" -C "$redis8.tmp/modules"
  rm -rf "$redis8"; mkdir -p "$(dirname "$redis8")"; mv "$redis8.tmp" "$redis8"
fi
[ "$with_redis8" = 0 ] || "$redis8/server/redis-server" --version

need_redis=0; need_valkey=0
for b in redis-server redis-cli redis-sentinel; do command -v "$b" >/dev/null 2>&1 || need_redis=1; done
command -v valkey-server >/dev/null 2>&1 || need_valkey=1
[ "$need_redis$need_valkey" = "00" ] && exit 0

if [ "$need_valkey" = 1 ]; then
  if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    mirror=$(debian_uri)
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror" \
      | $SUDO tee /etc/apt/sources.list.d/redwire-backports.sources >/dev/null
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
if [ "$need_redis" = 1 ]; then
  $SUDO apt-get install -y -qq --no-install-recommends redis-server redis-tools redis-sentinel >/dev/null
fi
if [ "$need_valkey" = 1 ]; then
  $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports valkey-server >/dev/null
fi
# The packages start system services; the tests start their own servers on free ports.
for s in redis-server redis-sentinel valkey-server; do
  $SUDO service "$s" stop >/dev/null 2>&1 || true
done
redis-server --version
valkey-server --version

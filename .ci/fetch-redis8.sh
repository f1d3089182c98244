#!/usr/bin/env bash
# Redis 8.0 for the module tests on a Debian 12 machine, installed nowhere system-wide: Debian trixie's
# redis-tools package and the trixie runtime it links against (bookworm's glibc 2.36 is too old) are
# unpacked into DEST, and wrapper scripts run the binaries through trixie's own loader.
# Usage: fetch-redis8.sh MIRROR_URI DEST FINAL_DIR  (FINAL_DIR: where DEST will be moved; the wrappers name it)
set -euo pipefail
mirror=$1; dest=$2; final=$3
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/debs"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" > "$work/sources.list"
# A private apt state: only the trixie list, read against this machine's dpkg status, nothing installed.
cat > "$work/apt.conf" <<CONF
Dir::Etc::SourceList "$work/sources.list";
Dir::Etc::SourceParts "/nonexistent";
Dir::State "$work";
Dir::State::Lists "$work/lists";
Dir::Cache "$work";
Dir::State::status "/var/lib/dpkg/status";
APT::Sandbox::User "root";
CONF
export APT_CONFIG="$work/apt.conf"
apt-get -qq update
(cd "$work/debs" && apt-get -qq download redis-tools libc6 libatomic1 libjemalloc2 liblzf1 libssl3t64 \
  libstdc++6 libsystemd0 libgcc-s1 libcap2)
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$dest/root"; done
lib="$final/root/usr/lib/x86_64-linux-gnu"
# redis-server is redis-check-rdb under another name (the binary picks its mode from argv[0]).
for entry in redis-server:redis-check-rdb redis-cli:redis-cli redis-benchmark:redis-benchmark; do
  name=${entry%%:*}; binary=${entry#*:}
  printf '#!/bin/sh\nexec "%s/ld-linux-x86-64.so.2" --library-path "%s" --argv0 %s "%s/root/usr/bin/%s" "$@"\n' \
    "$lib" "$lib" "$name" "$final" "$binary" > "$dest/$name"
  chmod +x "$dest/$name"
done

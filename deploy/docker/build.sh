#!/bin/sh
# Builder-stage script shared by deploy/docker/Dockerfile.{collector,evaluator,actuator}
# (run inside debian:12 as root; not meant for a developer machine, where
# scripts/bootstrap does the same and more).
#
#   build.sh deps               Debian build dependencies (scripts/bootstrap's list,
#                               copied to /usr/local/share/rampart/bootstrap), and librdkafka 2.8.0
#                               from Debian trixie's source package into
#                               /opt/rampart-deps/librdkafka (Debian 12's 2.0.2
#                               loses or duplicates messages on rebalance)
#   build.sh TARGET...          configures /src into /build and builds TARGETs
set -eu
rdkafka_version=2.8.0
deps=/opt/rampart-deps
export DEBIAN_FRONTEND=noninteractive

case "${1:-}" in
deps)
  # The build dependencies are scripts/bootstrap's Debian packages, less
  # what only the tests use (containers, the JVM broker, kcat, ...).
  pkgs=$(sed -n '/^debian_packages=(/,/^)/p' /usr/local/share/rampart/bootstrap | sed '1d;$d' |
    tr -s ' ' '\n' | grep -vxE 'runc|busybox-static|iproute2|jq|openjdk-17-jdk-headless|maven|kcat|curl|git|')
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends ca-certificates $pkgs >/dev/null
  # deb-src for trixie from the same archive the image already uses.
  uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
  printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$uri" >/etc/apt/sources.list.d/trixie-src.sources
  apt-get update -qq
  work=$(mktemp -d)
  cd "$work"
  apt-get source -qq --download-only "librdkafka=$rdkafka_version-1"
  dpkg-source -x --skip-patches "librdkafka_$rdkafka_version-1.dsc" src >/dev/null
  cd src
  ./configure --prefix="$deps/librdkafka" --enable-ssl --enable-zstd --enable-lz4-ext \
    --enable-gssapi --enable-curl --disable-debug-symbols >/dev/null
  make -j"$(nproc)" -C src >/dev/null
  make -C src install >/dev/null
  cd / && rm -rf "$work" /var/lib/apt/lists/*
  ;;
"")
  echo "usage: build.sh deps | build.sh TARGET..." >&2; exit 2 ;;
*)
  # CO-RE: vmlinux.h comes from the build machine's kernel BTF
  # (/sys/kernel/btf/vmlinux, visible in a BuildKit RUN); the programs then
  # load on any kernel with BTF. VMLINUX_BTF names another BTF file.
  cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DRAMPART_DEPS="$deps" \
    -DRP_VMLINUX_BTF="${VMLINUX_BTF:-/sys/kernel/btf/vmlinux}" >/dev/null
  ninja -C /build "$@"
  mkdir -p /out/bin /out/lib
  for t in "$@"; do find /build -type f -name "$t" -perm -u+x -exec cp {} /out/bin/ \; ; done
  cp -a "$deps"/librdkafka/lib/librdkafka.so.1 /out/lib/
  ;;
esac

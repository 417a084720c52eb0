#!/usr/bin/env bash
# Installs the etcd server the etcd provider's tests run (Debian package etcd-server, etcd 3.4+), if it is missing.
# The tests start their own etcd on free loopback ports with a temporary data folder; nothing is started here.
# CI: bash plugins/provider-etcd/src/test/resources/ensure-etcd.sh   (before mvn verify)
set -euo pipefail
if command -v etcd >/dev/null 2>&1 || [ -x /usr/bin/etcd ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "ensure-etcd: etcd is missing and this is not root; install the Debian package etcd-server" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q etcd-server >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q etcd-server >/dev/null; }
# The package may start a system etcd on 2379 where systemd runs; the tests do not use it.
etcd --version | head -1

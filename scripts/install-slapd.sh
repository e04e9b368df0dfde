#!/usr/bin/env bash
# Installs OpenLDAP's slapd (Debian's package), idempotently, for the LDAP
# test of examples/provision-users. The test starts its own slapd with its
# own configuration; the system service is not used.
set -euo pipefail
if command -v slapd >/dev/null 2>&1 || [ -x /usr/sbin/slapd ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-slapd: apt-get not found; install OpenLDAP's slapd by hand" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "install-slapd: installing slapd from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
$sudo apt-get install -y -qq --no-install-recommends slapd ldap-utils >&2
# The package starts the system service; the test needs only the binary.
$sudo service slapd stop >/dev/null 2>&1 || true

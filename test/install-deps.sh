#!/usr/bin/env bash
# Installs what the test suites need: Debian packages (only when missing) and npm packages.
# Services are not started here: each suite starts its own private instances on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v smtp-source >/dev/null 2>&1 || [ -x /usr/sbin/smtp-source ] || need+=(postfix)
command -v curl >/dev/null 2>&1 || need+=(curl)
# Dovecot from Debian: the side-by-side peer of the bench smoke tests (and later a migration source).
[ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
[ -x /usr/lib/dovecot/pop3 ] || need+=(dovecot-pop3d)
[ -x /usr/lib/dovecot/lmtp ] || need+=(dovecot-lmtpd)
# Redis: the sproxyd driver's key index (listing companion) in the storage suites.
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

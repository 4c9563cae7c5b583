#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK, from Debian's packages, when it is missing:
#   chromium      the console's browser tests (tests/BemsServer.ConsoleTests drive it with Playwright; no browser download)
#   redis-server  the cluster test with Redis membership (tests/BemsServer.IntegrationTests/Cluster)
set -euo pipefail
missing=()
if [ -x /usr/lib/chromium/chromium ] || [ -x /usr/bin/chromium ]; then
  echo "install-deps: chromium is installed"
else
  missing+=(chromium)
fi
if command -v redis-server >/dev/null 2>&1; then
  echo "install-deps: redis-server is installed"
else
  missing+=(redis-server)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing the Debian packages ${missing[*]} with apt-get"
if [ "$(id -u)" -ne 0 ]; then
  sudo apt-get update && sudo apt-get install -y --no-install-recommends "${missing[@]}"
else
  apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"
fi

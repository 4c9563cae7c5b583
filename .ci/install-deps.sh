#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK: Debian's chromium for the console's browser tests
# (tests/BemsServer.ConsoleTests drive it with Playwright; no browser is downloaded). Does nothing when it is there.
set -euo pipefail
if [ -x /usr/lib/chromium/chromium ] || [ -x /usr/bin/chromium ]; then
  echo "install-deps: chromium is installed"
  exit 0
fi
echo "install-deps: chromium is missing; installing the Debian package 'chromium' with apt-get"
if [ "$(id -u)" -ne 0 ]; then
  sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium
else
  apt-get update && apt-get install -y --no-install-recommends chromium
fi

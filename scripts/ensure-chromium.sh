#!/bin/sh
# The admin console's browser test drives Debian's Chromium through playwright-core.
# Installs it on a fresh machine (the test run is root on CI); does nothing when it is already there.
set -e
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure-chromium: /usr/bin/chromium is missing; run as root or: sudo apt-get install -y chromium" >&2
  exit 1
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

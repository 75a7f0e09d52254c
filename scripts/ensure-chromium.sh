#!/bin/sh
# The admin console's browser test drives Debian's Chromium through playwright-core, and its screenshots show Chinese,
# which needs a CJK font (Noto CJK). Installs whichever of the two is missing on a fresh machine (the test run is root
# on CI); does nothing when both are there.
set -e
packages=""
if [ ! -x /usr/bin/chromium ]; then packages=" chromium"; fi
# A font that covers Chinese: fc-list prints one line per such font, nothing when there is none.
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
  packages="$packages fonts-noto-cjk"
fi
if [ -z "$packages" ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure-chromium: missing:$packages; run as root or: sudo apt-get install -y$packages" >&2
  exit 1
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y $packages

#!/bin/sh
# Installs the Debian packages the app needs when they are missing: as root with apt-get it
# installs them; otherwise it prints the exact command to run and carries on.
missing=""
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
    echo "apt-get failed to install:$missing" >&2; exit 1; }
else
  echo "Missing Debian packages:$missing"
  echo "Install them with:  sudo apt-get install -y$missing"
  echo "(PDFs need the CJK fonts and HarfBuzz subsetting; browser tests skip without chromium.)"
fi

#!/bin/sh
# Installs the Debian packages listed in packaging/deps.txt that are missing.
# Quiet and quick when everything is already there, so `make run`/`make test`
# can call it every time.
set -eu
here=$(dirname "$0")
missing=""
for pkg in $(grep -v '^[[:space:]]*#' "$here/deps.txt" | tr -s ' \t' '\n' | grep -v '^$'); do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $pkg" ;;
    esac
done
[ -z "$missing" ] && exit 0
echo "infopoint: installing missing packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing

#!/bin/bash
# The Debian package: build it the way `make package` does (a Release build
# with -DINFOPOINT_PACKAGE=ON, then CPack), check its control data and file
# list, unpack it into a scratch directory and run the unpacked kiosk from
# there (--check and a headless screenshot), and run lintian when it is
# installed. Nothing is installed on this machine.
#
# The package build lives in $INFOPOINT_BUILD_DIR/pkg-build and is reused,
# so after the first run only what changed is compiled.
#
# ok and fail always return 0, so "test && ok || fail" is an if/else here.
# shellcheck disable=SC2015
set -u
src=$INFOPOINT_SOURCE_DIR
pkg=$INFOPOINT_BUILD_DIR/pkg-build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
pass=0

fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
    return 0
}
ok() {
    pass=$((pass + 1))
    return 0
}
# Runs a step; on failure shows its output and stops (nothing to check after).
step() { # name, command...
    local name=$1
    shift
    local t0=$SECONDS
    if ! "$@" >"$tmp/step.log" 2>&1; then
        echo "FAIL: $name:"
        tail -30 "$tmp/step.log"
        exit 1
    fi
    echo "$name: $((SECONDS - t0)) s"
}

# --- build -----------------------------------------------------------------

# CMAKE_SKIP_INSTALL_ALL_DEPENDENCY: cpack then builds nothing itself, so
# the unit tests and the bench of the package build are never compiled;
# only what the package holds is, below.
step "configure" cmake -S "$src" -B "$pkg" -DCMAKE_BUILD_TYPE=Release -DINFOPOINT_PACKAGE=ON \
    -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON
step "build" cmake --build "$pkg" -j "$(nproc)" --target package_contents
rm -f "$pkg"/*.deb
step "cpack" bash -c "cd '$pkg' && cpack -G DEB"
debs=("$pkg"/infopoint_*.deb)
if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then
    echo "FAIL: cpack made no single infopoint_*.deb in $pkg"
    ls "$pkg"
    exit 1
fi
deb=${debs[0]}
echo "package: $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# --- control data ------------------------------------------------------------

field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = infopoint ] && ok || fail "Package is '$(field Package)'"
version=$(infopoint --version | awk '{print $2}')
case "$(field Version)" in
"$version"-[0-9]*) ok ;;
*) fail "Version '$(field Version)' is not the program's $version with a Debian revision" ;;
esac
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] && ok || fail "Architecture '$(field Architecture)'"
for f in Maintainer Section Priority Description Installed-Size; do
    [ -n "$(field "$f")" ] && ok || fail "no $f field"
done

# Every library the kiosk links or opens at run time, and the fonts it
# opens by path. The linked libraries come from dpkg-shlibdeps; libcurl4 and
# libespeak-ng1, opened with dlopen, are named by packaging/package.cmake.
depends=$(field Depends)
echo "Depends: $depends"
has_dep() { echo ", $depends," | grep -qE "[ ,]$1( \([^)]*\))?,"; }
for d in libsdl2-2.0-0 libsdl2-ttf-2.0-0 libsdl2-image-2.0-0 libsqlite3-0 libcurl4 libespeak-ng1 libsodium23 \
    libmd4c0 fonts-noto-core fonts-dejavu-core adduser; do
    has_dep "$d" && ok || fail "Depends lacks $d"
done
# Each soname the kiosk opens with dlopen is in the package Depends names.
for so in libcurl.so.4:libcurl4 libespeak-ng.so.1:libespeak-ng1; do
    owner=$(dpkg -S "*/${so%%:*}" 2>/dev/null | head -1 | cut -d: -f1)
    [ "$owner" = "${so#*:}" ] && ok || fail "${so%%:*} is in package '$owner', not ${so#*:}"
    strings "$pkg/infopoint" | grep -qxF "${so%%:*}" && ok || fail "the kiosk does not name ${so%%:*}"
done
if readelf -d "$pkg/infopoint" | grep -q 'libsystemd\.so'; then
    has_dep libsystemd0 && ok || fail "the kiosk links libsystemd but Depends lacks libsystemd0"
fi

mkdir "$tmp/control"
dpkg-deb --control "$deb" "$tmp/control"
grep -qx /etc/infopoint/infopoint.conf "$tmp/control/conffiles" && ok || fail "infopoint.conf is not a conffile"
for s in postinst prerm postrm; do
    [ -x "$tmp/control/$s" ] && sh -n "$tmp/control/$s" && ok || fail "maintainer script $s missing or broken"
done
grep -q "adduser --system" "$tmp/control/postinst" && ok || fail "postinst does not create the system user"

# --- file list ---------------------------------------------------------------

dpkg-deb --contents "$deb" >"$tmp/contents"
for p in ./usr/bin/infopoint ./usr/bin/infopoint-bundle ./usr/share/infopoint/sample.ipb \
    ./etc/infopoint/infopoint.conf ./lib/systemd/system/infopoint.service \
    ./lib/systemd/system/infopoint-cage.service ./usr/share/doc/infopoint/copyright \
    ./usr/share/doc/infopoint/changelog.Debian.gz ./usr/share/doc/infopoint/README.md \
    ./usr/share/doc/infopoint/FORMAT.md ./usr/share/doc/infopoint/README.project.md \
    ./usr/share/doc/infopoint/SECURITY.md \
    ./usr/share/man/man1/infopoint.1.gz ./usr/share/man/man1/infopoint-bundle.1.gz; do
    awk '{print $6}' "$tmp/contents" | grep -qxF "$p" && ok || fail "the package lacks $p"
done
grep -q infopoint-bench "$tmp/contents" && fail "the package holds the bench" || ok
# Everything root's; programs 0755, other files 0644, directories 0755.
awk '$2 != "root/root" {print "owner", $2, $6}
     $1 ~ /^d/ && $1 != "drwxr-xr-x" {print "mode", $1, $6}
     $1 ~ /^-/ && $6 ~ /^\.\/usr\/bin\// && $1 != "-rwxr-xr-x" {print "mode", $1, $6}
     $1 ~ /^-/ && $6 !~ /^\.\/usr\/bin\// && $1 != "-rw-r--r--" {print "mode", $1, $6}' \
    "$tmp/contents" >"$tmp/badperm"
[ -s "$tmp/badperm" ] && fail "owners or modes: $(head -3 "$tmp/badperm")" || ok

# --- unpacked --------------------------------------------------------------

root=$tmp/root
dpkg-deb -x "$deb" "$root"
bin=$root/usr/bin/infopoint

# The paths compiled in are where the package puts things, and the font
# paths are files of the font packages the package depends on.
strings "$bin" | grep -qxF /usr/share/infopoint/sample.ipb && ok || fail "the kiosk does not look for /usr/share/infopoint/sample.ipb"
strings "$bin" | grep -qxF /etc/infopoint/infopoint.conf && ok || fail "the kiosk does not read /etc/infopoint/infopoint.conf"
n_fonts=0
while read -r _ _ path; do
    path=${path//\"/}
    n_fonts=$((n_fonts + 1))
    strings "$bin" | grep -qxF "$path" || fail "font $path is not compiled into the kiosk"
    owner=$(dpkg -S "$path" 2>/dev/null | cut -d: -f1)
    if [ -z "$owner" ]; then
        fail "font $path belongs to no installed package"
    else
        has_dep "$owner" && ok || fail "font $path is from $owner, which Depends does not name"
    fi
done < <(grep '^#define FONT_PATH_' "$pkg/generated/fonts_paths.h")
[ "$n_fonts" -ge 1 ] && ok || fail "no font paths in $pkg/generated/fonts_paths.h"

# Without the package installed, the unpacked kiosk finds no sample bundle:
# proof that it looks in /usr/share/infopoint, not in a build tree.
mkdir "$tmp/state"
if [ ! -e /usr/share/infopoint/sample.ipb ]; then
    "$bin" --config "$root/etc/infopoint/infopoint.conf" --set content.state_dir="$tmp/state" --check \
        >"$tmp/check-none.out" 2>&1
    st=$?
    [ $st -ne 0 ] && grep -qF /usr/share/infopoint/sample.ipb "$tmp/check-none.out" && ok ||
        fail "--check without the sample bundle: status $st, $(head -3 "$tmp/check-none.out")"
fi

# The shipped config with the scratch directory: --check passes (the file
# parses without a warning; fonts, bundle and state directory are fine).
"$bin" --config "$root/etc/infopoint/infopoint.conf" --set content.state_dir="$tmp/state" \
    --set content.fallback_bundle="$root/usr/share/infopoint/sample.ipb" --check >"$tmp/check.out" 2>&1
st=$?
if [ $st -eq 0 ] && grep -q "check passed" "$tmp/check.out"; then ok; else
    fail "--check with the shipped config: status $st"
    cat "$tmp/check.out"
fi

# A config of our own pointing into the scratch directory: --check and a
# headless screenshot of the home screen, which must equal the one the
# development build draws from the same bundle.
cat >"$tmp/kiosk.conf" <<EOF
[content]
state_dir = $tmp/state
fallback_bundle = $root/usr/share/infopoint/sample.ipb
[sync]
usb_path =
EOF
"$bin" --config "$tmp/kiosk.conf" --check >"$tmp/check2.out" 2>&1 && ok || {
    fail "--check with a scratch config"
    cat "$tmp/check2.out"
}
if "$bin" --config "$tmp/kiosk.conf" --screenshot "$tmp/pkg.png" --size 800x480 >"$tmp/shot.out" 2>&1 &&
    [ "$(head -c 8 "$tmp/pkg.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
    ok
    infopoint --config "$tmp/kiosk.conf" --screenshot "$tmp/dev.png" --size 800x480 >/dev/null 2>&1
    if "$INFOPOINT_BUILD_DIR/tests/img_diff" "$tmp/pkg.png" "$tmp/dev.png" >"$tmp/diff.out" 2>&1; then ok; else
        fail "the packaged kiosk draws differently from the development build: $(cat "$tmp/diff.out")"
        grep -iE "not found|instead|error" "$tmp/shot.out" | head -3
        cp "$tmp/pkg.png" "$INFOPOINT_BUILD_DIR/package_home_err.png"
    fi
else
    fail "screenshot from the unpacked kiosk"
    cat "$tmp/shot.out"
fi
"$root/usr/bin/infopoint-bundle" info "$root/usr/share/infopoint/sample.ipb" >/dev/null 2>&1 && ok ||
    fail "infopoint-bundle info on the packaged sample bundle"

# --- the units ---------------------------------------------------------------

# systemd-analyze parses them without a running systemd. It also complains
# that /usr/bin/infopoint and /usr/bin/cage are not installed here; only
# "FILE:LINE: ..." lines are mistakes in a unit (unknown keys, bad values).
if command -v systemd-analyze >/dev/null; then
    (cd "$root/lib/systemd/system" && systemd-analyze verify --man=no infopoint.service infopoint-cage.service) \
        >"$tmp/verify.out" 2>&1
    if grep -E '\.service:[0-9]+:' "$tmp/verify.out"; then fail "systemd-analyze verify"; else ok; fi
else
    echo "systemd-analyze not installed: units not verified"
fi

# --- lintian ---------------------------------------------------------------

if command -v lintian >/dev/null; then
    t0=$SECONDS
    lintian --fail-on error --info "$deb" >"$tmp/lintian.out" 2>&1
    st=$?
    grep -v '^running with root privileges' "$tmp/lintian.out"
    [ $st -eq 0 ] && ok || fail "lintian reports errors"
    echo "lintian: $((SECONDS - t0)) s"
else
    echo "lintian not installed: skipped (apt-get install lintian)"
fi

echo "package: $pass passed, $fails failed"
[ "$fails" -eq 0 ]

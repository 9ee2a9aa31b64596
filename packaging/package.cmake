# The Debian package: install rules and CPack (DEB generator).
#
# Included from CMakeLists.txt after the programs and the sample bundle are
# defined. Only a build configured with -DINFOPOINT_PACKAGE=ON gets install
# rules: its programs look for the sample bundle where the package puts it
# (/usr/share/infopoint), so they are not the ones to run from the build tree.
#
#   cmake -S . -B build-pkg -DCMAKE_BUILD_TYPE=Release -DINFOPOINT_PACKAGE=ON
#   cmake --build build-pkg && (cd build-pkg && cpack)      # or: make package
#
# packaging/README.md says what the package installs and how to run it.

option(INFOPOINT_PACKAGE "Build for the Debian package (installed paths, install rules, CPack)" OFF)
if(NOT INFOPOINT_PACKAGE)
  return()
endif()

set(INFOPOINT_MAINTAINER "infopoint maintainers <maintainers@users.noreply.r-seed-1ff414bf.example>"
    CACHE STRING "Maintainer field of the Debian package")
# Bumped for a packaging-only change; a new PROJECT_VERSION starts again at 1.
set(INFOPOINT_DEB_RELEASE 1 CACHE STRING "Debian revision of the package")
# Debian 12 keeps units in /lib/systemd/system (usrmerge moves are unsafe
# with dpkg there); a later release may want /usr/lib/systemd/system.
set(INFOPOINT_SYSTEMD_UNITDIR /lib/systemd/system CACHE PATH "Where the systemd units go")

if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(STATUS "INFOPOINT_PACKAGE: install prefix set to /usr (was ${CMAKE_INSTALL_PREFIX})")
  set(CMAKE_INSTALL_PREFIX /usr CACHE PATH "Install prefix" FORCE)
endif()
# With the prefix /usr, GNUInstallDirs puts sysconfdir at /etc and
# localstatedir at /var (the FHS special case).
include(GNUInstallDirs)

set(PKG_DIR ${CMAKE_SOURCE_DIR}/packaging)
set(PKG_OUT ${CMAKE_BINARY_DIR}/packaging)
set(PKG_DATADIR ${CMAKE_INSTALL_FULL_DATADIR}/infopoint)        # /usr/share/infopoint
set(PKG_CONFDIR ${CMAKE_INSTALL_FULL_SYSCONFDIR}/infopoint)     # /etc/infopoint
set(PKG_DOCDIR ${CMAKE_INSTALL_FULL_DATADIR}/doc/infopoint)     # /usr/share/doc/infopoint
set(PKG_VERSION "${PROJECT_VERSION}-${INFOPOINT_DEB_RELEASE}")

# --- what the installed programs compile in ---------------------------------

# CMakeLists.txt compiles in where the program reads its config
# (INFOPOINT_CONFIG_PATH) and its last-resort bundle (INFOPOINT_SAMPLE_BUNDLE,
# shown when neither the installed nor the previous content opens). In a
# package build they must be where this file installs them (and are set
# here if CMakeLists.txt does not set them).
foreach(pair "INFOPOINT_CONFIG_PATH:${PKG_CONFDIR}/infopoint.conf"
        "INFOPOINT_SAMPLE_BUNDLE:${PKG_DATADIR}/sample.ipb")
  string(REPLACE ":" ";" pair ${pair})
  list(GET pair 0 var)
  list(GET pair 1 want)
  if(NOT DEFINED ${var})
    set(${var} ${want})
    target_compile_definitions(ip_kiosk PRIVATE ${var}="${want}")
  elseif(NOT ${var} STREQUAL want)
    message(FATAL_ERROR "INFOPOINT_PACKAGE: ${var} is '${${var}}' but the package installs ${want}")
  endif()
endforeach()

# Debian's hardening flags (dpkg-buildflags with hardening=+all): fortified
# libc calls (they need the optimiser, so not in a Debug build), stack
# protector, read-only relocations bound at start; on ip_base, so every
# library and program gets them. Debian's compiler builds
# PIE by default.
target_compile_definitions(ip_base PUBLIC $<$<NOT:$<CONFIG:Debug>>:_FORTIFY_SOURCE=2>)
target_compile_options(ip_base PUBLIC -fstack-protector-strong -fstack-clash-protection)
target_link_options(ip_base INTERFACE -Wl,-z,relro -Wl,-z,now)

# fonts/fonts.cmake compiles absolute font paths into the program. They are
# right on the kiosk only if they are the paths the Debian font packages
# install, not a copy somewhere on the build machine; those packages
# (fonts/fonts.txt, third column) go into Depends.
set(PKG_FONT_PACKAGES "")
foreach(line ${FONT_LINES})
  if(line MATCHES "^[ \t]*#" OR line MATCHES "^[ \t]*$")
    continue()
  endif()
  string(REGEX REPLACE "[ \t]+" ";" fields "${line}")
  list(GET fields 0 role)
  list(GET fields 2 package)
  list(APPEND PKG_FONT_PACKAGES ${package})
  if(NOT FONT_${role} MATCHES "^/usr/share/fonts/truetype/")
    message(FATAL_ERROR "INFOPOINT_PACKAGE: font ${role} resolved to ${FONT_${role}}, "
            "not a path the Debian package ${package} installs (/usr/share/fonts/truetype/...)")
  endif()
endforeach()
list(REMOVE_DUPLICATES PKG_FONT_PACKAGES)
if(NOT PKG_FONT_PACKAGES)
  message(FATAL_ERROR "INFOPOINT_PACKAGE: no fonts in fonts/fonts.txt (FONT_LINES)")
endif()

# --- files generated for the package ----------------------------------------

# packaging/debian/changelog is the Debian changelog; its newest entry must name
# the version being packaged (dpkg and lintian read it from the .deb).
file(STRINGS ${PKG_DIR}/debian/changelog PKG_CHANGELOG_TOP LIMIT_COUNT 1)
if(NOT PKG_CHANGELOG_TOP MATCHES "^infopoint \\(([^)]+)\\)")
  message(FATAL_ERROR "packaging/debian/changelog: the first line must be 'infopoint (VERSION) ...'")
endif()
if(NOT CMAKE_MATCH_1 STREQUAL PKG_VERSION)
  message(FATAL_ERROR "packaging/debian/changelog: the newest entry is ${CMAKE_MATCH_1} but the package "
          "is ${PKG_VERSION}: add an entry (dch -v ${PKG_VERSION}) or set INFOPOINT_DEB_RELEASE")
endif()

# Debian wants these gzip -9 without a name or time stamp (-n), which also
# keeps the .deb reproducible.
file(MAKE_DIRECTORY ${PKG_OUT})
foreach(pair "debian/changelog:changelog.Debian.gz" "man/infopoint.1:infopoint.1.gz"
        "man/infopoint-bundle.1:infopoint-bundle.1.gz")
  string(REPLACE ":" ";" pair ${pair})
  list(GET pair 0 src)
  list(GET pair 1 dst)
  execute_process(COMMAND gzip -9 -n -c ${PKG_DIR}/${src} OUTPUT_FILE ${PKG_OUT}/${dst}
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${src} failed")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PKG_DIR}/${src})
endforeach()

# --- install rules ------------------------------------------------------------

# What the package holds, to build just that (make package, the package
# test): with CMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON cpack builds nothing itself,
# so the tests and the bench of a package build are never compiled.
add_custom_target(package_contents DEPENDS infopoint infopoint-bundle sample_bundle)

# Directory modes must not depend on the umask of whoever builds.
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

install(TARGETS infopoint infopoint-bundle RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# After CPack's strip: also drop the compiler's version notes, as dh_strip
# does (lintian: binary-has-unneeded-section).
set(pkg_strip_code [[
  foreach(prog infopoint infopoint-bundle)
    execute_process(COMMAND "@CMAKE_STRIP@" --remove-section=.comment --remove-section=.note
                    "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/@CMAKE_INSTALL_BINDIR@/${prog}"
                    COMMAND_ERROR_IS_FATAL ANY)
  endforeach()
]])
string(CONFIGURE "${pkg_strip_code}" pkg_strip_code @ONLY)
install(CODE "${pkg_strip_code}")
install(FILES ${SAMPLE_BUNDLE} DESTINATION ${PKG_DATADIR})
# The default config is a conffile (packaging/debian/conffiles): dpkg keeps
# the operator's edits across upgrades.
install(FILES ${PKG_DIR}/infopoint.conf DESTINATION ${PKG_CONFDIR})
install(FILES ${PKG_DIR}/infopoint.service ${PKG_DIR}/infopoint-cage.service
        DESTINATION ${INFOPOINT_SYSTEMD_UNITDIR})
install(FILES ${PKG_DIR}/debian/copyright ${PKG_OUT}/changelog.Debian.gz ${PKG_DIR}/README.md
        ${CMAKE_SOURCE_DIR}/assets/content/FORMAT.md ${CMAKE_SOURCE_DIR}/SECURITY.md
        DESTINATION ${PKG_DOCDIR})
# The project's README (editors' tool, content, search) beside the
# operator's installation guide above.
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${PKG_DOCDIR} RENAME README.project.md)
install(FILES ${PKG_OUT}/infopoint.1.gz ${PKG_OUT}/infopoint-bundle.1.gz
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PKG_DIR}/debian/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
        RENAME infopoint)

# --- CPack ----------------------------------------------------------------------

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME infopoint)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${INFOPOINT_MAINTAINER})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "offline touchscreen kiosk for public information points")
set(CPACK_PACKAGE_DESCRIPTION
"infopoint shows articles and explainer screens on a touchscreen in Kazakh,
Russian and English, on a small board that runs unattended for months. It
starts on the console with SDL's KMSDRM driver (no X or desktop), keeps
itself locked down, and updates its content from a signed repository on a
web server or a USB stick.

This package holds the kiosk (infopoint), the editors' content tool
(infopoint-bundle), a sample content bundle, the default configuration in
/etc/infopoint and the systemd units infopoint.service (console, KMSDRM) and
infopoint-cage.service (under the cage Wayland compositor).")

set(CPACK_DEBIAN_PACKAGE_NAME infopoint)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)                  # infopoint_VERSION-REL_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE ${INFOPOINT_DEB_RELEASE})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${INFOPOINT_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# The linked libraries (SDL2, SDL2_ttf, SDL2_image, SQLite, libsodium, md4c,
# libstemmer) come from dpkg-shlibdeps, with the versions the build linked
# against; it appends them to the Depends given here. libcurl and
# libespeak-ng are opened at run time by soname (app/base/dynlib.h), which
# dpkg-shlibdeps cannot see, so their packages are named here: libcurl4
# from 7.85 (CURLOPT_PROTOCOLS_STR), libespeak-ng1 as its shlibs file asks.
# (libsystemd is not used: app/base/service.c speaks sd_notify itself.)
# The fonts are opened by path, so their packages are named from
# fonts/fonts.txt; adduser is for the postinst.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(PKG_DLOPEN_DEPENDS "libcurl4 (>= 7.85.0), libespeak-ng1 (>= 1.51+dfsg)")
string(REPLACE ";" ", " pkg_font_depends "${PKG_FONT_PACKAGES}")
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, ${PKG_DLOPEN_DEPENDS}, ${pkg_font_depends}")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "cage")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PKG_DIR}/debian/conffiles ${PKG_DIR}/debian/postinst ${PKG_DIR}/debian/prerm ${PKG_DIR}/debian/postrm)
# Maintainer scripts 0755, conffiles 0644, whatever the checkout's modes.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)

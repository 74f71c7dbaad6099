# Everything a package needs besides the program (included from the top
# CMakeLists.txt): the manual page, the shell completion, the license and the
# Debian documents, and CPack (cpack -G DEB, cpack -G TGZ).  docs/packaging.md
# explains the choices.
#
# Install components: "runtime" (the default for rules without one: the
# binary, the configuration, the manual page, completion, documents),
# "plugins" (the vendor plugins) and "sdk" (header, kextcheck-plugin.pc, the
# example plugin).  The .deb packages group them as kextcheck (runtime and
# plugins) and kextcheck-dev (sdk); the .tar.gz holds all of them.

# The Debian documents are installed by default for a /usr prefix on Linux
# (the layout the .deb packages use); LICENSE goes in <docdir> otherwise.
if(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(kc_debian_default ON)
else()
  set(kc_debian_default OFF)
endif()
option(KEXTCHECK_DEBIAN_FILES
  "Install share/doc/<package>/{copyright,changelog.Debian.gz} and the lintian overrides"
  ${kc_debian_default})

set(KEXTCHECK_BASH_COMPLETION_DIR "${CMAKE_INSTALL_DATADIR}/bash-completion/completions"
    CACHE STRING "Where the bash completion is installed (relative to the prefix, or absolute)")
if(APPLE)
  set(kc_zsh_dir "${CMAKE_INSTALL_DATADIR}/zsh/site-functions")
else()
  set(kc_zsh_dir "${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions")
endif()
set(KEXTCHECK_ZSH_COMPLETION_DIR "${kc_zsh_dir}"
    CACHE STRING "Where the zsh completion is installed (relative to the prefix, or absolute)")

# Debian wants manual pages and changelogs compressed with gzip -9n (no name,
# no time stamp: the same bytes on every build).
find_program(KC_GZIP gzip)
set(kc_pkg_dir "${PROJECT_BINARY_DIR}/packaging")
file(MAKE_DIRECTORY "${kc_pkg_dir}")
function(kc_gzip src out)
  add_custom_command(OUTPUT "${out}"
    COMMAND sh -c "\"$1\" -9nc \"$2\" >\"$3\"" sh "${KC_GZIP}" "${src}" "${out}"
    DEPENDS "${src}"
    COMMENT "Compressing ${src}" VERBATIM)
endfunction()

# ---- The manual page ----------------------------------------------------------
if(KC_GZIP)
  kc_gzip("${PROJECT_SOURCE_DIR}/docs/kextcheck.8" "${kc_pkg_dir}/kextcheck.8.gz")
  set(kc_manpage "${kc_pkg_dir}/kextcheck.8.gz")
else()
  set(kc_manpage "${PROJECT_SOURCE_DIR}/docs/kextcheck.8")
endif()
install(FILES "${kc_manpage}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man8")

# ---- Shell completion -------------------------------------------------------
install(FILES completions/kextcheck.bash DESTINATION "${KEXTCHECK_BASH_COMPLETION_DIR}"
        RENAME kextcheck)
install(FILES completions/_kextcheck DESTINATION "${KEXTCHECK_ZSH_COMPLETION_DIR}")

# ---- License, Debian documents, the example plugin ---------------------------
# The Debian changelog gives the package's revision: "kextcheck (X-N) ..." on
# its first line, where X must be the project's version.
file(STRINGS packaging/debian/changelog kc_changelog_top LIMIT_COUNT 1)
if(NOT kc_changelog_top MATCHES "^kextcheck \\(([^)-]+)-([^)]+)\\) ")
  message(FATAL_ERROR "packaging/debian/changelog: the first line is not "
                      "\"kextcheck (VERSION-REVISION) ...\"")
endif()
set(KC_DEBIAN_REVISION "${CMAKE_MATCH_2}")
if(NOT CMAKE_MATCH_1 STREQUAL PROJECT_VERSION)
  message(FATAL_ERROR "packaging/debian/changelog is for ${CMAKE_MATCH_1}, the project is "
                      "${PROJECT_VERSION}: add an entry for ${PROJECT_VERSION}")
endif()

set(kc_example_files docs/plugin-example/example.c docs/plugin-example/example-mac.ini)
if(KEXTCHECK_DEBIAN_FILES)
  if(NOT KC_GZIP)
    message(FATAL_ERROR "KEXTCHECK_DEBIAN_FILES needs gzip")
  endif()
  kc_gzip("${PROJECT_SOURCE_DIR}/packaging/debian/changelog"
          "${kc_pkg_dir}/changelog.Debian.gz")
  foreach(pkg kextcheck kextcheck-dev)
    if(pkg STREQUAL "kextcheck")
      set(comp runtime)
    else()
      set(comp sdk)
    endif()
    install(FILES packaging/debian/copyright "${kc_pkg_dir}/changelog.Debian.gz"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/${pkg}" COMPONENT ${comp})
  endforeach()
  install(FILES ${kc_example_files}
          DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/kextcheck-dev/examples" COMPONENT sdk)
  install(FILES packaging/debian/kextcheck.lintian-overrides
          DESTINATION "${CMAKE_INSTALL_DATADIR}/lintian/overrides" RENAME kextcheck)
  install(FILES packaging/debian/kextcheck-dev.lintian-overrides
          DESTINATION "${CMAKE_INSTALL_DATADIR}/lintian/overrides" RENAME kextcheck-dev
          COMPONENT sdk)
else()
  install(FILES LICENSE DESTINATION "${CMAKE_INSTALL_DOCDIR}")
  install(FILES ${kc_example_files} DESTINATION "${CMAKE_INSTALL_DOCDIR}/examples"
          COMPONENT sdk)
endif()
set(kc_package_files "${kc_manpage}")
if(KEXTCHECK_DEBIAN_FILES)
  list(APPEND kc_package_files "${kc_pkg_dir}/changelog.Debian.gz")
endif()
add_custom_target(kc_package_files ALL DEPENDS ${kc_package_files})

# ---- CPack ----------------------------------------------------------------
set(CPACK_PACKAGE_NAME "kextcheck")
set(CPACK_PACKAGE_VENDOR "The kextcheck developers")
set(CPACK_PACKAGE_CONTACT "kextcheck developers <kextcheck@users.noreply.github.com>")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_GENERATOR "TGZ;DEB")
# Stage absolute destinations (/etc) inside the package, never on this machine.
set(CPACK_SET_DESTDIR ON)
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")

# The binaries go stripped into the packages.  A build with debugging
# information (RelWithDebInfo, as Debian builds: -O2 -g) keeps it in a
# separate kextcheck-dbgsym .ddeb; any other build is simply stripped.
if(CMAKE_BUILD_TYPE MATCHES "^(RelWithDebInfo|Debug)$")
  set(CPACK_DEBIAN_RUNTIME_DEBUGINFO_PACKAGE ON)
else()
  set(CPACK_STRIP_FILES ON)
endif()

# The staged ELF files lose their .comment section; the -dbgsym .ddeb gets
# the md5sums and modes CPack 3.25 does not give it (packaging/cpack/).
set(CPACK_KC_OBJCOPY "${CMAKE_OBJCOPY}")
set(CPACK_PRE_BUILD_SCRIPTS "${PROJECT_SOURCE_DIR}/packaging/cpack/pre-build.cmake")
set(CPACK_POST_BUILD_SCRIPTS "${PROJECT_SOURCE_DIR}/packaging/cpack/post-build.cmake")

# Two .deb packages (the .tar.gz stays one archive).
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_PACKAGE_RELEASE "${KC_DEBIAN_REVISION}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# One source for all of them (lintian checks them as one group).
set(CPACK_DEBIAN_PACKAGE_SOURCE "kextcheck")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
# Depends: computed by dpkg-shlibdeps from the libraries the binary links.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME "kextcheck")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION "admin")
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION
"tell why a macOS security product's kernel extension does not load
kextcheck reads a Mac's kernel extension approval database (KextPolicy), the
kext bundles on disk and their staged copies, the captured output of spctl,
csrutil and kextstat, the MDM profiles and the system extensions, and tells,
for every installed security vendor at once, why its kext does not load and
which step to take next: approve, restart, reinstall, clear the staged copy,
or the kext-consent list.

It runs on the Mac itself, or on any machine against a snapshot folder of a
Mac written by 'kextcheck collect'.  Vendors are described by data-only
plugins; the package ships the plugins of the kextcheck catalog, the manual
page and bash and zsh completion.")
if(KC_CONF_DIR MATCHES "^/etc/")
  # dpkg keeps an admin's edits of the configuration across upgrades.
  file(WRITE "${kc_pkg_dir}/debian/conffiles" "${KC_SYSCONF_FILE}\n")
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA "${kc_pkg_dir}/debian/conffiles")
endif()

set(CPACK_DEBIAN_DEV_PACKAGE_NAME "kextcheck-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "kextcheck (= ${PROJECT_VERSION}-${KC_DEBIAN_REVISION})")
set(CPACK_DEBIAN_DEV_DESCRIPTION
"SDK for kextcheck vendor plugins
The files to build a kextcheck plugin: a small shared object that describes a
security vendor's kernel extensions and system extensions (team ID, bundle
IDs, install paths) for kextcheck.  It holds the header kextcheck/plugin.h,
which documents every rule the host enforces, the pkg-config file
kextcheck-plugin.pc with the plugindir and plugin_abi variables, and an
example plugin with a made-up Mac to try it on.")

include(CPack)

cpack_add_component_group(runtime)
cpack_add_component_group(dev)
cpack_add_component(runtime GROUP runtime)
cpack_add_component(plugins GROUP runtime)
cpack_add_component(sdk GROUP dev)

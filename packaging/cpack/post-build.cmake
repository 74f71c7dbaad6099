# CPACK_POST_BUILD_SCRIPTS (cmake/KextcheckPackaging.cmake): run by cpack on
# the packages it made.  CPack 3.25's -dbgsym .ddeb lists the build machine's
# staging paths in DEBIAN/md5sums (so dpkg --verify and debsums report every
# file missing) and makes the .debug files executable; Debian's own dbgsym
# packages list paths relative to / and install the .debug files 0644, with
# /usr/share/doc/<package>-dbgsym a link to the package's own documents.  The
# .ddeb is unpacked, given that form, and built again with dpkg-deb.
foreach(pkg IN LISTS CPACK_PACKAGE_FILES)
  if(NOT pkg MATCHES "\\.ddeb$")
    continue()
  endif()
  find_program(KC_DPKG_DEB dpkg-deb REQUIRED)
  set(tree "${pkg}.tree")
  file(REMOVE_RECURSE "${tree}")
  execute_process(COMMAND "${KC_DPKG_DEB}" -R "${pkg}" "${tree}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "dpkg-deb -R ${pkg} failed")
  endif()
  file(STRINGS "${tree}/DEBIAN/control" deb_name REGEX "^Package: ")
  string(REGEX REPLACE "^Package: (.*)-dbgsym$" "\\1" parent "${deb_name}")
  file(GLOB_RECURSE files LIST_DIRECTORIES false RELATIVE "${tree}" "${tree}/usr/*")
  list(SORT files)
  set(sums "")
  foreach(f IN LISTS files)
    file(CHMOD "${tree}/${f}" FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
    file(MD5 "${tree}/${f}" md5)
    string(APPEND sums "${md5}  ${f}\n")
  endforeach()
  file(WRITE "${tree}/DEBIAN/md5sums" "${sums}")
  file(MAKE_DIRECTORY "${tree}/usr/share/doc")
  file(CREATE_LINK "${parent}" "${tree}/usr/share/doc/${parent}-dbgsym" SYMBOLIC)
  execute_process(COMMAND "${KC_DPKG_DEB}" --root-owner-group -b "${tree}" "${pkg}"
                  OUTPUT_QUIET RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "dpkg-deb -b ${tree} failed")
  endif()
  file(REMOVE_RECURSE "${tree}")
endforeach()

# Run at install time (install(CODE) in the top CMakeLists.txt): writes
# kextcheck-plugin.pc for the prefix of this install (CMAKE_INSTALL_PREFIX as
# cmake --install or cpack sets it) and installs it (DESTDIR applies).  Every
# path in it is absolute and normalised, so `pkg-config --variable=plugindir
# kextcheck-plugin` prints /usr/lib/x86_64-linux-gnu/kextcheck/plugins, never
# /usr/lib/x86_64-linux-gnu/pkgconfig/../../../lib/... or a path with "//".
#
# In: KC_PC_TEMPLATE, KC_PC_OUT, KC_PC_INCLUDEDIR, KC_PC_LIBDIR (relative to
# the prefix or absolute), KC_PLUGIN_ABI, PROJECT_VERSION.

function(kc_pc_path out prefix dir)
  if(NOT IS_ABSOLUTE "${dir}")
    set(dir "${prefix}/${dir}")
  endif()
  get_filename_component(dir "${dir}" ABSOLUTE)
  string(REGEX REPLACE "^//+" "/" dir "${dir}")
  set(${out} "${dir}" PARENT_SCOPE)
endfunction()

get_filename_component(KC_PC_PREFIX "${CMAKE_INSTALL_PREFIX}" ABSOLUTE)
string(REGEX REPLACE "^//+" "/" KC_PC_PREFIX "${KC_PC_PREFIX}")
kc_pc_path(KC_PC_INCLUDEDIR_FULL "${KC_PC_PREFIX}" "${KC_PC_INCLUDEDIR}")
kc_pc_path(KC_PC_LIBDIR_FULL "${KC_PC_PREFIX}" "${KC_PC_LIBDIR}")
configure_file("${KC_PC_TEMPLATE}" "${KC_PC_OUT}" @ONLY)
file(INSTALL DESTINATION "${KC_PC_LIBDIR_FULL}/pkgconfig" TYPE FILE
     PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ FILES "${KC_PC_OUT}")

# kc_add_plugin(<name> <source>...)
#
# Adds the vendor plugin <name> (the plugin's .name, a-z 0-9 '-') when the
# packager selected it with KEXTCHECK_PLUGINS.  A plugin named in
# KEXTCHECK_BUILTIN_PLUGINS is compiled into the kextcheck binary; any other
# is a MODULE library "<name>.so" put in the build tree's plugin directory
# (where the build tree's kextcheck finds it) and installed under
# ${KC_INSTALL_PLUGINDIR}.
# Plugins are data only and call nothing, so they need no library at all.
# Debian's gcc links --as-needed by default, so its plugins need nothing;
# clang links libc with --no-as-needed whatever it is told, so its plugins
# would need libc.so.6.  -nodefaultlibs (ELF platforms) gives the same
# plugins with either: no DT_NEEDED entry at all (packaging/debian explains
# the lintian override this calls for).  A
# plugin that did call a libc function would still find it in kextcheck.
# (check_linker_flag cannot test it: its test program is an executable,
# which does need libc.)
#
# Also, a plugin is data and one function: on ELF systems it is linked without
# the C runtime's start files (no _init/_fini, no weak references for the
# dynamic loader to look up: a plugin may have no constructor anyway) and
# with its read-only data and code in one segment, which makes dlopen and
# dlclose about 40% cheaper (bench/run.sh: 35 to 21 us a plugin).  RELRO
# stays.
function(kc_plugin_link_options target)
  if(NOT APPLE AND CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
    target_link_options(${target} PRIVATE -nodefaultlibs -nostartfiles
                        "LINKER:-z,noseparate-code")
  endif()
endfunction()

function(kc_add_plugin name)
  if(NOT name MATCHES "^[a-z][a-z0-9-]*$")
    message(FATAL_ERROR "kc_add_plugin: '${name}' is not a valid plugin name")
  endif()
  if(NOT KEXTCHECK_PLUGINS STREQUAL "all" AND NOT name IN_LIST KEXTCHECK_PLUGINS)
    return()
  endif()
  string(REPLACE "-" "_" ident "${name}")
  set_property(GLOBAL APPEND PROPERTY KC_SELECTED_PLUGINS "${name}")
  if(KEXTCHECK_BUILTIN_PLUGINS STREQUAL "all" OR name IN_LIST KEXTCHECK_BUILTIN_PLUGINS)
    add_library(kcplugin_${ident} OBJECT ${ARGN})
    target_include_directories(kcplugin_${ident} PRIVATE ${PROJECT_SOURCE_DIR}/include)
    set_property(GLOBAL APPEND PROPERTY KC_BUILTIN_PLUGIN_NAMES "${name}")
    set_property(GLOBAL APPEND PROPERTY KC_BUILTIN_PLUGIN_TARGETS "kcplugin_${ident}")
  else()
    add_library(kcplugin_${ident} MODULE ${ARGN})
    target_include_directories(kcplugin_${ident} PRIVATE ${PROJECT_SOURCE_DIR}/include)
    set_target_properties(kcplugin_${ident} PROPERTIES
      PREFIX "" SUFFIX ".so" OUTPUT_NAME "${name}"
      C_VISIBILITY_PRESET hidden
      LIBRARY_OUTPUT_DIRECTORY "${KC_BUILD_PLUGINDIR}")
    kc_plugin_link_options(kcplugin_${ident})
    # Plugins run as root, so the host refuses group- or world-writable
    # files; do not let a permissive umask produce one.
    add_custom_command(TARGET kcplugin_${ident} POST_BUILD
                       COMMAND chmod go-w "$<TARGET_FILE:kcplugin_${ident}>")
    install(TARGETS kcplugin_${ident} LIBRARY DESTINATION "${KC_INSTALL_PLUGINDIR}"
            COMPONENT plugins)
    set_property(GLOBAL APPEND PROPERTY KC_MODULE_PLUGIN_NAMES "${name}")
    # The same source compiled as for KEXTCHECK_BUILTIN_PLUGINS, for the
    # test binary with every plugin built in (ctest builtin_plugins).
    if(BUILD_TESTING)
      add_library(kcpluginobj_${ident} OBJECT ${ARGN})
      target_include_directories(kcpluginobj_${ident} PRIVATE ${PROJECT_SOURCE_DIR}/include)
      set_property(GLOBAL APPEND PROPERTY KC_TEST_BUILTIN_NAMES "${name}")
    endif()
  endif()
endfunction()

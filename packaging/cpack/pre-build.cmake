# CPACK_PRE_BUILD_SCRIPTS (cmake/KextcheckPackaging.cmake): run by cpack on
# the staged files before the packages are made.  Drops the .comment section
# (the compiler's version string) from every ELF file, as Debian's dh_strip
# does: nothing reads it, and lintian notes it (binary-has-unneeded-section).
if(NOT CPACK_KC_OBJCOPY)
  return()
endif()
file(GLOB_RECURSE kc_staged LIST_DIRECTORIES false "${CPACK_TEMPORARY_DIRECTORY}/*")
foreach(f IN LISTS kc_staged)
  if(IS_SYMLINK "${f}")
    continue()
  endif()
  file(READ "${f}" kc_magic LIMIT 4 HEX)
  if(kc_magic STREQUAL "7f454c46")
    execute_process(COMMAND "${CPACK_KC_OBJCOPY}" --remove-section=.comment "${f}"
                    RESULT_VARIABLE kc_rc ERROR_VARIABLE kc_err)
    if(NOT kc_rc EQUAL 0)
      message(FATAL_ERROR "objcopy --remove-section=.comment ${f}: ${kc_err}")
    endif()
  endif()
endforeach()

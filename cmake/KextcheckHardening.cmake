# The hardening Debian's dpkg-buildflags asks of a package, for every build:
#   -fstack-protector-strong, -Wformat -Werror=format-security,
#   -D_FORTIFY_SOURCE=2 when optimising (Release, RelWithDebInfo, MinSizeRel),
#   position-independent executables, -z relro -z now (ELF linkers only).
# _FORTIFY_SOURCE needs optimisation to work and is left out of sanitizer
# builds (ASan intercepts the same functions) and when CMAKE_C_FLAGS already
# chooses a level (a packager's own dpkg-buildflags, say).
option(KEXTCHECK_HARDENING "Build with the usual hardening flags" ON)
if(NOT KEXTCHECK_HARDENING)
  return()
endif()

include(CheckCCompilerFlag)
include(CheckLinkerFlag)
include(CheckPIESupported)

check_c_compiler_flag(-fstack-protector-strong KC_HAVE_STACK_PROTECTOR_STRONG)
if(KC_HAVE_STACK_PROTECTOR_STRONG)
  add_compile_options(-fstack-protector-strong)
endif()
add_compile_options(-Wformat -Werror=format-security)

if(NOT KEXTCHECK_SANITIZE AND NOT CMAKE_C_FLAGS MATCHES "_FORTIFY_SOURCE")
  add_compile_definitions($<$<CONFIG:Release,RelWithDebInfo,MinSizeRel>:_FORTIFY_SOURCE=2>)
endif()

# -fPIE for every object and -pie for the executable (policy CMP0083, NEW
# since cmake_minimum_required 3.14).
check_pie_supported(LANGUAGES C)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)

if(NOT APPLE)
  check_linker_flag(C "LINKER:-z,relro" KC_HAVE_Z_RELRO)
  check_linker_flag(C "LINKER:-z,now" KC_HAVE_Z_NOW)
  if(KC_HAVE_Z_RELRO)
    add_link_options("LINKER:-z,relro")
  endif()
  if(KC_HAVE_Z_NOW)
    add_link_options("LINKER:-z,now")
  endif()
endif()

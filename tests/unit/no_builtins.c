/* Unit tests link the engine without built-in plugins. */
#include "kc.h"

const kc_builtin_plugin kc_builtin_plugins[] = {{NULL, NULL}};
const size_t kc_builtin_plugin_count = 0;

# Flags for the WebAssembly build. Tests and benchmarks run under node: they see the real file
# system (NODERAWFS), and a pre-js copies process.env into the program's environment so that
# getenv("CUNWU_SEED") works there as natively.
if(NOT EMSCRIPTEN)
  return()
endif()

set(CUNWU_NODE_RUNNER "${NODE_JS_EXECUTABLE};--no-experimental-fetch")
set(CMAKE_CROSSCOMPILING_EMULATOR "${CUNWU_NODE_RUNNER}" CACHE STRING "" FORCE)

# Emscripten does not search /usr/include; expose just nlohmann/json from Debian's package.
set(CUNWU_SYSINC "${CMAKE_BINARY_DIR}/sysinc")
file(MAKE_DIRECTORY "${CUNWU_SYSINC}")
file(CREATE_LINK /usr/include/nlohmann "${CUNWU_SYSINC}/nlohmann" SYMBOLIC)

# Exceptions: Emscripten's JS-based catching (-fexceptions) for the programs that run under node
# (tests, benchmarks, examples, the node module); WebAssembly's own exception handling
# (-fwasm-exceptions: try/catch instructions, Chrome/Android WebView 95+, Firefox 100+, Safari
# 15.2+) for the targets with the property CUNWU_WASM_EH (the browser's core, web/): JS-based
# catching wraps every call that may throw in an invoke_ trip through JavaScript (the browser's
# core was 15% larger with it). Browsers without wasm exceptions (e.g. an Android WebView older
# than 95 that is never updated) cannot load the core. The core catches only library exceptions
# (nlohmann/json) at its boundaries; see web/src/bindings_support.hpp.
set(_cunwu_eh "$<IF:$<BOOL:$<TARGET_PROPERTY:CUNWU_WASM_EH>>,-fwasm-exceptions,-fexceptions>")
add_compile_options("${_cunwu_eh}")
add_link_options("${_cunwu_eh}" -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=1)

# For programs that run under node (tests, benchmarks, examples).
function(cunwu_node_program target)
  target_link_options(${target} PRIVATE -sNODERAWFS=1
                      "--pre-js=${PROJECT_SOURCE_DIR}/cmake/node_env.pre.js")
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${PROJECT_SOURCE_DIR}/cmake/node_env.pre.js")
endfunction()

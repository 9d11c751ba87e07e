# Dependencies: Debian packages, plus sources fetched by scripts/setup.sh into .deps/
# (SQLite amalgamation from npm, Google Benchmark's Debian source for the wasm build).
if(NOT COMMAND cunwu_node_program)
  function(cunwu_node_program target)
  endfunction()
endif()

# --- SQLite: the same pinned amalgamation on both targets, with FTS5 ---------------------
set(CUNWU_SQLITE_DIR "${CUNWU_DEPS_DIR}/sqlite-3.50.4")
if(NOT EXISTS "${CUNWU_SQLITE_DIR}/sqlite3.c")
  message(FATAL_ERROR "SQLite amalgamation missing in ${CUNWU_SQLITE_DIR}: run scripts/setup.sh")
endif()
file(SHA256 "${CUNWU_SQLITE_DIR}/sqlite3.c" _sqlite_sha)
if(NOT _sqlite_sha STREQUAL "90b7189566ea710ee18361b25d893f5cda3fcf43033223a16384762f53e99a85")
  message(FATAL_ERROR "sqlite3.c has an unexpected sha256 ${_sqlite_sha}: run scripts/setup.sh")
endif()
# SQLite as a static library NAME with the project's options (a function: the browser's core
# links a smaller copy, see core/CMakeLists.txt).
function(cunwu_sqlite_library name)
  add_library(${name} STATIC "${CUNWU_SQLITE_DIR}/sqlite3.c")
  target_include_directories(${name} SYSTEM PUBLIC "${CUNWU_SQLITE_DIR}")
  target_compile_definitions(${name} PRIVATE
    SQLITE_ENABLE_FTS5 SQLITE_DQS=0 SQLITE_DEFAULT_MEMSTATUS=0 SQLITE_LIKE_DOESNT_MATCH_BLOBS
    SQLITE_OMIT_DEPRECATED SQLITE_OMIT_SHARED_CACHE SQLITE_USE_ALLOCA SQLITE_OMIT_LOAD_EXTENSION
    SQLITE_ENABLE_MATH_FUNCTIONS)
  if(EMSCRIPTEN)
    target_compile_definitions(${name} PRIVATE SQLITE_THREADSAFE=0)
  else()
    target_compile_definitions(${name} PRIVATE SQLITE_THREADSAFE=1)
    find_package(Threads REQUIRED)
    target_link_libraries(${name} PUBLIC Threads::Threads ${CMAKE_DL_LIBS})
  endif()
  # SQLite's own code is not held to our warning flags.
  target_compile_options(${name} PRIVATE -w)
  if(CUNWU_SANITIZE)
    # SQLite is trusted and slow under ASan; keep the instrumented parts to our code.
    target_compile_options(${name} PRIVATE -fno-sanitize=all -O2)
  endif()
endfunction()
cunwu_sqlite_library(cunwu_sqlite)

# --- nlohmann/json ----------------------------------------------------------------------
add_library(cunwu_json INTERFACE)
if(EMSCRIPTEN)
  target_include_directories(cunwu_json SYSTEM INTERFACE "${CUNWU_SYSINC}")
else()
  find_package(nlohmann_json 3.11 REQUIRED)
  target_link_libraries(cunwu_json INTERFACE nlohmann_json::nlohmann_json)
endif()

# --- GoogleTest -------------------------------------------------------------------------
if(CUNWU_BUILD_TESTS)
  if(EMSCRIPTEN)
    set(gtest_disable_pthreads ON CACHE BOOL "" FORCE)
    set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
    add_subdirectory(/usr/src/googletest "${CMAKE_BINARY_DIR}/_deps/googletest" EXCLUDE_FROM_ALL SYSTEM)
    # googletest 1.12 defines the GTest:: aliases itself.
  else()
    find_package(GTest REQUIRED)
  endif()
  include(GoogleTest)
endif()

# --- Google Benchmark -------------------------------------------------------------------
if(CUNWU_BUILD_BENCH)
  if(EMSCRIPTEN)
    set(_bm "${CUNWU_DEPS_DIR}/benchmark-1.7.1")
    if(NOT EXISTS "${_bm}/CMakeLists.txt")
      message(FATAL_ERROR "Google Benchmark source missing in ${_bm}: run scripts/setup.sh")
    endif()
    set(BENCHMARK_ENABLE_TESTING OFF CACHE BOOL "" FORCE)
    set(BENCHMARK_ENABLE_WERROR OFF CACHE BOOL "" FORCE)
    set(BENCHMARK_ENABLE_INSTALL OFF CACHE BOOL "" FORCE)
    set(BENCHMARK_ENABLE_GTEST_TESTS OFF CACHE BOOL "" FORCE)
    set(BENCHMARK_USE_BUNDLED_GTEST OFF CACHE BOOL "" FORCE)
    set(HAVE_STD_REGEX ON CACHE BOOL "" FORCE)
    set(RUN_HAVE_STD_REGEX 0 CACHE STRING "" FORCE)
    set(RUN_HAVE_STEADY_CLOCK 0 CACHE STRING "" FORCE)
    set(RUN_HAVE_GNU_POSIX_REGEX 1 CACHE STRING "" FORCE)
    set(RUN_HAVE_POSIX_REGEX 1 CACHE STRING "" FORCE)
    add_subdirectory("${_bm}" "${CMAKE_BINARY_DIR}/_deps/benchmark" EXCLUDE_FROM_ALL SYSTEM)
  else()
    find_package(benchmark REQUIRED)
  endif()
endif()

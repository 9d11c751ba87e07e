# Warnings for cunwu's own targets (not for third-party sources such as SQLite).
add_library(cunwu_warnings INTERFACE)
target_compile_options(cunwu_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                       -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual -Wnull-dereference
                       # Aggregates with defaulted trailing members are initialised partially on purpose.
                       -Wno-missing-field-initializers)
if(CUNWU_WERROR)
  target_compile_options(cunwu_warnings INTERFACE -Werror)
endif()

if(CUNWU_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -O1)
  add_link_options(-fsanitize=address,undefined)
endif()

# Test code: the GoogleTest suites, their support library and the example stories. The core
# they exercise keeps the build's flags; what is saved here was most of the suite's build time.
# - Natively they compile at -O1 (the native preset's -O2 otherwise; ASan's is -O1 anyway):
#   GCC compiles these files, mostly GoogleTest and nlohmann/json templates, about 30% faster.
#   Not -O0: it halves that again, but the randomised simulations, which spend their time in
#   test code, then ran up to 8x slower and the suite as a whole took longer.
# - Under Emscripten their code stays -O2 (at -O0 the suites ran 4x slower under node), but
#   they link at -O1: an -O2 link runs Binaryen's optimiser over the whole module, about 30 s a
#   program, for about 20% more run time.
add_library(cunwu_test_code INTERFACE)
if(EMSCRIPTEN)
  target_link_options(cunwu_test_code INTERFACE -O1)
else()
  target_compile_options(cunwu_test_code INTERFACE -O1)
endif()

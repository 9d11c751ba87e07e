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

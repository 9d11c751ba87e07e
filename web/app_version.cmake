# Run by the cunwu_web_app target (cmake -P) after the app is copied to APP_DIR. First writes
# cunwu_core.wasm.gz, which the worker fetches and inflates (DecompressionStream): cunwu-server
# compresses text but not application/wasm, and the core is 2.2 MB raw, 0.8 MB gzipped. Then stamps sw.js with
# a version made from the SHA-256 of every file of the app, so each build that changes anything
# gives the browser a new service worker, which caches the new files as one set, and with the
# list of those files.
file(ARCHIVE_CREATE OUTPUT "${APP_DIR}/cunwu_core.wasm.gz" PATHS "${APP_DIR}/cunwu_core.wasm"
     FORMAT raw COMPRESSION GZip COMPRESSION_LEVEL 9)
file(GLOB_RECURSE _files RELATIVE "${APP_DIR}" "${APP_DIR}/*")
list(REMOVE_ITEM _files sw.js)
list(SORT _files)
set(_all "")
foreach(_f IN LISTS _files)
  file(SHA256 "${APP_DIR}/${_f}" _h)
  string(APPEND _all "${_f} ${_h}\n")
endforeach()
string(SHA256 _version "${_all}")
# What the service worker caches at install: every file but itself and the core (which it
# fetches gzipped and keeps inflated), so a new screen's file is never forgotten.
set(_shell "'./'")
foreach(_f IN LISTS _files)
  if(NOT _f MATCHES "^cunwu_core\\.wasm")
    string(APPEND _shell ", '${_f}'")
  endif()
endforeach()
set(CUNWU_APP_FILES "${_shell}")
string(SUBSTRING "${_version}" 0 16 CUNWU_APP_VERSION)
configure_file("${SW_SOURCE}" "${APP_DIR}/sw.js" @ONLY)

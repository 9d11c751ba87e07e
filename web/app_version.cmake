# Run by the cunwu_web_app target (cmake -P) after the app is copied to APP_DIR. First writes
# the core's compressed copies, cunwu_core.wasm.br (brotli, by NODE's zlib) and .wasm.gz, which
# cunwu-server sends for cunwu_core.wasm with Content-Encoding (native/host/static_files.cpp):
# cpp-httplib compresses text but not application/wasm. Then stamps sw.js with a version made
# from the SHA-256 of every file of the app, so each build that changes anything gives the
# browser a new service worker, which caches the new files as one set, and with the list of
# those files.
file(ARCHIVE_CREATE OUTPUT "${APP_DIR}/cunwu_core.wasm.gz" PATHS "${APP_DIR}/cunwu_core.wasm"
     FORMAT raw COMPRESSION GZip COMPRESSION_LEVEL 9)
execute_process(COMMAND "${NODE}" -e [[
const fs = require('fs'), zlib = require('zlib');
const [from, to] = process.argv.slice(1), data = fs.readFileSync(from);
fs.writeFileSync(to, zlib.brotliCompressSync(data, { params: {
  [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
]] "${APP_DIR}/cunwu_core.wasm" "${APP_DIR}/cunwu_core.wasm.br" COMMAND_ERROR_IS_FATAL ANY)
file(GLOB_RECURSE _files RELATIVE "${APP_DIR}" "${APP_DIR}/*")
list(REMOVE_ITEM _files sw.js)
list(SORT _files)
set(_all "")
foreach(_f IN LISTS _files)
  file(SHA256 "${APP_DIR}/${_f}" _h)
  string(APPEND _all "${_f} ${_h}\n")
endforeach()
string(SHA256 _version "${_all}")
# What the service worker caches at install: every file but itself and the core's compressed
# copies (the host sends one of them for cunwu_core.wasm), so a new screen's file is never forgotten.
set(_shell "'./'")
foreach(_f IN LISTS _files)
  if(NOT _f MATCHES "^cunwu_core\\.wasm\\.")
    string(APPEND _shell ", '${_f}'")
  endif()
endforeach()
set(CUNWU_APP_FILES "${_shell}")
string(SUBSTRING "${_version}" 0 16 CUNWU_APP_VERSION)
configure_file("${SW_SOURCE}" "${APP_DIR}/sw.js" @ONLY)

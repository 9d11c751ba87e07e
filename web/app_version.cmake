# Run by the cunwu_web_app target (cmake -P) after the app is copied to APP_DIR: stamps sw.js with
# a version made from the SHA-256 of every file of the app, so each build that changes anything
# gives the browser a new service worker, which caches the new files as one set.
file(GLOB_RECURSE _files RELATIVE "${APP_DIR}" "${APP_DIR}/*")
list(REMOVE_ITEM _files sw.js)
list(SORT _files)
set(_all "")
foreach(_f IN LISTS _files)
  file(SHA256 "${APP_DIR}/${_f}" _h)
  string(APPEND _all "${_f} ${_h}\n")
endforeach()
string(SHA256 _version "${_all}")
string(SUBSTRING "${_version}" 0 16 CUNWU_APP_VERSION)
configure_file("${SW_SOURCE}" "${APP_DIR}/sw.js" @ONLY)

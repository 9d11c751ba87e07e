# Generates cunwu::Errc (C++) and the JS error table from shared/errors.json at configure
# time; editing the catalogue re-runs CMake. The catalogue is the only source of codes.
# A code's optional "hint" {zh, en} (what to do next, shown by the web app when an action is
# refused or conflicts) goes to the JS table only; every code with HTTP 403 or 409 must have one.
set(_catalog "${CUNWU_SHARED_DIR}/errors.json")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_catalog}")
file(READ "${_catalog}" _json)
string(JSON _n LENGTH "${_json}" errors)
math(EXPR _last "${_n} - 1")

set(_enum "")
set(_table "")
set(_js "")
set(_seen "")
foreach(i RANGE ${_last})
  string(JSON _code GET "${_json}" errors ${i} code)
  string(JSON _http GET "${_json}" errors ${i} http)
  string(JSON _zh GET "${_json}" errors ${i} zh)
  string(JSON _en GET "${_json}" errors ${i} en)
  if(NOT _code MATCHES "^[a-z][a-z0-9_]*$")
    message(FATAL_ERROR "errors.json: bad code '${_code}'")
  endif()
  if(_code IN_LIST _seen)
    message(FATAL_ERROR "errors.json: duplicate code '${_code}'")
  endif()
  list(APPEND _seen "${_code}")
  foreach(_text IN ITEMS "${_zh}" "${_en}")
    if(_text MATCHES "[\"\\\\]" OR _text STREQUAL "")
      message(FATAL_ERROR "errors.json: message of '${_code}' is empty or has a quote or backslash")
    endif()
  endforeach()
  string(JSON _hint_zh ERROR_VARIABLE _no_hint GET "${_json}" errors ${i} hint zh)
  string(JSON _hint_en ERROR_VARIABLE _no_hint_en GET "${_json}" errors ${i} hint en)
  set(_js_hint "")
  if(_no_hint AND _no_hint_en)
    if(_http EQUAL 403 OR _http EQUAL 409)
      message(FATAL_ERROR "errors.json: '${_code}' (HTTP ${_http}) is refused actions' reason: give it a hint {zh, en}")
    endif()
  else()
    foreach(_text IN ITEMS "${_hint_zh}" "${_hint_en}")
      if(_no_hint OR _no_hint_en OR _text MATCHES "[\"\\\\]" OR _text STREQUAL "")
        message(FATAL_ERROR "errors.json: hint of '${_code}' needs zh and en, without quotes or backslashes")
      endif()
    endforeach()
    set(_js_hint ", hint: { zh: \"${_hint_zh}\", en: \"${_hint_en}\" }")
  endif()
  math(EXPR _value "${i} + 1")
  string(APPEND _enum "  ${_code} = ${_value},\n")
  string(APPEND _table "    {Errc::${_code}, \"${_code}\", ${_http}, \"${_zh}\", \"${_en}\"},\n")
  string(APPEND _js "  ${_code}: { value: ${_value}, http: ${_http}, zh: \"${_zh}\", en: \"${_en}\"${_js_hint} },\n")
endforeach()

set(CUNWU_GENERATED_DIR "${CMAKE_BINARY_DIR}/generated")
file(CONFIGURE OUTPUT "${CUNWU_GENERATED_DIR}/cunwu/base/errc.gen.hpp" CONTENT
"// Generated from shared/errors.json by cmake/ErrorCatalog.cmake. Do not edit.
#pragma once
#include <cstdint>

namespace cunwu {

/// Every error code of cunwu, from the one catalogue (shared/errors.json).
enum class Errc : std::uint16_t {
${_enum}};

/// One row of the catalogue: code, name, HTTP status, user-facing messages.
struct ErrcInfo {
  Errc code;
  const char* name;
  int http_status;
  const char* zh;
  const char* en;
};

/// The catalogue rows, in enum order (row i has value i + 1).
inline constexpr ErrcInfo kErrcTable[] = {
${_table}};

}  // namespace cunwu
" @ONLY)
file(CONFIGURE OUTPUT "${CUNWU_GENERATED_DIR}/errors.gen.js" CONTENT
"// Generated from shared/errors.json by cmake/ErrorCatalog.cmake. Do not edit.
export const errors = {
${_js}};
" @ONLY)

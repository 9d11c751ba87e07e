#pragma once
// What the C API of the WebAssembly core is built on: the table of open devices, the JSON
// envelope every export answers with, and the one place where exceptions stop. The exports
// themselves are all in bindings.cpp; web/CMakeLists.txt lists every one of them
// (CUNWU_WEB_EXPORTS).
//
// Contract shared by every export:
// - arguments are plain values: UTF-8 C strings (never null; "" for absent) and numbers
//   (times are milliseconds since the epoch as doubles, the device's own clock);
// - each makes one core call and returns a JSON text allocated with malloc, which the caller
//   releases with cunwu_free: {"ok":true, ...result} or
//   {"ok":false, "code":"<code from shared/errors.json>", "message":"<zh>", "message_en":"<en>",
//   "detail":"<for developers>"}, the same error shape as the sync host's;
// - no exception crosses it: a bug becomes {"ok":false,"code":"internal"}.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>

#include "cunwu/base/error.hpp"
#include "cunwu/replica.hpp"
#include "cunwu/sync/client.hpp"

namespace cunwu::web {

using Json = nlohmann::json;

/// One open replica with its sync bookkeeping. The physical clock reads `now`, which every
/// export that may stamp an op or measure the clock sets from its now_ms argument, so the host
/// (browser, node, a test) decides what the device's clock says.
struct Device {
  std::shared_ptr<std::int64_t> now = std::make_shared<std::int64_t>(0);
  std::unique_ptr<Replica> replica;
  std::unique_ptr<sync::Client> client;
};

/// The open devices by handle.
inline std::map<int, std::unique_ptr<Device>>& devices() {
  static std::map<int, std::unique_ptr<Device>> d;
  return d;
}

/// A malloc'ed copy of `text` for JavaScript (null when out of memory).
inline char* to_c(const std::string& text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (out) std::memcpy(out, text.c_str(), text.size() + 1);
  return out;
}

/// Adds what `e` is to `j`: its code, the catalogue's words in both languages, the detail.
inline Json& put_error(Json& j, const Error& e) {
  j["code"] = errc_name(e.code);
  j["message"] = user_message(e.code, Lang::zh);
  j["message_en"] = user_message(e.code, Lang::en);
  j["detail"] = e.detail;
  return j;
}

/// The error envelope of `e`.
inline Json error_json(const Error& e) {
  Json j{{"ok", false}};
  return put_error(j, e);
}

/// Runs `body` (returning Result<Json> with the result's fields) and wraps it in the envelope.
/// The one place where exceptions stop.
template <class F>
char* answer(F&& body) {
  constexpr auto kReplace = Json::error_handler_t::replace;
  try {
    Result<Json> r = body();
    if (!r) return to_c(error_json(r.error()).dump(-1, ' ', false, kReplace));
    Json out = std::move(r).value();
    out["ok"] = true;
    return to_c(out.dump(-1, ' ', false, kReplace));
  } catch (const std::exception& e) {
    return to_c(error_json(make_error(Errc::internal, e.what())).dump(-1, ' ', false, kReplace));
  } catch (...) {
    return to_c(error_json(make_error(Errc::internal, "unknown exception")).dump());
  }
}

/// The device of `handle`. Error not_found.
inline Result<Device*> device(int handle) {
  const auto it = devices().find(handle);
  if (it == devices().end()) return make_error(Errc::not_found, "no open device " + std::to_string(handle));
  return it->second.get();
}

/// Device time from a JS number; NaN and absurd values are refused (invalid_input), not wrapped.
inline Result<TimeMs> time_arg(double now_ms) {
  if (!(now_ms >= 0 && now_ms < 1e15)) return make_error(Errc::invalid_input, "now_ms must be ms since the epoch");
  return TimeMs{static_cast<std::int64_t>(now_ms)};
}

/// The device of `handle` with its clock set to `now_ms`. Errors not_found, invalid_input.
inline Result<Device*> device_at(int handle, double now_ms) {
  CUNWU_ASSIGN(auto* d, device(handle));
  CUNWU_ASSIGN(const auto now, time_arg(now_ms));
  *d->now = now.ms;
  return d;
}

/// Parses a JSON argument; `what` names it in the error. Error invalid_json.
inline Result<Json> parse_json(const char* text, const char* what) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) return make_error(Errc::invalid_json, std::string(what) + " is not JSON");
  return j;
}

/// A whole number argument from JS within [lo, hi]. Error invalid_input.
inline Result<int> int_arg(double v, int lo, int hi, const char* what) {
  if (!(v >= lo && v <= hi) || v != static_cast<double>(static_cast<int>(v))) {
    return make_error(Errc::invalid_input, std::string(what) + " out of range");
  }
  return static_cast<int>(v);
}

}  // namespace cunwu::web

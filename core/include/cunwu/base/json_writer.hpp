#pragma once
// A JSON text writer for hot paths (folded states are serialized after every fold): it appends
// straight to a string instead of building a tree first. Its output is byte-identical to
// nlohmann::json::dump() of the same document when keys are written in sorted order, which is
// what dump() emits for our std::map-based objects.
#include <cstdint>
#include <string>
#include <string_view>

namespace cunwu {

/// Appends JSON tokens to a string, inserting commas itself. The caller writes keys in sorted
/// order and balances begin/end; text must be valid UTF-8 (it is validated on the way in).
class JsonWriter {
 public:
  JsonWriter& begin_object() { comma(); out_ += '{'; first_ = true; return *this; }
  JsonWriter& end_object() { out_ += '}'; first_ = false; return *this; }
  JsonWriter& begin_array() { comma(); out_ += '['; first_ = true; return *this; }
  JsonWriter& end_array() { out_ += ']'; first_ = false; return *this; }
  /// Writes `"key":`; the next value follows without a comma.
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(std::int64_t n);
  JsonWriter& value(int n) { return value(std::int64_t(n)); }
  JsonWriter& value(bool b) { comma(); out_ += b ? "true" : "false"; return *this; }
  JsonWriter& null() { comma(); out_ += "null"; return *this; }
  /// Appends `json`, one value that dump() wrote (e.g. a payload stored as text), unchanged.
  JsonWriter& raw(std::string_view json) { comma(); out_ += json; return *this; }
  /// Makes room for `bytes` of text in all, so that writing does not reallocate on the way.
  JsonWriter& reserve(std::size_t bytes) { out_.reserve(bytes); return *this; }
  /// The text written so far.
  std::string take() { return std::move(out_); }

 private:
  void comma() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  void string(std::string_view s);

  std::string out_;
  bool first_ = true;
};

}  // namespace cunwu

#include "points/payload.hpp"

#include <algorithm>

#include "cunwu/base/text.hpp"

namespace cunwu::points::detail {

Result<std::string> string_field(const Json& p, const char* key, Errc code) {
  const auto it = p.find(key);
  if (it == p.end() || !it->is_string()) return make_error(code, std::string(key) + " missing");
  const auto& s = it->get_ref<const std::string&>();
  if (!is_valid_utf8(s)) return make_error(Errc::invalid_utf8, key);
  return s;
}

Result<std::string> required_text(const Json& p, const char* key, std::size_t max) {
  const auto it = p.find(key);
  if (it == p.end() || it->is_null()) return make_error(Errc::text_empty, std::string(key) + " missing");
  if (!it->is_string()) return make_error(Errc::invalid_input, std::string(key) + " is not text");
  return validate_text(it->get_ref<const std::string&>(), max, key);
}

Result<std::string> optional_text(const Json& p, const char* key, std::size_t max) {
  const auto it = p.find(key);
  if (it == p.end() || it->is_null()) return std::string();
  if (!it->is_string()) return make_error(Errc::invalid_input, std::string(key) + " is not text");
  const auto& s = it->get_ref<const std::string&>();
  if (!is_valid_utf8(s)) return make_error(Errc::invalid_utf8, key);
  if (trim(s).empty()) return std::string();
  return validate_text(s, max, key);
}

Result<std::vector<appeals::Attachment>> photos_field(const Json& p, std::size_t max) {
  std::vector<appeals::Attachment> out;
  const auto it = p.find("attachments");
  if (it == p.end() || it->is_null()) return out;
  if (!it->is_array() || it->size() > max) return make_error(Errc::invalid_attachment, "attachments");
  // Indexed rather than a range-for: GCC 12's -Wnull-dereference misfires on json iterators here.
  const Json& list = *it;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Json& a = list[i];
    if (!a.is_object() || !a.contains("kind") || !a.contains("sha256") || !a["kind"].is_string() ||
        !a["sha256"].is_string() || a["kind"] != "photo") {
      return make_error(Errc::invalid_attachment, "evidence is a photo named by its sha256");
    }
    const auto& h = a["sha256"].get_ref<const std::string&>();
    const bool hex = h.size() == 64 && std::all_of(h.begin(), h.end(), [](char c) {
                       return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                     });
    if (!hex) return make_error(Errc::invalid_attachment, "sha256 " + h.substr(0, 80));
    out.push_back({"photo", h});
  }
  return out;
}

RegionId parent_of(const RegionId& id) {
  const auto slash = id.str().rfind('/');
  return slash == std::string::npos ? RegionId() : RegionId(id.str().substr(0, slash));
}

std::string entity_key(const EntityId& id, std::string_view kind) {
  const std::string& s = id.str();
  return s.size() > kind.size() + 1 ? s.substr(kind.size() + 1) : std::string();
}

}  // namespace cunwu::points::detail

#include "cunwu/disclosure/mask.hpp"

namespace cunwu::disclosure {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Keeps `head` characters and `tail` characters, stars in between.
std::string keep_ends(std::string_view s, std::size_t head, std::size_t tail) {
  if (s.size() <= head + tail) return std::string(s.size(), '*');
  return std::string(s.substr(0, head)) + std::string(s.size() - head - tail, '*') + std::string(s.substr(s.size() - tail));
}

bool is_mobile(std::string_view run) { return run.size() == 11 && run[0] == '1' && run[1] >= '3' && run[1] <= '9'; }

Json mask_value(const Json& v) {
  if (v.is_string()) return mask_text(v.get_ref<const std::string&>());
  if (v.is_array()) {
    Json out = Json::array();
    for (const auto& x : v) out.push_back(mask_value(x));
    return out;
  }
  if (v.is_object()) {
    Json out = Json::object();
    for (const auto& [k, x] : v.items()) {
      if (k == "id_number" && x.is_string()) {
        out[k] = mask_id_number(x.get_ref<const std::string&>());
      } else if (k == "phone" && x.is_string()) {
        out[k] = mask_phone(x.get_ref<const std::string&>());
      } else {
        out[k] = mask_value(x);
      }
    }
    return out;
  }
  return v;
}

}  // namespace

std::string mask_id_number(std::string_view id) {
  if (id.find('*') != std::string_view::npos) return std::string(id);  // already masked
  if (id.size() <= 7) return std::string(id.size(), '*');
  return id.size() <= 11 ? keep_ends(id, 3, 4) : keep_ends(id, 6, 4);
}

std::string mask_phone(std::string_view phone) {
  if (phone.find('*') != std::string_view::npos) return std::string(phone);
  if (phone.size() <= 7) return std::string(phone.size(), '*');
  return phone.size() <= 11 ? keep_ends(phone, 3, 4) : keep_ends(phone, 6, 4);
}

std::string mask_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_digit(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && is_digit(text[j])) ++j;
    std::size_t end = j;
    // An 18-character ID may end in X (the check character 10).
    if (end - i == 17 && end < text.size() && (text[end] == 'X' || text[end] == 'x')) ++end;
    const std::string_view run = text.substr(i, end - i);
    if (run.size() == 18 || run.size() == 15) {
      out += keep_ends(run, 6, 4);
    } else if (is_mobile(run)) {
      out += keep_ends(run, 3, 4);
    } else {
      out += run;
    }
    i = end;
  }
  return out;
}

Json mask_content(PostType t, const Json& content) {
  if (t != PostType::assistance) return content;
  return mask_value(content);
}

}  // namespace cunwu::disclosure

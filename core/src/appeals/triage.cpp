// Urgency keywords and bigram similarity. Lists are data, checked in order; see triage.hpp.
#include "cunwu/appeals/triage.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "cunwu/base/text.hpp"

namespace cunwu::appeals {
namespace {

struct KeywordRule {
  std::optional<Category> only;  ///< the rule applies to this category only; all when empty
  Urgency urgency;
  std::vector<std::string_view> words;
};

// Red: harm to life or property now, or a village without water. Yellow: a danger or an outage
// that must not wait days. Words are matched against the lowercased text.
const std::vector<KeywordRule>& rules() {
  static const std::vector<KeywordRule> kRules{
      {{}, Urgency::red, {"火灾", "着火", "起火", "失火", "火情", "漏电", "触电", "电线掉", "高压线断", "燃气泄漏",
                          "煤气泄漏", "漏气", "爆炸", "倒塌", "坍塌", "塌方", "塌陷", "房子塌", "墙塌", "桥塌",
                          "滑坡", "泥石流", "洪水", "决堤", "溃堤", "溃坝", "被淹", "淹了", "溺水", "落水",
                          "中毒", "昏迷", "急救", "断水", "fire", "flood", "collapse", "electric shock", "gas leak"}},
      {Category::dispute, Urgency::red, {"持刀", "动刀", "打伤", "砍伤", "要跳", "轻生"}},
      {{}, Urgency::yellow, {"危险", "隐患", "裂缝", "开裂", "漏水", "爆管", "停电", "没电", "停水", "没水", "井盖",
                             "断了", "松动", "积水", "受伤", "独居老人", "danger", "power cut", "no water"}},
      {Category::dispute, Urgency::yellow, {"打架", "动手", "威胁", "堵门", "辱骂"}},
      {Category::environment, Urgency::yellow, {"污水", "排污", "死鱼", "焚烧", "臭气"}},
  };
  return kRules;
}

// Pairs of characters that say nothing about what an appeal is about.
constexpr std::array<std::string_view, 24> kFiller{
    "尽快", "请尽", "一下", "谢谢", "希望", "麻烦", "帮忙", "我们", "你们", "他们", "已经", "现在",
    "因为", "所以", "可以", "这个", "那个", "什么", "怎么", "一个", "没有", "时候", "的时", "村里"};

int rank(Urgency u) { return u == Urgency::red ? 2 : u == Urgency::yellow ? 1 : 0; }

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = char(ch - 'A' + 'a');
  }
  return out;
}

// Decodes one code point of valid UTF-8 at `i`, advancing it.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  const int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

// The character as it counts for similarity (lowercased, full-width folded), or 0 for a separator.
char32_t word_char(char32_t cp) {
  if (cp >= 0xFF10 && cp <= 0xFF19) return cp - 0xFF10 + U'0';
  if (cp >= 0xFF21 && cp <= 0xFF3A) return cp - 0xFF21 + U'a';
  if (cp >= 0xFF41 && cp <= 0xFF5A) return cp - 0xFF41 + U'a';
  if (cp >= U'A' && cp <= U'Z') return cp - U'A' + U'a';
  if ((cp >= U'a' && cp <= U'z') || (cp >= U'0' && cp <= U'9')) return cp;
  const bool cjk = (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2EBEF) ||
                   (cp >= 0xF900 && cp <= 0xFAFF);
  return cjk ? cp : 0;
}

}  // namespace

UrgencySuggestion suggest_urgency(Category category, std::string_view text) {
  UrgencySuggestion out;
  if (category == Category::hazard) out.urgency = Urgency::yellow;
  if (category == Category::policy || category == Category::suggestion || !is_valid_utf8(text)) return out;
  const std::string lower = ascii_lower(text);
  for (const auto& rule : rules()) {
    if (rule.only && *rule.only != category) continue;
    for (const auto word : rule.words) {
      if (lower.find(word) == std::string::npos) continue;
      if (rank(rule.urgency) > rank(out.urgency)) {
        out.urgency = rule.urgency;
        out.because.clear();
      }
      if (rule.urgency == out.urgency) out.because.emplace_back(word);
    }
  }
  return out;
}

std::vector<std::string> bigrams(std::string_view text) {
  std::vector<std::string> out;
  if (!is_valid_utf8(text)) return out;
  char32_t prev = 0;
  for (std::size_t i = 0; i < text.size();) {
    const char32_t ch = word_char(next_code_point(text, i));
    if (ch && prev) {
      std::string pair;
      append_utf8(pair, prev);
      append_utf8(pair, ch);
      if (std::find(kFiller.begin(), kFiller.end(), pair) == kFiller.end()) out.push_back(std::move(pair));
    }
    prev = ch;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double similarity(std::string_view a, std::string_view b) {
  const auto x = bigrams(a), y = bigrams(b);
  if (x.empty() || y.empty()) return 0;
  std::size_t shared = 0;
  for (auto i = x.begin(), j = y.begin(); i != x.end() && j != y.end();) {
    if (*i < *j) ++i;
    else if (*j < *i) ++j;
    else { ++shared; ++i; ++j; }
  }
  if (shared < kMinSharedBigrams) return 0;
  return double(shared) / double(std::min(x.size(), y.size()));
}

}  // namespace cunwu::appeals

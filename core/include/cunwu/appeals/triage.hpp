#pragma once
// 分诊 — what the app tells a villager before an appeal is filed: the urgency its words suggest,
// and how alike two appeal texts read (for the similar open appeals of the village, see
// Service::similar). Both work on Chinese without word segmentation.
#include <string>
#include <string_view>
#include <vector>

#include "cunwu/appeals/types.hpp"

namespace cunwu::appeals {

/// The urgency the app pre-selects, and the words of the text that decided it.
struct UrgencySuggestion {
  Urgency urgency = Urgency::green;
  std::vector<std::string> because;  ///< the keywords found at that urgency ("漏电"), in list order; may be empty
};

/// Suggests an urgency from the category and the text. Keywords per urgency (火灾, 漏电, 塌, 洪水,
/// 断水... → red; 危险, 停电, 漏水, 裂缝... → yellow), some only for one category (打架 in a dispute
/// is yellow, 持刀 red); a hazard report (及时报) is at least yellow; a policy question or a
/// suggestion (政策咨询, 建言献策) stays green whatever it mentions ("建议装消防栓防火灾" is not a
/// fire). Matching is by substring (ASCII case-insensitive, a few English words too) and knows no
/// negation: it is a suggestion the villager can change. Text that is not valid UTF-8 gets green.
UrgencySuggestion suggest_urgency(Category category, std::string_view text);

/// The distinct character bigrams of `text`: letters, digits and CJK characters in runs (other
/// characters split runs; ASCII is lowercased, full-width letters and digits folded to ASCII),
/// without a short list of filler bigrams (尽快, 谢谢, 我们, 一下...). Sorted. Empty for invalid UTF-8.
std::vector<std::string> bigrams(std::string_view text);

/// How alike two texts read, 0..1: shared bigrams / bigrams of the shorter text (so a short text
/// being typed matches a longer appeal that says the same). 0 when fewer than kMinSharedBigrams
/// are shared.
double similarity(std::string_view a, std::string_view b);

/// Texts are "similar" from this score on, and only with at least this many shared bigrams.
inline constexpr double kSimilarThreshold = 0.3;
inline constexpr std::size_t kMinSharedBigrams = 3;

}  // namespace cunwu::appeals

// Honour lists, titles and village star ratings, read from the points_lines projection.
#include <array>

#include "cunwu/appeals/metrics.hpp"
#include "cunwu/appeals/service.hpp"
#include "cunwu/points/service.hpp"
#include "cunwu/store/points_store.hpp"

namespace cunwu::points {
namespace {

constexpr std::array<std::pair<Category, std::string_view>, 7> kTitles{{
    {Category::environment, "最美清洁户"},
    {Category::mutual_help, "好邻居"},
    {Category::elderly, "孝老爱亲之家"},
    {Category::volunteering, "志愿服务之星"},
    {Category::customs, "移风易俗示范户"},
    {Category::mediation, "和事佬"},
    {Category::other, "文明家庭"},
}};

}  // namespace

std::string_view title_zh(Category c) {
  for (const auto& [cat, title] : kTitles) {
    if (cat == c) return title;
  }
  return "?";
}

int star_rating(const Indicators& in) {
  double weighted = 0.3 * in.points_participation;
  double weights = 0.3;
  if (in.appeal_satisfaction) {
    weighted += 0.4 * *in.appeal_satisfaction;
    weights += 0.4;
  }
  if (in.disclosure_awareness) {
    weighted += 0.3 * *in.disclosure_awareness;
    weights += 0.3;
  }
  const double score = weighted / weights;
  if (score >= 0.9) return 5;
  if (score >= 0.75) return 4;
  if (score >= 0.6) return 3;
  if (score >= 0.4) return 2;
  return 1;
}

Result<std::vector<HonourRow>> Service::honour_list(const RegionId& scope, const Period& period, int limit) {
  const auto* region = r_.directory().region(scope);
  if (!region || (region->level != org::RegionLevel::village && region->level != org::RegionLevel::courtyard)) {
    return make_error(Errc::unknown_region, "honour lists are per village or courtyard: " + scope.str());
  }
  if (limit < 1 || limit > 1000) return make_error(Errc::invalid_input, "limit 1..1000");
  CUNWU_ASSIGN(const auto rows,
               store::points_earned(r_.db(), scope, region->level == org::RegionLevel::courtyard, period.first_month(),
                                    period.last_month(), std::nullopt, limit));
  std::vector<HonourRow> out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto* h = r_.directory().household(rows[i].household);
    const int rank = i > 0 && rows[i].points == rows[i - 1].points ? out.back().rank : int(i) + 1;
    out.push_back(HonourRow{rank, rows[i].household, h ? h->name : rows[i].household.str(), Points{rows[i].points}});
  }
  return out;
}

Result<std::vector<Title>> Service::titles(const RegionId& village, const Period& period) {
  const auto* region = r_.directory().region(village);
  if (!region || region->level != org::RegionLevel::village) return make_error(Errc::unknown_region, village.str());
  std::vector<Title> out;
  for (const auto& [category, title] : kTitles) {
    CUNWU_ASSIGN(const auto rows, store::points_earned(r_.db(), village, false, period.first_month(),
                                                       period.last_month(), std::string(name(category)), 50));
    if (rows.empty()) continue;
    Title t{std::string(title), category, {}, Points{rows.front().points}};
    for (const auto& row : rows) {
      if (row.points == rows.front().points) t.households.push_back(row.household);
    }
    out.push_back(std::move(t));
  }
  return out;
}

Result<Indicators> Service::indicators(const RegionId& village, const Period& period,
                                       std::optional<double> awareness) {
  const auto* region = r_.directory().region(village);
  if (!region || region->level != org::RegionLevel::village) return make_error(Errc::unknown_region, village.str());
  Indicators in;
  in.disclosure_awareness = awareness;
  std::int64_t households = 0;
  for (const auto& [id, h] : r_.directory().households()) {
    if (org::Directory::contains(village, h.courtyard)) ++households;
  }
  CUNWU_ASSIGN(const auto active, store::points_participants(r_.db(), village, period.first_month(), period.last_month()));
  if (households > 0) in.points_participation = double(active) / double(households);
  appeals::Service appeals_svc(r_);
  CUNWU_ASSIGN(auto filed, appeals_svc.list(village));
  std::erase_if(filed, [&](const appeals::Appeal& a) { return !period.contains(a.filed_at); });
  const auto rates = appeals::overall(filed, appeals::SlaPolicy{});
  if (rates.rated > 0) in.appeal_satisfaction = rates.satisfaction_rate;
  return in;
}

}  // namespace cunwu::points

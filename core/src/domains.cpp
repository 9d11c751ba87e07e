#include "domains.hpp"

#include "cunwu/appeals/domain.hpp"
#include "cunwu/disclosure/domain.hpp"
#include "cunwu/points/domain.hpp"

namespace cunwu {

std::vector<std::unique_ptr<oplog::Domain>> all_domains() {
  std::vector<std::unique_ptr<oplog::Domain>> d;
  d.push_back(appeals::make_domain());
  // points domains register here:
  for (auto& points_domain : points::make_domains()) d.push_back(std::move(points_domain));
  // disclosure domains register here:
  for (auto& domain : disclosure::make_domains()) d.push_back(std::move(domain));
  return d;
}

}  // namespace cunwu

#include "domains.hpp"

#include "cunwu/appeals/domain.hpp"

namespace cunwu {

std::vector<std::unique_ptr<oplog::Domain>> all_domains() {
  std::vector<std::unique_ptr<oplog::Domain>> d;
  d.push_back(appeals::make_domain());
  // points domains register here:
  // disclosure domains register here:
  return d;
}

}  // namespace cunwu

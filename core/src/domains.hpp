#pragma once
// The registry of fold domains every replica runs. Add a domain here, once.
#include <memory>
#include <vector>

#include "cunwu/oplog/domain.hpp"

namespace cunwu {

/// One instance of every domain (appeals, points, disclosure...).
std::vector<std::unique_ptr<oplog::Domain>> all_domains();

}  // namespace cunwu

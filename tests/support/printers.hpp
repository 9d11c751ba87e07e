#pragma once
// How GoogleTest prints the core's values in failure messages (found by argument-dependent lookup).
#include <ostream>

#include "cunwu/clock/hlc.hpp"

namespace cunwu::clock {

inline void PrintTo(const Hlc& h, std::ostream* os) { *os << "{" << h.wall << ", " << h.logical << "}"; }

}  // namespace cunwu::clock

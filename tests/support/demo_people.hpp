#pragma once
// The people, places and households of the demo county (shared/demo/county.json) that tests
// name, defined once so that every test means the same 王 by kWang.
#include "cunwu/base/ids.hpp"

namespace cunwu {

// 河山村 (qs/dq/hs), its courtyards, and the county 青山县.
inline const RegionId kCounty{"qs"};
inline const RegionId kHs{"qs/dq/hs"};
inline const RegionId kY1{"qs/dq/hs/y1"};
inline const RegionId kY2{"qs/dq/hs/y2"};
inline const RegionId kLj1{"qs/lh/lj/y1"};  ///< 柳家村第一院落, another township

// Villagers of 河山村 and their households.
inline const UserId kWang{"wang"}, kLi{"li"}, kChen{"chen"}, kZhao{"zhao"}, kSun{"sun"};
inline const HouseholdId kWangH{"h-wang"}, kLiH{"h-li"}, kChenH{"h-chen"};

// Cadres and staff.
inline const UserId kHead{"head-hs1"};      ///< courtyard head of y1
inline const UserId kHeadY2{"head-hs2"};    ///< courtyard head of y2
inline const UserId kGrid{"grid-hs1"};      ///< grid worker of y1
inline const UserId kCadre{"cadre-hs"}, kCadre2{"cadre-hs2"};  ///< 河山村 village committee
inline const UserId kCadreLj{"cadre-lj"};   ///< 柳家村 village committee
inline const UserId kShop{"shop-hs"};       ///< the village's points supermarket
inline const UserId kStaffDq{"staff-dq"};   ///< township staff
inline const UserId kStaffQs{"staff-qs"};   ///< county staff
inline const UserId kAdmin{"admin-qs"};
inline const UserId kInspector{"inspector-qs"};  ///< discipline inspection

}  // namespace cunwu

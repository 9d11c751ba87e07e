#pragma once
// Strong identifiers: a user id cannot be passed where a region is expected.
#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace cunwu {

/// A string identifier tagged with what it identifies.
template <class Tag>
class StrongId {
 public:
  StrongId() = default;
  explicit StrongId(std::string value) : value_(std::move(value)) {}
  /// The raw text of the id.
  const std::string& str() const { return value_; }
  bool empty() const { return value_.empty(); }
  // Spelled out: Emscripten 3.1.6's libc++ has no operator<=> for std::string.
  friend std::strong_ordering operator<=>(const StrongId& a, const StrongId& b) {
    return a.value_.compare(b.value_) <=> 0;
  }
  friend bool operator==(const StrongId& a, const StrongId& b) { return a.value_ == b.value_; }

 private:
  std::string value_;
};

/// A person's account (villager, cadre, operator...).
using UserId = StrongId<struct UserTag>;
/// A node of the org tree, written as its path: "county/township/village/courtyard".
using RegionId = StrongId<struct RegionTag>;
/// 户 — a household, the unit that holds points.
using HouseholdId = StrongId<struct HouseholdTag>;
/// One device's or host's copy of the data; the origin of the ops it authors.
using ReplicaId = StrongId<struct ReplicaTag>;
/// An entity folded from ops, e.g. "appeal/phone-7.12".
using EntityId = StrongId<struct EntityTag>;

/// The user the sync host acts as when it authors ops (numbers, escalations, verdicts).
inline const UserId kHostActor{"host"};

}  // namespace cunwu

template <class Tag>
struct std::hash<cunwu::StrongId<Tag>> {
  size_t operator()(const cunwu::StrongId<Tag>& id) const noexcept { return std::hash<std::string>{}(id.str()); }
};

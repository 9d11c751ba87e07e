#pragma once
// What changed between two versions of a post: field by field, and for the line lists of
// finance records and contracts (income, spending, schedule, entries), line by line.
#include <string>
#include <vector>

#include "cunwu/disclosure/types.hpp"

namespace cunwu::disclosure {

/// One line of a list field that was added, removed or changed.
struct LineChange {
  enum class Kind { added, removed, changed };
  Kind kind = Kind::changed;
  int before_index = -1;             ///< 0-based position in the old list (-1 when added)
  int after_index = -1;              ///< 0-based position in the new list (-1 when removed)
  Json before, after;                ///< the old and new line (null when absent)
  std::vector<std::string> members;  ///< for a changed line: the members that differ ("amount")
  friend bool operator==(const LineChange&, const LineChange&) = default;
};

/// One field that differs between two versions.
struct FieldChange {
  std::string field;
  Json before, after;              ///< null when the field is absent on that side
  std::vector<LineChange> lines;   ///< for list fields of objects: which lines changed
  friend bool operator==(const FieldChange&, const FieldChange&) = default;
};

/// The fields that differ from `before` to `after` (objects of fields), ordered by field name.
/// Lines that are equal are matched first wherever they moved; of the rest, a removed and an
/// added line at the same position are reported as one changed line.
std::vector<FieldChange> diff_content(const Json& before, const Json& after);

/// The change as a villager reads it, one line per change, in Chinese
/// ("标题：旧 → 新", "支出第2行 修改：金额 1,200.00元 → 1,250.00元").
std::string describe_zh(const std::vector<FieldChange>& changes);

}  // namespace cunwu::disclosure

#pragma once
// The appeal rules as a fold domain: which op may follow which, by whom, with what payload.
#include <memory>

#include "cunwu/appeals/types.hpp"
#include "cunwu/oplog/domain.hpp"

namespace cunwu::appeals {

/// Op types of the appeals domain and their payloads (all fields required unless noted):
/// - appeal.file      {category, urgency, text, attachments: [{kind: photo|voice, sha256}],
///                     on_behalf_of (optional: a resident of the courtyard; actor must be a cadre)}
/// - appeal.number    {number: "YYYYMMDD" + 3 to 6 digits, e.g. "20260713001"}              host
/// - appeal.accept    {}                                                handler at current level
/// - appeal.reply     {text}                                            handler at current level
/// - appeal.assign    {assignee}                                        handler at current level
/// - appeal.dispatch  {department}                                      handler at current level
/// - appeal.escalate  {reason: manual|overdue_response|overdue_resolution, note (optional)}
///                    manual: handler at current level; overdue_*: host
/// - appeal.resolve   {text}                                            handler at current level
/// - appeal.rate      {rating, comment (optional)}                      filer; dissatisfied reopens
/// - appeal.withdraw  {reason (optional)}                               filer
/// - appeal.merge     {into: appeal entity id}                          handler at current level
/// - appeal.supervise {note}                                            discipline inspector
inline constexpr const char* kKind = "appeal";

/// The most official numbers a county issues in one day: the daily sequence after the date
/// has at least 3 digits (zero-padded) and at most 6, so a number has 11 to 14 digits.
inline constexpr long kMaxDailySequence = 999'999;

/// Maximum lengths in characters of the texts people type.
inline constexpr std::size_t kMaxAppealChars = 2000;
inline constexpr std::size_t kMaxReplyChars = 1000;
inline constexpr std::size_t kMaxNoteChars = 500;
inline constexpr std::size_t kMaxAttachments = 9;

/// The folded state type the domain produces.
class AppealState final : public oplog::EntityState {
 public:
  explicit AppealState(Appeal a) : appeal(std::move(a)) {}
  oplog::Json to_json() const override { return appeals::to_json(appeal); }
  std::string to_text() const override { return appeals::to_text(appeal); }
  RegionId scope() const override { return appeal.scope; }
  std::vector<UserId> participants() const override {
    std::vector<UserId> people{appeal.filer};
    if (appeal.assignee) people.push_back(*appeal.assignee);
    return people;
  }
  std::unique_ptr<oplog::EntityState> clone() const override { return std::make_unique<AppealState>(appeal); }
  Appeal appeal;
};

/// Creates the appeals fold domain.
std::unique_ptr<oplog::Domain> make_domain();

}  // namespace cunwu::appeals

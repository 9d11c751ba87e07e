#pragma once
// The disclosure rules as fold domains: posts (drafts, publication, amendments, questions and
// answers) and read receipts (one small entity per post and reader, so that 2,000 readers do
// not make every read re-fold a large post).
#include <memory>
#include <vector>

#include "cunwu/disclosure/types.hpp"
#include "cunwu/oplog/domain.hpp"

namespace cunwu::disclosure {

/// Op types of posts (entity "post/<op id of the draft>") and their payloads:
/// - post.draft   {type, fields}            cadre of the scope (publish_post); scope is a village,
///                                          township or county
/// - post.edit    {fields, base (optional: {field: op id of the value the editor saw})}
///                                          cadre; drafts only (already_published). Per field, the
///                                          last writer by hlc wins; a concurrent edit it overwrites
///                                          is kept in `superseded` with its author
/// - post.publish {revision}                cadre; the draft revision the publisher reviewed
///                                          (draft_changed if edits landed since); checks the
///                                          content (unbalanced_finance, ...); becomes version 1
/// - post.amend   {reason, fields}          cadre; published posts only (not_published): a new
///                                          version = the latest with `fields` replaced, checked whole
/// - post.ask     {version, text}           anyone in scope (read_post); published posts; the
///                                          question names the version it is about
/// - post.answer  {question, text}          cadre; an official answer to a question (its op id)
inline constexpr const char* kPostKind = "post";

/// Op type of read receipts (entity receipt_id(post, reader)):
/// - receipt.read {post, version}           the reader, anyone in the post's scope (read_post)
inline constexpr const char* kReceiptKind = "receipt";

/// Text limits in characters.
inline constexpr std::size_t kMaxQuestionChars = 500;
inline constexpr std::size_t kMaxAnswerChars = 2000;
inline constexpr std::size_t kMaxReasonChars = 500;

/// The entity id of `reader`'s read receipt of `post`: "receipt/<reader>@<post>".
EntityId receipt_id(const EntityId& post, const UserId& reader);

/// The folded state of a post.
class PostState final : public oplog::EntityState {
 public:
  explicit PostState(Post p) : post(std::move(p)) {}
  oplog::Json to_json() const override { return disclosure::to_json(post); }
  RegionId scope() const override { return post.scope; }
  std::unique_ptr<oplog::EntityState> clone() const override { return std::make_unique<PostState>(post); }
  Post post;
};

/// 已读回执 — that one person read a post: when first, and the latest version read.
struct Receipt {
  EntityId id;
  bool exists = false;
  EntityId post;
  UserId reader;
  RegionId scope;
  TimeMs first_at;
  int version = 0;  ///< the latest version read
};

/// The folded state of a read receipt.
class ReceiptState final : public oplog::EntityState {
 public:
  explicit ReceiptState(Receipt r) : receipt(std::move(r)) {}
  oplog::Json to_json() const override;
  RegionId scope() const override { return receipt.scope; }
  std::unique_ptr<oplog::EntityState> clone() const override { return std::make_unique<ReceiptState>(receipt); }
  Receipt receipt;
};

/// Restores a receipt from its JSON. Error invalid_json.
Result<Receipt> receipt_from_json(const oplog::Json& j);

/// Creates the post and receipt fold domains. The post domain projects each published post
/// into the search index; the receipt domain projects receipts for awareness rates.
std::vector<std::unique_ptr<oplog::Domain>> make_domains();

}  // namespace cunwu::disclosure

// Read receipts: one entity per post and reader, so a read folds a few bytes, never the post.
// The receipt cannot see the post's state (a fold sees one entity); the service records reads of
// published posts only, and awareness counts receipts of published posts only.
#include "cunwu/base/text.hpp"
#include "cunwu/disclosure/domain.hpp"
#include "cunwu/org/access.hpp"
#include "cunwu/store/disclosure_store.hpp"

namespace cunwu::disclosure {
namespace {

using oplog::Json;

Status on_read(Receipt& r, const oplog::Op& op, const oplog::FoldContext& ctx) {
  const auto post = op.payload.find("post");
  const auto version = op.payload.find("version");
  if (post == op.payload.end() || !post->is_string() || !post->get_ref<const std::string&>().starts_with("post/") ||
      post->get_ref<const std::string&>().size() > 200 || !is_valid_utf8(post->get_ref<const std::string&>())) {
    return make_error(Errc::invalid_id, "receipt.read needs a post id");
  }
  const EntityId post_id(post->get<std::string>());
  if (op.entity != receipt_id(post_id, op.actor)) {
    return make_error(Errc::invalid_id, op.entity.str() + " is not " + op.actor.str() + "'s receipt of " + post_id.str());
  }
  if (version == op.payload.end() || !version->is_number_integer() || version->get<std::int64_t>() < 1 ||
      version->get<std::int64_t>() > 1'000'000) {
    return make_error(Errc::invalid_input, "version must be a whole number from 1");
  }
  CUNWU_TRY(org::authorize(ctx.dir, op.actor, org::Action::read_post, op.scope));
  if (r.exists && r.scope != op.scope) return make_error(Errc::out_of_scope, "the post's scope does not change");
  const int v = int(version->get<std::int64_t>());
  if (!r.exists) {
    r = Receipt{r.id, true, post_id, op.actor, op.scope, TimeMs{op.hlc.wall}, v};
  } else if (v > r.version) {
    r.version = v;
  }
  return ok_status();
}

class ReceiptDomain final : public oplog::Domain {
 public:
  std::string_view kind() const override { return kReceiptKind; }
  bool knows(std::string_view type) const override { return type == "receipt.read"; }
  // Who read what is the reader's (and the cadres'), not the village's.
  std::optional<oplog::Visibility> visibility_of(std::string_view) const override {
    return oplog::Visibility::participants;
  }
  std::unique_ptr<oplog::EntityState> empty(const EntityId& id) const override {
    Receipt r;
    r.id = id;
    return std::make_unique<ReceiptState>(std::move(r));
  }
  Result<std::unique_ptr<oplog::EntityState>> from_json(const Json& j) const override {
    CUNWU_ASSIGN(auto r, receipt_from_json(j));
    return std::unique_ptr<oplog::EntityState>(std::make_unique<ReceiptState>(std::move(r)));
  }
  Status apply(oplog::EntityState& state, const oplog::Op& op, const oplog::FoldContext& ctx) const override {
    if (op.type != "receipt.read") return make_error(Errc::unknown_op_type, op.type);
    auto& s = static_cast<ReceiptState&>(state);
    Receipt next = s.receipt;
    CUNWU_TRY(on_read(next, op, ctx));
    s.receipt = std::move(next);
    return ok_status();
  }
  bool has_projection() const override { return true; }
  Status project(store::Db& db, const EntityId&, const oplog::EntityState& state) const override {
    const Receipt& r = static_cast<const ReceiptState&>(state).receipt;
    if (!r.exists) return ok_status();
    return store::replace_read(db, r.post, r.reader, r.version, r.first_at.ms);
  }
};

}  // namespace

EntityId receipt_id(const EntityId& post, const UserId& reader) {
  return EntityId(std::string(kReceiptKind) + "/" + reader.str() + "@" + post.str());
}

Json ReceiptState::to_json() const {
  const Receipt& r = receipt;
  return {{"id", r.id.str()},         {"exists", r.exists},         {"post", r.post.str()}, {"reader", r.reader.str()},
          {"scope", r.scope.str()},   {"first_at", r.first_at.ms},  {"version", r.version}};
}

Result<Receipt> receipt_from_json(const Json& j) {
  try {
    return Receipt{EntityId(j.at("id").get<std::string>()), j.at("exists").get<bool>(),
                   EntityId(j.at("post").get<std::string>()), UserId(j.at("reader").get<std::string>()),
                   RegionId(j.at("scope").get<std::string>()), TimeMs{j.at("first_at").get<std::int64_t>()},
                   j.at("version").get<int>()};
  } catch (const nlohmann::json::exception& e) {
    return make_error(Errc::invalid_json, std::string("receipt: ") + e.what());
  }
}

std::unique_ptr<oplog::Domain> make_receipt_domain() { return std::make_unique<ReceiptDomain>(); }

}  // namespace cunwu::disclosure

#include "cunwu/sync/blobs.hpp"

#include <algorithm>

#include "cunwu/store/blob_store.hpp"
#include "cunwu/store/sync_store.hpp"
#include "cunwu/sync/visibility.hpp"

namespace cunwu::sync {
namespace {

using Json = nlohmann::json;

// Payloads are small and shallow (a finance record's lines are the deepest, at 3); the bound
// only guards against a pathological payload that the domains would refuse anyway.
constexpr int kMaxDepth = 8;

void add(std::vector<std::string>& out, const Json& item) {
  const Json* name = &item;
  if (item.is_object()) {
    const auto it = item.find("sha256");
    if (it == item.end()) return;
    name = &*it;
  }
  if (!name->is_string()) return;
  const auto& s = name->get_ref<const std::string&>();
  if (is_blob_name(s) && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
}

void walk(const Json& j, int depth, std::vector<std::string>& out) {
  if (depth > kMaxDepth) return;
  if (j.is_array()) {
    for (const auto& v : j) walk(v, depth + 1, out);
  } else if (j.is_object()) {
    for (const auto& [key, v] : j.items()) {
      if (key == "attachments" && v.is_array()) {
        for (const auto& item : v) add(out, item);
      } else {
        walk(v, depth + 1, out);
      }
    }
  }
}

}  // namespace

bool is_blob_name(std::string_view name) {
  return name.size() == 64 &&
         std::all_of(name.begin(), name.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::vector<std::string> referenced_blobs(const Json& payload) {
  std::vector<std::string> out;
  walk(payload, 0, out);
  return out;
}

Status index_blob_refs(Replica& host, const oplog::Op& op, TimeMs) {
  for (const auto& name : referenced_blobs(op.payload)) CUNWU_TRY(store::add_blob_ref(host.db(), name, op.id));
  return ok_status();
}

Result<bool> may_read_blob(Replica& host, const UserId& user, const std::string& name) {
  if (!is_blob_name(name)) return false;
  CUNWU_ASSIGN(const auto audiences, store::blob_audience(host.db(), name));
  for (const auto& a : audiences) {
    // The scope rule first; participation is asked only for private ops it does not give.
    if (may_receive(host.directory(), user, a.scope, a.visibility, false)) return true;
    if (a.visibility != oplog::Visibility::participants) continue;
    CUNWU_ASSIGN(const bool takes_part, store::is_participant(host.db(), a.entity, user));
    if (takes_part && may_receive(host.directory(), user, a.scope, a.visibility, true)) return true;
  }
  return false;
}

}  // namespace cunwu::sync

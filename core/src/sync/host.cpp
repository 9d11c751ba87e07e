#include "cunwu/sync/host.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>

#include "cunwu/appeals/service.hpp"
#include "cunwu/base/json_writer.hpp"
#include "cunwu/points/service.hpp"
#include "cunwu/store/snapshot_store.hpp"
#include "cunwu/store/sync_store.hpp"
#include "cunwu/sync/blobs.hpp"
#include "cunwu/sync/visibility.hpp"
#include "store/migrations.hpp"

namespace cunwu::sync {
namespace {

// Ops beyond this many per pull are not even looked at: the cursor moves past what was scanned
// and `more` tells the device to come back, so one request's cost stays bounded.
constexpr std::size_t kMaxScan = 20'000;

bool stored_when_rejected(Errc code) {
  // Malformed ops (unknown type, wrong entity kind) cannot be stored, nor ops addressed to other
  // people than their entity's (they would reach them); the rest are kept with a verdict so
  // that their author and the people concerned see why.
  return code != Errc::unknown_op_type && code != Errc::invalid_id && code != Errc::host_only &&
         code != Errc::scope_mismatch && code != Errc::visibility_mismatch;
}

std::string wire_text(const oplog::Op& op) {
  JsonWriter w;
  oplog::write_json(w, op);
  return w.take();
}

}  // namespace

std::vector<AfterAccept> default_follow_ups() {
  return {
      // A new appeal gets its official number (YYYYMMDD + daily sequence) from the host.
      [](Replica& host, const oplog::Op& op, TimeMs now) -> Status {
        if (op.type != "appeal.file") return ok_status();
        auto number = appeals::Service(host).assign_official_number(op.entity, now);
        if (number) return ok_status();
        // not_found: a filing that became a conflict (e.g. back-dated behind a rival op) has no
        // appeal to number. numbers_exhausted: past the county's last number of the day the filing
        // stays accepted with its provisional number; failing would fail the whole push, and every
        // later push that files, for the rest of the day.
        const Errc code = number.error().code;
        if (code == Errc::not_found || code == Errc::numbers_exhausted) return ok_status();
        return number.error();
      },
      // Points balances and shop stock are the host's: each ledger op is checked in host order,
      // rejected by verdict when it breaks an invariant, and redemptions that pass are confirmed.
      [](Replica& host, const oplog::Op& op, TimeMs) -> Status {
        if (!op.type.starts_with("ledger.")) return ok_status();
        CUNWU_ASSIGN(const auto report, points::Service(host).decide());
        (void)report;
        return ok_status();
      },
      // Which accepted ops reference which attachments: who may download a blob follows them.
      index_blob_refs,
  };
}

Result<SyncResponse> Host::sync(const UserId& user, const SyncRequest& req, TimeMs now) {
  const Pending one{user, &req};
  return std::move(sync_batch(std::span<const Pending>(&one, 1), now).front());
}

std::vector<Result<SyncResponse>> Host::sync_batch(std::span<const Pending> batch, TimeMs now) {
  auto out = push_batch(batch, now);
  pull_batch(batch, out);
  for (auto& r : out) {
    if (!r) continue;
    if (auto parsed = parse_wire_ops(*r); !parsed) r = parsed.error();
  }
  return out;
}

std::vector<Result<SyncResponse>> Host::push_batch(std::span<const Pending> batch, TimeMs now) {
  std::vector<Result<SyncResponse>> out;
  out.reserve(batch.size());
  bool any_push = false;
  for (const auto& p : batch) {
    const auto& req = *p.req;
    if (req.schema > store::latest_schema_version()) {
      out.emplace_back(make_error(Errc::protocol_mismatch, "device schema " + std::to_string(req.schema) + " is newer than the host's"));
    } else if (req.push.size() > limits_.max_push_ops) {
      out.emplace_back(make_error(Errc::request_too_large, std::to_string(req.push.size()) + " ops"));
    } else {
      SyncResponse resp;
      resp.schema = store::latest_schema_version();
      resp.echo_sent_at = req.sent_at;
      out.emplace_back(std::move(resp));
      any_push = any_push || !req.push.empty();
    }
  }
  if (!any_push) return out;
  // One transaction for every push: one durable commit, and no ack for anything that was
  // not committed. Inside a caller's transaction (the native host's batch) that one commits.
  std::optional<store::Transaction> tx;
  if (!r_.db().in_transaction()) tx.emplace(r_.db());
  Status committed = tx ? tx->status() : ok_status();
  // A request whose push fails (a storage error) fails alone. Pushes seldom fail, so they run
  // first under one savepoint for them all, each changed page journaled once for the batch;
  // only when one fails is that undone and every push run again in a savepoint of its own.
  if (committed && !push_all(batch, now, out, false)) {
    r_.log().forget_cache();
    (void)push_all(batch, now, out, true);
  }
  if (committed && tx) committed = tx->commit();
  if (!committed) {
    r_.log().forget_cache();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (out[i] && !batch[i].req->push.empty()) out[i] = committed.error();
    }
  }
  return out;
}

void Host::pull_batch(std::span<const Pending> batch, std::vector<Result<SyncResponse>>& out) {
  // The pulls of a batch start from nearby cursors: the op heads after the lowest are read once.
  std::int64_t lowest = INT64_MAX;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (out[i]) lowest = std::min(lowest, batch[i].req->cursor);
  }
  if (lowest == INT64_MAX) return;
  refresh_tail(lowest);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!out[i]) continue;
    if (auto s = pull(batch[i].user, *batch[i].req, tail_, *out[i]); !s) {
      out[i] = s.error();
      continue;
    }
    out[i]->host_time = r_.clock().now().ms;
  }
}

bool Host::push_all(std::span<const Pending> batch, TimeMs now, std::vector<Result<SyncResponse>>& out, bool isolated) {
  std::optional<store::Transaction> all;
  std::optional<store::JoinNested> join_all;
  if (!isolated) {
    all.emplace(r_.db());
    if (!all->status()) return false;
    // What the pushes' checks, folds and follow-ups open inside join this savepoint (an error
    // anywhere undoes it whole), so it is the only one.
    join_all.emplace(r_.db());
  }
  std::vector<std::vector<Ack>> acks(batch.size());  // given to the responses once all is done
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!out[i] || batch[i].req->push.empty()) continue;
    std::optional<store::Transaction> mine;
    std::optional<store::JoinNested> join_mine;
    if (isolated) {
      mine.emplace(r_.db());
      join_mine.emplace(r_.db());  // the request's savepoint is the only one, as above
    }
    Status s = mine ? mine->status() : ok_status();
    for (const auto& op : batch[i].req->push) {
      if (!s) break;
      auto ack = push_one(batch[i].user, *batch[i].req, op, now);
      if (ack) {
        acks[i].push_back(std::move(ack).value());
      } else {
        s = ack.error();
      }
    }
    if (s && mine) s = mine->commit();
    if (!s) {
      if (!isolated) return false;  // the destructors undo every push of the batch
      out[i] = s.error();
      r_.log().forget_cache();
    }
  }
  if (!isolated) {
    join_all.reset();
    if (!all->commit()) return false;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (out[i]) out[i]->acks = std::move(acks[i]);
  }
  return true;
}

void Host::forget_cache() {
  tail_ = {};
  r_.log().forget_cache();
}

Host::HeadKey Host::Keys::of(const store::OpHead& h) {
  const auto key = [](std::unordered_map<std::string, std::uint32_t>& known, const std::string& id) {
    return known.try_emplace(id, std::uint32_t(known.size())).first->second;
  };
  return HeadKey{key(entities, h.entity.str()), key(scopes, h.scope.str()), key(origins, h.origin.str())};
}

void Host::append_heads(Heads& h, std::vector<store::OpHead> more) {
  h.keys.reserve(h.keys.size() + more.size());
  for (const auto& head : more) h.keys.push_back(keys_.of(head));
  h.heads.insert(h.heads.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}

void Host::refresh_tail(std::int64_t lowest) {
  constexpr std::size_t kKeep = kMaxScan;  // heads kept after trimming (at most twice as many)
  // The numbers are only ever added; renumbered with the tail before they outgrow it by far.
  const bool renumber = keys_.entities.size() > 8 * kKeep;
  if (renumber) keys_ = {};
  if (!tail_.complete || lowest < tail_.after || renumber) {
    auto heads = store::op_heads(r_.db(), lowest, INT64_MAX, kMaxScan);
    tail_ = heads ? Heads{lowest, heads->size() < kMaxScan, {}, {}} : Heads{};
    if (heads) append_heads(tail_, std::move(*heads));
  } else {
    const std::int64_t last = tail_.heads.empty() ? tail_.after : tail_.heads.back().seq;
    auto heads = store::op_heads(r_.db(), last, INT64_MAX, kMaxScan);
    if (!heads) {
      tail_ = {};
      return;
    }
    tail_.complete = heads->size() < kMaxScan;
    append_heads(tail_, std::move(*heads));
  }
  if (tail_.heads.size() > 2 * kKeep) {
    const auto cut = std::ptrdiff_t(tail_.heads.size() - kKeep);
    tail_.after = tail_.heads[std::size_t(cut - 1)].seq;
    tail_.heads.erase(tail_.heads.begin(), tail_.heads.begin() + cut);
    tail_.keys.erase(tail_.keys.begin(), tail_.keys.begin() + cut);
  }
}

Result<Ack> Host::push_one(const UserId& user, const SyncRequest& req, const oplog::Op& op, TimeMs now) {
  Ack ack{op.id, AckStatus::accepted, {}};
  auto reject = [&](Error why) {
    ack.status = AckStatus::rejected;
    ack.reason = std::move(why);
    return ack;
  };
  if (op.id.origin != req.replica) return reject(make_error(Errc::invalid_id, "an op of another device"));
  CUNWU_ASSIGN(const auto existing, r_.log().ops().find(op.id));
  if (existing) {
    CUNWU_ASSIGN(const auto rejected, r_.log().ops().rejections(op.entity));
    for (const auto& [id, why] : rejected) {
      if (id == op.id) return reject(why);
    }
    ack.status = AckStatus::duplicate;
    return ack;
  }
  if (op.actor != user) {
    return reject(make_error(Errc::actor_mismatch, op.actor.str() + " is not the signed-in user " + user.str()));
  }
  // Who receives an op follows its scope and visibility, which the device wrote: checked before
  // the domain's rules, and never stored when wrong.
  if (auto audience = r_.log().check_audience(op); !audience) return reject(audience.error());
  if (auto check = r_.log().check(op, oplog::FoldContext{r_.directory()}); !check) {
    if (!stored_when_rejected(check.error().code)) return reject(check.error());
    CUNWU_TRY(r_.receive_rejected(op, check.error()));
    return reject(check.error());
  }
  // Rules that look at other entities than the op's own (a merge's target), which only the
  // host's whole log can check; the op is kept with the verdict so that its author sees why.
  if (auto rule = appeals::Service(r_).check_on_host(op); !rule) {
    CUNWU_TRY(r_.receive_rejected(op, rule.error()));
    return reject(rule.error());
  }
  const auto recorded = r_.log().rejections_recorded();
  CUNWU_TRY(accept(op, now));
  // A follow-up may have rejected the op by verdict (a redemption the balance does not cover).
  if (r_.log().rejections_recorded() == recorded) return ack;
  CUNWU_ASSIGN(const auto rejected, r_.log().ops().rejections(op.entity));
  for (const auto& [id, why] : rejected) {
    if (id == op.id) return reject(why);
  }
  return ack;
}

Status Host::accept(const oplog::Op& op, TimeMs now) {
  // The follow-ups fold the op's entity again at once (a new appeal's number): its row is
  // written once, at the end. An error on the way rolls back the caller's savepoint.
  oplog::Log::WriteBehind once(r_.log());
  CUNWU_ASSIGN(const auto report, r_.receive(std::span<const oplog::Op>(&op, 1)));
  if (!report.invalid.empty()) return report.invalid.front().second;
  // Only a private op makes its author (and the people its entity names) participants, who
  // receive the entity's private ops: asking about a published post, a public op, must not hand
  // the asker the post's drafts with the personal data that publication masks.
  if (op.visibility == oplog::Visibility::participants) CUNWU_TRY(add_participants(op));
  for (const auto& follow_up : follow_ups_) CUNWU_TRY(follow_up(r_, op, now));
  return once.finish();
}

Status Host::add_participants(const oplog::Op& op) {
  // People who are there from the entity's first op are owed nothing (since 0); people who
  // join later are owed the ops before `since`.
  CUNWU_ASSIGN(const auto entity_ops, r_.log().ops().entity_op_count(op.entity));
  std::int64_t seq = 0;
  if (entity_ops > 1) { CUNWU_ASSIGN(seq, r_.log().ops().max_seq()); }
  CUNWU_TRY(store::add_participant(r_.db(), op.entity, op.actor, seq));
  if (auto state = r_.log().peek(op.entity)) {
    for (const auto& person : (*state)->participants()) {
      if (person == op.actor) continue;  // added above
      CUNWU_TRY(store::add_participant(r_.db(), op.entity, person, seq));
    }
  }
  return ok_status();
}

Status Host::pull(const UserId& user, const SyncRequest& req, const Heads& shared, SyncResponse& resp) {
  resp.cursor = req.cursor;
  const std::size_t limit = std::min(req.pull_limit, limits_.max_pull_ops);
  // Someone who joined an entity after the device's cursor (e.g. a courtyard head of another
  // courtyard assigned to an appeal) is owed its earlier ops, which the scan below has passed.
  CUNWU_ASSIGN(const auto joined, store::joined_after(r_.db(), user, req.cursor));
  for (const auto& entity : joined) {
    CUNWU_ASSIGN(const auto earlier, r_.log().ops().entity_ops(entity));
    for (const auto& op : earlier) {
      if (op.id.origin != req.replica) resp.wire_ops.push_back(wire_text(op));
    }
  }
  // Heads first (no payloads): only the ops that go to the user are read whole. The batch's
  // heads serve when they reach the end of the log from at or before this cursor.
  Heads own;
  std::span<const store::OpHead> heads;
  std::span<const HeadKey> keys;
  if (shared.complete && shared.after <= req.cursor) {
    const auto from = std::size_t(std::upper_bound(shared.heads.begin(), shared.heads.end(), req.cursor,
                                                   [](std::int64_t c, const store::OpHead& h) { return c < h.seq; }) -
                                  shared.heads.begin());
    heads = std::span<const store::OpHead>(shared.heads).subspan(from);
    keys = std::span<const HeadKey>(shared.keys).subspan(from);
  } else {
    CUNWU_ASSIGN(auto read, store::op_heads(r_.db(), req.cursor, INT64_MAX, kMaxScan));
    append_heads(own, std::move(read));
    heads = own.heads;
    keys = own.keys;
  }
  // The device's own ops are not sent back; an origin the keys have not seen has no head here.
  const auto device = keys_.origins.find(req.replica.str());
  const std::uint32_t from_device = device == keys_.origins.end() ? UINT32_MAX : device->second;
  // Whether the user receives an op depends, apart from taking part, only on its scope and
  // visibility: asked once per pair (a county has a few dozen scopes) rather than once per op.
  std::vector<std::int8_t> by_scope(2 * keys_.scopes.size(), -1);  // [2 scope + private]: -1 not asked yet
  const auto receives = [&](const store::OpHead& h, const HeadKey& k) {
    const bool private_op = h.visibility == oplog::Visibility::participants;
    auto& known = by_scope[2 * std::size_t(k.scope) + private_op];
    if (known < 0) known = may_receive(r_.directory(), user, h.scope, h.visibility, false);
    return known > 0;
  };
  // Participation matters only for participants-only ops the scope rule does not already give;
  // a long scan asks once for everything the user takes part in rather than once per entity.
  constexpr std::size_t kAskPerEntityBelow = 256;
  std::optional<std::vector<bool>> mine;  // by entity key (every head's has one by now)
  std::unordered_map<std::uint32_t, bool> asked;
  const auto takes_part = [&](const store::OpHead& h, const HeadKey& k) -> Result<bool> {
    if (!mine && heads.size() >= kAskPerEntityBelow) {
      CUNWU_ASSIGN(const auto entities, store::entity_ids_of(r_.db(), user));
      mine.emplace(keys_.entities.size(), false);
      for (const auto& id : entities) {
        if (const auto it = keys_.entities.find(id); it != keys_.entities.end()) (*mine)[it->second] = true;
      }
    }
    if (mine) return bool((*mine)[k.entity]);
    auto it = asked.find(k.entity);
    if (it == asked.end()) {
      CUNWU_ASSIGN(const bool p, store::is_participant(r_.db(), h.entity, user));
      it = asked.emplace(k.entity, p).first;
    }
    return it->second;
  };
  const std::size_t owed = resp.wire_ops.size();  // the limit bounds the scan, so owed ops cannot stall it
  for (std::size_t i = 0; i < heads.size(); ++i) {
    const auto& h = heads[i];
    if (resp.wire_ops.size() - owed >= limit) {
      resp.more = true;
      return ok_status();
    }
    resp.cursor = h.seq;
    if (keys[i].origin == from_device) continue;  // the device has its own ops
    bool send = receives(h, keys[i]);
    if (!send && h.visibility == oplog::Visibility::participants) {
      CUNWU_ASSIGN(send, takes_part(h, keys[i]));
      send = send && may_receive(r_.directory(), user, h.scope, h.visibility, true);
    }
    if (!send) continue;
    // Sent as stored: read as text, not parsed and written again.
    CUNWU_ASSIGN(auto op, r_.log().ops().wire_at_seq(h.seq));
    if (op) resp.wire_ops.push_back(std::move(*op));
  }
  resp.more = heads.size() == kMaxScan;
  return ok_status();
}

}  // namespace cunwu::sync

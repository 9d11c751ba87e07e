#include "cunwu/sync/rehearsal.hpp"

#include "cunwu/appeals/service.hpp"
#include "cunwu/sync/client.hpp"
#include "cunwu/sync/host.hpp"

namespace cunwu::sync {
namespace {

const UserId kVillager("rehearsal-villager");
const RegionId kCourtyard("rehearsal/t/v/c");

// A county of one courtyard and its one villager.
Result<org::Directory> one_courtyard() {
  org::Directory dir;
  CUNWU_TRY(dir.add_region({RegionId("rehearsal"), std::nullopt, org::RegionLevel::county, "演练县"}));
  CUNWU_TRY(dir.add_region({RegionId("rehearsal/t"), RegionId("rehearsal"), org::RegionLevel::township, "演练镇"}));
  CUNWU_TRY(dir.add_region({RegionId("rehearsal/t/v"), RegionId("rehearsal/t"), org::RegionLevel::village, "演练村"}));
  CUNWU_TRY(dir.add_region({kCourtyard, RegionId("rehearsal/t/v"), org::RegionLevel::courtyard, "演练院"}));
  CUNWU_TRY(dir.add_user({kVillager, "演练村民", kCourtyard, std::nullopt}));
  CUNWU_TRY(dir.grant(kVillager, org::Role::villager, kCourtyard));
  return dir;
}

Result<std::unique_ptr<Replica>> in_memory(const char* id, TimeMs now) {
  ReplicaOptions options;
  options.id = ReplicaId(id);
  options.physical = [now] { return now.ms; };
  return Replica::open(std::move(options));
}

}  // namespace

Status rehearse_first_sync(TimeMs now) {
  CUNWU_ASSIGN(auto county, one_courtyard());
  CUNWU_ASSIGN(auto host_replica, in_memory("rehearsal-host", now));
  CUNWU_TRY(host_replica->set_directory(county));
  Host host(*host_replica);
  // The snapshot, as the device asks for it and opens it (into memory: restore, not a file).
  const ReplicaId device_id("rehearsal-device");
  CUNWU_ASSIGN(const auto first, parse_request(to_json(Client::snapshot_request(device_id, now)).dump()));
  CUNWU_ASSIGN(const auto snap, host.snapshot(kVillager, first));
  CUNWU_ASSIGN(auto device, in_memory("rehearsal-device", now));
  CUNWU_TRY(device->db().restore(snap.image.view(), snap.digest));
  CUNWU_TRY(device->set_directory(std::move(county)));
  // A filing and one round trip through the wire format both ways.
  CUNWU_TRY(appeals::Service(*device).file(kVillager, {kCourtyard, appeals::Category::hazard, appeals::Urgency::yellow,
                                                       "演练：村口桥面裂缝。", {}, {}}));
  Client client(*device);
  CUNWU_ASSIGN(const auto req, client.request(now));
  CUNWU_ASSIGN(const auto received, parse_request(to_json(req).dump()));
  CUNWU_ASSIGN(const auto resp, host.sync(kVillager, received, now));
  CUNWU_ASSIGN(const auto answer, response_from_json(oplog::Json::parse(to_text(resp), nullptr, false)));
  CUNWU_ASSIGN(const auto report, client.apply(req, answer, now));
  if (report.accepted != 1 || report.pulled == 0) {
    return make_error(Errc::internal, "the rehearsal's filing was not accepted and numbered");
  }
  return ok_status();
}

}  // namespace cunwu::sync

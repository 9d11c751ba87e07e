#include "story.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

namespace cunwu::story {
namespace {

Result<std::size_t> push(Replica& from, Replica& to, std::int64_t& cursor) {
  CUNWU_ASSIGN(const auto batch, from.log().ops().ops_after(cursor, 500));
  if (batch.empty()) return std::size_t{0};
  std::vector<oplog::Op> ops;
  for (const auto& [seq, op] : batch) ops.push_back(op);
  CUNWU_ASSIGN(const auto report, to.receive(ops));
  if (!report.invalid.empty()) return report.invalid.front().second;
  cursor = batch.back().first;
  return batch.size();
}

}  // namespace

Result<org::Directory> load_county() {
  const std::string path = std::string(CUNWU_SHARED_DIR) + "/demo/county.json";
  std::ifstream in(path);
  if (!in) return make_error(Errc::not_found, path);
  std::stringstream text;
  text << in.rdbuf();
  const auto seed = nlohmann::json::parse(text.str(), nullptr, false);
  if (seed.is_discarded()) return make_error(Errc::invalid_json, path);
  return org::directory_from_json(seed);
}

Result<nlohmann::json> load_shared_json(const std::string& relative_path) {
  const std::string path = std::string(CUNWU_SHARED_DIR) + "/" + relative_path;
  std::ifstream in(path);
  if (!in) return make_error(Errc::not_found, path);
  std::stringstream text;
  text << in.rdbuf();
  auto j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded()) return make_error(Errc::invalid_json, path);
  return j;
}

Result<std::unique_ptr<Replica>> open_device(const std::string& id, const StoryClock& clock,
                                             const org::Directory& dir) {
  ReplicaOptions options;
  options.id = ReplicaId(id);
  options.physical = clock.physical();
  CUNWU_ASSIGN(auto r, Replica::open(std::move(options)));
  CUNWU_TRY(r->set_directory(dir));
  return r;
}

Result<std::size_t> Link::sync() {
  std::size_t moved = 0;
  for (;;) {
    CUNWU_ASSIGN(const auto up, push(device_, host_, device_seq_));
    CUNWU_ASSIGN(const auto down, push(host_, device_, host_seq_));
    moved += up + down;
    if (up == 0 && down == 0) return moved;
  }
}

void say(const StoryClock& clock, const std::string& line) {
  std::printf("[%s] %s\n", china_datetime(clock.time()).c_str(), line.c_str());
}

}  // namespace cunwu::story

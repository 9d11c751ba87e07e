#include "admin.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth.hpp"
#include "cunwu/appeals/service.hpp"
#include "cunwu/disclosure/service.hpp"
#include "cunwu/points/service.hpp"
#include "cunwu/replica.hpp"

namespace cunwu::host {
namespace {

using Json = nlohmann::json;

Result<Json> read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) return make_error(Errc::invalid_json, "cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  Json j = Json::parse(text.str(), nullptr, false);
  if (j.is_discarded()) return make_error(Errc::invalid_json, path + " is not JSON");
  return j;
}

Result<std::unique_ptr<Replica>> open_county(const std::string& data_dir, bool must_exist) {
  const auto path = std::filesystem::path(data_dir) / "county.db";
  if (must_exist && !std::filesystem::exists(path)) {
    return make_error(Errc::not_found, path.string() + " does not exist (cunwu-admin demo --data " + data_dir + ")");
  }
  std::filesystem::create_directories(data_dir);
  ReplicaOptions options;
  options.path = path.string();
  options.id = ReplicaId("host");
  return Replica::open(std::move(options));
}

std::string csv(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

Status admin_demo(const std::string& data_dir, const std::string& shared_dir, std::ostream& out) {
  CUNWU_ASSIGN(auto r, open_county(data_dir, false));
  CUNWU_ASSIGN(const auto accounts, read_json(shared_dir + "/demo/accounts.json"));
  if (r->directory().regions().empty()) {
    CUNWU_ASSIGN(const auto seed, read_json(shared_dir + "/demo/county.json"));
    CUNWU_ASSIGN(auto dir, org::directory_from_json(seed));
    CUNWU_TRY(r->set_directory(std::move(dir)));
    Auth auth(*r);
    const TimeMs now{clock::system_clock()()};
    for (const auto& a : accounts.at("accounts")) {
      CUNWU_TRY(auth.create_account(UserId(a.at("user").get<std::string>()), a.at("phone").get<std::string>(),
                                    accounts.at("password").get<std::string>(), now));
    }
    // The villages' points catalogues and supermarkets, and what they have disclosed so far,
    // as ops of their cadres, so that devices receive them like anything else.
    CUNWU_ASSIGN(const auto points_seed, read_json(shared_dir + "/demo/points.json"));
    CUNWU_TRY(points::seed_demo(*r, points_seed));
    CUNWU_ASSIGN(const auto disclosure_seed, read_json(shared_dir + "/demo/disclosure.json"));
    disclosure::Service posts(*r);
    CUNWU_ASSIGN(const auto seeded, disclosure::seed_demo(posts, disclosure_seed));
    CUNWU_ASSIGN(const auto decided, points::Service(*r).decide());
    (void)decided;
    out << "created the demo county in " << data_dir << "/county.db (" << seeded.size()
        << " disclosed posts, points catalogues of " << points_seed.at("villages").size() << " villages)\n";
  } else {
    out << "the county in " << data_dir << "/county.db exists already; nothing changed\n";
  }
  out << "demo accounts (password: " << accounts.at("password").get<std::string>() << "):\n";
  for (const auto& a : accounts.at("accounts")) {
    const UserId user(a.at("user").get<std::string>());
    const auto* u = r->directory().user(user);
    std::string roles;
    for (const auto& g : r->directory().grants(user)) roles += std::string(org::role_name(g.role)) + "@" + g.region.str() + " ";
    out << "  " << a.at("phone").get<std::string>() << "  " << (u ? u->name : "?") << "  " << roles << "\n";
  }
  return ok_status();
}

Status admin_grant(const std::string& data_dir, const std::string& user, const std::string& role,
                   const std::string& region, std::ostream& out) {
  CUNWU_ASSIGN(auto r, open_county(data_dir, true));
  CUNWU_ASSIGN(const auto parsed, org::role_from_name(role));
  org::Directory dir = r->directory();
  CUNWU_TRY(dir.grant(UserId(user), parsed, RegionId(region)));
  CUNWU_TRY(r->set_directory(std::move(dir)));
  out << "granted " << role << " for " << region << " to " << user << "\n";
  return ok_status();
}

Status admin_invite(const std::string& data_dir, const std::string& courtyard, const std::string& household, int uses,
                    int days, std::ostream& out) {
  CUNWU_ASSIGN(auto r, open_county(data_dir, true));
  Auth auth(*r);
  std::optional<HouseholdId> hh;
  if (!household.empty()) hh = HouseholdId(household);
  CUNWU_ASSIGN(const auto code, auth.issue_invite(UserId("admin-cli"), RegionId(courtyard), hh, uses, days,
                                                  TimeMs{clock::system_clock()()}));
  out << "invite code: " << code << "  (courtyard " << courtyard << (hh ? ", household " + household : "") << ", "
      << uses << " uses, " << days << " days)\n";
  return ok_status();
}

Status admin_export_appeals(const std::string& data_dir, std::ostream& out) {
  CUNWU_ASSIGN(auto r, open_county(data_dir, true));
  CUNWU_ASSIGN(const auto all, appeals::Service(*r).list());
  out << "\xEF\xBB\xBF" << "id,official_number,scope,filer,category,urgency,status,level,filed_at,resolved_at,rating,text\n";
  for (const auto& a : all) {
    out << csv(a.id.str()) << ',' << csv(a.official_number) << ',' << csv(a.scope.str()) << ',' << csv(a.filer.str())
        << ',' << appeals::name(a.category) << ',' << appeals::name(a.urgency) << ',' << appeals::name(a.status) << ','
        << a.level << ',' << china_datetime(a.filed_at) << ','
        << (a.resolved_at ? china_datetime(*a.resolved_at) : "") << ','
        << (a.rating ? std::string(appeals::name(*a.rating)) : "") << ',' << csv(a.text) << '\n';
  }
  return ok_status();
}

}  // namespace cunwu::host

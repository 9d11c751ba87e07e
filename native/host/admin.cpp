#include "admin.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <qrencode.h>

#include "auth.hpp"
#include "chain.hpp"
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
  // A cell starting like a formula is opened as text, so an appeal's text cannot run in Excel.
  std::string out = !s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos ? "\"'" : "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The QR code in the terminal: two modules per character with half blocks, and a quiet zone.
void print_qr(const QRcode& qr, std::ostream& out) {
  const int n = qr.width, quiet = 2;
  auto dark = [&](int x, int y) {
    return x >= 0 && y >= 0 && x < n && y < n && (qr.data[y * n + x] & 1);
  };
  for (int y = -quiet; y < n + quiet; y += 2) {
    for (int x = -quiet; x < n + quiet; ++x) {
      const bool top = dark(x, y), bottom = dark(x, y + 1);
      // For light text on a dark terminal: light modules are block characters, dark ones the
      // background.
      out << (top && bottom ? " " : top ? "\u2584" : bottom ? "\u2580" : "\u2588");
    }
    out << "\n";
  }
}

Status write_qr_svg(const QRcode& qr, const std::string& path, const std::string& caption) {
  const int n = qr.width, quiet = 4, cell = 8, size = (n + 2 * quiet) * cell;
  std::ofstream svg(path, std::ios::trunc);
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << size << "\" height=\"" << size + 40
      << "\" viewBox=\"0 0 " << size << ' ' << size + 40 << "\">\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n<path d=\"";
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      if (qr.data[y * n + x] & 1) svg << 'M' << (x + quiet) * cell << ' ' << (y + quiet) * cell << "h" << cell << "v" << cell << "h-" << cell << 'z';
    }
  }
  svg << "\" fill=\"#000\"/>\n<text x=\"50%\" y=\"" << size + 24
      << "\" font-size=\"20\" text-anchor=\"middle\" font-family=\"sans-serif\">" << caption << "</text>\n</svg>\n";
  svg.flush();
  if (!svg) return make_error(Errc::storage_error, "cannot write " + path);
  return ok_status();
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
    std::vector<std::pair<UserId, std::string>> people;
    for (const auto& a : accounts.at("accounts")) {
      people.emplace_back(UserId(a.at("user").get<std::string>()), a.at("phone").get<std::string>());
    }
    CUNWU_TRY(auth.create_accounts(people, accounts.at("password").get<std::string>(), now));
    // The villages' points catalogues and supermarkets, and what they have disclosed so far,
    // as ops of their cadres, so that devices receive them like anything else.
    CUNWU_ASSIGN(const auto points_seed, read_json(shared_dir + "/demo/points.json"));
    CUNWU_TRY(points::seed_demo(*r, points_seed));
    CUNWU_ASSIGN(const auto disclosure_seed, read_json(shared_dir + "/demo/disclosure.json"));
    disclosure::Service posts(*r);
    CUNWU_ASSIGN(const auto seeded, disclosure::seed_demo(posts, disclosure_seed));
    CUNWU_ASSIGN(const auto decided, points::Service(*r).decide());
    (void)decided;
    CUNWU_ASSIGN(const auto key, load_or_create_key(data_dir));
    CUNWU_ASSIGN(const auto checkpoint, make_checkpoint(*r, key, now));
    (void)checkpoint;
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

Status admin_invite(const std::string& data_dir, const InviteOptions& o, std::ostream& out) {
  CUNWU_ASSIGN(auto r, open_county(data_dir, true));
  Auth auth(*r);
  std::optional<HouseholdId> hh;
  if (!o.household.empty()) hh = HouseholdId(o.household);
  CUNWU_ASSIGN(const auto code, auth.issue_invite(UserId("admin-cli"), RegionId(o.courtyard), hh, o.uses, o.days,
                                                  TimeMs{clock::system_clock()()}));
  const auto* yard = r->directory().region(RegionId(o.courtyard));
  const std::string name = yard ? yard->name : o.courtyard;
  out << "invite code: " << code << "  (" << name << " " << o.courtyard << (hh ? ", household " + o.household : "")
      << ", " << o.uses << " uses, " << o.days << " days)\n";
  // 码上办: scanning opens the app's registration with the code filled in.
  const std::string url = o.app_url + "#/register?invite=" + code;
  std::unique_ptr<QRcode, void (*)(QRcode*)> qr(QRcode_encodeString(url.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1),
                                                QRcode_free);
  if (!qr) return make_error(Errc::internal, "cannot encode the QR code");
  out << "scan to register (" << url << "):\n";
  print_qr(*qr, out);
  if (!o.svg_path.empty()) {
    CUNWU_TRY(write_qr_svg(*qr, o.svg_path, name + " 邀请码 " + code));
    out << "QR image written to " << o.svg_path << "\n";
  }
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

Status admin_export_ledgers(const std::string& data_dir, std::ostream& out) {
  CUNWU_ASSIGN(auto r, open_county(data_dir, true));
  points::Service svc(*r);
  out << "\xEF\xBB\xBF" << "household,household_name,courtyard,entry,kind,rule,title,points,at,by,reverses,reversed_by,note\n";
  for (const auto& [id, household] : r->directory().households()) {
    CUNWU_ASSIGN(const auto ledger, svc.ledger(id));
    for (const auto& e : ledger.entries) {
      out << csv(id.str()) << ',' << csv(household.name) << ',' << csv(household.courtyard.str()) << ',' << csv(e.id) << ','
          << points::name(e.kind) << ',' << csv(e.rule) << ',' << csv(e.title) << ',' << e.delta.value << ','
          << china_datetime(e.at) << ',' << csv(e.actor.str()) << ',' << csv(e.reverses) << ',' << csv(e.reversed_by)
          << ',' << csv(e.note) << '\n';
    }
  }
  return ok_status();
}

Status admin_checkpoint(const std::string& data_dir, std::ostream& out) {
  CUNWU_ASSIGN(auto r, open_county(data_dir, true));
  CUNWU_ASSIGN(const auto key, load_or_create_key(data_dir));
  CUNWU_ASSIGN(const auto made, make_checkpoint(*r, key, TimeMs{clock::system_clock()()}));
  if (made) {
    out << "checkpoint signed at op " << made->seq << ": " << made->hash << "\n";
  } else {
    out << "the newest checkpoint already covers every op\n";
  }
  out << "public key (keep a copy elsewhere): " << key.public_hex << "\n";
  return ok_status();
}

Status admin_verify(const std::string& data_dir, const std::string& public_key_hex, std::ostream& out) {
  CUNWU_ASSIGN(auto r, open_county(data_dir, true));
  std::string key = public_key_hex;
  if (key.empty()) { CUNWU_ASSIGN(key, read_public_key(data_dir)); }
  CUNWU_ASSIGN(const auto v, verify_chain(*r, key));
  out << "ops read: " << v.ops << ", matching their links: " << v.linked << ", not yet linked: " << v.unchained
      << ", checkpoints verified: " << v.checkpoints << "\n";
  if (v.ok) {
    out << "OK: the log matches its hash chain and every signed checkpoint\n";
    return ok_status();
  }
  out << "MISMATCH at op seq " << v.bad_seq << (v.bad_op.empty() ? "" : " (" + v.bad_op + ")") << ": " << v.problem << "\n";
  return make_error(Errc::chain_broken, "first mismatch at op seq " + std::to_string(v.bad_seq));
}

}  // namespace cunwu::host

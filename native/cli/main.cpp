// cunwu-admin: the operator's command line over a county's data directory.
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "admin.hpp"

namespace {

constexpr const char* kUsage =
    "cunwu-admin: manage a county's sync host data.\n\n"
    "usage: cunwu-admin COMMAND --data DIR [options]\n\n"
    "commands:\n"
    "  demo    --data DIR [--shared DIR]        create the demo county and its demo accounts (idempotent)\n"
    "  grant   --data DIR --user U --role R --region X\n"
    "                                           grant a role (villager, courtyard_head, village_cadre,\n"
    "                                           township_staff, county_staff, inspector, deputy, shopkeeper,\n"
    "                                           admin) for a region\n"
    "  invite  --data DIR --courtyard Y [--household H] [--uses N] [--days D] [--url URL] [--svg FILE]\n"
    "                                           issue an invite code for villagers to register, with a QR\n"
    "                                           code that opens URL's registration with the code filled in\n"
    "                                           (drawn in the terminal; --svg also writes it as an image)\n"
    "  export  --data DIR appeals|ledgers       write every appeal / points ledger line as CSV to stdout\n"
    "  checkpoint --data DIR                    chain new ops and sign a checkpoint with DIR/host.key\n"
    "  verify  --data DIR [--public-key HEX]    recompute the hash chain, check the signed checkpoints\n"
    "                                           (against HEX, else DIR/host.pub); exit 1 on a mismatch\n";

int fail(const std::string& msg) {
  std::fprintf(stderr, "cunwu-admin: %s\n", msg.c_str());
  return 1;
}

int run(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::printf("%s", kUsage);
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  std::map<std::string, std::string> opt{
      {"shared", CUNWU_SHARED_DIR}, {"uses", "1"}, {"days", "30"}, {"url", "http://127.0.0.1:8080/"}};
  std::vector<std::string> positional;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.starts_with("--")) {
      if (i + 1 >= argc) return fail(a + " needs a value");
      opt[a.substr(2)] = argv[++i];
    } else {
      positional.push_back(a);
    }
  }
  if (!opt.contains("data")) return fail("--data DIR is required\n\n" + std::string(kUsage));
  const std::string data = opt["data"];
  cunwu::Status s = cunwu::ok_status();
  if (command == "demo") {
    s = cunwu::host::admin_demo(data, opt["shared"], std::cout);
  } else if (command == "grant") {
    s = cunwu::host::admin_grant(data, opt["user"], opt["role"], opt["region"], std::cout);
  } else if (command == "invite") {
    cunwu::host::InviteOptions o;
    o.courtyard = opt["courtyard"];
    o.household = opt["household"];
    o.uses = std::stoi(opt["uses"]);
    o.days = std::stoi(opt["days"]);
    o.app_url = opt["url"];
    o.svg_path = opt["svg"];
    s = cunwu::host::admin_invite(data, o, std::cout);
  } else if (command == "export" && positional == std::vector<std::string>{"appeals"}) {
    s = cunwu::host::admin_export_appeals(data, std::cout);
  } else if (command == "export" && positional == std::vector<std::string>{"ledgers"}) {
    s = cunwu::host::admin_export_ledgers(data, std::cout);
  } else if (command == "checkpoint") {
    s = cunwu::host::admin_checkpoint(data, std::cout);
  } else if (command == "verify") {
    s = cunwu::host::admin_verify(data, opt["public-key"], std::cout);
  } else {
    return fail("unknown command: " + command + "\n\n" + kUsage);
  }
  if (!s) return fail(std::string(cunwu::errc_name(s.error().code)) + ": " + s.error().detail);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}

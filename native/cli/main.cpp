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
    "  invite  --data DIR --courtyard Y [--household H] [--uses N] [--days D]\n"
    "                                           issue an invite code for villagers to register\n"
    "  export  --data DIR appeals               write every appeal as CSV to standard output\n";

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
  std::map<std::string, std::string> opt{{"shared", CUNWU_SHARED_DIR}, {"uses", "1"}, {"days", "30"}};
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
    s = cunwu::host::admin_invite(data, opt["courtyard"], opt["household"], std::stoi(opt["uses"]),
                                  std::stoi(opt["days"]), std::cout);
  } else if (command == "export" && positional == std::vector<std::string>{"appeals"}) {
    s = cunwu::host::admin_export_appeals(data, std::cout);
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

// libFuzzer target: the host's parser of sync request bodies and the client's parser of
// responses must answer any bytes with a value or a catalogued error: no crash, no exception,
// no undefined behaviour (built with ASan+UBSan), and a parsed message writes back to JSON that
// parses to the same message.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cunwu/sync/protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  if (auto req = cunwu::sync::parse_request(body)) {
    auto again = cunwu::sync::request_from_json(cunwu::sync::to_json(*req));
    if (!again || cunwu::sync::to_json(*again) != cunwu::sync::to_json(*req)) __builtin_trap();
  }
  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_discarded()) {
    if (auto resp = cunwu::sync::response_from_json(j)) {
      auto again = cunwu::sync::response_from_json(cunwu::sync::to_json(*resp));
      if (!again || cunwu::sync::to_json(*again) != cunwu::sync::to_json(*resp)) __builtin_trap();
    }
  }
  return 0;
}

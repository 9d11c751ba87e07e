#include "listener.hpp"

#include <sys/socket.h>

#include <memory>

namespace cunwu::host {

Result<int> bind_listener(httplib::Server& server, const std::string& address, int port, int backlog) {
  // The library calls this for each socket it tries, the listening one last.
  auto listening = std::make_shared<socket_t>(INVALID_SOCKET);
  server.set_socket_options([listening](socket_t s) {
    int yes = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    *listening = s;
  });
  const int bound = port == 0 ? server.bind_to_any_port(address) : server.bind_to_port(address, port) ? port : -1;
  if (bound < 0) return make_error(Errc::invalid_input, "cannot listen on " + address + ":" + std::to_string(port));
  // listen() again on a listening socket sets its queue length (Linux).
  if (::listen(*listening, backlog) != 0) {
    return make_error(Errc::internal, "cannot set the listen queue of " + address + ":" + std::to_string(bound));
  }
  return bound;
}

}  // namespace cunwu::host

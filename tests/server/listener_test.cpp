// The host's listening socket (native/host/listener.*): a long listen queue, and a port that a
// second host cannot share.
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <vector>

#include "listener.hpp"

namespace cunwu {
namespace {

// Connects to 127.0.0.1:`port` without blocking; returns the socket (or -1).
int start_connect(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  ::fcntl(s, F_SETFL, O_NONBLOCK);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(std::uint16_t(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  return s;
}

// How many of `fds` have finished connecting within `ms` milliseconds.
int connected_within(const std::vector<int>& fds, int ms) {
  std::vector<pollfd> p;
  for (int fd : fds) p.push_back({fd, POLLOUT, 0});
  ::usleep(useconds_t(ms) * 1000);
  ::poll(p.data(), p.size(), 0);
  int n = 0;
  for (const auto& x : p) n += (x.revents & POLLOUT) && !(x.revents & (POLLERR | POLLHUP)) ? 1 : 0;
  return n;
}

TEST(Listener, ABurstOfPhonesIsQueuedNotDropped) {
  // Bound but not accepting yet: every connection waits in the listen queue. The library's own
  // queue of 5 would drop the SYNs of the rest, which the phones would retry a second later.
  httplib::Server server;
  auto port = host::bind_listener(server, "127.0.0.1", 0, 128);
  ASSERT_TRUE(port) << port.error().detail;
  std::vector<int> fds;
  for (int i = 0; i < 64; ++i) fds.push_back(start_connect(*port));
  EXPECT_EQ(connected_within(fds, 300), 64);
  for (int fd : fds) ::close(fd);
}

TEST(Listener, ASecondHostCannotShareThePort) {
  httplib::Server first, second;
  auto port = host::bind_listener(first, "127.0.0.1", 0);
  ASSERT_TRUE(port) << port.error().detail;
  auto again = host::bind_listener(second, "127.0.0.1", *port);
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().detail.find("cannot listen on 127.0.0.1:" + std::to_string(*port)), std::string::npos);
}

}  // namespace
}  // namespace cunwu

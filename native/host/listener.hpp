#pragma once
// The host's listening socket. cpp-httplib 0.11 listens with a queue of 5 connections and sets
// SO_REUSEPORT: a burst of phones connecting at once (a village syncing when the signal comes
// back) would see their connections dropped and retried a second later, and a second host
// started on a port already in use would quietly share its connections instead of failing.
#include <httplib.h>

#include <string>

#include "cunwu/base/result.hpp"

namespace cunwu::host {

/// The listen queue cunwu-server asks for (the kernel caps it at net.core.somaxconn).
inline constexpr int kListenBacklog = 1024;

/// Binds `server` to `address`:`port` (0: a free port) with SO_REUSEADDR only (a restart reuses
/// the port at once; another process already listening on it makes this fail) and a listen
/// queue of `backlog` connections. Returns the port. Call before `listen_after_bind`.
Result<int> bind_listener(httplib::Server& server, const std::string& address, int port, int backlog = kListenBacklog);

}  // namespace cunwu::host

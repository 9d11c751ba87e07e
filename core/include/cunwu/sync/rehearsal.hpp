#pragma once
// 演练 — a first sync run through once before the real one, for cores that compile their code
// on first use.
#include "cunwu/base/error.hpp"
#include "cunwu/base/ids.hpp"

namespace cunwu::sync {

/// Runs every step of a new device's first sync once, with nothing kept and nothing sent: a
/// host with a county of one courtyard builds the snapshot of its villager, a device opens it,
/// files an appeal and makes one round trip through the wire format (push, the host's checks,
/// its official number, the pull and the apply). Both live in memory and are gone on return.
/// A WebAssembly core compiles each function on its first call (browsers and node do), which
/// made a fresh device's first sync ~80 ms slower than the next; run while the person logs in,
/// the real one finds its code compiled. `now`: the device's clock. Errors: any of the steps'
/// (a bug: the county and the filing are fixed).
Status rehearse_first_sync(TimeMs now);

}  // namespace cunwu::sync

// The web app's files (`--web DIR`), served with what a phone on a slow link needs: a file's
// precompressed copy (`F.br`, `F.gz`, written by the build for the WebAssembly core, which
// cpp-httplib does not compress) when the browser accepts it, and validators (ETag) so that a
// service worker's install revalidates the files the page has just downloaded (304) instead of
// downloading them again.
#pragma once

#include <httplib.h>

#include <string>

namespace cunwu::host {

/// Answers a GET or HEAD of a file of the app in `web_dir` ("/" is index.html): the file, or for
/// the core (.wasm) its `.br` / `.gz` copy with Content-Encoding when Accept-Encoding accepts it; ETag and
/// `Cache-Control: no-cache`; 304 when If-None-Match matches. Text answers are compressed by
/// cpp-httplib as before. Returns false (not handled) for other methods, paths with "..", files
/// that do not exist and types it does not know; the mount point answers those.
bool serve_static(const std::string& web_dir, const httplib::Request& req, httplib::Response& res);

}  // namespace cunwu::host

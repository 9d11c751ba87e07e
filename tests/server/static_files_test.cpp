// The web app's files as cunwu-server serves them (native/host/static_files.*): the core's
// precompressed copy by Accept-Encoding, validators for the service worker's install.
#include <fstream>

#include "gzip.hpp"
#include "live_host.hpp"

namespace cunwu::testing {
namespace {

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

TEST(StaticFiles, TheCoreGoesAsItsCompressedCopyAndUnchangedFilesAreNotSentAgain) {
  TempDir web;
  write(web.file("index.html"), "<!doctype html><title>村务</title>");
  write(web.file("cunwu_core.wasm"), std::string("\0asm\1\0\0\0", 8));
  write(web.file("cunwu_core.wasm.br"), "brotli bytes");
  write(web.file("cunwu_core.wasm.gz"), "gzip bytes");
  host::ServerConfig config;
  config.web_dir = web.file("");
  LiveHost h(config);
  auto c = h.client();
  c.set_decompress(false);

  const auto br = c.Get("/cunwu_core.wasm", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(br);
  EXPECT_EQ(br->status, 200);
  EXPECT_EQ(br->body, "brotli bytes");
  EXPECT_EQ(br->get_header_value("Content-Encoding"), "br");
  EXPECT_EQ(br->get_header_value("Content-Type"), "application/wasm");
  EXPECT_EQ(br->get_header_value("Vary"), "Accept-Encoding");
  const auto gz = c.Get("/cunwu_core.wasm", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(gz->body, "gzip bytes");
  EXPECT_EQ(gz->get_header_value("Content-Encoding"), "gzip");
  EXPECT_NE(gz->get_header_value("ETag"), br->get_header_value("ETag"));
  const auto raw = c.Get("/cunwu_core.wasm", {{"Accept-Encoding", "identity"}});
  EXPECT_EQ(raw->body.size(), 8u);
  EXPECT_FALSE(raw->has_header("Content-Encoding"));

  // The service worker's install revalidates what the page downloaded: 304, no body.
  const auto again = c.Get("/cunwu_core.wasm", {{"Accept-Encoding", "gzip, deflate, br"}, {"If-None-Match", br->get_header_value("ETag")}});
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  const auto page = c.Get("/", {{"Accept-Encoding", "identity"}});
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html");
  EXPECT_EQ(page->get_header_value("Cache-Control"), "no-cache");
  EXPECT_NE(page->body.find("村务"), std::string::npos);
  EXPECT_EQ(c.Get("/index.html", {{"If-None-Match", page->get_header_value("ETag")}})->status, 304);

  // Nothing outside the app's folder, and the API is not a file.
  const auto outside = c.Get("/../county/county.db");
  EXPECT_TRUE(!outside || outside->status != 200);
  EXPECT_EQ(c.Get("/v1/me")->status, 401);
}

TEST(StaticFiles, AcceptEncodingTokens) {
  EXPECT_TRUE(host::accepts_encoding("gzip, deflate, br", "br"));
  EXPECT_TRUE(host::accepts_encoding("*", "br"));
  EXPECT_FALSE(host::accepts_encoding("gzip, deflate", "br"));
  EXPECT_FALSE(host::accepts_encoding("br;q=0, gzip", "br"));
}

}  // namespace
}  // namespace cunwu::testing

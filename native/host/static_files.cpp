#include "static_files.hpp"

#include <filesystem>
#include <fstream>
#include <string_view>
#include <system_error>

#include "gzip.hpp"

namespace cunwu::host {
namespace {

namespace fs = std::filesystem;

// The types of the files the app has; anything else is left to the mount point.
const char* content_type(std::string_view ext) {
  if (ext == ".html") return "text/html";
  if (ext == ".js" || ext == ".mjs") return "application/javascript";
  if (ext == ".css") return "text/css";
  if (ext == ".json") return "application/json";
  if (ext == ".webmanifest") return "application/manifest+json";
  if (ext == ".wasm") return "application/wasm";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  return nullptr;
}

// A weak validator from size and modification time: the build rewrites a file it changes.
std::string etag(const fs::path& file, std::string_view coding) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  const auto mtime = fs::last_write_time(file, ec).time_since_epoch().count();
  return "W/\"" + std::to_string(size) + "-" + std::to_string(mtime) + (coding.empty() ? "" : "-") +
         std::string(coding) + "\"";
}

bool read_file(const fs::path& file, std::string& out) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  std::ifstream in(file, std::ios::binary);
  if (ec || !in) return false;
  out.resize(size);
  return static_cast<bool>(in.read(out.data(), static_cast<std::streamsize>(size)));
}

}  // namespace

bool serve_static(const std::string& web_dir, const httplib::Request& req, httplib::Response& res) {
  if (req.method != "GET" && req.method != "HEAD") return false;
  std::string_view path = req.path;
  if (path.empty() || path.front() != '/' || path.find("..") != std::string_view::npos ||
      path.find('\\') != std::string_view::npos || path.starts_with("/v1/"))
    return false;
  const std::string rel = path == "/" ? "index.html" : std::string(path.substr(1));
  const fs::path file = fs::path(web_dir) / rel;
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return false;
  const char* type = content_type(file.extension().string());
  if (!type) return false;
  // The core's precompressed copy, best first. Text is compressed by cpp-httplib (which would
  // compress a precompressed text copy again), application/wasm is not.
  const std::string accept = req.get_header_value("Accept-Encoding");
  fs::path chosen = file;
  std::string coding;
  for (const char* c : {"br", "gzip"}) {
    if (std::string_view(type) != "application/wasm") break;
    const fs::path copy = fs::path(file).concat(std::string_view(c) == "br" ? ".br" : ".gz");
    if (accepts_encoding(accept, c) && fs::is_regular_file(copy, ec)) {
      chosen = copy;
      coding = c;
      break;
    }
  }
  const std::string tag = etag(chosen, coding);
  res.set_header("ETag", tag);
  res.set_header("Cache-Control", "no-cache");  // always revalidated: the service worker keeps the offline copy
  res.set_header("Vary", "Accept-Encoding");
  if (req.get_header_value("If-None-Match") == tag) {
    res.status = 304;
    return true;
  }
  std::string body;
  if (!read_file(chosen, body)) return false;
  if (!coding.empty()) res.set_header("Content-Encoding", coding);
  res.body = std::move(body);  // this httplib's set_content copies
  res.set_header("Content-Type", type);
  return true;
}

}  // namespace cunwu::host

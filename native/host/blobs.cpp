#include "blobs.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cunwu/sync/blobs.hpp"

namespace cunwu::host {
namespace {

namespace fs = std::filesystem;

bool starts_with(std::string_view s, std::string_view prefix, std::size_t at = 0) {
  return s.size() >= at + prefix.size() && s.substr(at, prefix.size()) == prefix;
}

std::string os_error(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

// fsync of a directory makes a rename (or a new entry) in it durable.
Status sync_dir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return make_error(Errc::storage_error, os_error("open", dir));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return make_error(Errc::storage_error, os_error("fsync", dir));
  return ok_status();
}

// Creates `dir` if missing, and makes its entry in `parent` durable.
Status ensure_dir(const std::string& parent, const std::string& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return ok_status();
  fs::create_directories(dir, ec);
  if (ec) return make_error(Errc::storage_error, "mkdir " + dir + ": " + ec.message());
  return sync_dir(parent);
}

Status write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error(Errc::storage_error, os_error("write", path));
    bytes.remove_prefix(std::size_t(n));
  }
  return ok_status();
}

constexpr std::string_view kTempSuffix = ".partial";
// Uploads are written here first, so that sweeping a crash's leftovers lists one folder, not
// every stored blob (blobs live in two-hex-digit folders: no clash).
constexpr const char* kTempDir = "tmp";

}  // namespace

std::optional<BlobType> sniff_blob(std::string_view b) {
  if (starts_with(b, "\xFF\xD8\xFF")) return BlobType{"photo", "image/jpeg"};
  if (starts_with(b, "\x89PNG\r\n\x1A\n")) return BlobType{"photo", "image/png"};
  if (starts_with(b, "RIFF") && starts_with(b, "WEBP", 8)) return BlobType{"photo", "image/webp"};
  // EBML; the doctype sits in the header's first few dozen bytes (Matroska video is not a voice).
  if (starts_with(b, "\x1A\x45\xDF\xA3") && b.substr(0, 64).find("webm") != std::string_view::npos) {
    return BlobType{"voice", "audio/webm"};
  }
  // An Ogg stream's first page carries the codec's header at byte 28.
  if (starts_with(b, "OggS") && (starts_with(b, "OpusHead", 28) || starts_with(b, "\x01vorbis", 28))) {
    return BlobType{"voice", "audio/ogg"};
  }
  if (starts_with(b, "ftyp", 4)) return BlobType{"voice", "audio/mp4"};  // Safari records MP4/AAC
  return std::nullopt;
}

Result<BlobType> check_upload(const std::string& name, std::string_view bytes) {
  if (!sync::is_blob_name(name)) return make_error(Errc::invalid_attachment, "a blob is named by its sha256 (64 lowercase hex)");
  // The cheap checks first: a body over every limit is refused before it is sniffed or hashed.
  if (bytes.size() > std::max(kMaxPhotoBytes, kMaxVoiceBytes)) {
    return make_error(Errc::blob_too_large, std::to_string(bytes.size()) + " bytes");
  }
  auto type = sniff_blob(bytes);
  if (!type) return make_error(Errc::blob_type_unsupported, "neither a JPEG, PNG or WebP photo nor WebM, Ogg or MP4 audio");
  const std::size_t limit = type->kind == "photo" ? kMaxPhotoBytes : kMaxVoiceBytes;
  if (bytes.size() > limit) {
    return make_error(Errc::blob_too_large, type->kind + " of " + std::to_string(bytes.size()) + " bytes > " + std::to_string(limit));
  }
  if (sha256_hex(bytes) != name) return make_error(Errc::blob_hash_mismatch, "the bytes' sha256 is not the name");
  return std::move(*type);
}

std::string BlobFiles::path_of(const std::string& name) const {
  return (fs::path(dir_) / name.substr(0, 2) / name).string();
}

Result<bool> BlobFiles::put(const std::string& name, std::string_view bytes) {
  const std::string final_path = path_of(name);
  std::error_code ec;
  if (fs::exists(final_path, ec)) return false;  // content-addressed: the same name is the same bytes
  const std::string sub = fs::path(final_path).parent_path().string();
  const std::string parent = fs::path(dir_).parent_path().string();
  CUNWU_TRY(ensure_dir(parent.empty() ? "." : parent, dir_));
  CUNWU_TRY(ensure_dir(dir_, sub));
  const std::string temps = (fs::path(dir_) / kTempDir).string();
  CUNWU_TRY(ensure_dir(dir_, temps));
  static std::atomic<unsigned> counter{0};
  const std::string temp = (fs::path(temps) / name).string() + "." + std::to_string(::getpid()) + "-" +
                           std::to_string(counter++) + "-" + std::to_string(randombytes_random()) +
                           std::string(kTempSuffix);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return make_error(Errc::storage_error, os_error("open", temp));
  Status written = write_all(fd, bytes, temp);
  if (written && ::fsync(fd) != 0) written = make_error(Errc::storage_error, os_error("fsync", temp));
  if (::close(fd) != 0 && written) written = make_error(Errc::storage_error, os_error("close", temp));
  if (written && ::rename(temp.c_str(), final_path.c_str()) != 0) {
    written = make_error(Errc::storage_error, os_error("rename", temp));
  }
  if (!written) {
    ::unlink(temp.c_str());
    return written.error();
  }
  CUNWU_TRY(sync_dir(sub));
  return true;
}

Result<std::string> BlobFiles::read(const std::string& name) const {
  if (!sync::is_blob_name(name)) return make_error(Errc::blob_not_found, "not a blob name");
  const std::string path = path_of(name);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return make_error(Errc::blob_not_found, "no file");
    return make_error(Errc::storage_error, os_error("open", path));
  }
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return make_error(Errc::storage_error, "read " + path);
  return out.str();
}

std::size_t BlobFiles::sweep_partial() {
  std::size_t removed = 0;
  std::error_code ec;
  const fs::path temps = fs::path(dir_) / kTempDir;
  if (!fs::is_directory(temps, ec)) return 0;
  for (const auto& entry : fs::directory_iterator(temps, ec)) {
    const auto file = entry.path().filename().string();
    if (entry.is_regular_file(ec) && file.ends_with(kTempSuffix) && fs::remove(entry.path(), ec)) ++removed;
  }
  return removed;
}

}  // namespace cunwu::host

// Attachments on the real host over HTTP: uploads are checked (name, size, type, hash) and
// stored once, durably; a download goes only to people who receive an op that references the
// blob, and everyone else gets the same catalogued answer.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "blobs.hpp"
#include "cunwu/appeals/service.hpp"
#include "cunwu/points/service.hpp"
#include "cunwu/store/blob_store.hpp"
#include "cunwu/sync/blobs.hpp"
#include "live_host.hpp"

namespace cunwu {
namespace {

namespace fs = std::filesystem;
using testing::error_of;
using testing::LiveHost;
using testing::login;
using testing::Phone;

/// Bytes that look like a JPEG (the host checks magic bytes, not pixels), distinct per `seed`.
std::string fake_jpeg(const std::string& seed, std::size_t size = 4000) {
  std::string b = "\xFF\xD8\xFF\xE0" + seed;
  while (b.size() < size - 2) b += char('a' + b.size() % 26);
  return b + "\xFF\xD9";
}

httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

httplib::Result put(LiveHost& h, const std::string& token, const std::string& name, const std::string& bytes,
                    const char* type = "image/jpeg") {
  return h.client().Put(("/v1/blobs/" + name).c_str(), bearer(token), bytes, type);
}

httplib::Result get(LiveHost& h, const std::string& token, const std::string& name) {
  return h.client().Get(("/v1/blobs/" + name).c_str(), bearer(token));
}

std::size_t files_under(const std::string& dir) {
  std::size_t n = 0;
  if (!fs::exists(dir)) return 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) n += e.is_regular_file();
  return n;
}

TEST(Blobs, MagicBytesDecideTheKind) {
  EXPECT_EQ(host::sniff_blob(fake_jpeg("x"))->mime, "image/jpeg");
  EXPECT_EQ(host::sniff_blob(std::string("\x89PNG\r\n\x1A\n....", 12))->kind, "photo");
  EXPECT_EQ(host::sniff_blob(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16))->mime, "image/webp");
  EXPECT_EQ(host::sniff_blob(std::string("\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\x82\x84webm", 16))->mime, "audio/webm");
  EXPECT_FALSE(host::sniff_blob(std::string("\x1A\x45\xDF\xA3\x9F\x42\x82\x88matroska", 16)));  // video container
  std::string ogg = "OggS" + std::string(24, '\0') + "OpusHead";
  EXPECT_EQ(host::sniff_blob(ogg)->mime, "audio/ogg");
  EXPECT_FALSE(host::sniff_blob("OggS" + std::string(24, '\0') + "\x80theora"));  // video
  EXPECT_EQ(host::sniff_blob(std::string("\0\0\0\x1C" "ftypM4A ", 12))->kind, "voice");
  EXPECT_FALSE(host::sniff_blob("GIF89a......"));
  EXPECT_FALSE(host::sniff_blob("<html><script>alert(1)</script>"));
  EXPECT_FALSE(host::sniff_blob(""));
}

TEST(Blobs, OpsNameTheBlobsTheyReference) {
  const std::string a(64, 'a'), b(64, 'b'), c(64, 'c');
  const nlohmann::json payload = {
      {"text", "…"},
      {"attachments", {{{"kind", "photo"}, {"sha256", a}}, {{"kind", "voice"}, {"sha256", b}}, {{"kind", "photo"}, {"sha256", a}}}},
      {"content", {{"attachments", {c, "not-a-hash"}}, {"income", {{{"attachments", {b}}}}}}}};
  EXPECT_EQ(sync::referenced_blobs(payload), (std::vector<std::string>{a, b, c}));
  EXPECT_TRUE(sync::referenced_blobs({{"text", a}}).empty()) << "only attachments count";
}

TEST(Blobs, UploadsAreCheckedAndStoredOnceDurably) {
  LiveHost h;
  const auto token = login(h, "13800000001");
  const std::string photo = fake_jpeg("wang");
  const std::string name = host::sha256_hex(photo);
  const std::string blobs = h.data() + "/blobs";

  auto unauthenticated = h.client().Put(("/v1/blobs/" + name).c_str(), photo, "image/jpeg");
  EXPECT_EQ(unauthenticated->status, 401);
  EXPECT_EQ(error_of(unauthenticated)["code"], "unauthorized");
  struct Case {
    std::string name, bytes;
    int status;
    const char* code;
  };
  const std::vector<Case> refused = {
      {host::sha256_hex("something else"), photo, 400, "blob_hash_mismatch"},
      {"NOT-A-HASH", photo, 400, "invalid_attachment"},
      {std::string(64, 'A'), photo, 400, "invalid_attachment"},  // names are lowercase
      {host::sha256_hex("GIF89a"), "GIF89a", 415, "blob_type_unsupported"},
      {host::sha256_hex("<svg onload=alert(1)>"), "<svg onload=alert(1)>", 415, "blob_type_unsupported"},
      {host::sha256_hex(""), "", 415, "blob_type_unsupported"},
  };
  for (const auto& c : refused) {
    auto res = put(h, token, c.name, c.bytes);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, c.status) << c.code;
    EXPECT_EQ(error_of(res)["code"], c.code);
    EXPECT_FALSE(error_of(res)["message"].get<std::string>().empty());
  }
  const std::string big = fake_jpeg("big", host::kMaxPhotoBytes + 1);
  auto oversized = put(h, token, host::sha256_hex(big), big);
  EXPECT_EQ(oversized->status, 413);
  EXPECT_EQ(error_of(oversized)["code"], "blob_too_large");
  EXPECT_EQ(files_under(blobs), 0u) << "nothing refused is kept";

  auto first = put(h, token, name, photo);
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(nlohmann::json::parse(first->body)["kind"], "photo");
  const std::string path = blobs + "/" + name.substr(0, 2) + "/" + name;
  ASSERT_TRUE(fs::exists(path));
  EXPECT_EQ(fs::file_size(path), photo.size());
  // A repeat (a retry after a lost answer, or someone else's identical photo) is the same answer
  // and leaves one file and one row.
  auto again = put(h, login(h, "13800000002"), name, photo);
  ASSERT_EQ(again->status, 200);
  EXPECT_EQ(again->body, first->body);
  EXPECT_EQ(files_under(blobs), 1u);
  auto row = store::blob(h.app().replica().db(), name);
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->uploader, UserId("wang"));
  EXPECT_EQ((*row)->bytes, std::int64_t(photo.size()));

  // A temp file left by a crash is swept when the host starts; stored blobs are kept.
  std::ofstream(blobs + "/tmp/" + name + ".123-0-9.partial") << "half";
  EXPECT_EQ(host::BlobFiles(blobs).sweep_partial(), 1u);
  EXPECT_EQ(files_under(blobs), 1u);
}

TEST(Blobs, DownloadsFollowWhoReceivesTheOpsThatReferenceThem) {
  LiveHost h;
  const auto wang = login(h, "13800000001");  // files a private appeal in qs/dq/hs/y1
  const auto li = login(h, "13800000002");    // his neighbour in the same courtyard
  const auto sun = login(h, "13800000004");   // a villager of another village (石门村)
  const auto head = login(h, "13800000006");  // the courtyard head of qs/dq/hs/y1
  const auto head_lj = login(h, "13800000009");  // a courtyard head elsewhere (柳家村)
  const std::string photo = fake_jpeg("bridge"), evidence = fake_jpeg("yard");
  const std::string name = host::sha256_hex(photo), evidence_name = host::sha256_hex(evidence);

  ASSERT_EQ(put(h, wang, name, photo)->status, 200);
  ASSERT_EQ(put(h, wang, evidence_name, evidence)->status, 200);
  // Uploaded but referenced by no op yet: not even its uploader reads it back from the host
  // (the device has it), so an upload alone never opens a blob to anyone.
  EXPECT_EQ(get(h, wang, name)->status, 404);

  Phone phone("phone-wang", TimeMs{clock::system_clock()()});
  ASSERT_TRUE(phone.sync_all(h, wang).empty());  // the village's points rules
  auto id = appeals::Service(*phone.replica).file(
      UserId("wang"), {RegionId("qs/dq/hs/y1"), appeals::Category::hazard, appeals::Urgency::yellow,
                       "村口石桥的护栏断了，见照片。", {appeals::Attachment{"photo", name}}, {}});
  ASSERT_TRUE(id) << id.error().detail;
  // A points application (public in the village) with the other photo as evidence.
  auto applied = points::Service(*phone.replica).apply(UserId("wang"), HouseholdId("h-wang"), "clean-yard", "院子扫干净了",
                                                       {appeals::Attachment{"photo", evidence_name}});
  ASSERT_TRUE(applied) << applied.error().detail;
  ASSERT_TRUE(phone.sync_all(h, wang).empty());

  auto mine = get(h, wang, name);
  ASSERT_EQ(mine->status, 200) << mine->body;
  EXPECT_EQ(mine->body, photo);
  EXPECT_EQ(mine->get_header_value("Content-Type"), "image/jpeg");
  EXPECT_EQ(mine->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(get(h, head, name)->status, 200) << "the handler of the appeal's courtyard";

  // Everybody else: the same answer as for a blob that does not exist.
  auto unknown = get(h, li, std::string(64, '0'));
  ASSERT_EQ(unknown->status, 404);
  EXPECT_EQ(error_of(unknown)["code"], "blob_not_found");
  for (const auto* token : {&li, &sun, &head_lj}) {
    auto refused = get(h, *token, name);
    EXPECT_EQ(refused->status, 404);
    EXPECT_EQ(refused->body, unknown->body) << "a refusal must not tell that the photo exists";
  }
  EXPECT_EQ(get(h, li, "../../county.db")->status, 404);
  auto anonymous = h.client().Get(("/v1/blobs/" + name).c_str());
  EXPECT_EQ(anonymous->status, 401);

  // The application is public in the village: the neighbour sees its evidence, another village not.
  EXPECT_EQ(get(h, li, evidence_name)->status, 200);
  EXPECT_EQ(get(h, sun, evidence_name)->status, 404);
}

}  // namespace
}  // namespace cunwu

#include "pack/pack.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "core/files.h"
#include "pack/ownership.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;
using namespace cp;

namespace {

std::string read(const fs::path& p) { return files::read_file(p).bytes; }

}  // namespace

TEST_CASE("write_pack refuses an out/ coursepack did not claim") {
  const auto out = test::make_temp_dir("pack");
  CHECK(pack::write_pack(out, "eksjo", "v1", {{"a.pdf", "a"}}) ==
        "'" + out.string() + "' is not coursepack's output folder");
  CHECK_FALSE(fs::exists(out / "eksjo"));
}

TEST_CASE("write_pack: a private pack, swapped in whole") {
  const auto out = test::make_temp_dir("pack");
  REQUIRE(pack::claim_out_dir(out).empty());
  const std::string manifest =
      R"({"tool": "coursepack 1", "municipality": "eksjo", "visit": "v1", "inputs_hash": "h1",)"
      R"( "outputs": [{"file": "a.pdf", "sha256": "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb", "bytes": 1}]})";
  REQUIRE(pack::write_pack(out, "eksjo", "v1", {{"a.pdf", "a"}, {"manifest.json", manifest}}).empty());
  CHECK(read(out / "eksjo" / "v1" / "a.pdf") == "a");
  struct stat st {};
  REQUIRE(::stat((out / "eksjo" / "v1").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  REQUIRE(::stat((out / "eksjo" / "v1" / "a.pdf").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  SECTION("check_pack: present, then damaged by size and by content") {
    auto s = pack::check_pack(out, "eksjo", "v1", true);
    CHECK(s.kind == pack::PackState::Present);
    CHECK(s.inputs_hash == "h1");
    test::write_file(out / "eksjo" / "v1" / "a.pdf", "");
    s = pack::check_pack(out, "eksjo", "v1", false);
    CHECK(s.kind == pack::PackState::Damaged);
    CHECK(s.problem == "a.pdf has 0 bytes, the manifest says 1");
    test::write_file(out / "eksjo" / "v1" / "a.pdf", "b");
    CHECK(pack::check_pack(out, "eksjo", "v1", false).kind == pack::PackState::Present);
    s = pack::check_pack(out, "eksjo", "v1", true);
    CHECK(s.kind == pack::PackState::Damaged);
    CHECK(s.problem == "a.pdf differs from the manifest (SHA-256)");
    fs::remove(out / "eksjo" / "v1" / "a.pdf");
    CHECK(pack::check_pack(out, "eksjo", "v1", false).problem == "a.pdf is missing");
    CHECK(pack::check_pack(out, "eksjo", "v9", false).kind == pack::PackState::Missing);
  }
  SECTION("a rebuild replaces it; no temporary folder stays") {
    REQUIRE(pack::write_pack(out, "eksjo", "v1", {{"a.pdf", "A"}, {"manifest.json", manifest}}).empty());
    CHECK(read(out / "eksjo" / "v1" / "a.pdf") == "A");
    pack::clean_leftovers(out);
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(out / "eksjo")) names.push_back(e.path().filename().string());
    CHECK(names == std::vector<std::string>{"v1"});
  }
  SECTION("a failure part-way leaves the old pack and no temporary folder") {
    pack::set_fail_after_files(1);
    CHECK_FALSE(pack::write_pack(out, "eksjo", "v1", {{"a.pdf", "A"}, {"manifest.json", manifest}}).empty());
    pack::set_fail_after_files(-1);
    CHECK(read(out / "eksjo" / "v1" / "a.pdf") == "a");
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(out / "eksjo")) names.push_back(e.path().filename().string());
    CHECK(names == std::vector<std::string>{"v1"});
  }
}

TEST_CASE("write_pack does not replace a folder that is not a pack") {
  const auto out = test::make_temp_dir("pack");
  REQUIRE(pack::claim_out_dir(out).empty());
  fs::create_directories(out / "eksjo" / "v1");
  test::write_file(out / "eksjo" / "v1" / "mine.txt", "mine");
  CHECK(pack::write_pack(out, "eksjo", "v1", {{"a.pdf", "a"}}) ==
        "'" + (out / "eksjo" / "v1").string() + "' exists and is not a pack coursepack wrote; move it away to build this pack");
  CHECK(read(out / "eksjo" / "v1" / "mine.txt") == "mine");
}

TEST_CASE("write_pack does not write through a linked municipality folder") {
  const auto out = test::make_temp_dir("pack");
  const auto elsewhere = test::make_temp_dir("pack");
  REQUIRE(pack::claim_out_dir(out).empty());
  fs::create_directory_symlink(elsewhere, out / "eksjo");
  CHECK_FALSE(pack::write_pack(out, "eksjo", "v1", {{"a.pdf", "a"}}).empty());
  CHECK(fs::is_empty(elsewhere));
}

TEST_CASE("clean_leftovers removes only journal entries, never through a link") {
  const auto out = test::make_temp_dir("pack");
  const auto elsewhere = test::make_temp_dir("pack");
  REQUIRE(pack::claim_out_dir(out).empty());
  fs::create_directories(out / "eksjo" / ".tmp-a-1");
  fs::create_directories(out / "eksjo" / ".tmp-notes");
  fs::create_directories(elsewhere / ".tmp-b-1");
  fs::create_directory_symlink(elsewhere, out / "linked");
  REQUIRE(pack::note_temp(out, "eksjo/.tmp-a-1").empty());
  REQUIRE(pack::note_temp(out, "linked/.tmp-b-1").empty());
  REQUIRE(pack::note_temp(out, "../.tmp-x").empty());
  pack::clean_leftovers(out);
  CHECK_FALSE(fs::exists(out / "eksjo" / ".tmp-a-1"));
  CHECK(fs::exists(out / "eksjo" / ".tmp-notes"));
  CHECK(fs::exists(elsewhere / ".tmp-b-1"));
  CHECK_FALSE(fs::exists(out / ".coursepack-temp"));
}

TEST_CASE("clean_leftovers finishes a removal killed part-way, and keeps what it cannot remove journaled") {
  const auto out = test::make_temp_dir("pack");
  REQUIRE(pack::claim_out_dir(out).empty());
  // An old pack swapped out, killed after its certificate went and before
  // its folders did: the manifest still names the certificate by number.
  const fs::path half = out / "eksjo" / ".tmp-v1-7";
  fs::create_directories(half / "certificates");
  test::write_file(half / "manifest.json",
                   R"({"tool": "coursepack 1", "municipality": "eksjo", "visit": "v1", "inputs_hash": "h1",)"
                   R"( "outputs": [{"certificate": 1, "sha256": "00", "bytes": 1, "pages": 1}]})");
  // A swapped-out pack holding a file its manifest does not describe does
  // not go by its manifest: it stays journaled for the next run, which
  // finds it without a manifest and removes its own temporary folder whole.
  const fs::path foreign = out / "eksjo" / ".tmp-v2-7";
  fs::create_directories(foreign);
  test::write_file(foreign / "manifest.json",
                   R"({"tool": "coursepack 1", "municipality": "eksjo", "visit": "v2", "inputs_hash": "h1",)"
                   R"( "outputs": []})");
  test::write_file(foreign / "notes.txt", "mine");
  REQUIRE(pack::note_temp(out, "eksjo/.tmp-v1-7").empty());
  REQUIRE(pack::note_temp(out, "eksjo/.tmp-v2-7").empty());
  pack::clean_leftovers(out);
  CHECK_FALSE(fs::exists(half));
  CHECK(read(foreign / "notes.txt") == "mine");
  CHECK(read(out / ".coursepack-temp") == "eksjo/.tmp-v2-7\n");
  CHECK_FALSE(fs::exists(out / ".coursepack-temp.next"));
  pack::clean_leftovers(out);
  CHECK_FALSE(fs::exists(foreign));
  CHECK_FALSE(fs::exists(out / ".coursepack-temp"));
}

TEST_CASE("write_file replaces a file of a claimed folder only") {
  const auto out = test::make_temp_dir("pack");
  CHECK_FALSE(pack::write_file(out / "index.html", "x").empty());
  CHECK_FALSE(fs::exists(out / "index.html"));
  REQUIRE(pack::claim_out_dir(out).empty());
  CHECK(pack::write_file(out / "index.html", "x").empty());
  CHECK(read(out / "index.html") == "x");
}

TEST_CASE("write_file writes in a claimed out/ and its real folders, never through a link") {
  const auto out = test::make_temp_dir("pack");
  const auto elsewhere = test::make_temp_dir("pack-elsewhere");
  CHECK(pack::write_file(out / "index.html", "x", 0600) ==
        "'" + out.string() + "' is not in coursepack's output folder");
  REQUIRE(pack::claim_out_dir(out).empty());
  CHECK(pack::write_file(out / "index.html", "x", 0600).empty());
  fs::create_directories(out / ".cache");
  CHECK(pack::write_file(out / ".cache" / "keys.json", "k", 0600).empty());
  CHECK(read(out / ".cache" / "keys.json") == "k");
  // A folder that is a symbolic link (here to a folder of the user's) is not written through.
  fs::create_directory_symlink(elsewhere, out / "linked");
  CHECK(pack::write_file(out / "linked" / "a.txt", "a", 0600) ==
        "'" + (out / "linked").string() + "' is not in coursepack's output folder");
  CHECK_FALSE(fs::exists(elsewhere / "a.txt"));
}

#include "pack/cache.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "core/files.h"
#include "pack/ownership.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;
using namespace cp;

namespace {

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

}  // namespace

TEST_CASE("a cache folder keeps private entries and makes its folders on first write") {
  const auto out = test::make_temp_dir("cache");
  const fs::path dir = pack::cache_path(out, "pandoc");
  CHECK(dir == out / ".cache" / "pandoc");
  auto cache = pack::cache_folder(dir);
  CHECK(cache->path("a.json") == dir / "a.json");
  CHECK_FALSE(cache->exists("a.json"));
  CHECK(cache->read("a.json", 100).status == files::ReadStatus::NotFound);

  REQUIRE(cache->write("a.json", "{}", true));
  CHECK(cache->exists("a.json"));
  CHECK(cache->read("a.json", 100).bytes == "{}");
  CHECK(mode_of(out / ".cache") == 0700);
  CHECK(mode_of(dir) == 0700);
  CHECK(mode_of(dir / "a.json") == 0600);

  REQUIRE(cache->write("a.json", "[]", false));  // replaced whole
  CHECK(cache->read("a.json", 100).bytes == "[]");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
  CHECK(entries == 1);  // no temporary file left beside it

  cache->remove("a.json");
  CHECK_FALSE(cache->exists("a.json"));
  cache->remove("a.json");  // removing what is not there is no error
}

TEST_CASE("a cache that cannot be written says so and keeps nothing") {
  const auto out = test::make_temp_dir("cache");
  test::write_file(out / "file", "x");
  auto cache = pack::cache_folder(out / "file" / "sub");  // a folder under a file cannot be made
  CHECK_FALSE(cache->write("a.json", "{}", false));
  CHECK_FALSE(cache->exists("a.json"));
}

TEST_CASE("write_cache_file writes out/.cache/NAME of a claimed out/ only when it changed") {
  const auto out = test::make_temp_dir("cache");
  CHECK(pack::write_cache_file(out, "keys.json", "{}") ==
        "'" + (out / ".cache").string() + "' is not in coursepack's output folder");
  REQUIRE(pack::claim_out_dir(out).empty());
  REQUIRE(pack::write_cache_file(out, "keys.json", "{}").empty());
  CHECK(files::read_file(out / ".cache" / "keys.json").bytes == "{}");
  CHECK(mode_of(out / ".cache" / "keys.json") == 0600);
  struct stat before {};
  REQUIRE(::stat((out / ".cache" / "keys.json").c_str(), &before) == 0);
  REQUIRE(pack::write_cache_file(out, "keys.json", "{}").empty());  // the same bytes: left as it is
  struct stat after {};
  REQUIRE(::stat((out / ".cache" / "keys.json").c_str(), &after) == 0);
  CHECK(after.st_ino == before.st_ino);
  REQUIRE(pack::write_cache_file(out, "keys.json", "[]").empty());
  CHECK(files::read_file(out / ".cache" / "keys.json").bytes == "[]");
}

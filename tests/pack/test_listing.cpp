#include "pack/listing.h"

#include <catch2/catch.hpp>

#include "support/temp_dir.h"

namespace fs = std::filesystem;
using namespace cp;

TEST_CASE("a pack's listing is its manifest's outputs, in order, and its certificate count") {
  const auto out = test::make_temp_dir("listing");
  fs::create_directories(out / "eksjo" / "v1");
  test::write_file(out / "eksjo" / "v1" / "manifest.json",
                   R"({"certificates": 2, "outputs": [{"file": "b.pdf"}, {"file": 3}, "x", {"file": "a.csv"}]})");
  const auto l = pack::read_pack_listing(out, "eksjo", "v1");
  REQUIRE(l);
  CHECK(l->files == std::vector<std::string>{"b.pdf", "a.csv"});
  CHECK(l->certificates == std::optional<long>(2));
}

TEST_CASE("no listing without a manifest that lists outputs") {
  const auto out = test::make_temp_dir("listing");
  CHECK_FALSE(pack::read_pack_listing(out, "eksjo", "v1"));
  fs::create_directories(out / "eksjo" / "v1");
  test::write_file(out / "eksjo" / "v1" / "manifest.json", "{not json");
  CHECK_FALSE(pack::read_pack_listing(out, "eksjo", "v1"));
  test::write_file(out / "eksjo" / "v1" / "manifest.json", R"({"outputs": {}})");
  CHECK_FALSE(pack::read_pack_listing(out, "eksjo", "v1"));
  test::write_file(out / "eksjo" / "v1" / "manifest.json", R"({"outputs": []})");
  const auto empty = pack::read_pack_listing(out, "eksjo", "v1");
  REQUIRE(empty);
  CHECK(empty->files.empty());
  CHECK_FALSE(empty->certificates);
}

TEST_CASE("out_has tells whether out/ holds a file") {
  const auto out = test::make_temp_dir("listing");
  CHECK_FALSE(pack::out_has(out, "report.pdf"));
  test::write_file(out / "report.pdf", "%PDF");
  CHECK(pack::out_has(out, "report.pdf"));
}

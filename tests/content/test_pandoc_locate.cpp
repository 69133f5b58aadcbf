// Finding the lines of Pandoc's blocks in the Markdown (content/pandoc_locate.h):
// whole words after the previous block, front matter skipped, columns in
// characters, short needles only near the cursor.
#include "content/pandoc_locate.h"

#include <catch2/catch.hpp>

#include <string>

using cp::SourceLoc;
using cp::content::detail::json;
using cp::content::detail::locate_block;
using cp::content::detail::Locator;
using cp::content::detail::walk_block;

namespace {

const SourceLoc kBase{"materials/modules/01.md", 1, 1};

std::string at(const SourceLoc& loc) { return std::to_string(loc.line) + ":" + std::to_string(loc.col); }

json para(const std::string& word) {
  return json{{"t", "Para"}, {"c", json::array({json{{"t", "Str"}, {"c", word}}})}};
}

}  // namespace

TEST_CASE("pandoc locate: without the source every location is the base") {
  Locator locator({"materials/municipalities/eksjo.yaml", 14, 8}, "");
  CHECK_FALSE(locator.enabled());
  const SourceLoc loc = locator.find("ord", true);
  CHECK(loc.path == "materials/municipalities/eksjo.yaml");
  CHECK(at(loc) == "14:8");
}

TEST_CASE("pandoc locate: front matter is not text, and columns count characters") {
  Locator locator(kBase, "---\ntitle: Mål\n---\n\n# Mål\n\nÅäö ord\n");
  const SourceLoc heading = locator.find("Mål", true);
  CHECK(heading.path == kBase.path);
  CHECK(at(heading) == "5:3");
  CHECK(at(locator.find("ord", true)) == "7:5");
}

TEST_CASE("pandoc locate: a needle is found as a whole word") {
  Locator locator(kBase, "samverkan\nverkan\n");
  CHECK(at(locator.find("verkan", true)) == "2:1");
}

TEST_CASE("pandoc locate: after a block's words the next block is searched for after it") {
  Locator locator(kBase, "Ett två\n\nEtt tre\n");
  CHECK(at(locate_block(locator, para("Ett"), "Para")) == "1:1");
  walk_block(locator, json{{"t", "Para"},
                           {"c", json::array({json{{"t", "Str"}, {"c", "Ett"}}, json{{"t", "Space"}},
                                              json{{"t", "Str"}, {"c", "två"}}})}});
  CHECK(at(locate_block(locator, para("Ett"), "Para")) == "3:1");
}

TEST_CASE("pandoc locate: a short needle far from the cursor is not taken") {
  Locator locator(kBase, "Rubrik\n\n\n\n\n\n\n\n2\n");
  // Not found: the start of the text, before any block was found.
  CHECK(at(locator.find("2", false)) == "1:1");
  CHECK(at(locator.find("Rubrik", true)) == "1:1");
  // A longer needle is found however far it is.
  Locator far(kBase, "Rubrik\n\n\n\n\n\n\n\nslut\n");
  CHECK(at(far.find("slut", false)) == "9:1");
}

TEST_CASE("pandoc locate: a needle not found gives the last block's line") {
  Locator locator(kBase, "Först\n\nSedan\n");
  CHECK(at(locator.find("Sedan", true)) == "3:1");
  CHECK(at(locator.find("saknas", false)) == "3:1");
}

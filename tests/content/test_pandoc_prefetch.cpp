// prefetch_texts with a fake Pandoc: many texts in one run, kept as if each
// had had its own; a run that warns, fails, hangs or is cut short is not used.
#include "content/pandoc_prefetch.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "fake_pandoc.h"
#include "pack/cache.h"
#include "support/temp_dir.h"

using namespace cp;
using namespace cp::content;
using cp::test::FakePandoc;
namespace fs = std::filesystem;

namespace {

const std::string kModule = "materials/modules/01-begrepp.md";

std::string first_text(const BlocksResult& r) {
  return r.blocks.empty() ? std::string() : doc::plain_text(r.blocks.front().inlines);
}

}  // namespace

TEST_CASE("pandoc prefetch: texts share one Pandoc run", "[pandoc]") {
  FakePandoc pandoc;
  PandocCache cache(pack::cache_folder(cp::test::make_temp_dir("content")));
  Diagnostics diags;
  const std::vector<std::string_view> notes{"Första", "Andra", "\xEF\xBB\xBFTredje", "Andra"};
  prefetch_texts(notes, pandoc, cache);
  CHECK(pandoc.conversions == 1);
  for (auto n : notes) {
    const auto r = parse_markdown_string(n, SourceLoc{"materials/municipalities/x.yaml", 3, 8}, pandoc, cache, diags);
    REQUIRE(r.status == Status::Ok);
    CHECK(first_text(r) == n.substr(n.starts_with("\xEF") ? 3 : 0));
  }
  const auto m = parse_module(kModule, "Modul\n", pandoc, cache, diags);
  CHECK(pandoc.conversions == 2);  // a text the shared run did not have
  CHECK(m.status == Status::Ok);
  CHECK(diags.all().empty());
  CHECK(cache.stats().pandoc_runs == 2);
}

TEST_CASE("pandoc prefetch: without a cache directory each text has its own run", "[pandoc]") {
  FakePandoc pandoc;
  PandocCache cache;
  Diagnostics diags;
  const std::vector<std::string_view> notes{"Första", "Andra"};
  prefetch_texts(notes, pandoc, cache);
  CHECK(pandoc.conversions == 0);
  for (auto n : notes) CHECK(first_text(parse_markdown_string(n, SourceLoc{}, pandoc, cache, diags)) == n);
  CHECK(pandoc.conversions == 2);
}

TEST_CASE("pandoc prefetch: a shared run that warns is not used", "[pandoc]") {
  FakePandoc pandoc;
  pandoc.warnings = "[WARNING] something\n";
  PandocCache cache(pack::cache_folder(cp::test::make_temp_dir("content")));
  Diagnostics diags;
  const std::vector<std::string_view> notes{"Första", "Andra"};
  prefetch_texts(notes, pandoc, cache);
  CHECK(pandoc.conversions == 1);
  for (auto n : notes) parse_markdown_string(n, SourceLoc{}, pandoc, cache, diags);
  CHECK(pandoc.conversions == 3);  // each note alone, with its own warning
  CHECK(diags.warning_count() == 2);
}

TEST_CASE("pandoc prefetch: a shared run that fails or is cut short is not used", "[pandoc]") {
  const std::vector<std::string_view> notes{"Första", "Andra"};
  for (int how = 0; how < 3; ++how) {
    INFO(how);
    FakePandoc pandoc;
    if (how == 0) pandoc.shared_cut_short = 1;   // the last line break
    if (how == 1) pandoc.shared_cut_short = 20;  // inside the last text's JSON
    if (how == 2) {
      pandoc.fail_conversion = true;
      pandoc.conversion_result.status = ProcessStatus::Exited;
      pandoc.conversion_result.exit_code = 83;  // a Lua error
      pandoc.conversion_result.err = "Error running filter";
    }
    PandocCache cache(pack::cache_folder(cp::test::make_temp_dir("content")));
    Diagnostics diags;
    prefetch_texts(notes, pandoc, cache);
    CHECK(pandoc.conversions == 1);
    pandoc.fail_conversion = false;
    for (auto n : notes) CHECK(first_text(parse_markdown_string(n, SourceLoc{}, pandoc, cache, diags)) == n);
    CHECK(pandoc.conversions == 3);
    CHECK(diags.all().empty());
  }
}

TEST_CASE("pandoc prefetch: texts from a shared run are on disk for the next build", "[pandoc]") {
  const fs::path dir = cp::test::make_temp_dir("content");
  const std::vector<std::string_view> notes{"Första", "Andra"};
  {
    FakePandoc pandoc;
    PandocCache cache(pack::cache_folder(dir));
    prefetch_texts(notes, pandoc, cache);
    CHECK(pandoc.conversions == 1);
  }
  FakePandoc pandoc;
  PandocCache cache(pack::cache_folder(dir));
  Diagnostics diags;
  prefetch_texts(notes, pandoc, cache);  // nothing left to do
  for (auto n : notes) CHECK(first_text(parse_markdown_string(n, SourceLoc{}, pandoc, cache, diags)) == n);
  CHECK(pandoc.conversions == 0);
}

TEST_CASE("pandoc prefetch: tabs are expanded as Pandoc's command line expands them", "[pandoc]") {
  CHECK(expand_tabs_as_pandoc("") == "");
  CHECK(expand_tabs_as_pandoc("utan radslut") == "utan radslut\n");
  CHECK(expand_tabs_as_pandoc("a\tb\n") == "a   b\n");
  CHECK(expand_tabs_as_pandoc("\tkod\n\n") == "    kod\n\n");
  CHECK(expand_tabs_as_pandoc("abcd\te") == "abcd    e\n");
  // Columns count characters, not bytes: "åäö" is three.
  CHECK(expand_tabs_as_pandoc("åäö\tx\ty") == "åäö x   y\n");
  CHECK(expand_tabs_as_pandoc("rad\r\n\tny") == "rad\r\n    ny\n");
}

TEST_CASE("pandoc prefetch: the shared run hanging is one environment error; being slow is not", "[pandoc]") {
  const std::vector<std::string_view> texts{"Första\n", "Andra\n"};
  SECTION("no text written before the timeout: Pandoc hangs, and no text gets a run of its own") {
    FakePandoc hung;
    hung.fail_conversion = true;
    hung.conversion_result.status = ProcessStatus::TimedOut;
    PandocCache cache(pack::cache_folder(cp::test::make_temp_dir("content")));
    prefetch_texts(texts, hung, cache);
    Diagnostics diags;
    const auto r = parse_markdown_string(texts[0], SourceLoc{"materials/municipalities/x.yaml", 3, 8}, hung, cache, diags);
    CHECK(r.status == Status::EnvironmentError);
    CHECK(r.message == "pandoc did not finish within 30 s and was killed with its process group");
    CHECK(hung.conversions == 1);
  }
  SECTION("a text written before the timeout: slow, so each text is tried on its own") {
    FakePandoc slow;
    slow.fail_conversion = true;
    slow.conversion_result.status = ProcessStatus::TimedOut;
    slow.conversion_result.out = "cptext 1\n{\"pandoc-api-version\":[1,22],\"meta\":{},\"blocks\":[]}\n";
    PandocCache cache(pack::cache_folder(cp::test::make_temp_dir("content")));
    prefetch_texts(texts, slow, cache);
    Diagnostics diags;
    parse_markdown_string(texts[0], SourceLoc{"materials/municipalities/x.yaml", 3, 8}, slow, cache, diags);
    CHECK(slow.conversions == 2);
  }
}

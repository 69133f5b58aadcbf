// parse_module / parse_markdown_string with a fake Pandoc: caching in memory
// and on disk, environment and input errors.
#include "content/pandoc.h"
#include "pack/cache.h"

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>
#include <optional>
#include <iterator>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "fake_pandoc.h"
#include "support/temp_dir.h"

using namespace cp;
using namespace cp::content;
namespace fs = std::filesystem;
using cp::test::FakePandoc;
using cp::test::messages;

namespace {

const std::string kModule = "materials/modules/01-begrepp.md";

}  // namespace

TEST_CASE("pandoc cache: the same module twice runs Pandoc once", "[pandoc]") {
  FakePandoc pandoc;
  pandoc.warnings = "[WARNING] Duplicate note reference '1' at line 2 column 1\n";
  PandocCache cache;
  Diagnostics diags;
  CHECK(cache.version().empty());  // not asked yet
  const auto a = parse_module(kModule, "Hej\nDå\n", pandoc, cache, diags);
  REQUIRE(a.status == Status::Ok);
  REQUIRE(a.module.blocks.size() == 2);
  CHECK(cache.version() == pandoc.version);
  CHECK(a.module.path == kModule);
  CHECK(a.module.blocks[1].inlines[0].text == "Då");
  CHECK(a.module.blocks[1].loc.line == 2);
  // Pandoc's own warnings keep their position.
  CHECK(messages(diags) ==
        std::vector<std::string>{"materials/modules/01-begrepp.md:2:1: warning: pandoc: Duplicate note reference '1'"});

  for (int visit = 0; visit < 25; ++visit) {
    const auto b = parse_module(kModule, "Hej\nDå\n", pandoc, cache, diags);
    CHECK(b.status == Status::Ok);
    CHECK(b.module.blocks.size() == 2);
  }
  CHECK(pandoc.conversions == 1);
  CHECK(pandoc.version_runs == 1);
  CHECK(diags.warning_count() == 1);  // not repeated per visit
  const auto stats = cache.stats();
  CHECK(stats.pandoc_runs == 1);
  CHECK(stats.memory_hits == 25);
  CHECK(stats.version_checks == 1);

  // Other text: another run.
  parse_module("materials/modules/02.md", "Annat\n", pandoc, cache, diags);
  CHECK(pandoc.conversions == 2);
}

TEST_CASE("pandoc cache: the version is remembered per Pandoc binary", "[pandoc]") {
  const fs::path dir = cp::test::make_temp_dir("content");
  const fs::path bin = dir / "bin";
  fs::create_directories(bin);
  const fs::path log = dir / "runs.log";
  const fs::path program = bin / "pandoc";
  auto write_program = [&](const std::string& version) {
    std::ofstream(program) << "#!/bin/sh\necho \"$1\" >> '" << log.string() << "'\n"
                           << "if [ \"$1\" = --version ]; then echo '" << version << "'; exit 0; fi\n"
                           << "cat > /dev/null\n"
                           << "echo '{\"pandoc-api-version\":[1,22,1],\"meta\":{},\"blocks\":[]}'\n";
    fs::permissions(program, fs::perms::owner_all);
  };
  auto runs = [&] {
    std::ifstream f(log);
    std::string all((std::istreambuf_iterator<char>(f)), {});
    return all;
  };
  write_program("pandoc 2.17.1.1");
  SystemProcessRunner runner(bin.string());
  REQUIRE(runner.locate("pandoc") == std::optional<std::string>(program.string()));
  const fs::path cache_dir = dir / "cache";
  for (int round = 0; round < 2; ++round) {
    PandocCache cache(pack::cache_folder(cache_dir));
    Diagnostics diags;
    REQUIRE(parse_module(kModule, "Hej\n", runner, cache, diags).status == Status::Ok);
    CHECK(cache.version() == "pandoc 2.17.1.1");
  }
  // The second process asked nothing: output and version came from disk.
  CHECK(runs() == "--version\n-f\n");
  // Another binary (here: rewritten, so its size and time differ) is asked.
  write_program("pandoc 2.19.2 (another build)");
  PandocCache cache(pack::cache_folder(cache_dir));
  Diagnostics diags;
  REQUIRE(parse_module(kModule, "Hej\n", runner, cache, diags).status == Status::Ok);
  CHECK(cache.version() == "pandoc 2.19.2 (another build)");
  CHECK(runs() == "--version\n-f\n--version\n-f\n");
}

TEST_CASE("pandoc cache: on disk, a new process runs Pandoc zero times", "[pandoc]") {
  const fs::path dir = cp::test::make_temp_dir("content");
  const fs::path cache_dir = dir / "out" / ".cache" / "pandoc";
  {
    FakePandoc pandoc;
    pandoc.warnings = "[WARNING] Something odd at line 1 column 3\n";
    PandocCache cache(pack::cache_folder(cache_dir));
    Diagnostics diags;
    REQUIRE(parse_module(kModule, "Hej\n", pandoc, cache, diags).status == Status::Ok);
    CHECK(pandoc.conversions == 1);
    std::size_t json_files = 0;
    for (const auto& e : fs::directory_iterator(cache_dir)) {
      const auto name = e.path().filename().string();
      CHECK(name.find(".tmp.") == std::string::npos);  // no temp files left
      if (e.path().extension() == ".json") {
        ++json_files;
        CHECK(name.size() == 64 + 5);  // <sha256>.json
        CHECK((fs::status(e.path()).permissions() & fs::perms::others_read) == fs::perms::none);
      }
    }
    CHECK(json_files == 1);
  }
  // A new process: an empty memory cache, the same directory.
  FakePandoc pandoc;
  PandocCache cache(pack::cache_folder(cache_dir));
  Diagnostics diags;
  const auto r = parse_module(kModule, "Hej\n", pandoc, cache, diags);
  REQUIRE(r.status == Status::Ok);
  CHECK(r.module.blocks[0].inlines[0].text == "Hej");
  CHECK(pandoc.conversions == 0);
  CHECK(cache.stats().disk_hits == 1);
  // Pandoc's warnings were kept with the output.
  CHECK(messages(diags) ==
        std::vector<std::string>{"materials/modules/01-begrepp.md:1:3: warning: pandoc: Something odd"});

  // Another Pandoc version does not use the old output.
  FakePandoc newer;
  newer.version = "pandoc 3.2";
  PandocCache cache2(pack::cache_folder(cache_dir));
  REQUIRE(parse_module(kModule, "Hej\n", newer, cache2, diags).status == Status::Ok);
  CHECK(newer.conversions == 1);
}

TEST_CASE("pandoc cache: a damaged cache file is replaced by a fresh run", "[pandoc]") {
  const fs::path dir = cp::test::make_temp_dir("content");
  {
    FakePandoc pandoc;
    PandocCache cache(pack::cache_folder(dir));
    Diagnostics diags;
    REQUIRE(parse_module(kModule, "Hej\n", pandoc, cache, diags).status == Status::Ok);
  }
  for (const auto& e : fs::directory_iterator(dir)) std::ofstream(e.path(), std::ios::trunc) << "{\"broken";
  FakePandoc pandoc;
  PandocCache cache(pack::cache_folder(dir));
  Diagnostics diags;
  const auto r = parse_module(kModule, "Hej\n", pandoc, cache, diags);
  REQUIRE(r.status == Status::Ok);
  CHECK(pandoc.conversions == 1);
  CHECK(diags.all().empty());
}

TEST_CASE("pandoc cache: concurrent visits of one module run Pandoc once", "[pandoc]") {
  FakePandoc pandoc;
  pandoc.delay = std::chrono::milliseconds(50);
  PandocCache cache;
  Diagnostics diags;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      if (parse_module(kModule, "Samma text\n", pandoc, cache, diags).status == Status::Ok) ++ok;
    });
  for (auto& t : threads) t.join();
  CHECK(ok == 8);
  CHECK(pandoc.conversions == 1);
  CHECK(pandoc.version_runs == 1);
}

TEST_CASE("pandoc cache: Pandoc missing or too old is an environment error", "[pandoc]") {
  FakePandoc missing;
  missing.version_status = ProcessStatus::NotFound;
  PandocCache cache;
  Diagnostics diags;
  auto r = parse_module(kModule, "Hej\n", missing, cache, diags);
  CHECK(r.status == Status::EnvironmentError);
  CHECK(r.message == "pandoc is not installed (not found on PATH); install it with: apt-get install pandoc");
  CHECK(diags.all().empty());  // not an input error
  CHECK(missing.conversions == 0);

  FakePandoc old;
  old.version = "pandoc 2.9.2.1";
  PandocCache cache2;
  r = parse_module(kModule, "Hej\n", old, cache2, diags);
  CHECK(r.status == Status::EnvironmentError);
  CHECK(r.message ==
        "pandoc 2.9.2.1 is too old: coursepack needs pandoc 2.15 or later (it reads pandoc-types API 1.22 (pandoc "
        "2.11 to 2.19) and 1.23 (pandoc 3.x))");

  FakePandoc crashing;
  crashing.fail_conversion = true;
  crashing.conversion_result.status = ProcessStatus::Signaled;
  crashing.conversion_result.exit_code = 139;
  crashing.conversion_result.error = "killed by signal 11";
  PandocCache cache3;
  r = parse_module(kModule, "Hej\n", crashing, cache3, diags);
  CHECK(r.status == Status::EnvironmentError);
  CHECK(r.message == "pandoc: killed by signal 11");
  CHECK(diags.all().empty());
}

TEST_CASE("pandoc cache: Pandoc refusing the text is an input error at its location", "[pandoc]") {
  FakePandoc pandoc;
  pandoc.fail_conversion = true;
  pandoc.conversion_result.status = ProcessStatus::Exited;
  pandoc.conversion_result.exit_code = 64;
  pandoc.conversion_result.err =
      "YAML parse exception at line 2, column 0,\nwhile parsing a flow sequence:\ndid not find expected ',' or ']'\n";
  PandocCache cache;
  Diagnostics diags;
  auto r = parse_module(kModule, "---\ntitle: [a\n---\n\n# x\n", pandoc, cache, diags);
  CHECK(r.status == Status::InputError);
  REQUIRE(diags.error_count() == 1);
  CHECK(messages(diags)[0] ==
        "materials/modules/01-begrepp.md:3:1: error: pandoc cannot read this text: YAML parse exception at line 2, "
        "column 0, while parsing a flow sequence: did not find expected ',' or ']'");

}

TEST_CASE("pandoc cache: Pandoc hanging or failing on its own account is one environment error", "[pandoc]") {
  FakePandoc slow;
  slow.fail_conversion = true;
  slow.conversion_result.status = ProcessStatus::TimedOut;
  PandocCache cache;
  Diagnostics diags;
  auto r = parse_module(kModule, "Hej\n", slow, cache, diags);
  CHECK(r.status == Status::EnvironmentError);
  CHECK(r.message == "pandoc did not finish within 30 s and was killed with its process group");
  CHECK(diags.error_count() == 0);  // not the text's fault
  // Every later text fails at once, without starting Pandoc again.
  r = parse_module("materials/modules/02-lag.md", "Lag\n", slow, cache, diags);
  CHECK(r.status == Status::EnvironmentError);
  CHECK(r.message == "pandoc did not finish within 30 s and was killed with its process group");
  CHECK(slow.conversions == 1);

  FakePandoc failing;
  failing.fail_conversion = true;
  failing.conversion_result.status = ProcessStatus::Exited;
  failing.conversion_result.exit_code = 1;
  failing.conversion_result.err = "pandoc: out of memory\n";
  PandocCache cache2;
  Diagnostics diags2;
  r = parse_module(kModule, "Hej\n", failing, cache2, diags2);
  CHECK(r.status == Status::EnvironmentError);
  CHECK(r.message == "pandoc failed (exit status 1): pandoc: out of memory");
  CHECK(diags2.error_count() == 0);
  const auto notes =
      parse_markdown_string("Noter\n", SourceLoc{"materials/municipalities/eksjo.yaml", 3, 8}, failing, cache2, diags2);
  CHECK(notes.status == Status::EnvironmentError);
  CHECK(failing.conversions == 1);

  FakePandoc crashing;
  crashing.fail_conversion = true;
  crashing.conversion_result.status = ProcessStatus::Signaled;
  crashing.conversion_result.exit_code = 128 + 11;
  crashing.conversion_result.error = "killed by signal 11";
  PandocCache cache3;
  Diagnostics diags3;
  r = parse_module(kModule, "Hej\n", crashing, cache3, diags3);
  CHECK(r.status == Status::EnvironmentError);
  CHECK(r.message == "pandoc: killed by signal 11");
}

TEST_CASE("pandoc cache: invalid UTF-8 is reported where it is, without running Pandoc", "[pandoc]") {
  FakePandoc pandoc;
  PandocCache cache;
  Diagnostics diags;
  const auto r = parse_module(kModule, "Rad ett\nMalm\xf6 kommun\n", pandoc, cache, diags);
  CHECK(r.status == Status::InputError);
  CHECK(messages(diags) == std::vector<std::string>{"materials/modules/01-begrepp.md:2:5: error: the text is not "
                                                    "valid UTF-8\n  hint: save the file as UTF-8"});
  CHECK(pandoc.conversions == 0);
}

TEST_CASE("pandoc cache: a byte order mark is not text", "[pandoc]") {
  FakePandoc pandoc;
  PandocCache cache;
  Diagnostics diags;
  const auto r = parse_module(kModule, "\xEF\xBB\xBFHej\n", pandoc, cache, diags);
  REQUIRE(r.status == Status::Ok);
  CHECK(r.module.blocks[0].inlines[0].text == "Hej");
}

TEST_CASE("pandoc cache: notes from YAML carry the YAML location", "[pandoc]") {
  FakePandoc pandoc;
  pandoc.warnings = "[WARNING] Odd at line 2 column 1\n";
  PandocCache cache;
  Diagnostics diags;
  const SourceLoc loc{"materials/municipalities/eksjo.yaml", 14, 8};
  const auto r = parse_markdown_string("Första\nAndra\n", loc, pandoc, cache, diags);
  REQUIRE(r.status == Status::Ok);
  REQUIRE(r.blocks.size() == 2);
  CHECK(r.blocks[1].loc.path == loc.path);
  CHECK(r.blocks[1].loc.line == 14);
  CHECK(messages(diags) ==
        std::vector<std::string>{"materials/municipalities/eksjo.yaml:14:8: warning: pandoc: Odd"});
  // The same text from another municipality: the output is reused, the location is its own.
  const SourceLoc other{"materials/municipalities/vetlanda.yaml", 3, 8};
  const auto r2 = parse_markdown_string("Första\nAndra\n", other, pandoc, cache, diags);
  CHECK(r2.blocks[0].loc.path == other.path);
  CHECK(pandoc.conversions == 1);
}

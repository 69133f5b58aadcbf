#include "pack/ownership.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "core/files.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;
using namespace cp;

namespace {

std::string manifest(const std::string& tool, const std::string& slug, const std::string& visit) {
  return "{\"tool\": \"" + tool + "\", \"municipality\": \"" + slug + "\", \"visit\": \"" + visit +
         "\", \"inputs_hash\": \"h\", \"outputs\": [{\"file\": \"a.pdf\", \"bytes\": 1},"
         " {\"file\": \"certificates/01-x.pdf\", \"bytes\": 1}]}";
}

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("claim_out_dir creates a private, marked folder") {
  const auto tmp = test::make_temp_dir("claim");
  const auto out = tmp / "a" / "out";
  CHECK(pack::claim_out_dir(out).empty());
  CHECK(pack::is_claimed(out));
  CHECK(mode_of(out) == 0700);
  CHECK(pack::claim_out_dir(out).empty());  // again: its own marker
}

TEST_CASE("claim_out_dir accepts an empty folder and leaves its mode") {
  const auto out = test::make_temp_dir("claim");
  ::chmod(out.c_str(), 0750);
  CHECK(pack::claim_out_dir(out).empty());
  CHECK(pack::is_claimed(out));
  CHECK(mode_of(out) == 0750);
}

TEST_CASE("claim_out_dir takes a folder a repository keeps with a README and .gitignore") {
  // As the project's own out/ is in a fresh clone.
  const auto out = test::make_temp_dir("claim");
  test::write_file(out / "README.md", "# out/\n");
  test::write_file(out / ".gitignore", "*\n!README.md\n!.gitignore\n");
  CHECK(pack::claim_out_dir(out).empty());
  CHECK(pack::is_claimed(out));
  CHECK(files::read_file(out / "README.md").bytes == "# out/\n");  // left as it was
  // One more file of the user's, or a README that is a link, is not a placeholder.
  const auto other = test::make_temp_dir("claim");
  test::write_file(other / "README.md", "x");
  test::write_file(other / "notes.txt", "mine");
  CHECK_FALSE(pack::claim_out_dir(other).empty());
  const auto linked = test::make_temp_dir("claim");
  fs::create_symlink(out / "README.md", linked / "README.md");
  CHECK_FALSE(pack::claim_out_dir(linked).empty());
  CHECK_FALSE(fs::exists(other / ".coursepack-out"));
  CHECK_FALSE(fs::exists(linked / ".coursepack-out"));
}

TEST_CASE("claim_out_dir refuses a non-empty folder without the marker") {
  const auto out = test::make_temp_dir("claim");
  fs::create_directories(out / "webapp" / "public");
  test::write_file(out / "webapp" / "public" / "manifest.json", "{}");
  test::write_file(out / "index.html", "<p>site</p>");
  CHECK(pack::claim_out_dir(out) ==
        out.string() + " is not empty and was not made by coursepack (it has no .coursepack-out marker); coursepack "
                       "writes only into a folder it made: choose a new or empty folder for --out");
  CHECK_FALSE(fs::exists(out / ".coursepack-out"));
}

TEST_CASE("claim_out_dir refuses a marker that is not coursepack's") {
  const auto out = test::make_temp_dir("claim");
  test::write_file(out / ".coursepack-out", "something else\n");
  CHECK_FALSE(pack::claim_out_dir(out).empty());
  const auto linked = test::make_temp_dir("claim");
  const auto real = test::make_temp_dir("claim");
  REQUIRE(pack::claim_out_dir(real).empty());
  fs::create_symlink(real / ".coursepack-out", linked / ".coursepack-out");
  CHECK_FALSE(pack::is_claimed(linked));
  CHECK_FALSE(pack::claim_out_dir(linked).empty());
}

TEST_CASE("claim_out_dir adopts a folder an older coursepack wrote, and nothing like it") {
  const auto out = test::make_temp_dir("claim");
  test::write_file(out / ".lock", "");
  test::write_file(out / "index.html", "<p>packs</p>");
  fs::create_directories(out / ".cache" / "pandoc");
  fs::create_directories(out / "eksjo" / "2023-03-14-grund");
  test::write_file(out / "eksjo" / "2023-03-14-grund" / "manifest.json",
                   manifest("coursepack 0.1.0", "eksjo", "2023-03-14-grund"));
  fs::create_directories(out / "eksjo" / ".tmp-2023-03-14-grund-77");
  test::write_file(out / "README.md", "# out/\n");  // the repository's placeholder stays welcome
  SECTION("adopted; its leftover recorded for the clean-up") {
    CHECK(pack::claim_out_dir(out).empty());
    CHECK(cp::files::read_file(out / ".coursepack-temp").bytes == "eksjo/.tmp-2023-03-14-grund-77\n");
  }
  SECTION("not with a folder of someone else's") {
    fs::create_directories(out / "webapp" / "public");
    test::write_file(out / "webapp" / "public" / "manifest.json", "{}");
    CHECK_FALSE(pack::claim_out_dir(out).empty());
  }
  SECTION("not with a manifest naming another pack") {
    fs::create_directories(out / "habo" / "2023-01-01-grund");
    test::write_file(out / "habo" / "2023-01-01-grund" / "manifest.json",
                     manifest("coursepack 0.1.0", "eksjo", "2023-03-14-grund"));
    CHECK_FALSE(pack::claim_out_dir(out).empty());
  }
  SECTION("not without the lock file") {
    fs::remove(out / ".lock");
    CHECK_FALSE(pack::claim_out_dir(out).empty());
  }
}

TEST_CASE("is_pack: a real folder with coursepack's manifest for its own name") {
  const auto out = test::make_temp_dir("pack");
  fs::create_directories(out / "eksjo" / "v1");
  test::write_file(out / "eksjo" / "v1" / "manifest.json", manifest("coursepack 1", "eksjo", "v1"));
  CHECK(pack::is_pack(out, "eksjo", "v1"));
  fs::create_directories(out / "eksjo" / "v2");
  test::write_file(out / "eksjo" / "v2" / "manifest.json", manifest("webpack", "eksjo", "v2"));
  CHECK_FALSE(pack::is_pack(out, "eksjo", "v2"));
  fs::create_directories(out / "eksjo" / "v3");
  test::write_file(out / "eksjo" / "v3" / "manifest.json", manifest("coursepack 1", "eksjo", "v1"));
  CHECK_FALSE(pack::is_pack(out, "eksjo", "v3"));
  fs::create_directory_symlink(out / "eksjo", out / "linked");
  CHECK_FALSE(pack::is_pack(out, "linked", "v1"));
  CHECK_FALSE(pack::is_pack(out, "..", "v1"));
}

TEST_CASE("remove_described removes what the manifest lists and nothing else") {
  const auto dir = test::make_temp_dir("pack") / "v1";
  fs::create_directories(dir / "certificates");
  test::write_file(dir / "manifest.json", manifest("coursepack 1", "eksjo", "v1"));
  test::write_file(dir / "a.pdf", "a");
  test::write_file(dir / "certificates" / "01-x.pdf", "c");
  SECTION("all listed: the folder goes") {
    CHECK(pack::remove_described(dir));
    CHECK_FALSE(fs::exists(dir));
  }
  SECTION("a file of the user's stays, with its folders") {
    test::write_file(dir / "certificates" / "mine.txt", "m");
    CHECK_FALSE(pack::remove_described(dir));
    CHECK(fs::exists(dir / "certificates" / "mine.txt"));
    CHECK_FALSE(fs::exists(dir / "a.pdf"));
    CHECK_FALSE(fs::exists(dir / "manifest.json"));
  }
  SECTION("a listed name that is a link is not followed") {
    const auto elsewhere = test::make_temp_dir("pack");
    test::write_file(elsewhere / "01-x.pdf", "keep");
    fs::remove_all(dir / "certificates");
    fs::create_directory_symlink(elsewhere, dir / "certificates");
    pack::remove_described(dir);
    CHECK(fs::exists(elsewhere / "01-x.pdf"));
  }
  SECTION("a manifest that is not coursepack's removes nothing") {
    test::write_file(dir / "manifest.json", manifest("other", "eksjo", "v1"));
    CHECK_FALSE(pack::remove_described(dir));
    CHECK(fs::exists(dir / "a.pdf"));
  }
}

TEST_CASE("remove_packs_except leaves wanted, foreign and linked folders") {
  const auto out = test::make_temp_dir("pack");
  REQUIRE(pack::claim_out_dir(out).empty());
  for (const char* v : {"keep", "gone"}) {
    fs::create_directories(out / "eksjo" / v);
    test::write_file(out / "eksjo" / v / "manifest.json", manifest("coursepack 1", "eksjo", v));
  }
  fs::create_directories(out / "webapp" / "public");
  test::write_file(out / "webapp" / "public" / "manifest.json", "{}");
  const auto elsewhere = test::make_temp_dir("pack");
  fs::create_directories(elsewhere / "gone");
  test::write_file(elsewhere / "gone" / "manifest.json", manifest("coursepack 1", "linked", "gone"));
  fs::create_directory_symlink(elsewhere, out / "linked");
  const auto removed = pack::remove_packs_except(out, {"eksjo/keep"});
  REQUIRE(removed.size() == 1);
  CHECK(removed[0].name == "eksjo/gone");
  CHECK_FALSE(removed[0].kept);
  CHECK(fs::exists(out / "eksjo" / "keep" / "manifest.json"));
  CHECK(fs::exists(out / "webapp" / "public" / "manifest.json"));
  CHECK(fs::exists(elsewhere / "gone" / "manifest.json"));
}

TEST_CASE("no_link_below") {
  const auto out = test::make_temp_dir("pack");
  fs::create_directories(out / "a");
  fs::create_directory_symlink(out / "a", out / "l");
  CHECK(pack::no_link_below(out, "a/x"));
  CHECK_FALSE(pack::no_link_below(out, "l/x"));
  CHECK_FALSE(pack::no_link_below(out, "l"));
  CHECK(pack::no_link_below(out, "l", false));
}

TEST_CASE("participant_file_name: NN-slug and the extension, nothing else") {
  CHECK(pack::participant_file_name("07-asa-berg.pdf", ".pdf"));
  CHECK(pack::participant_file_name("100-deltagare.eml", ".eml"));
  CHECK_FALSE(pack::participant_file_name("07-asa-berg.eml", ".pdf"));
  CHECK_FALSE(pack::participant_file_name("notes.pdf", ".pdf"));
  CHECK_FALSE(pack::participant_file_name("-x.pdf", ".pdf"));
  CHECK_FALSE(pack::participant_file_name("07-Åsa.pdf", ".pdf"));
  CHECK_FALSE(pack::participant_file_name("07-a b.pdf", ".pdf"));
}

TEST_CASE("certificate_file finds a certificate by its number, of several by its SHA-256") {
  const auto dir = test::make_temp_dir("pack") / "v1";
  fs::create_directories(dir / "certificates");
  test::write_file(dir / "certificates" / "01-asa-berg.pdf", "first");
  test::write_file(dir / "certificates" / "02-bo-ek.pdf", "second");
  test::write_file(dir / "certificates" / "10-cecilia.pdf", "tenth");
  test::write_file(dir / "certificates" / "notes.txt", "mine");
  CHECK(pack::certificate_file(dir, 1, "") == "certificates/01-asa-berg.pdf");
  CHECK(pack::certificate_file(dir, 10, "") == "certificates/10-cecilia.pdf");
  CHECK_FALSE(pack::certificate_file(dir, 3, ""));
  CHECK_FALSE(pack::certificate_file(dir, 0, ""));
  // A copy with the same number: the one with the manifest's hash.
  test::write_file(dir / "certificates" / "02-bo-ek-kopia.pdf", "copy");
  CHECK(pack::certificate_file(dir, 2, "16f9e3f2b5e4b0f5b2a5b27b2c9d9c8c0a1b2c3d4e5f60718293a4b5c6d7e8f9") ==
        "certificates/02-bo-ek-kopia.pdf");  // none matches: the first by name
  CHECK(pack::certificate_file(dir, 2, "16367aacb67a4a017c8da8ab95682ccb390863780f7114dda0a0e0c55644c7c4") ==
        "certificates/02-bo-ek.pdf");  // SHA-256 of "second"
}

TEST_CASE("remove_described finds certificates listed by number, and removes dry-run messages") {
  const auto dir = test::make_temp_dir("pack") / "v1";
  fs::create_directories(dir / "certificates");
  fs::create_directories(dir / "mail");
  test::write_file(dir / "manifest.json",
                   "{\"tool\": \"coursepack 1\", \"municipality\": \"eksjo\", \"visit\": \"v1\", \"outputs\": "
                   "[{\"file\": \"a.pdf\"}, {\"certificate\": 1, \"sha256\": \"x\"}]}");
  test::write_file(dir / "a.pdf", "a");
  test::write_file(dir / "certificates" / "01-asa-berg.pdf", "c");
  test::write_file(dir / "mail" / "01-asa-berg.eml", "m");
  CHECK(pack::remove_described(dir));
  CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("a pack whose manifest is damaged: coursepack's when it holds only coursepack's files") {
  const auto out = test::make_temp_dir("out");
  REQUIRE(pack::claim_out_dir(out).empty());
  const auto dir = out / "eksjo" / "v1";
  fs::create_directories(dir / "certificates");
  test::write_file(dir / "handout.pdf", "h");
  test::write_file(dir / "certificates" / "01-asa-berg.pdf", "c");
  for (const std::string& damage : {std::string(), std::string("{\"tool\": \"cours"), std::string(64, '\0'),
                                   std::string("[1, 2]")}) {
    test::write_file(dir / "manifest.json", damage);
    CHECK(pack::is_damaged_pack(out, "eksjo", "v1"));
    CHECK_FALSE(pack::is_pack(out, "eksjo", "v1"));
  }
  SECTION("a manifest that parses is not damaged, whoever wrote it") {
    test::write_file(dir / "manifest.json", "{\"tool\": \"webpack\"}");
    CHECK_FALSE(pack::is_damaged_pack(out, "eksjo", "v1"));
  }
  SECTION("a file of the user's makes it the user's") {
    test::write_file(dir / "certificates" / "notes.txt", "mine");
    std::string foreign;
    CHECK_FALSE(pack::is_damaged_pack(out, "eksjo", "v1", &foreign));
    CHECK(foreign == "certificates/notes.txt");
    CHECK_FALSE(pack::remove_damaged(dir));
    CHECK(fs::exists(dir / "certificates" / "notes.txt"));
    CHECK(fs::exists(dir / "handout.pdf"));
  }
  SECTION("without a manifest it is not a pack at all") {
    fs::remove(dir / "manifest.json");
    CHECK_FALSE(pack::is_damaged_pack(out, "eksjo", "v1"));
  }
  SECTION("removed whole") {
    CHECK(pack::remove_damaged(dir));
    CHECK_FALSE(fs::exists(dir));
  }
}

TEST_CASE("remove_packs_except keeps a held visit's pack, also one from before manifests had a status") {
  const auto out = test::make_temp_dir("out");
  REQUIRE(pack::claim_out_dir(out).empty());
  auto pack_with = [&](const std::string& visit, const std::string& status, const std::string& csv) {
    const auto dir = out / "eksjo" / visit;
    fs::create_directories(dir);
    std::string m = "{\"tool\": \"coursepack 1\", \"municipality\": \"eksjo\", \"visit\": \"" + visit + "\"";
    if (!status.empty()) m += ", \"status\": \"" + status + "\"";
    test::write_file(dir / "manifest.json", m + ", \"outputs\": [{\"file\": \"certificates.csv\"}]}");
    test::write_file(dir / "certificates.csv", csv);
  };
  pack_with("held", "held", "");
  pack_with("planned", "planned", "");
  pack_with("older-held", "", "Kommun;Status\r\nEksjö kommun;giltigt\r\n");
  pack_with("older-planned", "", "Kommun;Status\r\nEksjö kommun;planerat\r\n");
  CHECK(pack::held_packs_except(out, {}) == std::vector<std::string>{"eksjo/held", "eksjo/older-held"});
  const auto removed = pack::remove_packs_except(out, {});
  REQUIRE(removed.size() == 2);
  CHECK(removed[0].name == "eksjo/older-planned");
  CHECK(removed[1].name == "eksjo/planned");
  CHECK(fs::exists(out / "eksjo" / "held" / "manifest.json"));
  CHECK(fs::exists(out / "eksjo" / "older-held" / "certificates.csv"));
}

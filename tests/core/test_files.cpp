#include "core/files.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <string>

#include "support/temp_dir.h"

namespace fs = std::filesystem;

namespace {

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

std::string read(const fs::path& p) { return cp::files::read_file(p).bytes; }

// Sets the umask for the life of the object.
struct Umask {
  explicit Umask(mode_t m) : old(::umask(m)) {}
  ~Umask() { ::umask(old); }
  mode_t old;
};

}  // namespace

TEST_CASE("write_with_mode gives the mode asked for whatever the umask") {
  const fs::path dir = cp::test::make_temp_dir("files");
  Umask open_umask(0);
  CHECK(cp::files::write_with_mode(dir / "a", "one", 0600, false).empty());
  CHECK(mode_of(dir / "a") == 0600);
  CHECK(read(dir / "a") == "one");
  // An existing file is truncated and gets the mode too.
  ::chmod((dir / "a").c_str(), 0666);
  CHECK(cp::files::write_with_mode(dir / "a", "2", 0640, true).empty());
  CHECK(mode_of(dir / "a") == 0640);
  CHECK(read(dir / "a") == "2");
}

TEST_CASE("write_with_mode says what failed") {
  const fs::path dir = cp::test::make_temp_dir("files");
  CHECK(cp::files::write_with_mode(dir / "missing" / "a", "x", 0600, false) ==
        "cannot create '" + (dir / "missing" / "a").string() + "': No such file or directory");
  cp::test::write_file(dir / "b", "old");
  CHECK(cp::files::write_with_mode(dir / "b", "new", 0600, false, true) ==
        "cannot create '" + (dir / "b").string() + "': File exists");
  CHECK(read(dir / "b") == "old");
}

TEST_CASE("write_private_file replaces a file whole, owner-only, and leaves no temporary file") {
  const fs::path dir = cp::test::make_temp_dir("files");
  Umask open_umask(0);
  REQUIRE(cp::files::write_private_file(dir / "sub" / "c", "first", false));
  REQUIRE(cp::files::write_private_file(dir / "sub" / "c", "second", true));
  CHECK(read(dir / "sub" / "c") == "second");
  CHECK(mode_of(dir / "sub" / "c") == 0600);
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir / "sub")) ++entries;
  CHECK(entries == 1);
  CHECK_FALSE(cp::files::write_private_file(dir / "sub" / "c" / "under-a-file", "x", false));
}

TEST_CASE("write_private_file makes its folders 0700 whatever the umask, and leaves existing ones alone") {
  const fs::path dir = cp::test::make_temp_dir("files");
  ::chmod(dir.c_str(), 0755);
  Umask open_umask(0);
  REQUIRE(cp::files::write_private_file(dir / "cache" / "pandoc" / "x.json", "{}", false));
  CHECK(mode_of(dir / "cache") == 0700);
  CHECK(mode_of(dir / "cache" / "pandoc") == 0700);
  CHECK(mode_of(dir) == 0755);
  CHECK(cp::files::create_private_dirs(dir / "cache" / "html"));
  CHECK(mode_of(dir / "cache" / "html") == 0700);
  cp::test::write_file(dir / "file", "x");
  CHECK_FALSE(cp::files::create_private_dirs(dir / "file" / "below"));
}

TEST_CASE("size_text rounds up in binary units, so a size over a limit never reads as the limit", "[core][files]") {
  using cp::files::size_text;
  CHECK(size_text(0) == "0 KB");
  CHECK(size_text(1) == "1 KB");
  CHECK(size_text(512u * 1024u) == "512 KB");
  CHECK(size_text(512u * 1024u + 1) == "513 KB");
  CHECK(size_text(1024u * 1024u) == "1 MB");
  CHECK(size_text(2u * 1024u * 1024u + 1) == "2.1 MB");
  CHECK(size_text(16u * 1024u * 1024u) == "16 MB");
  CHECK(cp::files::too_large_message(2'098'628, 2u * 1024u * 1024u) == "file is too large (2.1 MB; the limit is 2 MB)");
}

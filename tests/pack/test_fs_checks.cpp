#include "pack/fs_checks.h"

#include <cerrno>
#include <filesystem>

#include <catch2/catch.hpp>

#include "support/temp_dir.h"

namespace fs = std::filesystem;
using namespace cp;

TEST_CASE("real folders and files are told from links to them", "[pack][fs_checks]") {
  const auto dir = test::make_temp_dir("fs-checks");
  fs::create_directory(dir / "folder");
  test::write_file(dir / "file", "x");
  fs::create_directory_symlink(dir / "folder", dir / "folder-link");
  fs::create_symlink(dir / "file", dir / "file-link");

  CHECK(pack::detail::real_dir(dir / "folder"));
  CHECK_FALSE(pack::detail::real_dir(dir / "folder-link"));
  CHECK_FALSE(pack::detail::real_dir(dir / "file"));
  CHECK(pack::detail::real_file(dir / "file"));
  CHECK_FALSE(pack::detail::real_file(dir / "file-link"));
  CHECK_FALSE(pack::detail::real_file(dir / "folder"));
  CHECK_FALSE(pack::detail::real_file(dir / "missing"));
  CHECK(pack::detail::lstat_is(dir / "file-link", S_IFLNK));
}

TEST_CASE("a failed call is worded with its path and the system's reason", "[pack][fs_checks]") {
  errno = ENOENT;
  CHECK(pack::detail::errno_text("cannot open", "/x/y") == "cannot open '/x/y': No such file or directory");
}

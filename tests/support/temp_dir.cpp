#include "support/temp_dir.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace cp::test {

namespace fs = std::filesystem;

namespace {

// The folders made so far; removed when the process exits.
struct Made {
  std::vector<fs::path> dirs;
  ~Made() {
    for (const auto& d : dirs) {
      std::error_code ec;
      fs::remove_all(d, ec);
    }
  }
};

Made& made() {
  static Made m;
  return m;
}

}  // namespace

fs::path make_temp_dir(const std::string& prefix) {
  Made& m = made();  // constructed first, so it is destroyed after every user's static path
  std::string tmpl = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed for " + tmpl);
  m.dirs.emplace_back(tmpl);
  return fs::path(tmpl);
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

}  // namespace cp::test

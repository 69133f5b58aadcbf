// A small valid project in a temporary folder, for tests that break one
// thing in it and compare the diagnostics line by line.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"

namespace cp::testing {

class TempProject {
 public:
  // A valid project (see project_fixture.cpp for the files and their lines).
  TempProject();
  // An empty folder.
  explicit TempProject(bool empty);
  ~TempProject();
  TempProject(const TempProject&) = delete;
  TempProject& operator=(const TempProject&) = delete;

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path path(std::string_view rel) const { return root_ / rel; }

  void write(std::string_view rel, std::string_view content) const;
  std::string read(std::string_view rel) const;
  // Replaces the one occurrence of `from` in a file (a test failure if it is not there once).
  void replace(std::string_view rel, std::string_view from, std::string_view to) const;
  void remove(std::string_view rel) const;

  // Runs load_programme and returns every diagnostic as printed.
  std::vector<std::string> check() const;
  // Only the errors / only the warnings.
  std::vector<std::string> errors() const;
  std::vector<std::string> warnings() const;

 private:
  std::filesystem::path root_;
  std::vector<std::string> diagnostics(int severity) const;
};

// Bytes of a 1×1 PNG image.
std::string tiny_png();

}  // namespace cp::testing

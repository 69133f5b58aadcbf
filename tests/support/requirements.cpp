#include "support/requirements.h"

#include <fontconfig/fontconfig.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string_view>
#include <utility>

#include "support/command.h"
#include "support/temp_dir.h"

namespace cp::test {

namespace fs = std::filesystem;

namespace {

// (kind, name) → package, from requirements.tsv.
const std::map<std::pair<std::string, std::string>, std::string>& table() {
  static const auto rows = [] {
    std::map<std::pair<std::string, std::string>, std::string> t;
    std::ifstream in(COURSEPACK_SOURCE_DIR "/tests/support/requirements.tsv");
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::istringstream fields(line);
      std::string kind, name, package;
      if (std::getline(fields, kind, '\t') && std::getline(fields, name, '\t') && std::getline(fields, package))
        t[{kind, name}] = package;
    }
    return t;
  }();
  return rows;
}

// The package for (kind, name); fails the test when the table lacks it.
std::string package_of(const std::string& kind, const std::string& name) {
  const auto it = table().find({kind, name});
  if (it == table().end())
    FAIL("tests/support/requirements.tsv has no row for " << kind << " '" << name
                                                         << "': add it with the Debian package that provides it");
  return it->second;
}

bool required() {
  const char* v = std::getenv("COURSEPACK_REQUIRE_TEST_TOOLS");
  return v && *v;
}

// Reports a missing requirement: a failure under `make test`, else a warning.
void missing(const std::string& what, const std::string& package) {
  if (required())
    FAIL(what << " is missing (Debian package " << package << "); `make test` installs it");
  WARN(what << " is missing (Debian package " << package << "): this check is skipped");
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path ? path : "";
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    const std::string dir(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
    if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

}  // namespace

bool require_tool(const std::string& program) {
  const std::string package = package_of("tool", program);
  if (on_path(program)) return true;
  missing("the program '" + program + "'", package);
  return false;
}

std::optional<std::string> require_font(const std::string& family) {
  const std::string package = package_of("font", family);
  std::optional<std::string> file;
  if (FcPattern* pat = FcNameParse(reinterpret_cast<const FcChar8*>(family.c_str()))) {
    FcConfigSubstitute(nullptr, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult result = FcResultNoMatch;
    if (FcPattern* match = FcFontMatch(nullptr, pat, &result)) {
      // fontconfig always answers with some font: only the family asked for
      // counts (under any of the names the font gives itself).
      bool same_family = false;
      FcChar8* name = nullptr;
      for (int i = 0; FcPatternGetString(match, FC_FAMILY, i, &name) == FcResultMatch; ++i)
        same_family |= FcStrCmpIgnoreCase(name, reinterpret_cast<const FcChar8*>(family.c_str())) == 0;
      FcChar8* path = nullptr;
      if (same_family && FcPatternGetString(match, FC_FILE, 0, &path) == FcResultMatch)
        file = reinterpret_cast<const char*>(path);
      FcPatternDestroy(match);
    }
    FcPatternDestroy(pat);
  }
  if (!file) missing("the font family '" + family + "'", package);
  return file;
}

bool require_file(const std::string& path) {
  const std::string package = package_of("file", path);
  if (fs::exists(path)) return true;
  missing("the file " + path, package);
  return false;
}

std::optional<std::string> use_numeric_locale(const std::string& name) {
  const std::string package = package_of("locale", name);
  const std::string previous = std::setlocale(LC_NUMERIC, nullptr);
  if (std::setlocale(LC_NUMERIC, name.c_str())) return previous;
  // Not installed system-wide: made from the locales package's sources into
  // a private folder that LOCPATH points at.
  static const fs::path dir = make_temp_dir("coursepack-locales");
  const auto dot = name.find('.');
  const std::string base = name.substr(0, dot);
  const std::string charmap = dot == std::string::npos ? "UTF-8" : name.substr(dot + 1);
  if (!fs::exists(dir / name) && require_tool("localedef")) {
    const auto r = run("localedef --no-archive -i " + quote(base) + " -f " + quote(charmap) + " " +
                       quote((dir / name).string()) + " 2>&1");
    INFO(r.out);
  }
  ::setenv("LOCPATH", dir.c_str(), 1);
  if (std::setlocale(LC_NUMERIC, name.c_str())) return previous;
  ::unsetenv("LOCPATH");
  missing("the locale " + name, package);
  return std::nullopt;
}

void restore_numeric_locale(const std::string& previous) {
  std::setlocale(LC_NUMERIC, previous.c_str());
  ::unsetenv("LOCPATH");
}

void in_decimal_comma_locales(const std::function<void()>& check) {
  for (const char* name : {"sv_SE.UTF-8", "de_DE.UTF-8"}) {
    const auto previous = use_numeric_locale(name);
    if (!previous) continue;
    INFO("LC_NUMERIC=" << name);
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%.1f", 10.5);
    CHECK(std::string(buffer) == "10,5");
    check();
    restore_numeric_locale(*previous);
  }
}

}  // namespace cp::test

// coursepack: print-ready training packs from course material, municipality
// data and page layouts.
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <ctime>
#include <iostream>

#include "app/cli.h"
#include "mail/settings.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string error;
  const auto options = cp::app::parse_args(args, error);
  if (!options) {
    std::cerr << "coursepack: " << error << "\n"
              << "try 'coursepack --help'\n";
    return cp::app::kExitUsage;
  }
  cp::app::Environment env;
  if (const char* sde = std::getenv("SOURCE_DATE_EPOCH")) env.source_date_epoch = std::atoll(sde);
  env.now = static_cast<long long>(std::time(nullptr));
  if (const char* pandoc = std::getenv("COURSEPACK_PANDOC")) env.pandoc = pandoc;
  env.stderr_is_terminal = isatty(STDERR_FILENO) == 1;
  // Test hook: make writing a pack fail part-way (tests/e2e/test_build.py).
  if (const char* fail = std::getenv("COURSEPACK_FAIL_AFTER_FILES")) env.fail_after_files = std::atol(fail);
  if (const char* t = std::getenv("COURSEPACK_TIMINGS")) env.timings = std::string(t) == "1";
  env.smtp_settings = cp::mail::settings_path(std::getenv("COURSEPACK_SMTP"), std::getenv("HOME")).string();
  env.variable = [](const std::string& name) -> std::optional<std::string> {
    if (const char* v = std::getenv(name.c_str())) return std::string(v);
    return std::nullopt;
  };
  return cp::app::run(*options, env);
}

// coursepack: print-ready training packs from course material, municipality
// data and page layouts.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <exception>
#include <iostream>
#include <optional>
#include <string>

#include "app/cli.h"
#include "content/process.h"
#include "mail/settings.h"

namespace {

// What reached stdout: a write error (a full disk, /dev/full) is reported,
// never lost. Returns the exit status to use.
int finish_stdout(int status) {
  std::cout.flush();
  const bool failed = !std::cout || std::fflush(stdout) != 0 || std::ferror(stdout);
  if (!failed) return status;
  const int err = errno;
  std::cerr << "coursepack: error: cannot write to standard output: " << std::strerror(err ? err : EIO) << "\n";
  std::cout.clear();
  return status == cp::app::kExitOk ? cp::app::kExitEnvironment : status;
}

}  // namespace

int main(int argc, char** argv) {
  // A file over the size limit (ulimit -f) gives EFBIG, reported like any
  // write error, instead of ending the process.
  ::signal(SIGXFSZ, SIG_IGN);
  // Ctrl-C and SIGTERM kill Pandoc's process groups before the build ends.
  cp::content::kill_children_on_termination();
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string error;
    const auto options = cp::app::parse_args(args, error);
    if (!options) {
      std::cerr << "coursepack: " << error << "\n"
                << "try 'coursepack --help'\n";
      return cp::app::kExitUsage;
    }
    cp::app::Environment env;
    if (const char* sde = std::getenv("SOURCE_DATE_EPOCH")) {
      env.source_date_epoch = cp::app::parse_source_date_epoch(sde);
      if (!env.source_date_epoch) {
        std::cerr << "coursepack: SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 (0 to 253402300799), "
                     "not '"
                  << sde << "'\n";
        return cp::app::kExitUsage;
      }
    }
    env.now = static_cast<long long>(std::time(nullptr));
    if (const char* pandoc = std::getenv("COURSEPACK_PANDOC")) env.pandoc = pandoc;
    if (const char* t = std::getenv("COURSEPACK_PANDOC_TIMEOUT")) {
      char* end = nullptr;
      const long long s = std::strtoll(t, &end, 10);
      if (*t < '0' || *t > '9' || *end != '\0' || s < 1 || s > 3600) {
        std::cerr << "coursepack: COURSEPACK_PANDOC_TIMEOUT must be whole seconds from 1 to 3600, not '" << t << "'\n";
        return cp::app::kExitUsage;
      }
      env.pandoc_timeout_s = s;
    }
    env.stderr_is_terminal = isatty(STDERR_FILENO) == 1;
    // Test hook: make writing a pack fail part-way (tests/e2e/test_build.py).
    if (const char* fail = std::getenv("COURSEPACK_FAIL_AFTER_FILES")) env.fail_after_files = std::atol(fail);
    if (const char* t = std::getenv("COURSEPACK_TIMINGS")) env.timings = std::string(t) == "1";
    env.smtp_settings = cp::mail::settings_path(std::getenv("COURSEPACK_SMTP"), std::getenv("HOME")).string();
    env.variable = [](const std::string& name) -> std::optional<std::string> {
      if (const char* v = std::getenv(name.c_str())) return std::string(v);
      return std::nullopt;
    };
    return finish_stdout(cp::app::run(*options, env));
  } catch (const std::exception& e) {
    // The environment failed under us (a working folder deleted, a file
    // system error): said in one line, never an abort.
    std::cerr << "coursepack: error: " << e.what() << "\n";
    return cp::app::kExitEnvironment;
  }
}

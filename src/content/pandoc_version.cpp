// Asking Pandoc for its version (content/pandoc_version.h).
#include "content/pandoc_version.h"

#include <sys/stat.h>

#include <filesystem>
#include <optional>

#include "content/pandoc_messages.h"
#include "core/files.h"
#include "core/sha256.h"
#include "core/text.h"

namespace cp::content::detail {

namespace fs = std::filesystem;

namespace {

// Where the version line of this very Pandoc binary is kept: a file named
// by the hash of the binary's path, size, inode and modification time, so a
// build that converts nothing starts no `pandoc --version` either, and an
// upgraded Pandoc is asked again. Empty when there is no cache store or
// the runner cannot say which file it would start.
std::optional<std::string> version_file(const ProcessRunner& runner, const PandocCache::State& st) {
  if (!st.store) return std::nullopt;
  const auto program = runner.locate(st.options.program);
  if (!program) return std::nullopt;
  std::error_code ec;
  const fs::path real = fs::canonical(*program, ec);
  struct ::stat info;
  if (ec || ::stat(real.c_str(), &info) != 0) return std::nullopt;
  const std::string identity = real.string() + '\n' + std::to_string(info.st_size) + '\n' +
                               std::to_string(info.st_ino) + '\n' + std::to_string(info.st_mtim.tv_sec) + '.' +
                               std::to_string(info.st_mtim.tv_nsec);
  return "version-" + sha256_hex(identity).substr(0, 32);
}

}  // namespace

VersionCheck check_version(ProcessRunner& runner, PandocCache::State& st) {
  // One `pandoc --version` per cache, even when many threads ask at once.
  std::lock_guard version_lock(st.version_mutex);
  {
    std::lock_guard lock(st.mutex);
    if (st.version) return *st.version;
  }
  const auto kept = version_file(runner, st);
  if (kept) {
    if (const auto r = st.store->read(*kept, 4096); r.status == files::ReadStatus::Ok) {
      VersionCheck v;
      v.line = std::string(text::trim(r.bytes));
      int major = 0, minor = 0;
      if (pandoc_version_numbers(v.line, major, minor) &&
          (major > kMinPandocMajor || (major == kMinPandocMajor && minor >= kMinPandocMinor))) {
        std::lock_guard lock(st.mutex);
        st.version = v;
        return v;
      }
    }
  }
  ProcessRequest req;
  req.argv = {st.options.program, "--version"};
  req.timeout = std::chrono::milliseconds(10'000);
  req.max_output = 1u << 20;
  const ProcessResult r = runner.run(req);
  VersionCheck v;
  if (r.status == ProcessStatus::NotFound) {
    v.status = Status::EnvironmentError;
    v.message = "pandoc is not installed (" + r.error + "); install it with: apt-get install pandoc";
  } else if (!r.ok()) {
    v.status = Status::EnvironmentError;
    v.message = "`" + st.options.program + " --version` failed: " + describe(r, st.options.program);
  } else {
    v.line = std::string(text::trim(std::string_view(r.out).substr(0, r.out.find('\n'))));
    int major = 0, minor = 0;
    if (!pandoc_version_numbers(v.line, major, minor)) {
      v.status = Status::EnvironmentError;
      v.message = "cannot tell Pandoc's version from `" + v.line + "`";
    } else if (major < kMinPandocMajor || (major == kMinPandocMajor && minor < kMinPandocMinor)) {
      v.status = Status::EnvironmentError;
      v.message = v.line + " is too old: coursepack needs pandoc " + std::to_string(kMinPandocMajor) + "." +
                  std::to_string(kMinPandocMinor) + " or later (it reads " + std::string(kSupportedPandocApi) + ")";
    }
  }
  if (kept && v.status == Status::Ok) {
    // Kept for the next run; a file that cannot be written only costs a run.
    st.store->write(*kept, v.line + "\n", false);
  }
  std::lock_guard lock(st.mutex);
  if (!st.version) {
    st.version = v;
    ++st.stats.version_checks;
  }
  return *st.version;
}

}  // namespace cp::content::detail

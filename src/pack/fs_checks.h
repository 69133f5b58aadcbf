// What the files of pack/ share to look at out/ without following links
// and to word a failed system call. Not a public header.
#pragma once

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include <fmt/format.h>

namespace cp::pack::detail {

// `p` itself (not what a link points to) is of `type` (S_IFDIR, S_IFREG).
inline bool lstat_is(const std::filesystem::path& p, mode_t type) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 && (st.st_mode & S_IFMT) == type;
}

// A folder, not a link to one.
inline bool real_dir(const std::filesystem::path& p) { return lstat_is(p, S_IFDIR); }
// A regular file, not a link to one.
inline bool real_file(const std::filesystem::path& p) { return lstat_is(p, S_IFREG); }

// "WHAT 'PATH': the system's reason", from errno.
inline std::string errno_text(const std::string& what, const std::filesystem::path& p) {
  return fmt::format("{} '{}': {}", what, p.string(), std::strerror(errno));
}

}  // namespace cp::pack::detail

#include "core/files.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace cp::files {

namespace fs = std::filesystem;

std::string size_text(std::uintmax_t bytes) {
  constexpr std::uintmax_t kKB = 1024, kMB = 1024 * 1024;
  if (bytes < kMB) return fmt::format("{} KB", (bytes + kKB - 1) / kKB);
  const std::uintmax_t tenths = (bytes * 10 + kMB - 1) / kMB;
  return tenths % 10 == 0 ? fmt::format("{} MB", tenths / 10) : fmt::format("{}.{} MB", tenths / 10, tenths % 10);
}

std::string too_large_message(std::uintmax_t size, std::size_t max_bytes) {
  return fmt::format("file is too large ({}; the limit is {})", size_text(size), size_text(max_bytes));
}

ReadResult read_file(const fs::path& path, std::size_t max_bytes) {
  ReadResult r;
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    r.status = ReadStatus::NotFound;
    r.message = "file not found";
    return r;
  }
  if (!fs::is_regular_file(st)) {
    r.status = ReadStatus::NotRegular;
    r.message = "not a regular file";
    return r;
  }
  const auto size = fs::file_size(path, ec);
  if (ec) {
    r.status = ReadStatus::IoError;
    r.message = fmt::format("cannot read file: {}", ec.message());
    return r;
  }
  if (size > max_bytes) {
    r.status = ReadStatus::TooLarge;
    r.message = too_large_message(size, max_bytes);
    return r;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    r.status = ReadStatus::IoError;
    r.message = "cannot open file";
    return r;
  }
  r.bytes.resize(static_cast<std::size_t>(size));
  in.read(r.bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::size_t>(in.gcount()) != size) {
    r.status = ReadStatus::IoError;
    r.message = "cannot read file";
    r.bytes.clear();
  }
  return r;
}

Resolved resolve_inside(const fs::path& folder, std::string_view relative) {
  Resolved r;
  if (relative.empty()) {
    r.status = ResolveStatus::Empty;
    return r;
  }
  const fs::path rel{std::string(relative)};
  if (rel.is_absolute() || relative.front() == '/' || relative.front() == '\\') {
    r.status = ResolveStatus::Absolute;
    return r;
  }
  std::error_code ec;
  const fs::path base = fs::weakly_canonical(folder, ec);
  // Lexical check first: a path that leaves by `..` is refused even if the
  // file would not exist.
  const fs::path lexical = (base / rel).lexically_normal();
  const auto inside = [&base](const fs::path& p) {
    auto b = base.begin(), pi = p.begin();
    for (; b != base.end(); ++b, ++pi)
      if (pi == p.end() || *b != *pi) return false;
    return true;
  };
  if (!inside(lexical)) {
    r.status = ResolveStatus::LeavesFolder;
    return r;
  }
  if (!fs::exists(lexical, ec)) {
    r.status = ResolveStatus::NotFound;
    r.path = lexical;
    return r;
  }
  const fs::path real = fs::canonical(lexical, ec);
  if (ec) {
    r.status = ResolveStatus::NotFound;
    r.path = lexical;
    return r;
  }
  if (!inside(real)) {
    r.status = ResolveStatus::LeavesFolder;
    return r;
  }
  r.path = real;
  return r;
}

std::string describe(ResolveStatus status, std::string_view relative, std::string_view folder_name) {
  switch (status) {
    case ResolveStatus::Ok: return {};
    case ResolveStatus::Empty: return "empty file path";
    case ResolveStatus::Absolute:
      return fmt::format("path '{}' is absolute; write it relative to {}/", relative, folder_name);
    case ResolveStatus::LeavesFolder: return fmt::format("path '{}' leaves {}/", relative, folder_name);
    case ResolveStatus::NotFound: return fmt::format("file '{}' does not exist", relative);
  }
  return {};
}

namespace {

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t w = ::write(fd, bytes.data(), bytes.size());
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(w));
  }
  return true;
}

std::atomic<unsigned long> g_temp_counter{0};

}  // namespace

std::string write_with_mode(const fs::path& path, std::string_view bytes, unsigned mode, bool sync, bool exclusive) {
  auto failed = [&](const char* what) { return fmt::format("{} '{}': {}", what, path.string(), std::strerror(errno)); };
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC), mode);
  if (fd < 0) return failed("cannot create");
  std::string error;
  if (::fchmod(fd, mode) != 0)  // the umask does not decide
    error = failed("cannot set the permissions of");
  else if (!write_all(fd, bytes))
    error = failed("cannot write");
  else if (sync && ::fsync(fd) != 0)
    error = failed("cannot sync");
  if (::close(fd) != 0 && error.empty()) error = failed("cannot write");
  return error;
}

bool create_private_dirs(const fs::path& dir) {
  if (dir.empty()) return true;
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) return S_ISDIR(st.st_mode);
  if (dir.has_parent_path() && dir.parent_path() != dir && !create_private_dirs(dir.parent_path())) return false;
  if (::mkdir(dir.c_str(), 0700) != 0) return errno == EEXIST;
  ::chmod(dir.c_str(), 0700);  // made here: the umask does not decide
  return true;
}

bool write_private_file(const fs::path& target, std::string_view bytes, bool sync) {
  create_private_dirs(target.parent_path());
  const std::string temp = target.string() + ".tmp." + std::to_string(::getpid()) + "." +
                           std::to_string(g_temp_counter.fetch_add(1));
  if (!write_with_mode(temp, bytes, 0600, sync, true).empty() || ::rename(temp.c_str(), target.c_str()) != 0) {
    ::unlink(temp.c_str());
    return false;
  }
  return true;
}

}  // namespace cp::files

#include "pack/pack.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <system_error>

#include "core/files.h"

namespace cp::pack {

namespace fs = std::filesystem;

namespace {

constexpr const char* kTempPrefix = ".tmp-";
constexpr const char* kOldPrefix = ".old-";

// See set_fail_after_files(): a test hook, -1 when off.
std::atomic<long> fail_after_files{-1};

std::string errno_text(const std::string& what, const fs::path& p) {
  return fmt::format("{} '{}': {}", what, p.string(), std::strerror(errno));
}

std::string make_dir(const fs::path& p) {
  if (::mkdir(p.c_str(), 0700) != 0 && errno != EEXIST) return errno_text("cannot create folder", p);
  ::chmod(p.c_str(), 0700);
  return {};
}

void sync_dir(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

void set_fail_after_files(long files) { fail_after_files = files; }

bool safe_name(const std::string& name) {
  if (name.empty() || name == "." || name == "..") return false;
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7F || c == '/' || c == '\\') return false;
  return true;
}

std::string stage_pack(const fs::path& out_dir, const std::string& slug, const std::string& visit,
                       const std::vector<OutputFile>& files, StagedPack& staged) {
  if (!safe_name(slug) || !safe_name(visit)) return fmt::format("unsafe pack name '{}/{}'", slug, visit);
  if (auto e = make_dir(out_dir); !e.empty()) return e;
  const fs::path parent = out_dir / slug;
  if (auto e = make_dir(parent); !e.empty()) return e;
  staged.target = parent / visit;
  staged.temp = parent / fmt::format("{}{}-{}", kTempPrefix, visit, ::getpid());
  std::error_code ec;
  fs::remove_all(staged.temp, ec);
  if (auto e = make_dir(staged.temp); !e.empty()) return e;
  long written = 0;
  for (const auto& f : files) {
    if (const long limit = fail_after_files; limit >= 0 && written >= limit)
      return fmt::format("injected failure after {} file(s) of '{}' (COURSEPACK_FAIL_AFTER_FILES)", written,
                         staged.target.string());
    const fs::path rel(f.name);
    for (const auto& part : rel)
      if (!safe_name(part.string())) return fmt::format("unsafe output name '{}'", f.name);
    if (rel.has_parent_path()) {
      fs::path dir = staged.temp;
      for (const auto& part : rel.parent_path()) {
        dir /= part;
        if (auto e = make_dir(dir); !e.empty()) return e;
      }
    }
    if (auto e = files::write_with_mode(staged.temp / rel, f.bytes, 0600, false); !e.empty()) return e;
    ++written;
  }
  return {};
}

std::string commit_packs(const std::vector<StagedPack>& staged) {
  if (staged.empty()) return {};
  // One sync for everything staged: far cheaper than a sync per file, and
  // nothing is visible before it.
  const int fd = ::open(staged.front().temp.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::syncfs(fd);
    ::close(fd);
  }
  for (const auto& s : staged) {
    std::error_code ec;
    if (fs::exists(s.target, ec)) {
      if (::renameat2(AT_FDCWD, s.temp.c_str(), AT_FDCWD, s.target.c_str(), RENAME_EXCHANGE) != 0)
        return errno_text("cannot replace", s.target);
      // `temp` now holds the old pack.
      fs::remove_all(s.temp, ec);
    } else if (::rename(s.temp.c_str(), s.target.c_str()) != 0) {
      return errno_text("cannot move into place", s.target);
    }
    sync_dir(s.target.parent_path());
  }
  return {};
}

std::string write_pack(const fs::path& out_dir, const std::string& slug, const std::string& visit,
                       const std::vector<OutputFile>& files) {
  StagedPack staged;
  if (auto e = stage_pack(out_dir, slug, visit, files, staged); !e.empty()) return e;
  return commit_packs({staged});
}

std::string write_file(const fs::path& path, const std::string& bytes, unsigned mode) {
  const fs::path temp = path.parent_path() / fmt::format("{}{}-{}", kTempPrefix, path.filename().string(), ::getpid());
  if (auto e = files::write_with_mode(temp, bytes, mode, true); !e.empty()) return e;
  if (::rename(temp.c_str(), path.c_str()) != 0) return errno_text("cannot move into place", path);
  sync_dir(path.parent_path());
  return {};
}

void clean_leftovers(const fs::path& out_dir) {
  std::error_code ec;
  if (!fs::is_directory(out_dir, ec)) return;
  auto is_leftover = [](const fs::path& p) {
    const std::string n = p.filename().string();
    return n.rfind(kTempPrefix, 0) == 0 || n.rfind(kOldPrefix, 0) == 0;
  };
  std::vector<fs::path> doomed;
  for (const auto& e : fs::directory_iterator(out_dir, ec)) {
    if (is_leftover(e.path())) doomed.push_back(e.path());
    else if (e.is_directory(ec))
      for (const auto& inner : fs::directory_iterator(e.path(), ec))
        if (is_leftover(inner.path())) doomed.push_back(inner.path());
  }
  for (const auto& p : doomed) fs::remove_all(p, ec);
}

}  // namespace cp::pack

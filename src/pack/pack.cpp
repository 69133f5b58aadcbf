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

fs::path send_log_path(const fs::path& out_dir, const std::string& slug, const std::string& visit) {
  return out_dir / ".sendlog" / slug / (visit + ".jsonl");
}

std::string append_send_log(const fs::path& out_dir, const std::string& slug, const std::string& visit,
                            std::string_view line) {
  if (!safe_name(slug) || !safe_name(visit)) return fmt::format("unsafe send log name '{}/{}'", slug, visit);
  if (line.find('\n') != std::string_view::npos) return "a send log record must be one line";
  for (const fs::path& dir : {out_dir, out_dir / ".sendlog", out_dir / ".sendlog" / slug})
    if (auto e = make_dir(dir); !e.empty()) return e;
  const fs::path file = send_log_path(out_dir, slug, visit);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return errno_text("cannot open", file);
  ::fchmod(fd, 0600);
  std::string record;
  struct stat st{};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) {
    char last = '\n';
    if (::pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n') record += '\n';
  }
  record.append(line);
  record += '\n';
  std::size_t done = 0;
  while (done < record.size()) {
    const ssize_t n = ::write(fd, record.data() + done, record.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string e = errno_text("cannot write", file);
      ::close(fd);
      return e;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const std::string e = errno_text("cannot sync", file);
    ::close(fd);
    return e;
  }
  ::close(fd);
  if (st.st_size == 0) sync_dir(file.parent_path());
  return {};
}

std::string write_into_pack(const fs::path& out_dir, const std::string& slug, const std::string& visit,
                            const std::string& name, const std::string& bytes) {
  if (!safe_name(slug) || !safe_name(visit)) return fmt::format("unsafe pack name '{}/{}'", slug, visit);
  const fs::path rel(name);
  for (const auto& part : rel)
    if (!safe_name(part.string())) return fmt::format("unsafe output name '{}'", name);
  const fs::path pack = out_dir / slug / visit;
  std::error_code ec;
  if (!fs::is_directory(pack, ec)) return fmt::format("no pack at '{}'", pack.string());
  fs::path dir = pack;
  if (rel.has_parent_path())
    for (const auto& part : rel.parent_path()) {
      dir /= part;
      if (auto e = make_dir(dir); !e.empty()) return e;
    }
  return write_file(pack / rel, bytes, 0600);
}

std::string write_folder(const fs::path& out_dir, const std::string& name, const std::vector<OutputFile>& files) {
  if (!safe_name(name) || name[0] == '.') return fmt::format("unsafe folder name '{}'", name);
  if (auto e = make_dir(out_dir); !e.empty()) return e;
  const fs::path target = out_dir / name;
  const fs::path temp = out_dir / fmt::format("{}{}-{}", kTempPrefix, name, ::getpid());
  std::error_code ec;
  fs::remove_all(temp, ec);
  if (auto e = make_dir(temp); !e.empty()) return e;
  for (const auto& f : files) {
    if (!safe_name(f.name)) return fmt::format("unsafe output name '{}'", f.name);
    if (auto e = files::write_with_mode(temp / f.name, f.bytes, 0600, true); !e.empty()) return e;
  }
  sync_dir(temp);
  if (fs::exists(target, ec)) {
    if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0)
      return errno_text("cannot replace", target);
    fs::remove_all(temp, ec);
  } else if (::rename(temp.c_str(), target.c_str()) != 0) {
    return errno_text("cannot move into place", target);
  }
  sync_dir(out_dir);
  return {};
}

}  // namespace cp::pack

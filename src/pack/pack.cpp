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
#include "core/json.h"
#include "core/sha256.h"
#include "pack/fs_checks.h"
#include "pack/ownership.h"

namespace cp::pack {

namespace fs = std::filesystem;

namespace {

constexpr const char* kTempPrefix = ".tmp-";

// See set_fail_after_files(): a test hook, -1 when off.
std::atomic<long> fail_after_files{-1};

using detail::errno_text;

bool lstat_mode(const fs::path& p, mode_t& mode) {
  struct stat st {};
  if (::lstat(p.c_str(), &st) != 0) return false;
  mode = st.st_mode;
  return true;
}

// A folder coursepack may write in: a claimed out/ itself, or a real folder
// (no symbolic link on the way) a few levels below one, as a pack's mail/
// or out/.cache/ is.
bool writable_folder(const fs::path& dir) {
  fs::path d = dir;
  for (int depth = 0; depth < 4; ++depth) {
    if (is_claimed(d)) return true;
    mode_t mode = 0;
    if (!lstat_mode(d, mode) || !S_ISDIR(mode) || !d.has_parent_path() || d.parent_path() == d) return false;
    d = d.parent_path();
  }
  return false;
}

// Creates a folder 0700 (chmod'ed only when made here); an existing one
// must be a real folder, not a symbolic link. `created` says which.
std::string make_dir(const fs::path& p, bool* created = nullptr) {
  if (created) *created = false;
  if (::mkdir(p.c_str(), 0700) == 0) {
    ::chmod(p.c_str(), 0700);
    if (created) *created = true;
    return {};
  }
  if (errno != EEXIST) return errno_text("cannot create folder", p);
  mode_t mode = 0;
  if (!lstat_mode(p, mode) || !S_ISDIR(mode))
    return fmt::format("'{}' is not a folder (a symbolic link or a file); coursepack does not write through it",
                       p.string());
  return {};
}

std::string sync_dir(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_text("cannot open folder", p);
  std::string error;
  if (::fsync(fd) != 0) error = errno_text("cannot sync folder", p);
  ::close(fd);
  return error;
}

// Removes a staged folder of this run (everything in it was written here).
void discard(const fs::path& temp) {
  std::error_code ec;
  fs::remove_all(temp, ec);
}

std::string write_staged(const std::vector<OutputFile>& files, const StagedPack& staged);

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
  if (!is_claimed(out_dir)) return fmt::format("'{}' is not coursepack's output folder", out_dir.string());
  const fs::path parent = out_dir / slug;
  if (auto e = make_dir(parent); !e.empty()) return e;
  staged.out = out_dir;
  staged.slug = slug;
  staged.visit = visit;
  staged.target = parent / visit;
  mode_t mode = 0;
  // A pack whose own manifest is damaged is still coursepack's when it
  // holds nothing but coursepack's files: it is repaired (replaced).
  std::string foreign;
  if (lstat_mode(staged.target, mode) && !is_pack(out_dir, slug, visit) &&
      !is_damaged_pack(out_dir, slug, visit, &foreign))
    return foreign.empty() || !lstat_mode(staged.target / "manifest.json", mode)
               ? fmt::format("'{}' exists and is not a pack coursepack wrote; move it away to build this pack",
                             staged.target.string())
               : fmt::format("'{}' has a damaged manifest.json and holds '{}', which coursepack did not write; "
                             "move it away to build this pack",
                             staged.target.string(), foreign);
  const std::string temp_name = fmt::format("{}{}-{}", kTempPrefix, visit, ::getpid());
  staged.temp = parent / temp_name;
  // Journaled before it is made: a run killed in between leaves a journal
  // line for a folder that is not there, never a folder no journal names.
  if (auto e = note_temp(out_dir, fs::path(slug) / temp_name); !e.empty()) return e;
  bool created = false;
  if (auto e = make_dir(staged.temp, &created); !e.empty()) return e;
  if (!created) return fmt::format("'{}' already exists", staged.temp.string());
  if (auto e = write_staged(files, staged); !e.empty()) {
    discard(staged.temp);  // made by this run, holds only what it wrote
    return e;
  }
  return {};
}

namespace {

std::string write_staged(const std::vector<OutputFile>& files, const StagedPack& staged) {
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
    if (auto e = files::write_with_mode(staged.temp / rel, f.bytes, 0600, false, true); !e.empty()) return e;
    ++written;
  }
  return {};
}

}  // namespace

std::string commit_packs(const std::vector<StagedPack>& staged) {
  if (staged.empty()) return {};
  auto fail = [&](std::size_t from, std::string error) {
    for (std::size_t k = from; k < staged.size(); ++k) discard(staged[k].temp);
    return error;
  };
  // One sync for everything staged: far cheaper than a sync per file, and
  // nothing is visible before it. Since Linux 5.8 syncfs reports the file
  // system's write-back errors, so a failed write fails here.
  const int fd = ::open(staged.front().temp.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return fail(0, errno_text("cannot open", staged.front().temp));
  const int synced = ::syncfs(fd);
  const int sync_errno = errno;
  ::close(fd);
  if (synced != 0) {
    errno = sync_errno;
    return fail(0, errno_text("cannot make the packs durable (syncfs)", staged.front().out));
  }
  for (std::size_t k = 0; k < staged.size(); ++k) {
    const auto& s = staged[k];
    mode_t mode = 0;
    if (lstat_mode(s.target, mode)) {
      const bool damaged = !is_pack(s.out, s.slug, s.visit) && is_damaged_pack(s.out, s.slug, s.visit);
      if (!is_pack(s.out, s.slug, s.visit) && !damaged)
        return fail(k, fmt::format("'{}' is not a pack coursepack wrote; it was left as it is", s.target.string()));
      if (::renameat2(AT_FDCWD, s.temp.c_str(), AT_FDCWD, s.target.c_str(), RENAME_EXCHANGE) != 0)
        return fail(k, errno_text("cannot replace", s.target));
      if (auto e = sync_dir(s.target.parent_path()); !e.empty()) return fail(k + 1, e);
      // `temp` now holds the old pack: its own files go, anything else stays.
      if (damaged) remove_damaged(s.temp);
      else remove_described(s.temp);
    } else {
      if (::rename(s.temp.c_str(), s.target.c_str()) != 0) return fail(k, errno_text("cannot move into place", s.target));
      if (auto e = sync_dir(s.target.parent_path()); !e.empty()) return fail(k + 1, e);
    }
  }
  return {};
}

std::string write_pack(const fs::path& out_dir, const std::string& slug, const std::string& visit,
                       const std::vector<OutputFile>& files) {
  StagedPack staged;
  if (auto e = stage_pack(out_dir, slug, visit, files, staged); !e.empty()) {
    if (!staged.temp.empty()) discard(staged.temp);
    return e;
  }
  return commit_packs({staged});
}

std::string write_file(const fs::path& path, const std::string& bytes, unsigned mode) {
  const fs::path dir = path.parent_path();
  if (!writable_folder(dir)) return fmt::format("'{}' is not in coursepack's output folder", dir.string());
  mode_t existing = 0;
  if (lstat_mode(path, existing) && !S_ISREG(existing))
    return fmt::format("'{}' is not a regular file; coursepack leaves it alone", path.string());
  const std::string temp_name = fmt::format("{}{}-{}", kTempPrefix, path.filename().string(), ::getpid());
  const fs::path temp = dir / temp_name;
  if (auto e = files::write_with_mode(temp, bytes, mode, true, true); !e.empty()) {
    ::unlink(temp.c_str());
    return e;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    auto e = errno_text("cannot move into place", path);
    ::unlink(temp.c_str());
    return e;
  }
  return sync_dir(dir);
}

namespace {

// out/.tmp-index.html-<pid> or out/.tmp-report.pdf-<pid>: write_file's
// temporary file, by its exact name.
bool own_temp_file(const std::string& name) {
  for (const std::string_view file : {"index.html", "report.pdf"}) {
    const std::string prefix = std::string(kTempPrefix) + std::string(file) + "-";
    if (name.size() <= prefix.size() || name.rfind(prefix, 0) != 0) continue;
    return name.find_first_not_of("0123456789", prefix.size()) == std::string::npos;
  }
  return false;
}

}  // namespace

void clean_leftovers(const fs::path& out_dir) {
  if (!is_claimed(out_dir)) return;
  mode_t mode = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(out_dir, ec))
    if (own_temp_file(e.path().filename().string()) && lstat_mode(e.path(), mode) && S_ISREG(mode))
      ::unlink(e.path().c_str());
  const fs::path journal = out_dir / kTempJournal;
  const fs::path next_journal = out_dir / kTempJournalNext;
  if (lstat_mode(next_journal, mode) && S_ISREG(mode)) ::unlink(next_journal.c_str());
  if (!lstat_mode(journal, mode) || !S_ISREG(mode)) return;
  const auto r = files::read_file(journal);
  if (r.status != files::ReadStatus::Ok) return;
  std::string still_there;  // entries that could not go: tried again by the next run
  std::size_t start = 0;
  while (start < r.bytes.size()) {
    std::size_t end = r.bytes.find('\n', start);
    if (end == std::string::npos) end = r.bytes.size();
    const fs::path rel(r.bytes.substr(start, end - start));
    start = end + 1;
    std::size_t parts = 0;
    bool safe = !rel.empty() && !rel.is_absolute();
    for (const auto& part : rel) safe = safe && safe_name(part.string()) && ++parts <= 2;
    if (!safe || rel.filename().string().rfind(kTempPrefix, 0) != 0 || !no_link_below(out_dir, rel)) continue;
    const fs::path p = out_dir / rel;
    if (!lstat_mode(p, mode)) continue;
    if (S_ISREG(mode)) {
      ::unlink(p.c_str());
    } else if (S_ISDIR(mode)) {
      // A complete pack (staged, or an old one swapped out) goes by its
      // manifest; a pack staged part-way holds only what this tool wrote.
      mode_t manifest = 0;
      if (lstat_mode(p / "manifest.json", manifest)) {
        // A repaired pack swapped out goes as a damaged one. A pack killed
        // while its manifest was being written (the last file staged) holds
        // only what this tool wrote, as every folder with a manifest that
        // does not parse here does (a damaged pack with other files is
        // never swapped out): it goes whole.
        if (!remove_described(p) && !remove_damaged(p) && manifest_unparseable(p)) discard(p);
      } else {
        discard(p);
      }
    }
    if (lstat_mode(p, mode)) still_there += rel.string() + "\n";
  }
  if (still_there.empty()) {
    ::unlink(journal.c_str());  // every entry dealt with; the next temporary entry starts it again
    return;
  }
  // A folder that could not go stays journaled, so no later run loses
  // track of it; the journal is replaced whole, never cut short.
  if (files::write_with_mode(next_journal, still_there, 0600, true, true).empty())
    ::rename(next_journal.c_str(), journal.c_str());
}

PackState check_pack(const fs::path& out_dir, const std::string& slug, const std::string& visit, bool hashes) {
  PackState state;
  if (!is_pack(out_dir, slug, visit)) {
    if (is_damaged_pack(out_dir, slug, visit)) {
      state.kind = PackState::Damaged;
      state.problem = "manifest.json is damaged (it is not JSON); the pack is made again";
    }
    return state;
  }
  const fs::path dir = out_dir / slug / visit;
  const auto r = files::read_file(dir / "manifest.json");
  const auto j = cp::json::parse(r.bytes);
  if (!j.contains("inputs_hash") || !j["inputs_hash"].is_string()) return state;
  auto damaged = [&state](std::string problem) {
    state.kind = PackState::Damaged;
    state.problem = std::move(problem);
    return state;
  };
  if (j.contains("outputs") && j["outputs"].is_array())
    for (const auto& o : j["outputs"]) {
      if (!o.is_object()) continue;
      std::string name;
      if (o.contains("certificate") && o["certificate"].is_number_integer()) {
        // Listed by number: the file's name is made from a participant's.
        const long number = o["certificate"].get<long>();
        const auto found = certificate_file(dir, number,
                                            o.contains("sha256") && o["sha256"].is_string() ? o["sha256"].get<std::string>() : "");
        if (!found) return damaged(fmt::format("certificate {} is missing", number));
        name = *found;
      } else if (o.contains("file") && o["file"].is_string()) {
        name = o["file"].get<std::string>();
        if (name.rfind("certificates/", 0) == 0)
          return damaged("manifest.json names the certificate files (a manifest of an older coursepack)");
      } else {
        continue;
      }
      const fs::path file = dir / name;
      struct stat st {};
      if (!no_link_below(dir, name) || ::lstat(file.c_str(), &st) != 0) return damaged(name + " is missing");
      if (!S_ISREG(st.st_mode)) return damaged(name + " is not a regular file");
      if (o.contains("bytes") && o["bytes"].is_number_unsigned() &&
          o["bytes"].get<std::uint64_t>() != static_cast<std::uint64_t>(st.st_size))
        return damaged(fmt::format("{} has {} bytes, the manifest says {}", name, st.st_size,
                                   o["bytes"].get<std::uint64_t>()));
      if (hashes && o.contains("sha256") && o["sha256"].is_string()) {
        const auto content = files::read_file(file, std::size_t{1} << 32);
        if (content.status != files::ReadStatus::Ok) return damaged(name + ": " + content.message);
        if (sha256_hex(content.bytes) != o["sha256"].get<std::string>())
          return damaged(name + " differs from the manifest (SHA-256)");
      }
    }
  state.kind = PackState::Present;
  state.inputs_hash = j["inputs_hash"].get<std::string>();
  state.purged = j.contains("purged");
  return state;
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
  if (!is_claimed(out_dir)) return fmt::format("'{}' is not coursepack's output folder", out_dir.string());
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

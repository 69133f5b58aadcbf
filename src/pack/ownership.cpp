#include "pack/ownership.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <mutex>
#include <system_error>

#include "core/files.h"
#include "core/json.h"
#include "core/sha256.h"
#include "pack/fs_checks.h"
#include "pack/pack.h"

namespace cp::pack {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMarkerText =
    "coursepack output folder\n"
    "coursepack made this folder (or found it empty) and creates, replaces and removes\n"
    "its packs here; it touches nothing else in it.\n";

std::mutex journal_mutex;

using detail::real_dir;
using detail::real_file;

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// A path relative to out/ or to a pack: one or more safe names.
bool safe_relative(const fs::path& rel, std::size_t max_parts) {
  if (rel.empty() || rel.is_absolute()) return false;
  std::size_t parts = 0;
  for (const auto& part : rel)
    if (!safe_name(part.string()) || ++parts > max_parts) return false;
  return true;
}

// The manifest of a pack folder, when it is coursepack's (its "tool" names
// coursepack); a discarded value otherwise.
nlohmann::json read_own_manifest(const fs::path& dir) {
  const fs::path file = dir / "manifest.json";
  if (!real_file(file)) return nlohmann::json(nlohmann::json::value_t::discarded);
  const auto r = files::read_file(file);
  if (r.status != files::ReadStatus::Ok) return nlohmann::json(nlohmann::json::value_t::discarded);
  auto j = cp::json::parse(r.bytes);
  if (!j.is_object() || !j.contains("tool") || !j["tool"].is_string() ||
      !starts_with(j["tool"].get<std::string>(), "coursepack "))
    return nlohmann::json(nlohmann::json::value_t::discarded);
  return j;
}

bool manifest_names(const nlohmann::json& j, const std::string& slug, const std::string& visit) {
  return !j.is_discarded() && j.contains("municipality") && j["municipality"] == slug && j.contains("visit") &&
         j["visit"] == visit;
}

std::string write_marker(const fs::path& out) {
  return files::write_with_mode(out / kMarkerFile, kMarkerText, 0600, true, true);
}

// Empty, or holding only the files a repository keeps an empty folder with
// (`.gitignore`, `.gitkeep`, `README.md`, each a real file): such a folder
// counts as empty, and coursepack never touches those files.
bool empty_but_placeholders(const fs::path& out, std::error_code& ec) {
  for (const auto& e : fs::directory_iterator(out, ec)) {
    const std::string n = e.path().filename().string();
    if ((n != ".gitignore" && n != ".gitkeep" && n != "README.md") || !real_file(e.path())) return false;
  }
  return !ec;
}

// A folder written by a coursepack that predates the marker: its lock file,
// and nothing but what that coursepack wrote: caches, pages and packs with
// their manifests (and its leftovers, which are recorded for clean-up).
bool made_by_older_coursepack(const fs::path& out, std::vector<fs::path>& leftovers) {
  if (!real_file(out / ".lock")) return false;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(out, ec)) {
    const fs::path p = e.path();
    const std::string n = p.filename().string();
    if (n == ".lock" || n == "index.html" || n == "report.pdf" || n == "register.csv" || n == "calendar.ics" ||
        n == ".gitignore" || n == ".gitkeep" || n == "README.md") {  // the last three: the repository's placeholders
      if (!real_file(p)) return false;
      continue;
    }
    if (n == ".cache" || n == "verify") {
      if (!real_dir(p)) return false;
      continue;
    }
    if (starts_with(n, ".tmp-index.html-") || starts_with(n, ".tmp-report.pdf-")) {
      if (!real_file(p)) return false;
      leftovers.push_back(n);
      continue;
    }
    if (n.empty() || n[0] == '.' || !real_dir(p)) return false;
    for (const auto& inner : fs::directory_iterator(p, ec)) {
      const std::string v = inner.path().filename().string();
      if (!real_dir(inner.path())) return false;
      if (starts_with(v, ".tmp-")) {
        leftovers.push_back(fs::path(n) / v);
        continue;
      }
      if (!manifest_names(read_own_manifest(inner.path()), n, v)) return false;
    }
    if (ec) return false;
  }
  return !ec;
}

std::string errno_line(const std::string& what, const fs::path& p) {
  return fmt::format("{} {}: {}", what, p.string(), std::strerror(errno));
}

}  // namespace

bool participant_file_name(const std::string& name, std::string_view ext) {
  if (name.size() <= ext.size() || name.compare(name.size() - ext.size(), ext.size(), ext) != 0) return false;
  const std::string stem = name.substr(0, name.size() - ext.size());
  const auto dash = stem.find('-');
  if (dash == 0 || dash == std::string::npos) return false;
  for (std::size_t i = 0; i < dash; ++i)
    if (stem[i] < '0' || stem[i] > '9') return false;
  for (std::size_t i = dash + 1; i < stem.size(); ++i) {
    const char c = stem[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

std::optional<std::string> certificate_file(const fs::path& dir, long number, const std::string& sha256) {
  const fs::path folder = dir / "certificates";
  if (number < 1 || !real_dir(folder)) return std::nullopt;
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(folder, ec)) {
    const std::string name = e.path().filename().string();
    if (!participant_file_name(name, ".pdf") || !real_file(e.path())) continue;
    const auto dash = name.find('-');
    if (dash > 9 || std::stol(name.substr(0, dash)) != number) continue;
    found.push_back(name);
  }
  if (found.empty()) return std::nullopt;
  std::sort(found.begin(), found.end());
  if (found.size() > 1)
    for (const auto& name : found) {
      const auto r = files::read_file(folder / name, std::size_t{1} << 30);
      if (r.status == files::ReadStatus::Ok && sha256_hex(r.bytes) == sha256) return "certificates/" + name;
    }
  return "certificates/" + found.front();
}

bool is_claimed(const fs::path& out) {
  const fs::path marker = out / kMarkerFile;
  if (!real_file(marker)) return false;
  const auto r = files::read_file(marker, 4096);
  return r.status == files::ReadStatus::Ok && starts_with(r.bytes, std::string(kMarkerIdentity) + "\n");
}

std::string claim_out_dir(const fs::path& out) {
  struct stat st {};
  if (::stat(out.c_str(), &st) != 0) {
    if (errno != ENOENT) return errno_line("cannot use the output folder", out);
    std::error_code ec;
    if (out.has_parent_path()) fs::create_directories(out.parent_path(), ec);
    if (ec) return fmt::format("cannot create {}: {}", out.parent_path().string(), ec.message());
    if (::mkdir(out.c_str(), 0700) != 0) {
      if (errno != EEXIST) return errno_line("cannot create", out);
      return claim_out_dir(out);  // another run made it meanwhile
    }
    ::chmod(out.c_str(), 0700);  // made here: private, whatever the umask
    if (auto e = write_marker(out); !e.empty() && !is_claimed(out)) return e;
    return {};
  }
  if (!S_ISDIR(st.st_mode)) return fmt::format("{} is not a folder", out.string());
  if (is_claimed(out)) return {};
  if (::lstat((out / kMarkerFile).c_str(), &st) == 0)
    return fmt::format("{} holds a {} that is not coursepack's; coursepack does not write there", out.string(),
                       kMarkerFile);
  std::error_code ec;
  const bool empty = empty_but_placeholders(out, ec);
  if (ec) return fmt::format("cannot read {}: {}", out.string(), ec.message());
  std::vector<fs::path> leftovers;
  if (!empty && !made_by_older_coursepack(out, leftovers))
    return fmt::format(
        "{} is not empty and was not made by coursepack (it has no {} marker); coursepack writes only into a "
        "folder it made: choose a new or empty folder for --out",
        out.string(), kMarkerFile);
  for (const auto& l : leftovers)
    if (auto e = note_temp(out, l); !e.empty()) return e;
  if (auto e = write_marker(out); !e.empty() && !is_claimed(out)) return e;
  return {};
}

bool no_link_below(const fs::path& out, const fs::path& rel, bool last_too) {
  fs::path p = out;
  std::size_t i = 0, n = 0;
  for (auto it = rel.begin(); it != rel.end(); ++it) ++n;
  for (const auto& part : rel) {
    p /= part;
    ++i;
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) return errno == ENOENT;  // nothing further to follow
    if (S_ISLNK(st.st_mode) && (i < n || last_too)) return false;
    if (i < n && !S_ISDIR(st.st_mode)) return false;
  }
  return true;
}

namespace {

constexpr std::string_view kOutputNames[] = {
    "handout.pdf",      "handout.html", "handout-booklet.pdf", "evaluation.pdf", "attendance.pdf",
    "certificates.pdf", "certificates.csv", "brief.pdf",       "print.pdf",      "visit.ics",
    "manifest.json"};

// The files of a folder shaped like a pack, each with whether coursepack
// names its outputs so; false when the folder holds anything else that is
// not a regular file (a link, a folder other than certificates/ and mail/).
bool pack_shaped(const fs::path& dir, std::vector<fs::path>& ours, std::string* foreign) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name == "certificates" || name == "mail") {
      if (!real_dir(e.path())) {
        if (foreign) *foreign = name;
        return false;
      }
      std::error_code inner;
      for (const auto& f : fs::directory_iterator(e.path(), inner)) {
        const std::string file = f.path().filename().string();
        if (!real_file(f.path()) || !participant_file_name(file, name == "mail" ? ".eml" : ".pdf")) {
          if (foreign) *foreign = name + "/" + file;
          return false;
        }
        ours.push_back(f.path());
      }
      if (inner) return false;
      continue;
    }
    if (!real_file(e.path()) ||
        std::find(std::begin(kOutputNames), std::end(kOutputNames), name) == std::end(kOutputNames)) {
      if (foreign) *foreign = name;
      return false;
    }
    ours.push_back(e.path());
  }
  return !ec;
}

bool unparseable_manifest(const fs::path& dir) {
  const fs::path file = dir / "manifest.json";
  if (!real_file(file)) return false;
  const auto r = files::read_file(file);
  if (r.status != files::ReadStatus::Ok) return r.status != files::ReadStatus::NotFound;
  const auto j = cp::json::parse(r.bytes);
  return j.is_discarded() || !j.is_object();
}

}  // namespace

bool manifest_unparseable(const fs::path& dir) { return unparseable_manifest(dir); }

bool is_damaged_pack(const fs::path& out, const std::string& slug, const std::string& visit, std::string* foreign) {
  if (!safe_name(slug) || !safe_name(visit) || !is_claimed(out)) return false;
  const fs::path dir = out / slug / visit;
  if (!real_dir(out / slug) || !real_dir(dir) || !unparseable_manifest(dir)) return false;
  std::vector<fs::path> ours;
  return pack_shaped(dir, ours, foreign);
}

bool remove_damaged(const fs::path& dir) {
  std::vector<fs::path> ours;
  if (!real_dir(dir) || !unparseable_manifest(dir) || !pack_shaped(dir, ours, nullptr)) return false;
  for (const auto& f : ours) ::unlink(f.c_str());
  for (const char* folder : {"certificates", "mail"})
    if (real_dir(dir / folder)) ::rmdir((dir / folder).c_str());
  return ::rmdir(dir.c_str()) == 0;
}

bool is_pack(const fs::path& out, const std::string& slug, const std::string& visit) {
  if (!safe_name(slug) || !safe_name(visit)) return false;
  if (!real_dir(out / slug) || !real_dir(out / slug / visit)) return false;
  return manifest_names(read_own_manifest(out / slug / visit), slug, visit);
}

std::string note_temp(const fs::path& out, const fs::path& rel) {
  std::lock_guard lock(journal_mutex);
  const fs::path file = out / kTempJournal;
  const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return errno_line("cannot open", file);
  const std::string line = rel.string() + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  std::string error = ok ? std::string{} : errno_line("cannot write", file);
  if (::close(fd) != 0 && error.empty()) error = errno_line("cannot write", file);
  return error;
}

bool remove_described(const fs::path& dir) {
  if (!real_dir(dir)) return false;
  const auto j = read_own_manifest(dir);
  if (j.is_discarded()) return false;
  std::set<fs::path> folders;
  if (j.contains("outputs") && j["outputs"].is_array())
    for (const auto& o : j["outputs"]) {
      if (!o.is_object()) continue;
      std::optional<std::string> file;
      if (o.contains("file") && o["file"].is_string()) {
        file = o["file"].get<std::string>();
      } else if (o.contains("certificate") && o["certificate"].is_number_integer()) {
        // The folder goes even when its certificate went already (a run
        // killed part-way through this removal).
        folders.insert("certificates");
        file = certificate_file(dir, o["certificate"].get<long>(),
                                o.contains("sha256") && o["sha256"].is_string() ? o["sha256"].get<std::string>() : "");
      }
      if (!file) continue;
      const fs::path rel(*file);
      if (!safe_relative(rel, 2) || !no_link_below(dir, rel)) continue;
      if (real_file(dir / rel)) ::unlink((dir / rel).c_str());
      if (rel.has_parent_path()) folders.insert(rel.parent_path());
    }
  // The messages `send --dry-run` wrote into the pack (they last until it
  // is rebuilt).
  if (real_dir(dir / "mail")) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir / "mail", ec))
      if (participant_file_name(e.path().filename().string(), ".eml") && real_file(e.path()))
        ::unlink(e.path().c_str());
    folders.insert("mail");
  }
  ::unlink((dir / "manifest.json").c_str());
  for (const auto& f : folders)
    if (real_dir(dir / f)) ::rmdir((dir / f).c_str());  // only when empty
  return ::rmdir(dir.c_str()) == 0;
}

namespace {

// Whether a pack's visit was held: its manifest's "status", or for a
// manifest written before it recorded one, a valid certificate in its
// certificates.csv (only a held visit issues those).
bool was_held(const fs::path& dir, const nlohmann::json& manifest) {
  if (manifest.contains("status")) return manifest["status"] == "held";
  if (!real_file(dir / "certificates.csv")) return false;
  const auto r = files::read_file(dir / "certificates.csv");
  return r.status == files::ReadStatus::Ok && r.bytes.find(";giltigt\r\n") != std::string::npos;
}

// The packs under a claimed `out` whose slug/visit is not in `wanted`, with
// whether each one's manifest says its visit was held; sorted.
std::vector<std::pair<std::string, bool>> packs_except(const fs::path& out, const std::set<std::string>& wanted) {
  std::vector<std::pair<std::string, bool>> found;
  if (!is_claimed(out)) return found;
  std::error_code ec;
  for (const auto& slug_dir : fs::directory_iterator(out, ec)) {
    const std::string slug = slug_dir.path().filename().string();
    if (slug.empty() || slug[0] == '.' || !real_dir(slug_dir.path())) continue;
    std::error_code inner_ec;
    for (const auto& pack_dir : fs::directory_iterator(slug_dir.path(), inner_ec)) {
      const std::string visit = pack_dir.path().filename().string();
      if (visit.empty() || visit[0] == '.' || wanted.count(slug + "/" + visit)) continue;
      if (!is_pack(out, slug, visit)) continue;
      const bool held = was_held(pack_dir.path(), read_own_manifest(pack_dir.path()));
      found.emplace_back(slug + "/" + visit, held);
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace

std::vector<RemovedPack> remove_packs_except(const fs::path& out, const std::set<std::string>& wanted) {
  std::vector<RemovedPack> removed;
  for (const auto& [name, held] : packs_except(out, wanted)) {
    if (held) continue;
    RemovedPack r{name, false};
    r.kept = !remove_described(out / name);
    removed.push_back(std::move(r));
  }
  return removed;
}

std::vector<std::string> held_packs_except(const fs::path& out, const std::set<std::string>& wanted) {
  std::vector<std::string> held;
  for (const auto& [name, is_held] : packs_except(out, wanted))
    if (is_held) held.push_back(name);
  return held;
}

}  // namespace cp::pack

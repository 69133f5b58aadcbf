#include "pack/retention.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <system_error>

#include "core/files.h"
#include "core/json.h"
#include "pack/fs_checks.h"
#include "pack/ownership.h"
#include "pack/pack.h"

namespace cp::pack {

namespace fs = std::filesystem;

namespace {

// The files of a pack that hold no participant's data.
constexpr std::string_view kKept[] = {"handout.pdf", "handout.html", "handout-booklet.pdf",
                                      "evaluation.pdf", "brief.pdf",  "visit.ics"};

// The folders of a pack that hold one file per participant, and the
// extension of those files.
constexpr std::pair<std::string_view, std::string_view> kPerParticipant[] = {{"certificates", ".pdf"},
                                                                               {"mail", ".eml"}};

using detail::errno_text;
using detail::real_dir;
using detail::real_file;

bool kept_file(const std::string& name) {
  return std::find(std::begin(kKept), std::end(kKept), name) != std::end(kKept);
}

// The per-participant files of one of the pack's folders.
std::vector<fs::path> participant_files(const fs::path& dir, std::string_view folder, std::string_view ext) {
  std::vector<fs::path> out;
  const fs::path d = dir / folder;
  if (!real_dir(d)) return out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(d, ec))
    if (participant_file_name(e.path().filename().string(), ext) && real_file(e.path())) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

nlohmann::json read_manifest(const fs::path& out, const std::string& slug, const std::string& visit) {
  if (!is_pack(out, slug, visit)) return nlohmann::json(nlohmann::json::value_t::discarded);
  const auto r = files::read_file(out / slug / visit / "manifest.json");
  if (r.status != files::ReadStatus::Ok) return nlohmann::json(nlohmann::json::value_t::discarded);
  return cp::json::parse(r.bytes);
}

long number(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_number_integer() ? j[key].get<long>() : 0;
}

PurgeCounts counts_of(const nlohmann::json& j) {
  return {number(j, "registered"), number(j, "attended"), number(j, "certificates"), number(j, "sent")};
}

// Removes a file of the pack; a file already gone is fine.
std::string unlink_file(const fs::path& p) {
  if (::unlink(p.c_str()) != 0 && errno != ENOENT) return errno_text("cannot remove", p);
  return {};
}

}  // namespace

std::vector<std::pair<std::string, std::string>> list_packs(const fs::path& out) {
  std::vector<std::pair<std::string, std::string>> packs;
  if (!is_claimed(out)) return packs;
  std::error_code ec;
  for (const auto& slug_dir : fs::directory_iterator(out, ec)) {
    const std::string slug = slug_dir.path().filename().string();
    if (slug.empty() || slug[0] == '.' || !real_dir(slug_dir.path())) continue;
    std::error_code inner;
    for (const auto& pack_dir : fs::directory_iterator(slug_dir.path(), inner)) {
      const std::string visit = pack_dir.path().filename().string();
      if (!visit.empty() && visit[0] != '.' && is_pack(out, slug, visit)) packs.emplace_back(slug, visit);
    }
  }
  std::sort(packs.begin(), packs.end());
  return packs;
}

bool is_purged(const fs::path& out, const std::string& slug, const std::string& visit, PurgeCounts* counts) {
  const auto j = read_manifest(out, slug, visit);
  if (j.is_discarded() || !j.is_object() || !j.contains("purged")) return false;
  if (counts) *counts = counts_of(j);
  return true;
}

std::set<std::string> purged_packs(const fs::path& out) {
  std::set<std::string> purged;
  for (const auto& [slug, visit] : list_packs(out))
    if (is_purged(out, slug, visit)) purged.insert(slug + "/" + visit);
  return purged;
}

std::optional<PurgePlan> plan_purge(const fs::path& out, const std::string& slug, const std::string& visit) {
  const auto j = read_manifest(out, slug, visit);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  const fs::path dir = out / slug / visit;
  PurgePlan plan;
  plan.slug = slug;
  plan.visit = visit;
  plan.already_purged = j.contains("purged");
  plan.recorded = counts_of(j);
  std::set<std::string> listed{"manifest.json"};
  if (j.contains("outputs") && j["outputs"].is_array())
    for (const auto& o : j["outputs"]) {
      if (!o.is_object() || !o.contains("file") || !o["file"].is_string()) continue;
      const std::string name = o["file"].get<std::string>();
      listed.insert(name);
      if (kept_file(name)) continue;
      if (name.find('/') == std::string::npos) {
        if (real_file(dir / name)) plan.files.push_back(name);
      }
    }
  // What the manifest of an interrupted purge still lists.
  if (j.contains("erase") && j["erase"].is_array())
    for (const auto& e : j["erase"])
      if (e.is_object() && e.contains("file") && e["file"].is_string()) {
        const std::string name = e["file"].get<std::string>();
        if (safe_name(name) && !kept_file(name) && real_file(dir / name)) plan.files.push_back(name);
      }
  std::sort(plan.files.begin(), plan.files.end());
  plan.files.erase(std::unique(plan.files.begin(), plan.files.end()), plan.files.end());
  plan.certificate_files = participant_files(dir, "certificates", ".pdf").size();
  plan.messages = participant_files(dir, "mail", ".eml").size();
  const fs::path log = send_log_path(out, slug, visit);
  plan.send_log = no_link_below(out, fs::relative(log, out)) && real_file(log);
  // Anything else in the pack is the user's: it stays, and is named.
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_symlink() || !it->is_regular_file()) continue;
    const fs::path rel = fs::relative(it->path(), dir);
    const std::string name = rel.string();
    if (listed.count(name)) continue;
    bool ours = false;
    for (const auto& [folder, ext] : kPerParticipant)
      ours = ours || (rel.parent_path() == folder && participant_file_name(rel.filename().string(), ext));
    if (!ours) plan.foreign.push_back(name);
  }
  std::sort(plan.foreign.begin(), plan.foreign.end());
  return plan;
}

std::string purge_pack(const fs::path& out, const PurgePlan& plan, long sent, const std::string& purged_on) {
  auto j = read_manifest(out, plan.slug, plan.visit);
  if (j.is_discarded() || !j.is_object())
    return fmt::format("'{}' is not a pack coursepack wrote", (out / plan.slug / plan.visit).string());
  const fs::path dir = out / plan.slug / plan.visit;
  const fs::path manifest = dir / "manifest.json";
  if (!j.contains("purged")) {
    // 1. The manifest of a purged pack, still naming what is to go (by
    //    file name or by folder: never a participant's name).
    nlohmann::json purged = j;
    nlohmann::json outputs = nlohmann::json::array();
    nlohmann::json erase = nlohmann::json::array();
    if (j.contains("outputs") && j["outputs"].is_array())
      for (const auto& o : j["outputs"]) {
        const std::string name = o.is_object() && o.contains("file") && o["file"].is_string()
                                     ? o["file"].get<std::string>()
                                     : std::string();
        if (kept_file(name))
          outputs.push_back(o);
        else if (!name.empty() && name.find('/') == std::string::npos)
          erase.push_back({{"file", name}});
      }
    for (const auto& [folder, ext] : kPerParticipant) erase.push_back({{"folder", folder}});
    purged["outputs"] = std::move(outputs);
    purged["erase"] = std::move(erase);
    purged["purged"] = purged_on;
    const bool held = j.contains("status") && j["status"] == "held";
    purged["attended"] = held ? number(j, "certificates") : 0;
    purged["sent"] = sent;
    if (auto e = write_file(manifest, purged.dump(2) + "\n", 0600); !e.empty()) return e;
    j = std::move(purged);
  }
  // 2. The files themselves.
  for (const auto& name : plan.files)
    if (auto e = unlink_file(dir / name); !e.empty()) return e;
  if (j.contains("erase") && j["erase"].is_array())
    for (const auto& e : j["erase"])
      if (e.is_object() && e.contains("file") && e["file"].is_string()) {
        const std::string name = e["file"].get<std::string>();
        if (safe_name(name) && !kept_file(name) && real_file(dir / name))
          if (auto err = unlink_file(dir / name); !err.empty()) return err;
      }
  for (const auto& [folder, ext] : kPerParticipant) {
    for (const auto& f : participant_files(dir, folder, ext))
      if (auto e = unlink_file(f); !e.empty()) return e;
    if (real_dir(dir / folder)) ::rmdir((dir / folder).c_str());  // only when empty
  }
  const fs::path log = send_log_path(out, plan.slug, plan.visit);
  if (no_link_below(out, fs::relative(log, out)) && real_file(log)) {
    if (auto e = unlink_file(log); !e.empty()) return e;
    ::rmdir(log.parent_path().c_str());  // only when empty
  }
  // 3. Done: the manifest without the list.
  j.erase("erase");
  return write_file(manifest, j.dump(2) + "\n", 0600);
}

}  // namespace cp::pack

// What under out/ belongs to coursepack, and the only code that decides
// it. coursepack creates, changes or removes only what it can prove it
// made:
//
//   out/.coursepack-out    the marker: written into an out/ folder that
//                          coursepack created or found empty; a non-empty
//                          folder without it is refused as --out
//   out/.coursepack-temp   the staged packs this tool made, one path per
//                          line; the leftover clean-up removes exactly these
//                          (and out/.tmp-index.html-<pid>, .tmp-report.pdf-<pid>,
//                          the files pack::write_file replaces pages through)
//   <slug>/<visit>/manifest.json
//                          a pack: coursepack's manifest (its "tool",
//                          "municipality" and "visit" name the folder) lists
//                          every file the pack holds; removing a pack
//                          removes those files and nothing else
//
// Nothing is followed through a symbolic link below out/, and nothing
// above out/ is touched.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace cp::pack {

inline constexpr const char* kMarkerFile = ".coursepack-out";
inline constexpr const char* kTempJournal = ".coursepack-temp";

// The marker's first line: the tool's identity.
inline constexpr const char* kMarkerIdentity = "coursepack output folder";

// Makes `out` coursepack's own: creates it (0700) with the marker when it
// does not exist, writes the marker into an empty folder (its permissions
// left as they are), and accepts a folder holding the marker. A folder made
// by a coursepack older than the marker (its .lock, and besides it only
// .cache/, verify/, index.html, report.pdf, register.csv, calendar.ics and
// folders of packs with coursepack's manifests) is adopted. Anything else
// is refused.
// Returns an empty string or the one-line error for the user.
std::string claim_out_dir(const std::filesystem::path& out);

// True when `out` holds coursepack's marker.
bool is_claimed(const std::filesystem::path& out);

// True when `dir` (out/<slug>/<visit>) is a real folder, reached without a
// symbolic link from out/, holding coursepack's manifest for that very
// slug and visit.
bool is_pack(const std::filesystem::path& out, const std::string& slug, const std::string& visit);

// True when `out/<rel>` is reached from `out` through real folders only
// (no component of `rel` except possibly the last is a symbolic link, and
// none of them is when `last_too`).
bool no_link_below(const std::filesystem::path& out, const std::filesystem::path& rel, bool last_too = true);

// Records a temporary entry (relative to out) before it is created, so an
// interrupted run's leftover can be removed by the next one.
std::string note_temp(const std::filesystem::path& out, const std::filesystem::path& rel);

// Removes the files a pack folder's manifest lists, the manifest, and then
// the folders that are left empty. Files the manifest does not list stay
// (and so does their folder). True when the folder is gone.
bool remove_described(const std::filesystem::path& dir);

struct RemovedPack {
  std::string name;   // slug/visit
  bool kept = false;  // files coursepack did not write were left in it
};

// Removes every pack under `out` (a claimed folder) whose slug/visit is not
// in `wanted`: only real folders holding coursepack's manifest for their
// own name, and only what that manifest lists. The pack of a held visit
// (its manifest's "status" is "held") is never removed: it is the record
// of a training that took place (held_packs_except lists those).
std::vector<RemovedPack> remove_packs_except(const std::filesystem::path& out, const std::set<std::string>& wanted);

// The packs under `out` whose slug/visit is not in `wanted` and whose
// manifest says the visit was held, as slug/visit, sorted: the packs
// remove_packs_except keeps.
std::vector<std::string> held_packs_except(const std::filesystem::path& out, const std::set<std::string>& wanted);

}  // namespace cp::pack

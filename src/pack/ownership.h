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
//                          removes those files and nothing else. A
//                          certificate is listed by its number and SHA-256,
//                          not by its file name (made from a participant's
//                          name): its file is certificates/<NN>-<slug>.pdf
//
// Nothing is followed through a symbolic link below out/, and nothing
// above out/ is touched.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cp::pack {

inline constexpr const char* kMarkerFile = ".coursepack-out";
inline constexpr const char* kTempJournal = ".coursepack-temp";
// The journal being replaced (clean_leftovers), renamed over it when whole.
inline constexpr const char* kTempJournalNext = ".coursepack-temp.next";

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

// True when `out/<slug>/<visit>` is a pack of coursepack's whose own
// manifest is damaged (truncated, zero-filled, garbage): a real folder at
// a pack's place in a claimed `out`, reached without a symbolic link,
// whose manifest.json is a regular file that does not parse as JSON, and
// which holds nothing but coursepack's output names (handout.pdf, …,
// certificates/NN-<slug>.pdf, mail/NN-<slug>.eml). Such a pack may be
// replaced; any other file in it makes it the user's (`foreign` gets the
// first such file, relative to the folder).
bool is_damaged_pack(const std::filesystem::path& out, const std::string& slug, const std::string& visit,
                     std::string* foreign = nullptr);

// Removes a damaged pack's folder (is_damaged_pack's shape, checked
// again): its files with coursepack's output names, then the folders left
// empty. True when the folder is gone.
bool remove_damaged(const std::filesystem::path& dir);
// Whether dir/manifest.json is a file that cannot be read as a JSON object.
bool manifest_unparseable(const std::filesystem::path& dir);

// True when `out/<rel>` is reached from `out` through real folders only
// (no component of `rel` except possibly the last is a symbolic link, and
// none of them is when `last_too`).
bool no_link_below(const std::filesystem::path& out, const std::filesystem::path& rel, bool last_too = true);

// True when `name` is NN-<slug><ext> as coursepack names a participant's
// file (a certificate, a message): digits, a dash, then lower-case ASCII
// letters, digits and dashes.
bool participant_file_name(const std::string& name, std::string_view ext);

// The file of certificate `number` in the pack folder `dir`, relative to
// it ("certificates/07-asa-berg.pdf"): the one regular file of
// certificates/ named with that number, or of several, the one whose
// SHA-256 is `sha256`. Nullopt when there is none.
std::optional<std::string> certificate_file(const std::filesystem::path& dir, long number, const std::string& sha256);

// Records a temporary entry (relative to out) before it is created, so an
// interrupted run's leftover can be removed by the next one.
std::string note_temp(const std::filesystem::path& out, const std::filesystem::path& rel);

// Removes the files a pack folder's manifest lists, the messages `send
// --dry-run` put in its mail/, the manifest, and then the folders that are
// left empty. Files the manifest does not list stay (and so does their
// folder). True when the folder is gone.
bool remove_described(const std::filesystem::path& dir);

struct RemovedPack {
  std::string name;   // slug/visit
  bool kept = false;  // files coursepack did not write were left in it
};

// Removes every pack under `out` (a claimed folder) whose slug/visit is not
// in `wanted`: only real folders holding coursepack's manifest for their
// own name, and only what that manifest lists. The pack of a held visit
// (its manifest's "status" is "held"; in a manifest without a status, its
// certificates.csv has a valid certificate) is never removed: it is the
// record of a training that took place (held_packs_except lists those).
std::vector<RemovedPack> remove_packs_except(const std::filesystem::path& out, const std::set<std::string>& wanted);

// The packs under `out` whose slug/visit is not in `wanted` and whose
// manifest says the visit was held, as slug/visit, sorted: the packs
// remove_packs_except keeps.
std::vector<std::string> held_packs_except(const std::filesystem::path& out, const std::set<std::string>& wanted);

}  // namespace cp::pack

// The only code that writes under out/: whole packs swapped in atomically,
// private permissions, leftovers from interrupted runs cleaned up, and a
// pack's files checked against its manifest. What it may touch there is
// decided by pack/ownership.h.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cp::pack {

struct OutputFile {
  std::string name;   // path inside the pack, e.g. "handout.pdf", "certificates/01-asa-berg.pdf"
  std::string bytes;
};

// A pack written to a temporary folder beside its target, not yet visible.
struct StagedPack {
  std::filesystem::path out;
  std::string slug, visit;
  std::filesystem::path temp;
  std::filesystem::path target;
};

// Writes `files` for the pack out/<slug>/<visit>/ into a temporary folder
// beside the target. Folders are 0700, files 0600, whatever the umask.
// Returns an empty string or the error; refused when out/ is not claimed
// (claim_out_dir), when out/<slug> is a symbolic link, or when the target
// exists and is not coursepack's pack.
std::string stage_pack(const std::filesystem::path& out_dir, const std::string& slug, const std::string& visit,
                       const std::vector<OutputFile>& files, StagedPack& staged);

// Makes staged packs durable with one sync of the file system (its result
// checked: a write-back error fails the commit before anything is
// swapped), then swaps each in with one rename (RENAME_EXCHANGE when an old
// pack exists) and syncs its folder, so a crash at any point leaves either
// the old pack or the new one. Returns an empty string or the first error;
// the packs not yet swapped in are then removed and their old packs stay.
std::string commit_packs(const std::vector<StagedPack>& staged);

// stage_pack + commit_packs for one pack.
std::string write_pack(const std::filesystem::path& out_dir, const std::string& slug, const std::string& visit,
                       const std::vector<OutputFile>& files);

// Writes one file (index.html, report.pdf) of a claimed out/ atomically
// with the given mode; the data and the folder are synced, errors returned.
std::string write_file(const std::filesystem::path& path, const std::string& bytes, unsigned mode = 0600);

// Removes the temporary entries left by interrupted runs: exactly those
// recorded in out/.coursepack-temp, never through a symbolic link.
void clean_leftovers(const std::filesystem::path& out_dir);

// A pack folder compared with its manifest.
struct PackState {
  enum Kind { Missing, Damaged, Present } kind = Missing;
  std::string inputs_hash;  // when Present
  std::string problem;      // when Damaged: which file, and how
  bool purged = false;      // its personal data was removed (pack/retention.h): never rebuilt
};

// Missing: no coursepack manifest. Damaged: a listed file is missing, is
// not a regular file or differs in size from the manifest (and, with
// `hashes`, in SHA-256), the manifest names the certificate files (an older
// coursepack's), or the manifest itself is damaged in a folder that holds
// only coursepack's files (is_damaged_pack: stage_pack then replaces it).
// Present otherwise, with the manifest's inputs_hash.
PackState check_pack(const std::filesystem::path& out_dir, const std::string& slug, const std::string& visit,
                     bool hashes);

// Test hook, not a feature: when `files` >= 0, every later stage_pack fails
// after writing that many files of its pack, as a full disk or a crash in
// the middle of a pack would. Set by app from COURSEPACK_FAIL_AFTER_FILES
// (tests/e2e/test_build.py proves the old pack survives); -1 turns it off.
void set_fail_after_files(long files);

// True when a file name from input could not escape its folder (no
// separators, no "..", no control characters, not empty).
bool safe_name(const std::string& name);

}  // namespace cp::pack

namespace cp::pack {

// The send log of a visit: out/.sendlog/<slug>/<visit>.jsonl, beside the
// packs rather than in one (a pack is replaced whole when rebuilt). Folder
// 0700, file 0600.
std::filesystem::path send_log_path(const std::filesystem::path& out_dir, const std::string& slug,
                                    const std::string& visit);

// Appends one line (a newline is added) to the visit's send log and makes
// it durable (fsync) before returning. A line cut short by a crash is ended
// first, so it cannot run into the next one. Empty, or the error.
std::string append_send_log(const std::filesystem::path& out_dir, const std::string& slug, const std::string& visit,
                            std::string_view line);

// Writes `bytes` as `name` (one level of folders allowed, e.g.
// "mail/01-asa-berg.eml") inside the existing pack out/<slug>/<visit>/,
// atomically, 0600. Such a file lasts until the pack is next rebuilt.
std::string write_into_pack(const std::filesystem::path& out_dir, const std::string& slug, const std::string& visit,
                            const std::string& name, const std::string& bytes);

// Writes `files` as the folder out/<name>/ (e.g. "verify"), replacing the
// one there with one rename, like a pack: 0700 and 0600, all or nothing.
std::string write_folder(const std::filesystem::path& out_dir, const std::string& name,
                         const std::vector<OutputFile>& files);

}  // namespace cp::pack

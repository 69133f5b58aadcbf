// The only code that writes under out/: whole packs swapped in atomically,
// private permissions, leftovers from interrupted runs cleaned up.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace cp::pack {

struct OutputFile {
  std::string name;   // path inside the pack, e.g. "handout.pdf", "certificates/01-asa-berg.pdf"
  std::string bytes;
};

// A pack written to a temporary folder beside its target, not yet visible.
struct StagedPack {
  std::filesystem::path temp;
  std::filesystem::path target;
};

// Writes `files` for the pack out/<slug>/<visit>/ into a temporary folder
// beside the target. Folders are 0700, files 0600, whatever the umask.
// Returns an empty string or the error.
std::string stage_pack(const std::filesystem::path& out_dir, const std::string& slug, const std::string& visit,
                       const std::vector<OutputFile>& files, StagedPack& staged);

// Makes staged packs durable with one sync of the file system, then swaps
// each in with one rename (RENAME_EXCHANGE when an old pack exists), so a
// crash at any point leaves either the old pack or the new one. Returns an
// empty string or the first error.
std::string commit_packs(const std::vector<StagedPack>& staged);

// stage_pack + commit_packs for one pack.
std::string write_pack(const std::filesystem::path& out_dir, const std::string& slug, const std::string& visit,
                       const std::vector<OutputFile>& files);

// Writes one file (index.html, report.pdf) atomically with the given mode.
std::string write_file(const std::filesystem::path& path, const std::string& bytes, unsigned mode = 0600);

// Removes temporary folders left by interrupted runs.
void clean_leftovers(const std::filesystem::path& out_dir);

// Test hook, not a feature: when `files` >= 0, every later stage_pack fails
// after writing that many files of its pack, as a full disk or a crash in
// the middle of a pack would. Set by app from COURSEPACK_FAIL_AFTER_FILES
// (tests/e2e/test_build.py proves the old pack survives); -1 turns it off.
void set_fail_after_files(long files);

// True when a file name from input could not escape its folder (no
// separators, no "..", no control characters, not empty).
bool safe_name(const std::string& name);

}  // namespace cp::pack

// Reading input files safely: size limits and paths that stay inside a folder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace cp::files {

// Inputs larger than this are refused with a clear error.
inline constexpr std::size_t kMaxInputBytes = 16u * 1024u * 1024u;

enum class ReadStatus { Ok, NotFound, NotRegular, TooLarge, IoError };

struct ReadResult {
  ReadStatus status = ReadStatus::Ok;
  std::string bytes;
  std::string message;  // for anything but Ok: what went wrong, in English
};

ReadResult read_file(const std::filesystem::path& path, std::size_t max_bytes = kMaxInputBytes);

// read_file's message for a file of `size` bytes over `max_bytes`.
std::string too_large_message(std::uintmax_t size, std::size_t max_bytes);
// A size as a person reads it, in binary units, rounded up so that a size
// over a limit never reads as the limit: "512 KB", "2.1 MB", "16 MB".
std::string size_text(std::uintmax_t bytes);

enum class ResolveStatus { Ok, Empty, Absolute, LeavesFolder, NotFound };

struct Resolved {
  ResolveStatus status = ResolveStatus::Ok;
  std::filesystem::path path;  // absolute, canonical when Ok
};

// Resolves `relative` (as written in an input file) against `folder`. The
// result must stay inside `folder` after following symlinks; absolute paths
// and `..` that leave the folder are refused.
Resolved resolve_inside(const std::filesystem::path& folder, std::string_view relative);

// A one-line English description of a failed resolution, for diagnostics.
std::string describe(ResolveStatus status, std::string_view relative, std::string_view folder_name);

// Writes `bytes` to `path`, created (or, unless `exclusive`, truncated)
// with permissions `mode` whatever the umask; `sync` makes the data durable
// before it returns. Empty, or one English line saying what failed.
std::string write_with_mode(const std::filesystem::path& path, std::string_view bytes, unsigned mode, bool sync,
                            bool exclusive = false);

// Creates `dir` and its missing parents, each made here 0700 whatever the
// umask (folders that exist are left as they are). False when it fails.
bool create_private_dirs(const std::filesystem::path& dir);

// Writes `bytes` to `target` as the owner's alone (0600): into a temporary
// file beside it, then renamed over it, so a reader sees all or nothing.
// With `sync` the data reaches the disk before the rename. Creates the
// folder (create_private_dirs). False when anything fails (nothing is left behind then).
bool write_private_file(const std::filesystem::path& target, std::string_view bytes, bool sync);

}  // namespace cp::files

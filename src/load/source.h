// Reading input text: bytes → well-formed NFC UTF-8, and byte offsets →
// line:column positions for diagnostics.
//
// Every input file passes through decode_text before it is parsed, so the
// parsers only ever see valid UTF-8 without a BOM.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "core/files.h"

namespace cp::load {

enum class Encoding {
  Utf8,               // YAML and Markdown: UTF-8 only
  Utf8OrWindows1252,  // CSV: Excel in a Swedish locale writes Windows-1252, and UTF-16 as "Unicode Text"
};

// Checks and converts raw file bytes: strips a UTF-8 BOM, refuses empty,
// binary (NUL byte) and UTF-16 files, validates UTF-8 (or, for CSV, decodes
// Windows-1252 when the bytes are not UTF-8) and normalises to NFC. On
// failure reports one error at `path` and returns nullopt.
std::optional<std::string> decode_text(std::string_view bytes, const std::string& path, Diagnostics& diags,
                                       Encoding encoding = Encoding::Utf8);

// read_file (with its size limit) + decode_text. `display_path` is the path
// relative to the project root, used in diagnostics.
std::optional<std::string> read_text_file(const std::filesystem::path& file, const std::string& display_path,
                                          Diagnostics& diags, Encoding encoding = Encoding::Utf8,
                                          std::size_t max_bytes = files::kMaxInputBytes);

// An image file (PNG or JPEG, not decoded), recorded with its bytes in the
// active ReadLog: the pack hashes, sizes and draws those bytes and never
// reads the file again. At most 256 MB (render refuses more than
// files::kMaxInputBytes with its own message).
files::ReadResult read_image_file(const std::filesystem::path& file);

// The input files read through read_text_file while a ReadLog records, each
// with the SHA-256 of the very bytes that were read (and so parsed), and
// for Markdown (`.md`) the bytes themselves. What is parsed is what is
// hashed: a pack records the input it was made from, not the file as it
// is on disk later. Keyed by the path as read (absolute and canonical when
// validate reads it).
struct ReadInput {
  std::string sha256;
  std::string bytes;  // .md files and images (read_image_file) only
};
class ReadLog {
 public:
  // Records on this thread and the threads started while it lives, until
  // it is destroyed (one log at a time).
  ReadLog();
  ~ReadLog();
  ReadLog(const ReadLog&) = delete;
  ReadLog& operator=(const ReadLog&) = delete;
  // `keep`: the bytes are kept too (as they are for .md files).
  void record(const std::filesystem::path& file, std::string_view bytes, bool keep = false);
  // The kept bytes of a file recorded with `keep`, if it was.
  std::optional<std::string> kept(const std::filesystem::path& file);
  // Everything recorded, moved out.
  std::map<std::string, ReadInput> take();

 private:
  std::mutex mutex_;
  std::map<std::string, ReadInput> inputs_;
};

// True once so many diagnostics are collected that more would only cost
// memory (a hostile file can hold millions of bad rows); the printer shows
// the first hundred errors anyway. Loops that report per row or per key stop
// reporting then.
inline constexpr std::size_t kMaxStoredDiagnostics = 10000;
inline bool diagnostics_flooded(const Diagnostics& diags) {
  return diags.error_count() + diags.warning_count() >= kMaxStoredDiagnostics;
}

// Maps byte offsets in a text to 1-based line and column (columns count code
// points). Lookups at increasing offsets on one line are incremental, so
// locating every token of a long line stays linear.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text, int first_line = 1);

  struct Position {
    int line = 1;
    int col = 1;
  };
  Position locate(std::size_t offset) const;
  SourceLoc loc(const std::string& path, std::size_t offset) const;
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
  int first_line_;
  std::vector<std::size_t> line_starts_;
  // The last lookup, to continue from when the next one is further on the same line.
  mutable std::size_t last_offset_ = 0;
  mutable Position last_{};
  mutable std::size_t last_line_index_ = 0;
};

}  // namespace cp::load

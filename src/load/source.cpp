#include "load/source.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>

#include "core/files.h"
#include "core/sha256.h"
#include "core/text.h"

namespace cp::load {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// The bytes Windows-1252 leaves undefined: a file holding them is not
// Windows-1252 text either.
bool undefined_in_windows1252(unsigned char b) { return b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D; }

// What an invalid-UTF-8 scan found: the first bad byte and whether any
// well-formed multi-byte sequence came before or after it.
struct Utf8Scan {
  std::size_t first_invalid = std::string_view::npos;
  bool has_multibyte = false;
};

Utf8Scan scan_utf8(std::string_view s) {
  Utf8Scan scan;
  std::size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    text::next_code_point(s, i);
    // A well-formed non-ASCII sequence is at least two bytes; on a malformed
    // one next_code_point consumes exactly one.
    if (i - start == 1) {
      if (scan.first_invalid == std::string_view::npos) scan.first_invalid = start;
    } else {
      scan.has_multibyte = true;
    }
  }
  return scan;
}

bool blank(std::string_view s) { return text::trim(s).empty(); }

std::optional<std::string> reject(Diagnostics& diags, const std::string& path, std::string_view bytes,
                                  std::size_t offset, std::string message, std::string hint = {}) {
  diags.error(LineIndex(bytes).loc(path, offset), std::move(message), std::move(hint));
  return std::nullopt;
}

std::string byte_hex(std::string_view bytes, std::size_t offset) {
  return fmt::format("0x{:02x}", static_cast<unsigned char>(bytes[offset]));
}

// UTF-16 code units → UTF-8; nullopt for an odd length or an unpaired surrogate.
std::optional<std::string> utf16_to_utf8(std::string_view bytes, bool little_endian) {
  if (bytes.size() % 2) return std::nullopt;
  const auto unit = [&](std::size_t i) {
    const auto lo = static_cast<unsigned char>(bytes[little_endian ? i : i + 1]);
    const auto hi = static_cast<unsigned char>(bytes[little_endian ? i + 1 : i]);
    return static_cast<char32_t>(hi << 8 | lo);
  };
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); i += 2) {
    char32_t cp = unit(i);
    if (cp >= 0xDC00 && cp <= 0xDFFF) return std::nullopt;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (i + 3 >= bytes.size()) return std::nullopt;
      const char32_t low = unit(i + 2);
      if (low < 0xDC00 || low > 0xDFFF) return std::nullopt;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      i += 2;
    }
    text::append_utf8(out, cp);
  }
  return out;
}

}  // namespace

std::optional<std::string> decode_text(std::string_view bytes, const std::string& path, Diagnostics& diags,
                                       Encoding encoding) {
  if (bytes.starts_with(kUtf8Bom)) bytes.remove_prefix(kUtf8Bom.size());
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    // Excel's "Unicode Text" is UTF-16 with a byte order mark.
    if (encoding == Encoding::Utf8) return reject(diags, path, bytes, 0, "file is utf-16; save it as utf-8");
    const auto utf8 = utf16_to_utf8(bytes.substr(2), bytes[0] == '\xFF');
    if (!utf8) return reject(diags, path, bytes, 0, "file is not valid utf-16", "save the file as utf-8");
    return decode_text(*utf8, path, diags, Encoding::Utf8);
  }
  if (const auto nul = bytes.find('\0'); nul != std::string_view::npos)
    return reject(diags, path, bytes, nul, "file is not text");
  if (blank(bytes)) return reject(diags, path, bytes, 0, "file is empty");

  const Utf8Scan scan = scan_utf8(bytes);
  if (scan.first_invalid == std::string_view::npos) return text::to_nfc(bytes);

  const std::size_t bad = scan.first_invalid;
  const std::string save_hint = "save the file as utf-8";
  if (encoding == Encoding::Utf8)
    return reject(diags, path, bytes, bad, fmt::format("file is not valid utf-8 (byte {})", byte_hex(bytes, bad)),
                  save_hint);
  // Guessing Windows-1252 for a file that also holds UTF-8 would garble the
  // UTF-8 part, so a mixed file is refused rather than converted.
  if (scan.has_multibyte)
    return reject(diags, path, bytes, bad,
                  fmt::format("file mixes utf-8 and windows-1252 text (byte {})", byte_hex(bytes, bad)), save_hint);
  const auto undefined = std::find_if(bytes.begin(), bytes.end(),
                                      [](char c) { return undefined_in_windows1252(static_cast<unsigned char>(c)); });
  if (undefined != bytes.end()) {
    const auto at = static_cast<std::size_t>(undefined - bytes.begin());
    return reject(diags, path, bytes, at,
                  fmt::format("file is neither utf-8 nor windows-1252 text (byte {})", byte_hex(bytes, at)), save_hint);
  }
  return text::to_nfc(text::windows1252_to_utf8(bytes));
}

namespace {
std::atomic<ReadLog*> active_log{nullptr};
}  // namespace

ReadLog::ReadLog() { active_log = this; }
ReadLog::~ReadLog() {
  ReadLog* self = this;
  active_log.compare_exchange_strong(self, nullptr);
}

void ReadLog::record(const std::filesystem::path& file, std::string_view bytes, bool keep) {
  ReadInput in{sha256_hex(bytes), keep || file.extension() == ".md" ? std::string(bytes) : std::string{}};
  std::lock_guard lock(mutex_);
  inputs_[file.string()] = std::move(in);
}

std::optional<std::string> ReadLog::kept(const std::filesystem::path& file) {
  std::lock_guard lock(mutex_);
  const auto it = inputs_.find(file.string());
  if (it == inputs_.end() || it->second.bytes.empty()) return std::nullopt;
  return it->second.bytes;
}

std::map<std::string, ReadInput> ReadLog::take() {
  std::lock_guard lock(mutex_);
  return std::move(inputs_);
}

std::optional<std::string> read_text_file(const std::filesystem::path& file, const std::string& display_path,
                                          Diagnostics& diags, Encoding encoding, std::size_t max_bytes) {
  files::ReadResult r = files::read_file(file, max_bytes);
  if (r.status != files::ReadStatus::Ok) {
    diags.error({display_path, 1, 1}, r.message);
    return std::nullopt;
  }
  if (ReadLog* log = active_log) log->record(file, r.bytes);
  return decode_text(r.bytes, display_path, diags, encoding);
}

files::ReadResult read_image_file(const std::filesystem::path& file) {
  ReadLog* const active = active_log;
  if (active)
    if (auto bytes = active->kept(file)) return {files::ReadStatus::Ok, std::move(*bytes), {}};  // named again
  files::ReadResult r = files::read_file(file, 256u * 1024u * 1024u);
  if (r.status == files::ReadStatus::Ok)
    if (active) active->record(file, r.bytes, true);
  return r;
}

LineIndex::LineIndex(std::string_view text, int first_line) : text_(text), first_line_(first_line) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') line_starts_.push_back(i + 1);
  last_.line = first_line;
}

LineIndex::Position LineIndex::locate(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line_index = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
  std::size_t from = line_starts_[line_index];
  int col = 1;
  if (line_index == last_line_index_ && offset >= last_offset_ && last_offset_ >= from) {
    from = last_offset_;
    col = last_.col;
  }
  // Each code point is a column, and so is each byte of malformed UTF-8
  // (diagnostics about invalid bytes locate them in the raw text).
  for (std::size_t i = from; i < offset; ++col) text::next_code_point(text_, i);
  last_ = {first_line_ + static_cast<int>(line_index), col};
  last_offset_ = offset;
  last_line_index_ = line_index;
  return last_;
}

SourceLoc LineIndex::loc(const std::string& path, std::size_t offset) const {
  const Position p = locate(offset);
  return {path, p.line, p.col};
}

}  // namespace cp::load

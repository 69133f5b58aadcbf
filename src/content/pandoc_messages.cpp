// Reading Pandoc's version line, messages and warnings (content/pandoc_messages.h).
#include "content/pandoc_messages.h"

#include "core/text.h"

namespace cp::content::detail {

std::string join_lines(std::string_view s, std::size_t max_chars) {
  std::string out;
  std::size_t start = 0;
  while (start < s.size() && out.size() < max_chars) {
    std::size_t end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    const std::string_view line = text::trim(s.substr(start, end - start));
    if (!line.empty()) {
      if (!out.empty()) out += ' ';
      out += line;
    }
    start = end + 1;
  }
  if (out.size() > max_chars) {
    std::size_t cut = max_chars;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "…";
  }
  return out;
}

bool parse_uint(std::string_view s, std::size_t& i, int& value) {
  const std::size_t start = i;
  long long v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9' && v < 100000000) v = v * 10 + (s[i++] - '0');
  value = static_cast<int>(v);
  return i > start;
}

// "pandoc 2.17.1.1" → (2, 17).
bool pandoc_version_numbers(std::string_view line, int& major, int& minor) {
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return false;
  std::size_t i = space + 1;
  if (!parse_uint(line, i, major)) return false;
  if (i >= line.size() || line[i] != '.') return false;
  ++i;
  return parse_uint(line, i, minor);
}

namespace {

// `… at line 5 column 1` at the end of a Pandoc warning: the position, and
// the message without it.
bool split_position(std::string_view msg, std::string& rest, int& line, int& col) {
  const std::size_t at = msg.rfind(" at line ");
  if (at == std::string_view::npos) return false;
  std::size_t i = at + 9;
  if (!parse_uint(msg, i, line)) return false;
  if (msg.substr(i, 8) != " column ") return false;
  i += 8;
  if (!parse_uint(msg, i, col)) return false;
  if (i != msg.size()) return false;
  rest = std::string(msg.substr(0, at));
  return true;
}

}  // namespace

void report_pandoc_warnings(std::string_view err, const SourceLoc& base, bool positions, Diagnostics& diags) {
  std::size_t start = 0;
  while (start < err.size()) {
    std::size_t end = err.find('\n', start);
    if (end == std::string_view::npos) end = err.size();
    const std::string_view line = text::trim(err.substr(start, end - start));
    start = end + 1;
    constexpr std::string_view kWarning = "[WARNING] ";
    if (!line.starts_with(kWarning)) continue;
    std::string msg(line.substr(kWarning.size()));
    SourceLoc loc = base;
    std::string rest;
    int l = 0, c = 0;
    if (split_position(msg, rest, l, c)) {
      msg = rest;
      if (positions) {
        loc.line = l;
        loc.col = c;
      }
    }
    diags.warning(loc, "pandoc: " + msg);
  }
}

}  // namespace cp::content::detail

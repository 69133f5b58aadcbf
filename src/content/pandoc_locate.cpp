// Finding the lines of Pandoc's blocks in the Markdown (content/pandoc_locate.h).
#include "content/pandoc_locate.h"

#include <optional>
#include <utility>

#include "content/pandoc_text.h"
#include "core/text.h"

namespace cp::content::detail {

namespace {

// Letters and digits continue a word; spaces (also no-break ones),
// punctuation, dashes and quotation marks do not.
bool word_char(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (c <= 0xBF) return false;                  // Latin-1 punctuation, NBSP, §
  if (c >= 0x2000 && c <= 0x206F) return false;  // general punctuation
  return c != 0x3000;
}

bool word_edge(std::string_view needle, bool front) {
  if (needle.empty()) return false;
  if (front) {
    std::size_t i = 0;
    return word_char(text::next_code_point(needle, i));
  }
  std::size_t start = needle.size() - 1;
  while (start > 0 && (static_cast<unsigned char>(needle[start]) & 0xC0) == 0x80) --start;
  return word_char(text::next_code_point(needle, start));
}

}  // namespace

Locator::Locator(SourceLoc base, std::string_view source) : base_(std::move(base)), source_(source) {
  if (source_.empty()) return;
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < source_.size(); ++i)
    if (source_[i] == '\n') line_starts_.push_back(i + 1);
  cursor_ = front_matter_end();
  start_ = cursor_;
}

SourceLoc Locator::find(std::string_view needle, bool advance) {
  if (!enabled()) return base_;
  const std::size_t at = search(needle, std::string_view::npos);
  if (at != std::string_view::npos) {
    if (advance) {
      cursor_ = at;
      found_any_ = true;
    }
    return at_offset(at);
  }
  return found_any_ ? at_offset(cursor_) : at_offset(start_);
}

void Locator::walk(const std::vector<std::string_view>& words) {
  if (!enabled()) return;
  for (std::string_view w : words) {
    const std::size_t at = search(w, kWalkReach);
    if (at != std::string_view::npos) cursor_ = at + w.size();
  }
}

SourceLoc Locator::at_offset(std::size_t off) const {
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), off);
  const std::size_t line = static_cast<std::size_t>(it - line_starts_.begin());  // 1-based
  const std::size_t start = line_starts_[line - 1];
  SourceLoc loc = base_;
  loc.line = static_cast<int>(line);
  loc.col = static_cast<int>(text::length(source_.substr(start, off - start))) + 1;
  return loc;
}

bool Locator::word_before(std::size_t at) const {
  if (at == 0) return false;
  std::size_t start = at - 1;
  while (start > 0 && (static_cast<unsigned char>(source_[start]) & 0xC0) == 0x80) --start;
  std::size_t i = start;
  return word_char(text::next_code_point(source_, i));
}

bool Locator::word_at(std::size_t at) const {
  if (at >= source_.size()) return false;
  std::size_t i = at;
  return word_char(text::next_code_point(source_, i));
}

// The needle as a whole word at or after the cursor. A short needle (a
// table cell's "2") is only taken near the cursor: far away it is more
// likely part of something else.
std::size_t Locator::search(std::string_view needle, std::size_t reach) const {
  if (needle.empty()) return std::string_view::npos;
  const bool is_short = text::length(needle) <= 2;
  const std::size_t line_limit = line_of(cursor_) + kShortNeedleLines;
  std::size_t at = cursor_;
  while ((at = source_.find(needle, at)) != std::string_view::npos) {
    if (reach != std::string_view::npos && at - cursor_ > reach) return std::string_view::npos;
    if (is_short && line_of(at) > line_limit) return std::string_view::npos;
    const bool starts_word = !word_edge(needle, true) || !word_before(at);
    const bool ends_word = !word_edge(needle, false) || !word_at(at + needle.size());
    if (starts_word && ends_word) return at;
    ++at;
  }
  return std::string_view::npos;
}

std::size_t Locator::line_of(std::size_t off) const {
  return static_cast<std::size_t>(std::upper_bound(line_starts_.begin(), line_starts_.end(), off) -
                                  line_starts_.begin());
}

// A leading YAML block (`---` … `---` or `...`) is front matter, not text.
std::size_t Locator::front_matter_end() const {
  if (!source_.starts_with("---")) return 0;
  for (std::size_t i = 1; i < line_starts_.size(); ++i) {
    const std::size_t s = line_starts_[i];
    std::string_view line = source_.substr(s, (i + 1 < line_starts_.size() ? line_starts_[i + 1] : source_.size()) - s);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line == "---" || line == "...") return i + 1 < line_starts_.size() ? line_starts_[i + 1] : source_.size();
  }
  return 0;
}

namespace {

// The first text in a JSON subtree that appears in the source as written:
// a Str, or the first line of raw or code text (a needle for the locator).
std::optional<std::string_view> first_needle(const json& j, int budget = 64) {
  if (budget <= 0) return std::nullopt;
  if (j.is_object()) {
    const auto t = j.find("t");
    const auto c = j.find("c");
    if (c == j.end()) return std::nullopt;
    if (t != j.end() && t->is_string()) {
      const std::string& tag_name = t->get_ref<const std::string&>();
      if (tag_name == "Str" && c->is_string() && !c->get_ref<const std::string&>().empty())
        return std::string_view(c->get_ref<const std::string&>());
      if ((tag_name == "RawBlock" || tag_name == "RawInline" || tag_name == "CodeBlock" || tag_name == "Code") &&
          c->is_array() && c->size() >= 2 && (*c)[1].is_string()) {
        std::string_view s = (*c)[1].get_ref<const std::string&>();
        const std::size_t start = s.find_first_not_of(" \t\r\n");
        if (start == std::string_view::npos) return std::nullopt;
        s = s.substr(start);
        return s.substr(0, s.find('\n'));
      }
    }
    return first_needle(*c, budget - 1);
  }
  if (j.is_array())
    for (const auto& e : j)
      if (auto s = first_needle(e, budget - 1)) return s;
  return std::nullopt;
}

// The words of a block as the source has them, in order: Str texts and
// the lines of code and raw text. Footnotes are skipped (their text is
// elsewhere). Reads defensively: this runs before the node is validated.
void collect_words(const json& j, std::vector<std::string_view>& out, int budget = kMaxNesting * 4) {
  if (budget <= 0 || out.size() > 100000) return;
  if (j.is_array()) {
    for (const auto& e : j) collect_words(e, out, budget - 1);
    return;
  }
  if (!j.is_object()) return;
  const auto t = j.find("t");
  const auto c = j.find("c");
  if (c == j.end()) return;
  const std::string* tag_name = (t != j.end() && t->is_string()) ? &t->get_ref<const std::string&>() : nullptr;
  if (tag_name && *tag_name == "Note") return;
  if (tag_name && *tag_name == "Str" && c->is_string()) {
    std::string_view w = c->get_ref<const std::string&>();
    while (!w.empty()) {
      const std::size_t nbsp = w.find(kNbsp);
      if (nbsp != 0) out.push_back(w.substr(0, nbsp));
      if (nbsp == std::string_view::npos) break;
      w.remove_prefix(nbsp + kNbsp.size());
    }
    return;
  }
  if (tag_name && (*tag_name == "RawBlock" || *tag_name == "RawInline" || *tag_name == "CodeBlock" ||
                   *tag_name == "Code") &&
      c->is_array() && c->size() >= 2 && (*c)[1].is_string()) {
    std::string_view text_value = (*c)[1].get_ref<const std::string&>();
    std::size_t start = 0;
    while (start < text_value.size()) {
      std::size_t end = text_value.find('\n', start);
      if (end == std::string_view::npos) end = text_value.size();
      const std::string_view line = text::trim(text_value.substr(start, end - start));
      if (!line.empty()) out.push_back(line);
      start = end + 1;
    }
    return;
  }
  collect_words(*c, out, budget - 1);
}

}  // namespace

void walk_block(Locator& locator, const json& node) {
  if (!locator.enabled()) return;
  std::vector<std::string_view> words;
  collect_words(node, words);
  locator.walk(words);
}

SourceLoc locate_block(Locator& locator, const json& node, const std::string& t) {
  if (!locator.enabled()) return locator.base();
  const json* c = nullptr;
  if (node.is_object()) {
    const auto it = node.find("c");
    if (it != node.end()) c = &*it;
  }
  std::string_view needle;
  if (t == "Table" && c && c->is_array() && c->size() >= 5) {
    // The caption comes first in the JSON but usually last in the text.
    auto s = first_needle((*c)[3]);
    if (!s) s = first_needle((*c)[4]);
    if (s) needle = *s;
  } else if (auto s = first_needle(node)) {
    needle = *s;
  }
  // Nested NBSPs and smart quotes are Pandoc's; search for the plain start.
  needle = needle.substr(0, std::min(needle.find(kNbsp), needle.size()));
  needle = needle.substr(0, std::min(needle.find('\r'), needle.size()));
  return locator.find(needle, true);
}

}  // namespace cp::content::detail

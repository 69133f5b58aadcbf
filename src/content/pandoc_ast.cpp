#include "content/pandoc_ast.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <utility>

#include "core/text.h"

namespace cp::content {

namespace {

using json = nlohmann::json;

// Thrown inside the converter only; caught at its entry point.
struct Malformed {
  std::string what;
};
struct TooDeep {};

constexpr std::string_view kNbsp = "\u00A0";

// ------------------------------------------------------------ locating lines

// Pandoc's JSON has no source positions. The locator finds each block's first
// word in the Markdown, searching forward from the previous block, so lines
// are right for ordinary text and near for the rest.
class Locator {
 public:
  Locator(SourceLoc base, std::string_view source) : base_(std::move(base)), source_(source) {
    if (source_.empty()) return;
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < source_.size(); ++i)
      if (source_[i] == '\n') line_starts_.push_back(i + 1);
    cursor_ = front_matter_end();
    start_ = cursor_;
  }

  bool enabled() const { return !source_.empty(); }

  // The location of `needle` at or after the cursor; the cursor moves there
  // when `advance`. Not found: the cursor's line (or the base before any
  // block was found).
  SourceLoc find(std::string_view needle, bool advance) {
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

  // Moves the cursor past each of `words` in turn (a block's words, in
  // order), skipping any not found close by: afterwards the cursor is at the
  // end of the block, so the next block is searched for after it.
  void walk(const std::vector<std::string_view>& words) {
    if (!enabled()) return;
    for (std::string_view w : words) {
      const std::size_t at = search(w, kWalkReach);
      if (at != std::string_view::npos) cursor_ = at + w.size();
    }
  }

  std::size_t cursor() const { return cursor_; }
  void set_cursor(std::size_t c) { cursor_ = std::min(c, source_.size()); }
  const SourceLoc& base() const { return base_; }

 private:
  SourceLoc at_offset(std::size_t off) const {
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), off);
    const std::size_t line = static_cast<std::size_t>(it - line_starts_.begin());  // 1-based
    const std::size_t start = line_starts_[line - 1];
    SourceLoc loc = base_;
    loc.line = static_cast<int>(line);
    loc.col = static_cast<int>(text::length(source_.substr(start, off - start))) + 1;
    return loc;
  }

  // Letters and digits continue a word; spaces (also no-break ones),
  // punctuation, dashes and quotation marks do not.
  static bool word_char(char32_t c) {
    if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (c <= 0xBF) return false;                  // Latin-1 punctuation, NBSP, §
    if (c >= 0x2000 && c <= 0x206F) return false;  // general punctuation
    return c != 0x3000;
  }

  bool word_before(std::size_t at) const {
    if (at == 0) return false;
    std::size_t start = at - 1;
    while (start > 0 && (static_cast<unsigned char>(source_[start]) & 0xC0) == 0x80) --start;
    std::size_t i = start;
    return word_char(text::next_code_point(source_, i));
  }

  bool word_at(std::size_t at) const {
    if (at >= source_.size()) return false;
    std::size_t i = at;
    return word_char(text::next_code_point(source_, i));
  }

  static bool word_edge(std::string_view needle, bool front) {
    if (needle.empty()) return false;
    if (front) {
      std::size_t i = 0;
      return word_char(text::next_code_point(needle, i));
    }
    std::size_t start = needle.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(needle[start]) & 0xC0) == 0x80) --start;
    return word_char(text::next_code_point(needle, start));
  }

  // The needle as a whole word at or after the cursor. A short needle (a
  // table cell's "2") is only taken near the cursor: far away it is more
  // likely part of something else.
  std::size_t search(std::string_view needle, std::size_t reach) const {
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

  std::size_t line_of(std::size_t off) const {
    return static_cast<std::size_t>(std::upper_bound(line_starts_.begin(), line_starts_.end(), off) -
                                    line_starts_.begin());
  }

  static constexpr std::size_t kShortNeedleLines = 5;
  static constexpr std::size_t kWalkReach = 300;  // bytes between two words of a block

  // A leading YAML block (`---` … `---` or `...`) is front matter, not text.
  std::size_t front_matter_end() const {
    if (!source_.starts_with("---")) return 0;
    for (std::size_t i = 1; i < line_starts_.size(); ++i) {
      const std::size_t s = line_starts_[i];
      std::string_view line = source_.substr(s, (i + 1 < line_starts_.size() ? line_starts_[i + 1] : source_.size()) - s);
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
      if (line == "---" || line == "...") return i + 1 < line_starts_.size() ? line_starts_[i + 1] : source_.size();
    }
    return 0;
  }

  SourceLoc base_;
  std::string_view source_;
  std::vector<std::size_t> line_starts_;
  std::size_t cursor_ = 0;
  std::size_t start_ = 0;
  bool found_any_ = false;
};

// ------------------------------------------------------------ small helpers

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string nfc(std::string_view s) {
  if (is_ascii(s)) return std::string(s);
  if (!text::is_valid_utf8(s)) return text::to_nfc(text::encode_utf8(text::decode_utf8(s)));
  return text::to_nfc(s);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX escapes decoded (a file path as the author wrote it).
std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return text::is_valid_utf8(out) ? out : std::string(s);
}

bool iequals_at(std::string_view s, std::size_t at, std::string_view what) {
  if (at + what.size() > s.size()) return false;
  for (std::size_t i = 0; i < what.size(); ++i) {
    char c = s[at + i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != what[i]) return false;
  }
  return true;
}

// Pandoc percent-encodes `{{x}}` in URLs as `%7B%7Bx%7D%7D`; give the
// placeholders back their braces (decoding inside them) so tailor can fill
// them. The rest of the URL stays as Pandoc wrote it.
std::string restore_placeholders(std::string_view url) {
  std::string out;
  std::size_t i = 0;
  while (i < url.size()) {
    if (iequals_at(url, i, "%7B%7B")) {
      std::size_t close = i + 6;
      while (close < url.size() && !iequals_at(url, close, "%7D%7D")) ++close;
      if (close < url.size()) {
        out += "{{";
        out += percent_decode(url.substr(i + 6, close - i - 6));
        out += "}}";
        i = close + 6;
        continue;
      }
    }
    out += url[i++];
  }
  return out;
}

std::string first_line(std::string_view s, std::size_t max_chars) {
  std::string_view t = text::trim(s);
  const std::size_t nl = t.find('\n');
  if (nl != std::string_view::npos) t = text::trim(t.substr(0, nl));
  std::string out;
  std::size_t i = 0, n = 0;
  while (i < t.size() && n < max_chars) {
    const std::size_t start = i;
    text::next_code_point(t, i);
    out.append(t.substr(start, i - start));
    ++n;
  }
  if (i < t.size()) out += "…";
  return out;
}

std::string format_name(std::string_view f) {
  if (f == "html" || f == "html4" || f == "html5") return "HTML";
  if (f == "latex" || f == "tex") return "LaTeX";
  return std::string(f);
}

bool is_html_comment(std::string_view format, std::string_view t) {
  const std::string_view s = text::trim(t);
  return format.starts_with("html") && s.starts_with("<!--") && s.ends_with("-->");
}

// Adjacent Text inlines are one word: join them (after quotes and flattened
// spans), so later stages see whole words.
void merge_texts(doc::Inlines& v) {
  std::size_t w = 0;
  for (std::size_t r = 0; r < v.size(); ++r) {
    if (v[r].kind == doc::InlineKind::Text && v[r].text.empty()) continue;
    if (w > 0 && v[r].kind == doc::InlineKind::Text && v[w - 1].kind == doc::InlineKind::Text) {
      v[w - 1].text += v[r].text;
      continue;
    }
    if (w != r) v[w] = std::move(v[r]);
    ++w;
  }
  v.resize(w);
}

doc::Inline make_text(std::string t) {
  doc::Inline in;
  in.kind = doc::InlineKind::Text;
  in.text = std::move(t);
  return in;
}

doc::Inline make_kind(doc::InlineKind k) {
  doc::Inline in;
  in.kind = k;
  return in;
}

// ------------------------------------------------------------ the converter

class Converter {
 public:
  Converter(const ConvertOptions& options, Diagnostics& diags)
      : locator_(options.base, options.source), diags_(&diags) {}

  doc::Module module(const json& root) {
    if (!root.is_object()) throw Malformed{"the document is not a JSON object"};
    check_version(root);
    doc::Module m;
    m.path = locator_.base().path;
    const json& blocks_json = member(root, "blocks");
    blocks(blocks_json, m.blocks, 0);
    m.title = meta_title(root);
    if (m.title.empty()) m.title = first_heading_title(m.blocks);
    return m;
  }

 private:
  // -------------------------------------------------------- checked access
  static const json& member(const json& obj, const char* key) {
    if (!obj.is_object()) throw Malformed{std::string("expected an object holding \"") + key + "\""};
    const auto it = obj.find(key);
    if (it == obj.end()) throw Malformed{std::string("missing \"") + key + "\""};
    return *it;
  }

  static const json& array(const json& j, const char* what) {
    if (!j.is_array()) throw Malformed{std::string(what) + " is not an array"};
    return j;
  }

  static const json& item(const json& j, std::size_t i, const char* what) {
    if (!j.is_array() || j.size() <= i) throw Malformed{std::string(what) + " has too few parts"};
    return j[i];
  }

  static const std::string& string(const json& j, const char* what) {
    if (!j.is_string()) throw Malformed{std::string(what) + " is not a string"};
    return j.get_ref<const std::string&>();
  }

  static long long integer(const json& j, const char* what) {
    if (j.is_number_integer()) return j.get<long long>();
    if (j.is_number_unsigned()) {
      const auto u = j.get<std::uint64_t>();
      return u > static_cast<std::uint64_t>(std::numeric_limits<long long>::max())
                 ? std::numeric_limits<long long>::max()
                 : static_cast<long long>(u);
    }
    throw Malformed{std::string(what) + " is not an integer"};
  }

  static int small_int(const json& j, const char* what, int lo, int hi) {
    const long long v = integer(j, what);
    return static_cast<int>(std::clamp<long long>(v, lo, hi));
  }

  // The "t" of a node.
  static const std::string& tag(const json& node) {
    if (!node.is_object()) throw Malformed{"an element is not an object"};
    return string(member(node, "t"), "an element's type");
  }

  static const json& content(const json& node, const std::string& t) {
    if (!node.is_object()) throw Malformed{"an element is not an object"};
    const auto it = node.find("c");
    if (it == node.end()) throw Malformed{t + " has no content"};
    return *it;
  }

  struct Attr {
    std::string id;
    std::vector<std::string> classes;
    std::vector<std::pair<std::string, std::string>> pairs;
  };

  static Attr attr(const json& j) {
    Attr a;
    a.id = string(item(j, 0, "attributes"), "an identifier");
    for (const auto& c : array(item(j, 1, "attributes"), "classes")) a.classes.push_back(string(c, "a class"));
    for (const auto& kv : array(item(j, 2, "attributes"), "key-value attributes"))
      a.pairs.emplace_back(string(item(kv, 0, "an attribute"), "an attribute name"),
                           string(item(kv, 1, "an attribute"), "an attribute value"));
    return a;
  }

  static void enter(int depth) {
    if (depth > kMaxNesting) throw TooDeep{};
  }

  // -------------------------------------------------------- version, meta
  static void check_version(const json& root) {
    const auto it = root.find("pandoc-api-version");
    if (it == root.end() || !it->is_array() || it->size() < 2 || !(*it)[0].is_number_integer() ||
        !(*it)[1].is_number_integer())
      throw Unsupported{"Pandoc's output has no pandoc-api-version"};
    const long long major = (*it)[0].get<long long>();
    const long long minor = (*it)[1].get<long long>();
    if (major != 1 || (minor != 22 && minor != 23)) {
      std::string v;
      for (const auto& part : *it) {
        if (!part.is_number_integer()) break;
        if (!v.empty()) v += '.';
        v += std::to_string(part.get<long long>());
      }
      throw Unsupported{"Pandoc's output uses pandoc-types API " + v + "; coursepack supports " +
                        std::string(kSupportedPandocApi)};
    }
  }

 public:
  struct Unsupported {
    std::string what;
  };

 private:
  std::string meta_title(const json& root) {
    const auto meta = root.find("meta");
    if (meta == root.end() || !meta->is_object()) return {};
    const auto title = meta->find("title");
    if (title == meta->end()) return {};
    const std::string& t = tag(*title);
    if (t == "MetaString") return nfc(string(content(*title, t), "the title"));
    // The title is read for its words only: its warnings are not the body's.
    Diagnostics ignored;
    Diagnostics* saved = diags_;
    diags_ = &ignored;
    doc::Inlines in;
    doc::Blocks b;
    const std::size_t cursor = locator_.cursor();
    if (t == "MetaInlines") inlines(content(*title, t), in, 1);
    if (t == "MetaBlocks") blocks(content(*title, t), b, 1);
    locator_.set_cursor(cursor);
    diags_ = saved;
    if (t == "MetaBlocks") {
      for (const auto& block : b)
        if (!block.inlines.empty()) return std::string(text::trim(doc::plain_text(block.inlines)));
      return {};
    }
    return std::string(text::trim(doc::plain_text(in)));
  }

  static std::string first_heading_title(const doc::Blocks& b) {
    for (const auto& block : b)
      if (block.kind == doc::BlockKind::Heading && block.level == 1)
        return std::string(text::trim(doc::plain_text(block.inlines)));
    return {};
  }

  // -------------------------------------------------------- locating
  // The first text in a JSON subtree that appears in the source as written:
  // a Str, or the first line of raw or code text (a needle for the locator).
  static std::optional<std::string_view> first_needle(const json& j, int budget = 64) {
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
  static void collect_words(const json& j, std::vector<std::string_view>& out, int budget = kMaxNesting * 4) {
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

  void walk_block(const json& node) {
    if (!locator_.enabled()) return;
    std::vector<std::string_view> words;
    collect_words(node, words);
    locator_.walk(words);
  }

  SourceLoc locate_block(const json& node, const std::string& t) {
    if (!locator_.enabled()) return locator_.base();
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
    return locator_.find(needle, true);
  }

  // -------------------------------------------------------- diagnostics
  void warn_raw(const SourceLoc& loc, std::string_view format, std::string_view raw) {
    if (loc.line > 0 && loc.line == last_raw_line_) return;
    last_raw_line_ = loc.line;
    diags_->warning(loc, "raw " + format_name(format) + " is not printed and was dropped: " + first_line(raw, 40),
                         "write it in Markdown instead; raw HTML and LaTeX are not supported");
  }

  void warn_unknown(const std::string& t) {
    if (!unknown_reported_.insert(t).second) return;
    diags_->warning(locator_.find({}, false), "unsupported Pandoc element " + first_line(t, 40) + " was skipped");
  }

  // -------------------------------------------------------- inlines
  void inlines(const json& arr, doc::Inlines& out, int depth) {
    enter(depth);
    for (const auto& node : array(arr, "an inline list")) inline_node(node, out, depth);
    merge_texts(out);
  }

  // Pandoc's Str: split at no-break spaces (and, defensively, at any ASCII
  // white space) so that Text never holds a space.
  static void append_str(std::string_view s, doc::Inlines& out) {
    std::string word;
    auto flush = [&] {
      if (!word.empty()) out.push_back(make_text(nfc(word)));
      word.clear();
    };
    for (std::size_t i = 0; i < s.size();) {
      if (s.substr(i).starts_with(kNbsp)) {
        flush();
        out.push_back(make_kind(doc::InlineKind::NbSpace));
        i += kNbsp.size();
      } else if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
        flush();
        if (out.empty() || out.back().kind != doc::InlineKind::Space) out.push_back(make_kind(doc::InlineKind::Space));
        ++i;
      } else {
        word += s[i++];
      }
    }
    flush();
  }

  void inline_node(const json& node, doc::Inlines& out, int depth) {
    const std::string& t = tag(node);
    if (t == "Str") {
      append_str(string(content(node, t), "Str"), out);
    } else if (t == "Space") {
      out.push_back(make_kind(doc::InlineKind::Space));
    } else if (t == "SoftBreak") {
      out.push_back(make_kind(doc::InlineKind::SoftBreak));
    } else if (t == "LineBreak") {
      out.push_back(make_kind(doc::InlineKind::LineBreak));
    } else if (t == "Emph" || t == "Underline" || t == "Strong") {
      doc::Inline in = make_kind(t == "Strong" ? doc::InlineKind::Strong : doc::InlineKind::Emph);
      inlines(content(node, t), in.children, depth + 1);
      out.push_back(std::move(in));
    } else if (t == "Strikeout" || t == "Superscript" || t == "Subscript" || t == "SmallCaps") {
      inlines(content(node, t), out, depth + 1);
    } else if (t == "Quoted") {
      const json& c = content(node, t);
      const bool single = tag(item(c, 0, "Quoted")) == "SingleQuote";
      // Swedish typography: the same closing mark opens and closes.
      const char* mark = single ? "\u2019" : "\u201D";
      out.push_back(make_text(mark));
      inlines(item(c, 1, "Quoted"), out, depth + 1);
      out.push_back(make_text(mark));
    } else if (t == "Cite") {
      inlines(item(content(node, t), 1, "Cite"), out, depth + 1);
    } else if (t == "Span") {
      const json& c = content(node, t);
      attr(item(c, 0, "Span"));
      inlines(item(c, 1, "Span"), out, depth + 1);
    } else if (t == "Code") {
      doc::Inline in = make_kind(doc::InlineKind::Code);
      in.text = nfc(string(item(content(node, t), 1, "Code"), "Code text"));
      out.push_back(std::move(in));
    } else if (t == "Math") {
      doc::Inline in = make_kind(doc::InlineKind::Code);
      in.text = nfc(string(item(content(node, t), 1, "Math"), "Math text"));
      out.push_back(std::move(in));
    } else if (t == "RawInline") {
      const json& c = content(node, t);
      const std::string& format = string(item(c, 0, "RawInline"), "a raw format");
      const std::string& raw = string(item(c, 1, "RawInline"), "raw text");
      if (!is_html_comment(format, raw)) warn_raw(locator_.find(raw, false), format, raw);
    } else if (t == "Link") {
      const json& c = content(node, t);
      attr(item(c, 0, "Link"));
      doc::Inline in = make_kind(doc::InlineKind::Link);
      inlines(item(c, 1, "Link"), in.children, depth + 1);
      in.target = restore_placeholders(string(item(item(c, 2, "Link"), 0, "a link target"), "a URL"));
      out.push_back(std::move(in));
    } else if (t == "Image") {
      // An image inside running text is not placed; its alt text stands in.
      const json& c = content(node, t);
      attr(item(c, 0, "Image"));
      const std::string& url = string(item(item(c, 2, "Image"), 0, "an image target"), "an image path");
      diags_->warning(locator_.find(percent_decode(url), false),
                           "image " + first_line(percent_decode(url), 60) +
                               " inside running text is not printed; its description is set instead",
                           "put the image in a paragraph of its own");
      inlines(item(c, 1, "Image"), out, depth + 1);
    } else if (t == "Note") {
      doc::Inline in = make_kind(doc::InlineKind::Note);
      in.note = std::make_shared<doc::Blocks>();
      // The note's text is elsewhere in the source (usually at the end):
      // search for it from here without moving the main cursor.
      const std::size_t cursor = locator_.cursor();
      blocks(content(node, t), *in.note, depth + 1);
      locator_.set_cursor(cursor);
      out.push_back(std::move(in));
    } else {
      warn_unknown(t);
    }
  }

  // -------------------------------------------------------- blocks
  void blocks(const json& arr, doc::Blocks& out, int depth) {
    enter(depth);
    for (const auto& node : array(arr, "a block list")) block_node(node, out, depth);
  }

  doc::Block make_block(doc::BlockKind k, const SourceLoc& loc) {
    doc::Block b;
    b.kind = k;
    b.loc = loc;
    return b;
  }

  // A paragraph holding one image and nothing else: the figure it means.
  const json* lone_image(const json& inline_list) {
    if (!inline_list.is_array()) return nullptr;
    const json* image = nullptr;
    for (const auto& in : inline_list) {
      const std::string& t = tag(in);
      if (t == "Space" || t == "SoftBreak" || t == "LineBreak") continue;
      if (t != "Image" || image) return nullptr;
      image = &in;
    }
    return image;
  }

  doc::Block figure(const json& image, const doc::Inlines* caption, bool caption_from_alt, const SourceLoc& loc,
                    int depth) {
    const json& c = content(image, "Image");
    attr(item(c, 0, "Image"));
    const json& target = item(c, 2, "Image");
    doc::Block b = make_block(doc::BlockKind::Figure, loc);
    b.target = percent_decode(string(item(target, 0, "an image target"), "an image path"));
    if (caption) {
      b.inlines = *caption;
    } else if (caption_from_alt) {
      inlines(item(c, 1, "Image"), b.inlines, depth + 1);
    } else {
      doc::Inlines ignored;  // still validated
      inlines(item(c, 1, "Image"), ignored, depth + 1);
    }
    return b;
  }

  // The inlines of caption blocks, blocks separated by a space.
  void caption_inlines(const json& caption, doc::Inlines& out, int depth) {
    // [short caption or null, blocks]
    doc::Blocks b;
    blocks(item(caption, 1, "a caption"), b, depth + 1);
    for (auto& block : b) {
      if (block.inlines.empty()) continue;
      if (!out.empty()) out.push_back(make_kind(doc::InlineKind::Space));
      for (auto& in : block.inlines) out.push_back(std::move(in));
    }
  }

  static doc::Align alignment(const json& j) {
    const std::string& t = tag(j);
    if (t == "AlignLeft") return doc::Align::Left;
    if (t == "AlignCenter") return doc::Align::Center;
    if (t == "AlignRight") return doc::Align::Right;
    return doc::Align::Default;
  }

  // One table row: cells with colspan > 1 are followed by empty cells so
  // that columns stay aligned; row spans are ignored.
  std::vector<doc::TableCell> row(const json& r, int depth) {
    std::vector<doc::TableCell> cells;
    for (const auto& cell : array(item(r, 1, "a table row"), "table cells")) {
      attr(item(cell, 0, "a table cell"));
      const int colspan = small_int(item(cell, 3, "a table cell"), "a column span", 1, 1000);
      small_int(item(cell, 2, "a table cell"), "a row span", 1, 1000);
      doc::TableCell tc;
      blocks(item(cell, 4, "a table cell"), tc.blocks, depth + 1);
      cells.push_back(std::move(tc));
      for (int i = 1; i < colspan; ++i) cells.emplace_back();
    }
    return cells;
  }

  doc::Block table(const json& c, const SourceLoc& loc, int depth) {
    enter(depth + 1);
    doc::Block b = make_block(doc::BlockKind::Table, loc);
    auto tab = std::make_shared<doc::Table>();
    attr(item(c, 0, "Table"));
    for (const auto& spec : array(item(c, 2, "Table"), "column specifications")) {
      tab->aligns.push_back(alignment(item(spec, 0, "a column specification")));
      const json& w = item(spec, 1, "a column specification");
      double width = 0;
      if (tag(w) == "ColWidth") {
        const json& v = content(w, "ColWidth");
        if (!v.is_number()) throw Malformed{"a column width is not a number"};
        width = v.get<double>();
        if (!(width >= 0 && width <= 1)) width = 0;
      }
      tab->widths.push_back(width);
    }
    std::vector<std::vector<doc::TableCell>> head_rows;
    const json& head = item(c, 3, "Table");
    for (const auto& r : array(item(head, 1, "a table head"), "head rows")) head_rows.push_back(row(r, depth + 1));
    for (const auto& body : array(item(c, 4, "Table"), "table bodies")) {
      attr(item(body, 0, "a table body"));
      integer(item(body, 1, "a table body"), "row head columns");
      for (const auto& r : array(item(body, 2, "a table body"), "body head rows")) tab->rows.push_back(row(r, depth + 1));
      for (const auto& r : array(item(body, 3, "a table body"), "body rows")) tab->rows.push_back(row(r, depth + 1));
    }
    const json& foot = item(c, 5, "Table");
    for (const auto& r : array(item(foot, 1, "a table foot"), "foot rows")) tab->rows.push_back(row(r, depth + 1));
    // Last: the caption usually follows the table in the text.
    caption_inlines(item(c, 1, "Table"), tab->caption, depth + 1);
    // The first head row is the header; further head rows lead the body.
    if (!head_rows.empty()) {
      tab->header = std::move(head_rows.front());
      tab->rows.insert(tab->rows.begin(), std::make_move_iterator(head_rows.begin() + 1),
                       std::make_move_iterator(head_rows.end()));
    }
    // Every row as wide as the widest; aligns and widths to match.
    std::size_t columns = tab->aligns.size();
    columns = std::max(columns, tab->header.size());
    for (const auto& r : tab->rows) columns = std::max(columns, r.size());
    tab->aligns.resize(columns, doc::Align::Default);
    tab->widths.resize(columns, 0.0);
    if (!tab->header.empty()) tab->header.resize(columns);
    for (auto& r : tab->rows) r.resize(columns);
    b.table = std::move(tab);
    return b;
  }

  // Blocks that hold words directly (not other blocks): after one of them,
  // the locator moves to its end.
  static bool holds_words(const std::string& t) {
    return t == "Para" || t == "Plain" || t == "Header" || t == "CodeBlock" || t == "RawBlock" || t == "LineBlock";
  }

  void block_node(const json& node, doc::Blocks& out, int depth) {
    convert_block(node, out, depth);
    if (holds_words(tag(node))) walk_block(node);
  }

  void convert_block(const json& node, doc::Blocks& out, int depth) {
    const std::string& t = tag(node);
    const bool was_raw = previous_was_raw_;
    previous_was_raw_ = false;
    if (t == "Null") return;
    const SourceLoc loc = locate_block(node, t);

    if (t == "Para" || t == "Plain") {
      const json& c = content(node, t);
      if (const json* image = lone_image(c)) {
        const json& ic = content(*image, "Image");
        const json& target = item(ic, 2, "Image");
        const bool fig = string(item(target, 1, "an image target"), "an image title").starts_with("fig:");
        out.push_back(figure(*image, nullptr, fig, loc, depth));
        return;
      }
      doc::Block b = make_block(t == "Para" ? doc::BlockKind::Para : doc::BlockKind::Plain, loc);
      inlines(c, b.inlines, depth + 1);
      if (b.inlines.empty()) return;  // e.g. only a dropped raw snippet
      out.push_back(std::move(b));
    } else if (t == "LineBlock") {
      doc::Block b = make_block(doc::BlockKind::Para, loc);
      for (const auto& line : array(content(node, t), "LineBlock")) {
        if (!b.inlines.empty()) b.inlines.push_back(make_kind(doc::InlineKind::LineBreak));
        doc::Inlines l;
        inlines(line, l, depth + 1);
        for (auto& in : l) b.inlines.push_back(std::move(in));
      }
      merge_texts(b.inlines);
      out.push_back(std::move(b));
    } else if (t == "CodeBlock") {
      const json& c = content(node, t);
      attr(item(c, 0, "CodeBlock"));
      doc::Block b = make_block(doc::BlockKind::CodeBlock, loc);
      b.text = nfc(string(item(c, 1, "CodeBlock"), "code"));
      out.push_back(std::move(b));
    } else if (t == "RawBlock") {
      const json& c = content(node, t);
      const std::string& format = string(item(c, 0, "RawBlock"), "a raw format");
      const std::string& raw = string(item(c, 1, "RawBlock"), "raw text");
      // A comment is silent; a run of raw blocks (an HTML table) warns once.
      if (is_html_comment(format, raw)) return;
      if (!was_raw) warn_raw(loc, format, raw);
      previous_was_raw_ = true;
    } else if (t == "BlockQuote") {
      doc::Block b = make_block(doc::BlockKind::BlockQuote, loc);
      blocks(content(node, t), b.children, depth + 1);
      out.push_back(std::move(b));
    } else if (t == "BulletList" || t == "OrderedList") {
      const json& c = content(node, t);
      doc::Block b = make_block(t == "BulletList" ? doc::BlockKind::BulletList : doc::BlockKind::OrderedList, loc);
      const json* items = &c;
      if (t == "OrderedList") {
        b.start = small_int(item(item(c, 0, "OrderedList"), 0, "list attributes"), "a list start", -1000000, 1000000);
        items = &item(c, 1, "OrderedList");
      }
      enter(depth + 1);
      for (const auto& it : array(*items, "list items")) {
        doc::Blocks item_blocks;
        blocks(it, item_blocks, depth + 2);
        b.items.push_back(std::move(item_blocks));
      }
      out.push_back(std::move(b));
    } else if (t == "DefinitionList") {
      for (const auto& entry : array(content(node, t), "DefinitionList")) {
        doc::Block term = make_block(doc::BlockKind::Para, loc);
        doc::Inline strong = make_kind(doc::InlineKind::Strong);
        inlines(item(entry, 0, "a definition"), strong.children, depth + 2);
        term.inlines.push_back(std::move(strong));
        out.push_back(std::move(term));
        for (const auto& def : array(item(entry, 1, "a definition"), "definitions")) blocks(def, out, depth + 1);
      }
    } else if (t == "Header") {
      const json& c = content(node, t);
      doc::Block b = make_block(doc::BlockKind::Heading, loc);
      b.level = small_int(item(c, 0, "Header"), "a heading level", 1, 3);
      b.id = attr(item(c, 1, "Header")).id;
      inlines(item(c, 2, "Header"), b.inlines, depth + 1);
      out.push_back(std::move(b));
    } else if (t == "HorizontalRule") {
      out.push_back(make_block(doc::BlockKind::HorizontalRule, loc));
    } else if (t == "Table") {
      out.push_back(table(content(node, t), loc, depth));
    } else if (t == "Figure") {
      // pandoc-types 1.23: Figure attr caption blocks.
      const json& c = content(node, t);
      attr(item(c, 0, "Figure"));
      doc::Inlines caption;
      caption_inlines(item(c, 1, "Figure"), caption, depth + 1);
      const json* image = nullptr;
      for (const auto& b : array(item(c, 2, "Figure"), "a figure body")) {
        const std::string& bt = tag(b);
        if (bt != "Plain" && bt != "Para") continue;
        for (const auto& in : array(content(b, bt), "an inline list"))
          if (tag(in) == "Image") {
            image = &in;
            break;
          }
        if (image) break;
      }
      if (image) {
        out.push_back(figure(*image, &caption, false, loc, depth));
      } else {
        // A figure of something else (a table, text): keep its content.
        blocks(item(c, 2, "Figure"), out, depth + 1);
      }
    } else if (t == "Div") {
      const json& c = content(node, t);
      Attr a = attr(item(c, 0, "Div"));
      doc::Block b = make_block(doc::BlockKind::Div, loc);
      b.classes = std::move(a.classes);
      for (const auto& [k, v] : a.pairs)
        if (k == "title") b.title = nfc(v);
      b.id = a.id;
      blocks(item(c, 1, "Div"), b.children, depth + 1);
      // `::: note` followed by a heading: the heading is the box's title.
      if (b.title.empty() && !b.classes.empty() && !b.children.empty() &&
          b.children.front().kind == doc::BlockKind::Heading) {
        b.title = std::string(text::trim(doc::plain_text(b.children.front().inlines)));
        b.children.erase(b.children.begin());
      }
      out.push_back(std::move(b));
    } else {
      warn_unknown(t);
    }
  }

  Locator locator_;
  Diagnostics* diags_;  // where warnings go (swapped while reading the title)
  std::set<std::string> unknown_reported_;
  int last_raw_line_ = -1;
  bool previous_was_raw_ = false;
};

}  // namespace

Conversion convert_pandoc_json(std::string_view json_text, const ConvertOptions& options, Diagnostics& diags) {
  Conversion result;
  result.module.path = options.base.path;
  // Diagnostics of a failed conversion are not reported: keep them apart.
  Diagnostics local;
  try {
    const json root = json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded()) {
      result.status = Status::EnvironmentError;
      result.message = "Pandoc's output is not valid JSON";
      return result;
    }
    Converter converter(options, local);
    result.module = converter.module(root);
  } catch (const Converter::Unsupported& e) {
    result.status = Status::EnvironmentError;
    result.message = e.what;
    return result;
  } catch (const Malformed& e) {
    result.status = Status::EnvironmentError;
    result.message = "Pandoc's output has an unexpected shape: " + e.what;
    return result;
  } catch (const TooDeep&) {
    result.status = Status::InputError;
    result.message = "the text is nested too deeply (more than " + std::to_string(kMaxNesting) + " levels)";
    diags.error(options.base, result.message, "flatten the nested lists or block quotes");
    result.module = doc::Module{};
    result.module.path = options.base.path;
    return result;
  } catch (const std::bad_alloc&) {
    result.status = Status::EnvironmentError;
    result.message = "out of memory while reading Pandoc's output";
    return result;
  } catch (const std::exception& e) {
    result.status = Status::EnvironmentError;
    result.message = std::string("cannot read Pandoc's output: ") + e.what();
    return result;
  } catch (...) {
    result.status = Status::EnvironmentError;
    result.message = "cannot read Pandoc's output";
    return result;
  }
  for (auto& d : local.all()) diags.add(std::move(d));
  return result;
}

}  // namespace cp::content

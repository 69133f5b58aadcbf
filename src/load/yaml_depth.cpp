// A pre-scan that bounds YAML nesting before yaml-cpp sees the text.
//
// yaml-cpp's parser recurses once per nesting level and only stops at its own
// depth guard, deep enough to exhaust a thread's stack under the sanitizers.
// This scanner follows just enough of the YAML syntax to estimate nesting:
// block levels by indentation (plus compact `- ` entries on one line) and
// flow levels by brackets, skipping quoted scalars, block scalars and
// comments. It over-estimates a little, never by more than a factor of two,
// so real files (depth < 10) are never refused.
#include <vector>

#include "load/yaml.h"

namespace cp::load {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

class DepthScanner {
 public:
  DepthScanner(std::string_view text, int max_depth) : text_(text), max_depth_(max_depth) {}

  std::optional<std::size_t> run() {
    std::size_t start = 0;
    while (start <= text_.size() && !excess_) {
      std::size_t end = text_.find('\n', start);
      if (end == std::string_view::npos) end = text_.size();
      scan_line(start, end);
      start = end + 1;
    }
    return excess_;
  }

 private:
  struct Level {
    int indent;
    int depth;
  };

  std::string_view text_;
  int max_depth_;
  std::vector<Level> blocks_;     // open block nodes, by indentation
  int flow_ = 0;                  // open flow brackets
  int flow_base_ = 0;             // block depth where the flow collection started
  char quote_ = 0;                // inside a quoted scalar (may span lines)
  int block_scalar_indent_ = -1;  // inside `|` / `>`: lines indented more belong to it
  std::optional<std::size_t> excess_;

  bool check(int depth, std::size_t offset) {
    if (depth > max_depth_ && !excess_) excess_ = offset;
    return !excess_;
  }

  bool is_document_marker(std::size_t pos, std::size_t end) const {
    const std::string_view rest = text_.substr(pos, end - pos);
    return (rest.starts_with("---") || rest.starts_with("...")) && (rest.size() == 3 || is_blank(rest[3]));
  }

  int block_depth() const { return blocks_.empty() ? 0 : blocks_.back().depth; }

  void scan_line(std::size_t start, std::size_t end) {
    std::size_t pos = start;
    while (pos < end && text_[pos] == ' ') ++pos;
    const int indent = static_cast<int>(pos - start);
    while (pos < end && is_blank(text_[pos])) ++pos;
    if (pos == end) return;  // blank lines never change the structure
    if (block_scalar_indent_ >= 0) {
      if (indent > block_scalar_indent_) return;
      block_scalar_indent_ = -1;
    }
    if (quote_ || flow_ > 0) {
      scan_inline(pos, end, indent, false);
      return;
    }
    if (text_[pos] == '#') return;
    if (indent == 0 && is_document_marker(pos, end)) {
      blocks_.clear();  // a new document; whatever follows the marker is a node
      pos += 3;
    }
    while (!blocks_.empty() && blocks_.back().indent >= indent) blocks_.pop_back();
    const int depth = block_depth() + 1;
    blocks_.push_back({indent, depth});
    if (!check(depth, pos)) return;
    scan_inline(pos, end, indent, true);
  }

  // Scans the rest of a line; `value_start` is true where a node may begin.
  void scan_inline(std::size_t pos, std::size_t end, int indent, bool value_start) {
    while (pos < end && !excess_) {
      const char c = text_[pos];
      const bool after_blank = pos == 0 || is_blank(text_[pos - 1]) || text_[pos - 1] == '\n';
      if (quote_) {
        pos = skip_quoted(pos, end);
      } else if (is_blank(c)) {
        ++pos;
      } else if (c == '#' && after_blank) {
        return;  // a comment runs to the end of the line
      } else if (flow_ > 0) {
        pos = scan_flow_char(pos);
      } else if (value_start) {
        pos = scan_node_start(pos, end, indent, value_start);
        if (block_scalar_indent_ >= 0) return;
      } else {
        // Inside a plain scalar or key: `: ` starts a value.
        if (c == ':' && (pos + 1 == end || is_blank(text_[pos + 1]))) value_start = true;
        ++pos;
      }
    }
  }

  std::size_t skip_quoted(std::size_t pos, std::size_t end) {
    const char c = text_[pos];
    if (quote_ == '"' && c == '\\') return pos + 2;
    if (c == quote_) {
      if (quote_ == '\'' && pos + 1 < end && text_[pos + 1] == '\'') return pos + 2;  // '' is a quote
      quote_ = 0;
    }
    return pos + 1;
  }

  std::size_t scan_flow_char(std::size_t pos) {
    const char c = text_[pos];
    const char prev = pos == 0 ? ' ' : text_[pos - 1];
    if (c == '[' || c == '{') {
      ++flow_;
      check(flow_base_ + flow_, pos);
    } else if (c == ']' || c == '}') {
      --flow_;
    } else if ((c == '"' || c == '\'') &&
               (is_blank(prev) || prev == '[' || prev == '{' || prev == ',' || prev == ':')) {
      quote_ = c;
    }
    return pos + 1;
  }

  // At a place where a node may start: a flow collection, a quoted or block
  // scalar, a compact `- ` entry, properties, or a plain scalar.
  std::size_t scan_node_start(std::size_t pos, std::size_t end, int indent, bool& value_start) {
    const char c = text_[pos];
    const bool spaced = pos + 1 == end || is_blank(text_[pos + 1]);
    if (c == '[' || c == '{') {
      flow_base_ = block_depth();
      flow_ = 1;
      check(flow_base_ + flow_, pos);
      value_start = false;
      return pos + 1;
    }
    if (c == '"' || c == '\'') {
      quote_ = c;
      value_start = false;
      return pos + 1;
    }
    if (c == '|' || c == '>') {
      block_scalar_indent_ = indent;
      return pos + 1;
    }
    if ((c == '-' || c == '?') && spaced) {
      if (c == '-' && !blocks_.empty()) check(++blocks_.back().depth, pos);
      return pos + 1;
    }
    if (c == '&' || c == '!' || c == '*') {  // anchor, tag or alias: a token, then maybe a node
      while (pos < end && !is_blank(text_[pos])) ++pos;
      return pos;
    }
    value_start = false;
    return pos;
  }
};

}  // namespace

std::optional<std::size_t> find_excess_depth(std::string_view text, int max_depth) {
  return DepthScanner(text, max_depth).run();
}

}  // namespace cp::load

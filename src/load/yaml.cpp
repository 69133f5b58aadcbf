#include "load/yaml.h"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "load/source.h"

namespace cp::load {

const YamlEntry* YamlNode::find(std::string_view key) const {
  for (const auto& e : entries)
    if (e.key == key) return &e;
  return nullptr;
}

namespace {

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

SourceLoc YamlNode::loc_at(std::size_t k) const {
  if (!is_scalar() || offset >= file_text.size() || k > scalar.size()) return loc;
  const std::string_view t = file_text;
  const std::string_view prefix = std::string_view(scalar).substr(0, k);
  const char indicator = t[offset];
  const auto col = [](std::size_t c) { return static_cast<int>(c); };
  if (indicator != '|' && indicator != '>') {
    if (prefix.find('\n') != std::string_view::npos) return loc;
    const std::size_t start = offset + (indicator == '"' || indicator == '\'' ? 1 : 0);
    if (t.substr(start, k) != prefix) return loc;
    return {loc.path, loc.line, loc.col + col(start - offset + code_points(prefix))};
  }
  if (indicator != '|') return loc;  // a folded block joins its lines
  // A literal block: its text starts on the next line, each line indented
  // as the first non-blank one.
  std::size_t line_start = t.find('\n', offset);
  if (line_start == std::string_view::npos) return loc;
  ++line_start;
  std::size_t indent = std::string_view::npos;
  for (std::size_t p = line_start; p < t.size() && indent == std::string_view::npos;) {
    std::size_t q = p;
    while (q < t.size() && t[q] == ' ') ++q;
    if (q < t.size() && t[q] != '\n' && t[q] != '\r') indent = q - p;
    const std::size_t eol = t.find('\n', p);
    if (eol == std::string_view::npos) break;
    p = eol + 1;
  }
  if (indent == std::string_view::npos) return loc;
  int line = loc.line + 1;
  const std::size_t last_break = prefix.rfind('\n');
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (prefix[i] != '\n') continue;
    line_start = t.find('\n', line_start);
    if (line_start == std::string_view::npos) return loc;
    ++line_start;
    ++line;
  }
  const std::string_view in_line = last_break == std::string_view::npos ? prefix : prefix.substr(last_break + 1);
  if (t.substr(line_start + indent, in_line.size()) != in_line) return loc;
  return {loc.path, line, col(indent + 1 + code_points(in_line))};
}

namespace {

// Thrown out of the event handler after an error has been reported, to stop
// yaml-cpp from parsing further.
struct StopParsing {};

// Builds a YamlDocument from yaml-cpp's parser events. Events (rather than
// YAML::Node) give a mark for every value, key and alias, and let the
// builder bound alias expansion while it happens.
class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(YamlDocument& doc, const std::string& path, const LineIndex& index, Diagnostics& diags)
      : doc_(doc), path_(path), index_(index), diags_(diags) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) fail(mark, "the file holds more than one yaml document");
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { add(make(YamlKind::Null, mark), anchor); }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end()) fail(mark, "unknown yaml alias");
    const YamlNode* target = it->second;
    if (std::any_of(stack_.begin(), stack_.end(), [&](const Open& o) { return o.node == target; }))
      fail(mark, "yaml alias refers to itself");
    alias_nodes_ += target->expanded;
    if (alias_nodes_ > kMaxYamlNodes)
      fail(mark, fmt::format("yaml aliases expand to more than {} nodes", kMaxYamlNodes));
    attach(target);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    YamlNode* node = make(YamlKind::Scalar, mark);
    node->scalar = value;
    node->quoted = tag != "?";  // "?" = plain; "!" = quoted; anything else = an explicit tag
    add(node, anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(make(YamlKind::Sequence, mark), anchor, mark);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(make(YamlKind::Mapping, mark), anchor, mark);
  }
  void OnMapEnd() override { close(); }

 private:
  // A collection being built and, in a mapping between a key and its value, the key.
  struct Open {
    YamlNode* node;
    std::optional<YamlEntry> pending_key;
  };

  YamlDocument& doc_;
  const std::string& path_;
  const LineIndex& index_;
  Diagnostics& diags_;
  int documents_ = 0;
  std::vector<Open> stack_;  // the collections being built, innermost last
  std::map<YAML::anchor_t, const YamlNode*> anchors_;
  std::size_t alias_nodes_ = 0;

  SourceLoc loc(const YAML::Mark& mark) const {
    if (mark.is_null() || mark.pos < 0) return {path_, 0, 0};
    return index_.loc(path_, static_cast<std::size_t>(mark.pos));
  }

  [[noreturn]] void fail(SourceLoc at, std::string message) {
    diags_.error(std::move(at), std::move(message));
    throw StopParsing{};
  }
  [[noreturn]] void fail(const YAML::Mark& mark, std::string message) { fail(loc(mark), std::move(message)); }

  YamlNode* make(YamlKind kind, SourceLoc at) {
    YamlNode& node = doc_.nodes.emplace_back();
    node.kind = kind;
    node.loc = std::move(at);
    return &node;
  }
  YamlNode* make(YamlKind kind, const YAML::Mark& mark) {
    YamlNode* node = make(kind, loc(mark));
    node->file_text = index_.text();
    if (!mark.is_null() && mark.pos >= 0) node->offset = static_cast<std::size_t>(mark.pos);
    return node;
  }

  void add(YamlNode* node, YAML::anchor_t anchor) {
    if (anchor) anchors_[anchor] = node;
    attach(node);
  }

  void open(YamlNode* node, YAML::anchor_t anchor, const YAML::Mark& mark) {
    if (static_cast<int>(stack_.size()) >= kMaxYamlDepth)  // the pre-scan should have caught it
      fail(mark, fmt::format("yaml nesting is too deep (more than {} levels)", kMaxYamlDepth));
    if (anchor) anchors_[anchor] = node;
    attach(node);
    stack_.push_back({node, std::nullopt});
  }

  void close() {
    YamlNode* node = stack_.back().node;
    for (const auto* item : node->items) node->expanded += item->expanded;
    for (const auto& e : node->entries) node->expanded += 1 + e.value->expanded;
    if (node->is_mapping()) drop_duplicate_keys(*node);
    stack_.pop_back();
  }

  // Puts a finished (or just opened) node into its parent: the root, a
  // sequence item, a mapping key, or the value of the pending key.
  void attach(const YamlNode* node) {
    if (stack_.empty()) {
      doc_.root = node;
      return;
    }
    Open& parent = stack_.back();
    if (parent.node->is_sequence()) {
      parent.node->items.push_back(node);
    } else if (!parent.pending_key) {
      if (!node->is_scalar()) fail(node->loc, "mapping keys must be plain text");
      parent.pending_key = YamlEntry{node->scalar, node->loc, nullptr};
    } else {
      YamlEntry entry = std::move(*parent.pending_key);
      parent.pending_key.reset();
      // An empty value has no place of its own; point at its key instead.
      if (node->is_null()) node = make(YamlKind::Null, entry.key_loc);
      entry.value = node;
      parent.node->entries.push_back(std::move(entry));
    }
  }

  // YAML forbids repeated keys; yaml-cpp accepts them. Keep the first and
  // report the others, so a typo in a copied block cannot silently win.
  void drop_duplicate_keys(YamlNode& map) {
    std::map<std::string, int> first_line;
    std::vector<YamlEntry> unique;
    unique.reserve(map.entries.size());
    for (auto& e : map.entries) {
      const auto [it, fresh] = first_line.emplace(e.key, e.key_loc.line);
      if (fresh)
        unique.push_back(std::move(e));
      else
        diags_.error(e.key_loc, fmt::format("duplicate key '{}'", e.key),
                     fmt::format("the first '{}' is at line {}", e.key, it->second));
    }
    map.entries = std::move(unique);
  }
};

// A tab among the blanks that indent the line of `at` or the one before
// (where yaml-cpp stops when a line is indented with a tab): YAML indents
// with spaces only, and yaml-cpp's message does not say so. Tabs elsewhere
// may be a block scalar's text.
std::optional<std::size_t> tab_in_indentation(std::string_view text, std::size_t at) {
  if (at > text.size()) at = text.size();
  const auto line_start = [&](std::size_t pos) {
    const std::size_t nl = pos == 0 ? std::string_view::npos : text.rfind('\n', pos - 1);
    return nl == std::string_view::npos ? 0 : nl + 1;
  };
  const std::size_t this_line = line_start(at);
  const std::size_t previous_line = this_line == 0 ? 0 : line_start(this_line - 1);
  for (std::size_t line : {previous_line, this_line})
    for (std::size_t i = line; i < text.size() && (text[i] == ' ' || text[i] == '\t'); ++i)
      if (text[i] == '\t') return i;
  return std::nullopt;
}

// yaml-cpp's message, with a hint in plain words for the mistakes people
// make when they edit YAML by hand.
void report_syntax_error(std::string_view text, std::size_t at, const std::string& msg, const LineIndex& index,
                         const std::string& path, Diagnostics& diags) {
  if (const auto tab = tab_in_indentation(text, at)) {
    diags.error(index.loc(path, *tab), "a tab in the indentation",
                "indent with spaces only (YAML does not allow tabs there); many editors have a setting to "
                "insert spaces for the tab key");
    return;
  }
  const SourceLoc loc = at == std::string_view::npos ? SourceLoc{path, 0, 0} : index.loc(path, at);
  std::string hint;
  if (msg == YAML::ErrorMsg::MAP_VALUE)
    hint = "a value holding ': ' must be in quotes, e.g. venue: \"Stadshuset: sal 2\"";
  else if (msg == YAML::ErrorMsg::END_OF_MAP || msg == YAML::ErrorMsg::END_OF_SEQ ||
           msg == YAML::ErrorMsg::BLOCK_ENTRY || msg == YAML::ErrorMsg::MAP_KEY)
    hint = "check the indentation of this line and the one above: the keys of one mapping, and the '-' entries of "
           "one list, start in the same column";
  else if (msg == YAML::ErrorMsg::END_OF_MAP_FLOW || msg == YAML::ErrorMsg::END_OF_SEQ_FLOW ||
           msg == YAML::ErrorMsg::FLOW_END)
    hint = "a '{' or '[' is not closed where it should be; a value that starts with one of them needs quotes";
  else if (msg.starts_with(YAML::ErrorMsg::INVALID_ESCAPE))
    hint = "in \"double quotes\" a backslash starts an escape; write \\\\ for a backslash, or use 'single quotes'";
  else
    hint = "values that hold ': ', ' #', or start with '{', '[', '*', '&', '!', '%', '@' or '`' must be in quotes";
  diags.error(loc, fmt::format("yaml syntax error: {}", msg), std::move(hint));
}

}  // namespace

std::optional<YamlDocument> parse_yaml(std::string_view utf8_text, const std::string& path, Diagnostics& diags,
                                       int first_line) {
  YamlDocument doc;
  doc.text = std::make_shared<const std::string>(utf8_text);
  const LineIndex index(*doc.text, first_line);
  if (const auto at = find_excess_depth(utf8_text)) {
    diags.error(index.loc(path, *at), fmt::format("yaml nesting is too deep (more than {} levels)", kMaxYamlDepth));
    return std::nullopt;
  }
  std::istringstream in{*doc.text};
  try {
    YAML::Parser parser(in);
    TreeBuilder builder(doc, path, index, diags);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const StopParsing&) {
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    const std::size_t at = e.mark.is_null() || e.mark.pos < 0 ? std::string_view::npos
                                                               : static_cast<std::size_t>(e.mark.pos);
    report_syntax_error(*doc.text, at, e.msg, index, path, diags);
    return std::nullopt;
  }
  if (!doc.root) {  // only comments
    YamlNode& empty = doc.nodes.emplace_back();
    empty.loc = {path, first_line, 1};
    doc.root = &empty;
  }
  return doc;
}

std::optional<YamlDocument> load_yaml_file(const std::filesystem::path& file, const std::string& display_path,
                                           Diagnostics& diags, std::size_t max_bytes) {
  const auto text = read_text_file(file, display_path, diags, Encoding::Utf8, max_bytes);
  if (!text) return std::nullopt;
  return parse_yaml(*text, display_path, diags);
}

}  // namespace cp::load

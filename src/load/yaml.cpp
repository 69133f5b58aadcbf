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
  YamlNode* make(YamlKind kind, const YAML::Mark& mark) { return make(kind, loc(mark)); }

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

}  // namespace

std::optional<YamlDocument> parse_yaml(std::string_view utf8_text, const std::string& path, Diagnostics& diags,
                                       int first_line) {
  const LineIndex index(utf8_text, first_line);
  if (const auto at = find_excess_depth(utf8_text)) {
    diags.error(index.loc(path, *at), fmt::format("yaml nesting is too deep (more than {} levels)", kMaxYamlDepth));
    return std::nullopt;
  }
  YamlDocument doc;
  std::istringstream in{std::string(utf8_text)};
  try {
    YAML::Parser parser(in);
    TreeBuilder builder(doc, path, index, diags);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const StopParsing&) {
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    const SourceLoc loc = e.mark.is_null() || e.mark.pos < 0 ? SourceLoc{path, 0, 0}
                                                             : index.loc(path, static_cast<std::size_t>(e.mark.pos));
    diags.error(loc, fmt::format("yaml syntax error: {}", e.msg));
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
                                           Diagnostics& diags) {
  const auto text = read_text_file(file, display_path, diags);
  if (!text) return std::nullopt;
  return parse_yaml(*text, display_path, diags);
}

}  // namespace cp::load

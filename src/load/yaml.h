// YAML files → a tree of nodes where every value carries its source location.
//
// The only code that includes yaml-cpp. Validation never sees yaml-cpp types:
// it walks YamlNode, whose scalars are plain (NFC, UTF-8) strings.
#pragma once

#include <cstddef>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "core/files.h"

namespace cp::load {

// Refused before parsing: yaml-cpp recurses once per nesting level.
inline constexpr int kMaxYamlDepth = 64;
// Refused while building the tree: aliases may share a subtree many times
// (a "billion laughs" file), and later stages walk the expanded tree.
inline constexpr std::size_t kMaxYamlNodes = 100000;

enum class YamlKind { Null, Scalar, Sequence, Mapping };

struct YamlNode;

struct YamlEntry {
  std::string key;
  SourceLoc key_loc;
  const YamlNode* value = nullptr;  // never null
};

struct YamlNode {
  YamlKind kind = YamlKind::Null;
  std::string scalar;                  // Scalar: the value as written (quotes removed)
  bool quoted = false;                 // Scalar written in quotes or with an explicit tag
  SourceLoc loc;                       // the value itself; for an empty value, its key
  std::vector<const YamlNode*> items;  // Sequence
  std::vector<YamlEntry> entries;      // Mapping, in file order, keys unique
  std::size_t expanded = 1;            // nodes in this subtree, aliases expanded
  std::string_view file_text;          // the text parsed (owned by the document)
  std::size_t offset = std::string_view::npos;  // of `loc` in file_text

  // Where byte `k` of `scalar` is written in the file: exact for a scalar on
  // one line (plain or quoted, with no escape before it) and for a literal
  // block (`|`); otherwise the value's own position.
  SourceLoc loc_at(std::size_t k) const;

  bool is_null() const { return kind == YamlKind::Null; }
  bool is_scalar() const { return kind == YamlKind::Scalar; }
  bool is_sequence() const { return kind == YamlKind::Sequence; }
  bool is_mapping() const { return kind == YamlKind::Mapping; }
  // The entry for `key` in a mapping, or nullptr.
  const YamlEntry* find(std::string_view key) const;
};

// Owns every node of one document. Aliases point at the anchored node, so
// the tree may share subtrees (bounded by kMaxYamlNodes when expanded).
struct YamlDocument {
  std::shared_ptr<const std::string> text;  // what the nodes' file_text views
  std::deque<YamlNode> nodes;      // a deque: nodes never move as it grows
  const YamlNode* root = nullptr;  // a Null node for a file of comments only
};

// Parses `utf8_text` (already decoded: valid UTF-8 without BOM). `path` is
// used in locations; `first_line` is the file line the text starts on (front
// matter starts on line 2). Reports syntax errors, depth and alias limits,
// non-text keys and extra documents, returning nullopt for them. A repeated
// key is reported too, but the document is kept (with the first value) so
// that the rest of the file can still be checked.
std::optional<YamlDocument> parse_yaml(std::string_view utf8_text, const std::string& path, Diagnostics& diags,
                                       int first_line = 1);

// read_text_file + parse_yaml.
std::optional<YamlDocument> load_yaml_file(const std::filesystem::path& file, const std::string& display_path,
                                           Diagnostics& diags, std::size_t max_bytes = files::kMaxInputBytes);

// The byte offset at which nesting (block indentation, compact `- ` entries
// and flow brackets) first exceeds `max_depth`, if it does. A cheap
// over-estimate that runs before yaml-cpp, which recurses per level.
std::optional<std::size_t> find_excess_depth(std::string_view text, int max_depth = kMaxYamlDepth);

}  // namespace cp::load

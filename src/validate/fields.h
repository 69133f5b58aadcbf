// Reading YAML values into model fields: one place for type checks, unknown
// keys, required keys and their messages, so every file reports alike.
//
// Messages name the key as written (`'hours' must be a number`) and point at
// the value; a missing key is reported at the mapping that should hold it.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "load/yaml.h"
#include "model/model.h"

namespace cp::validate {

using load::YamlNode;

// The candidate nearest to `word` when it is at most two edits away (and
// fewer than the word's length: any two 2-letter words are two edits apart).
std::optional<std::string> nearest(std::string_view word, std::span<const std::string_view> candidates);
// "did you mean 'venue'?" for that candidate; empty when there is none.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// Lower-case, trimmed, inner runs of blanks collapsed: the form compared when
// two spellings should count as the same word or name.
std::string fold(std::string_view s);

// Booleans as people write them in YAML and spreadsheets.
std::optional<bool> parse_bool(std::string_view word);
inline constexpr std::string_view kBoolHint = "write true/false, yes/no or ja/nej";

// Conversions of one value. `name` is the key (or column) it was written
// under. On a mismatch each reports at the value and returns nullopt.
std::optional<std::string> to_text(const YamlNode& node, std::string_view name, Diagnostics& diags);

// The longest text a YAML value may hold (titles, names, goals, layout
// texts), and the most entries of a list of texts.
inline constexpr std::size_t kMaxTextLength = 1000;  // characters
inline constexpr std::size_t kMaxListItems = 100;
// The privacy notice printed on the attendance sheet: a paragraph or two.
inline constexpr std::size_t kMaxPrivacyNoticeLength = 4000;
// For values a caller bounds itself, with a message of its own.
inline constexpr std::size_t kUnlimitedText = static_cast<std::size_t>(-1);
// Reports a text longer than max_chars characters at node; false then.
bool check_length(const YamlNode& node, std::string_view name, std::string_view text, std::size_t max_chars,
                  Diagnostics& diags);
std::optional<double> to_number(const YamlNode& node, std::string_view name, Diagnostics& diags);
std::optional<long> to_whole(const YamlNode& node, std::string_view name, Diagnostics& diags);
std::optional<bool> to_bool(const YamlNode& node, std::string_view name, Diagnostics& diags);
std::optional<model::Date> to_date(const YamlNode& node, Diagnostics& diags);
std::optional<model::Time> to_time(const YamlNode& node, Diagnostics& diags);
std::optional<std::vector<std::string>> to_text_list(const YamlNode& node, std::string_view name, Diagnostics& diags);
// True when `node` is a list (or mapping); else reports `'name' must be a list`.
bool expect_list(const YamlNode& node, std::string_view name, Diagnostics& diags);
bool expect_mapping(const YamlNode& node, std::string_view name, Diagnostics& diags);
// For the entries of a list of objects: `each visit must be a mapping`.
bool expect_entry_mapping(const YamlNode& node, std::string_view what, Diagnostics& diags);

// One word of a fixed vocabulary (`status: held`), compared case-insensitively
// and written in the table as the documentation spells it.
template <class T>
struct Choice {
  std::string_view word;
  T value;
};

// Reports `unknown WHAT 'word'` with a did-you-mean or the list of words.
void report_unknown_word(const YamlNode& node, std::string_view what, std::span<const std::string_view> words,
                         Diagnostics& diags);

template <class T, std::size_t N>
std::optional<T> to_choice(const YamlNode& node, std::string_view what, const Choice<T> (&table)[N],
                           Diagnostics& diags) {
  const auto word = to_text(node, what, diags);
  if (!word) return std::nullopt;
  const std::string folded = fold(*word);
  std::vector<std::string_view> words;
  for (const auto& c : table) {
    if (fold(c.word) == folded) return c.value;
    words.push_back(c.word);
  }
  report_unknown_word(node, what, words, diags);
  return std::nullopt;
}

enum class Bound { Any, NonNegative, Positive };

// `did you mean 'venue'? The keys allowed here are date, start, ...`: the
// hint of an unknown key.
std::string unknown_key_hint(std::string_view key, std::span<const std::string_view> known);

// A YAML mapping read against the keys one kind of object may have. The
// constructor reports every other key as an error at the key; getters then
// read known keys.
// A key whose value is empty (`venue:`) counts as absent, except for
// required keys, where it is an error.
class Fields {
 public:
  Fields(const YamlNode& map, std::span<const std::string_view> known, Diagnostics& diags);

  Diagnostics& diags() const { return diags_; }
  const YamlNode& node() const { return map_; }

  // The value, or nullptr when the key is absent or empty.
  const YamlNode* get(std::string_view key) const;
  // The entry even when its value is empty (for values where an empty one
  // is likely a mistake, like an unquoted `#colour`).
  const load::YamlEntry* entry(std::string_view key) const;
  // The value; reports `missing required key` (at the mapping) or an empty
  // value (at the key) and returns nullptr.
  const YamlNode* require(std::string_view key) const;

  // Each assigns `out` when the key is present and its value fits, and
  // returns whether it did. A text longer than `max_chars` characters is an
  // error: every text is typeset, some on every page or certificate, so
  // its length bounds the cost of a build.
  bool text(std::string_view key, std::string& out, std::size_t max_chars = kMaxTextLength) const;
  bool require_text(std::string_view key, std::string& out, std::size_t max_chars = kMaxTextLength) const;
  bool number(std::string_view key, double& out, Bound bound = Bound::Any) const;
  bool require_number(std::string_view key, double& out, Bound bound = Bound::Any) const;
  bool whole(std::string_view key, int& out, Bound bound = Bound::Any) const;
  bool flag(std::string_view key, bool& out) const;
  // At most max_items entries of at most max_chars characters each.
  bool text_list(std::string_view key, std::vector<std::string>& out, std::size_t max_items = kMaxListItems,
                 std::size_t max_chars = kMaxTextLength) const;
  // The value when it is a list / mapping; reports other types.
  const YamlNode* list(std::string_view key) const;
  const YamlNode* mapping(std::string_view key) const;

 private:
  const YamlNode& map_;
  std::span<const std::string_view> known_;
  Diagnostics& diags_;

  void report_unknown_keys() const;
};

// to_number + check_bound, assigning `out` when both pass.
bool read_number(const YamlNode& node, std::string_view name, double& out, Bound bound, Diagnostics& diags);

// Reports a value outside `bound` (`'seats' must be a positive number`).
bool check_bound(const YamlNode& node, std::string_view name, double value, Bound bound, Diagnostics& diags);

}  // namespace cp::validate

#include "validate/fields.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <limits>

#include "core/text.h"
#include "load/source.h"

namespace cp::validate {

namespace {

constexpr std::size_t kMaxHintDistance = 2;

std::string join_words(std::span<const std::string_view> words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

void type_error(const YamlNode& node, std::string_view name, std::string_view what, Diagnostics& diags) {
  diags.error(node.loc, fmt::format("'{}' must be {}", name, what));
}

}  // namespace

std::optional<std::string> nearest(std::string_view word, std::span<const std::string_view> candidates) {
  std::string_view best;
  std::size_t best_distance = kMaxHintDistance + 1;
  for (auto c : candidates) {
    const std::size_t d = text::edit_distance(word, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  if (best.empty() || best_distance >= text::length(word)) return std::nullopt;
  return std::string(best);
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
  const auto best = nearest(word, candidates);
  return best ? fmt::format("did you mean '{}'?", *best) : std::string();
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::vector<std::string_view> views(candidates.begin(), candidates.end());
  return did_you_mean(word, views);
}

std::string fold(std::string_view s) {
  std::string out;
  bool blank = false;
  for (char c : text::trim(s)) {
    const bool is_blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (is_blank && blank) continue;
    out += is_blank ? ' ' : c;
    blank = is_blank;
  }
  return text::to_lower(out);
}

std::optional<bool> parse_bool(std::string_view word) {
  static constexpr Choice<bool> kWords[] = {{"true", true}, {"false", false}, {"yes", true},
                                            {"no", false},  {"ja", true},     {"nej", false}};
  const std::string folded = fold(word);
  for (const auto& w : kWords)
    if (w.word == folded) return w.value;
  return std::nullopt;
}

std::optional<std::string> to_text(const YamlNode& node, std::string_view name, Diagnostics& diags) {
  if (node.is_scalar()) return node.scalar;
  type_error(node, name, "text", diags);
  return std::nullopt;
}

std::optional<double> to_number(const YamlNode& node, std::string_view name, Diagnostics& diags) {
  if (node.is_scalar()) {
    std::string s(text::trim(node.scalar));
    // Swedish writes a decimal comma; "3,5" is as clear as "3.5".
    if (std::count(s.begin(), s.end(), ',') == 1 && s.find('.') == std::string::npos)
      std::replace(s.begin(), s.end(), ',', '.');
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (!s.empty() && ec == std::errc() && end == s.data() + s.size() && std::isfinite(v)) return v;
  }
  type_error(node, name, "a number", diags);
  return std::nullopt;
}

std::optional<long> to_whole(const YamlNode& node, std::string_view name, Diagnostics& diags) {
  if (node.is_scalar()) {
    const std::string_view s = text::trim(node.scalar);
    long v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (!s.empty() && ec == std::errc() && end == s.data() + s.size()) return v;
  }
  type_error(node, name, "a whole number", diags);
  return std::nullopt;
}

std::optional<bool> to_bool(const YamlNode& node, std::string_view name, Diagnostics& diags) {
  if (node.is_scalar())
    if (const auto b = parse_bool(node.scalar)) return b;
  const std::string message = node.is_scalar() ? fmt::format("'{}' must be true or false, not '{}'", name, node.scalar)
                                               : fmt::format("'{}' must be true or false", name);
  diags.error(node.loc, message, std::string(kBoolHint));
  return std::nullopt;
}

std::optional<model::Date> to_date(const YamlNode& node, Diagnostics& diags) {
  if (node.is_scalar())
    if (const auto d = model::Date::parse_iso(std::string(text::trim(node.scalar)))) return d;
  diags.error(node.loc, node.is_scalar() ? fmt::format("'{}' is not a calendar date (YYYY-MM-DD)", node.scalar)
                                         : std::string("expected a date (YYYY-MM-DD)"));
  return std::nullopt;
}

std::optional<model::Time> to_time(const YamlNode& node, Diagnostics& diags) {
  if (node.is_scalar())
    if (const auto t = model::Time::parse(std::string(text::trim(node.scalar)))) return t;
  diags.error(node.loc, node.is_scalar() ? fmt::format("'{}' is not a time (HH:MM)", node.scalar)
                                         : std::string("expected a time (HH:MM)"));
  return std::nullopt;
}

bool expect_list(const YamlNode& node, std::string_view name, Diagnostics& diags) {
  if (node.is_sequence()) return true;
  type_error(node, name, "a list", diags);
  return false;
}

bool expect_mapping(const YamlNode& node, std::string_view name, Diagnostics& diags) {
  if (node.is_mapping()) return true;
  type_error(node, name, "a mapping", diags);
  return false;
}

bool expect_entry_mapping(const YamlNode& node, std::string_view what, Diagnostics& diags) {
  if (node.is_mapping()) return true;
  diags.error(node.loc, fmt::format("each {} must be a mapping (key: value lines)", what));
  return false;
}

std::optional<std::vector<std::string>> to_text_list(const YamlNode& node, std::string_view name, Diagnostics& diags) {
  if (!expect_list(node, name, diags)) return std::nullopt;
  std::vector<std::string> out;
  bool ok = true;
  for (const YamlNode* item : node.items) {
    if (item->is_scalar())
      out.push_back(item->scalar);
    else if (!item->is_null()) {  // an empty `-` entry is skipped
      type_error(*item, name, "a list of text", diags);
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

void report_unknown_word(const YamlNode& node, std::string_view what, std::span<const std::string_view> words,
                         Diagnostics& diags) {
  const std::string word = node.is_scalar() ? node.scalar : "";
  // Compare case-insensitively, but suggest the word as the table spells it.
  std::vector<std::string> folded(words.begin(), words.end());
  for (auto& w : folded) w = fold(w);
  const std::vector<std::string_view> views(folded.begin(), folded.end());
  std::string hint;
  if (const auto best = nearest(fold(word), views)) {
    const auto at = std::find(folded.begin(), folded.end(), *best) - folded.begin();
    hint = fmt::format("did you mean '{}'?", words[static_cast<std::size_t>(at)]);
  } else {
    hint = fmt::format("use {}", join_words(words));
  }
  diags.error(node.loc, fmt::format("unknown {} '{}'", what, word), std::move(hint));
}

bool check_bound(const YamlNode& node, std::string_view name, double value, Bound bound, Diagnostics& diags) {
  if (bound == Bound::Positive && !(value > 0)) {
    type_error(node, name, "a positive number", diags);
    return false;
  }
  if (bound == Bound::NonNegative && value < 0) {
    type_error(node, name, "zero or more", diags);
    return false;
  }
  return true;
}

bool read_number(const YamlNode& node, std::string_view name, double& out, Bound bound, Diagnostics& diags) {
  const auto n = to_number(node, name, diags);
  if (!n || !check_bound(node, name, *n, bound, diags)) return false;
  out = *n;
  return true;
}

// ---------------------------------------------------------------- Fields

Fields::Fields(const YamlNode& map, std::span<const std::string_view> known, Diagnostics& diags)
    : map_(map), known_(known), diags_(diags) {
  report_unknown_keys();
}

std::string unknown_key_hint(std::string_view key, std::span<const std::string_view> known) {
  std::string allowed;
  for (std::size_t i = 0; i < known.size(); ++i) allowed += fmt::format("{}{}", i ? ", " : "", known[i]);
  const std::string guess = did_you_mean(key, known);
  return guess.empty() ? fmt::format("the keys allowed here are {}", allowed)
                       : fmt::format("{} The keys allowed here are {}", guess, allowed);
}

// A key the tool does not read would drop what it holds from every output
// without a word, so it is an error, not a warning.
void Fields::report_unknown_keys() const {
  for (const auto& e : map_.entries) {
    if (std::find(known_.begin(), known_.end(), e.key) != known_.end()) continue;
    if (load::diagnostics_flooded(diags_)) return;
    diags_.error(e.key_loc, fmt::format("unknown key '{}'", e.key), unknown_key_hint(e.key, known_));
  }
}

const load::YamlEntry* Fields::entry(std::string_view key) const {
  assert(std::find(known_.begin(), known_.end(), key) != known_.end() && "read a key the table does not list");
  return map_.find(key);
}

const YamlNode* Fields::get(std::string_view key) const {
  const auto* e = entry(key);
  return e && !e->value->is_null() ? e->value : nullptr;
}

const YamlNode* Fields::require(std::string_view key) const {
  const auto* e = entry(key);
  if (!e) {
    diags_.error(map_.loc, fmt::format("missing required key '{}'", key));
    return nullptr;
  }
  if (e->value->is_null() || (e->value->is_scalar() && text::trim(e->value->scalar).empty())) {
    diags_.error(e->value->loc, fmt::format("'{}' must not be empty", key));
    return nullptr;
  }
  return e->value;
}

bool check_length(const YamlNode& node, std::string_view name, std::string_view s, std::size_t max_chars,
                  Diagnostics& diags) {
  if (s.size() <= max_chars) return true;  // bytes >= characters
  const std::size_t n = text::length(s);
  if (n <= max_chars) return true;
  diags.error(node.loc, fmt::format("'{}' is too long ({} characters; the limit is {})", name, n, max_chars),
              "shorten it; a text this long does not fit where it is printed");
  return false;
}

bool Fields::text(std::string_view key, std::string& out, std::size_t max_chars) const {
  const YamlNode* v = get(key);
  if (!v) return false;
  auto s = to_text(*v, key, diags_);
  if (!s || !check_length(*v, key, *s, max_chars, diags_)) return false;
  out = std::move(*s);
  return true;
}

bool Fields::require_text(std::string_view key, std::string& out, std::size_t max_chars) const {
  const YamlNode* v = require(key);
  if (!v) return false;
  auto s = to_text(*v, key, diags_);
  if (!s || !check_length(*v, key, *s, max_chars, diags_)) return false;
  out = std::string(text::trim(*s));
  return true;
}

bool Fields::number(std::string_view key, double& out, Bound bound) const {
  const YamlNode* v = get(key);
  return v && read_number(*v, key, out, bound, diags_);
}

bool Fields::require_number(std::string_view key, double& out, Bound bound) const {
  const YamlNode* v = require(key);
  return v && read_number(*v, key, out, bound, diags_);
}

bool Fields::whole(std::string_view key, int& out, Bound bound) const {
  const YamlNode* v = get(key);
  if (!v) return false;
  const auto n = to_whole(*v, key, diags_);
  if (!n) return false;
  if (*n > std::numeric_limits<int>::max() || *n < std::numeric_limits<int>::min()) {
    diags_.error(v->loc, fmt::format("'{}' is too large", key));
    return false;
  }
  if (!check_bound(*v, key, static_cast<double>(*n), bound, diags_)) return false;
  out = static_cast<int>(*n);
  return true;
}

bool Fields::flag(std::string_view key, bool& out) const {
  const YamlNode* v = get(key);
  if (!v) return false;
  const auto b = to_bool(*v, key, diags_);
  if (b) out = *b;
  return b.has_value();
}

bool Fields::text_list(std::string_view key, std::vector<std::string>& out, std::size_t max_items,
                       std::size_t max_chars) const {
  const YamlNode* v = get(key);
  if (!v) return false;
  auto list = to_text_list(*v, key, diags_);
  if (!list) return false;
  if (list->size() > max_items) {
    diags_.error(v->loc, fmt::format("'{}' has too many entries ({}; the limit is {})", key, list->size(), max_items));
    return false;
  }
  bool fits = true;
  for (std::size_t i = 0, k = 0; i < v->items.size(); ++i)
    if (v->items[i]->is_scalar()) fits = check_length(*v->items[i], key, (*list)[k++], max_chars, diags_) && fits;
  if (!fits) return false;
  out = std::move(*list);
  return true;
}

const YamlNode* Fields::list(std::string_view key) const {
  const YamlNode* v = get(key);
  return v && expect_list(*v, key, diags_) ? v : nullptr;
}

const YamlNode* Fields::mapping(std::string_view key) const {
  const YamlNode* v = get(key);
  return v && expect_mapping(*v, key, diags_) ? v : nullptr;
}

}  // namespace cp::validate

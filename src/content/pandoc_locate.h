// Where a block of Pandoc's JSON is in the Markdown it came from. Pandoc's
// JSON has no source positions: the Locator finds each block's first word
// in the Markdown, searching forward from the previous block, so lines are
// right for ordinary text and near for the rest.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "content/pandoc_json.h"
#include "core/diagnostics.h"

namespace cp::content::detail {

class Locator {
 public:
  Locator(SourceLoc base, std::string_view source);

  bool enabled() const { return !source_.empty(); }

  // The location of `needle` at or after the cursor; the cursor moves there
  // when `advance`. Not found: the cursor's line (or the base before any
  // block was found).
  SourceLoc find(std::string_view needle, bool advance);

  // Moves the cursor past each of `words` in turn (a block's words, in
  // order), skipping any not found close by: afterwards the cursor is at the
  // end of the block, so the next block is searched for after it.
  void walk(const std::vector<std::string_view>& words);

  std::size_t cursor() const { return cursor_; }
  void set_cursor(std::size_t c) { cursor_ = std::min(c, source_.size()); }
  const SourceLoc& base() const { return base_; }

 private:
  SourceLoc at_offset(std::size_t off) const;
  bool word_before(std::size_t at) const;
  bool word_at(std::size_t at) const;
  std::size_t search(std::string_view needle, std::size_t reach) const;
  std::size_t line_of(std::size_t off) const;
  std::size_t front_matter_end() const;

  static constexpr std::size_t kShortNeedleLines = 5;
  static constexpr std::size_t kWalkReach = 300;  // bytes between two words of a block

  SourceLoc base_;
  std::string_view source_;
  std::vector<std::size_t> line_starts_;
  std::size_t cursor_ = 0;
  std::size_t start_ = 0;
  bool found_any_ = false;
};

// The location of the block `node` (of type `t`), found by its first text;
// the cursor moves there.
SourceLoc locate_block(Locator& locator, const json& node, const std::string& t);

// Moves the cursor past the words of the block `node`.
void walk_block(Locator& locator, const json& node);

}  // namespace cp::content::detail

// The converter from Pandoc's JSON to the document tree: one object per
// document, its members defined by subject in pandoc_ast.cpp (the document
// and its diagnostics), pandoc_inlines.cpp, pandoc_blocks.cpp and
// pandoc_tables.cpp.
#pragma once

#include <set>
#include <string>

#include "content/document.h"
#include "content/pandoc_ast.h"
#include "content/pandoc_json.h"
#include "content/pandoc_locate.h"
#include "core/diagnostics.h"

namespace cp::content::detail {

class Converter {
 public:
  Converter(const ConvertOptions& options, Diagnostics& diags)
      : locator_(options.base, options.source), diags_(&diags) {}

  // The whole document; throws Malformed, Unsupported or TooDeep.
  doc::Module module(const json& root);

 private:
  // pandoc_ast.cpp: the title and the warnings
  std::string meta_title(const json& root);
  void warn_raw(const SourceLoc& loc, std::string_view format, std::string_view raw);
  void warn_unknown(const std::string& t);

  // pandoc_inlines.cpp
  void inlines(const json& arr, doc::Inlines& out, int depth);
  void inline_node(const json& node, doc::Inlines& out, int depth);

  // pandoc_blocks.cpp
  void blocks(const json& arr, doc::Blocks& out, int depth);
  void block_node(const json& node, doc::Blocks& out, int depth);
  void convert_block(const json& node, doc::Blocks& out, int depth);
  void paragraph(const json& c, bool para, const SourceLoc& loc, int depth, doc::Blocks& out);
  doc::Block line_block(const json& c, const SourceLoc& loc, int depth);
  doc::Block list(const json& c, bool ordered, const SourceLoc& loc, int depth);
  void definition_list(const json& c, const SourceLoc& loc, int depth, doc::Blocks& out);
  void figure_block(const json& c, const SourceLoc& loc, int depth, doc::Blocks& out);
  doc::Block div(const json& c, const SourceLoc& loc, int depth);
  doc::Block figure(const json& image, const doc::Inlines* caption, bool caption_from_alt, const SourceLoc& loc,
                    int depth);
  void caption_inlines(const json& caption, doc::Inlines& out, int depth);

  // pandoc_tables.cpp
  std::vector<doc::TableCell> row(const json& r, int depth);
  doc::Block table(const json& c, const SourceLoc& loc, int depth);

  Locator locator_;
  Diagnostics* diags_;  // where warnings go (swapped while reading the title)
  std::set<std::string> unknown_reported_;
  int last_raw_line_ = -1;
  bool previous_was_raw_ = false;
};

// A block of kind `k` at `loc`.
doc::Block make_block(doc::BlockKind k, const SourceLoc& loc);

}  // namespace cp::content::detail

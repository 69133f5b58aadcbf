// The project's own document tree: what Pandoc's AST becomes, what tailor
// fills per visit, and what layout typesets. Plain data, no library types.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"

namespace cp::doc {

struct Block;
using Blocks = std::vector<Block>;

enum class InlineKind {
  Text,       // `text` holds a word or part of one (no spaces)
  Space,      // an inter-word space (breakable)
  NbSpace,    // a non-breaking space (U+00A0 in the source)
  SoftBreak,  // a line end in the source: treated as a space
  LineBreak,  // a forced line break
  Emph,       // children
  Strong,     // children
  Code,       // `text` verbatim, monospace
  Link,       // children = link text, `target` = URL
  Note,       // footnote: `note` holds its blocks
};

struct Inline {
  InlineKind kind = InlineKind::Text;
  std::string text;
  std::vector<Inline> children;
  std::string target;
  std::shared_ptr<Blocks> note;
};
using Inlines = std::vector<Inline>;

enum class Align { Default, Left, Center, Right };

struct TableCell {
  Blocks blocks;
};

struct Table {
  std::vector<Align> aligns;            // one per column
  std::vector<double> widths;           // relative widths from a grid table, 0 = from content
  std::vector<TableCell> header;        // may be empty
  std::vector<std::vector<TableCell>> rows;
  Inlines caption;
};

enum class BlockKind {
  Para,         // inlines
  Plain,        // inlines (tight list items)
  Heading,      // level 1..3 (deeper levels are set as level 3), inlines, id
  BulletList,   // items
  OrderedList,  // items, start
  BlockQuote,   // children
  Div,          // classes[0] names the box (discussion, note, case); title; children
  Table,        // table
  Figure,       // image: target = path, inlines = caption
  HorizontalRule,
  CodeBlock,    // text
};

struct Block {
  BlockKind kind = BlockKind::Para;
  int level = 0;
  int start = 1;
  std::string id;  // heading anchor (a div's id too)
  Inlines inlines;
  Blocks children;
  std::vector<Blocks> items;
  std::vector<std::string> classes;
  std::string title;   // Div title (from a `title` attribute or a leading heading)
  std::string target;  // Figure image path, as written (relative to materials/)
  std::string alt;     // Figure: the image's alt text, plain (also when it is not the caption)
  std::string text;    // CodeBlock
  std::shared_ptr<Table> table;
  SourceLoc loc;  // the module file (line 0 when Pandoc gives no position)
};

// A module after Pandoc: front matter values and the body.
struct Module {
  std::string path;  // as given to content::parse_module (the path diagnostics print)
  std::string title;  // front matter `title`, else the first level-1 heading
  Blocks blocks;
};

// Plain text of inlines (for bookmarks, titles, traces).
std::string plain_text(const Inlines& inlines);

// A plain string as inlines: each space a Space, each no-break space an
// NbSpace, the rest words (Text); plain_text gives the string back.
Inlines words(std::string_view text);

}  // namespace cp::doc

// Pandoc's block elements → the tree's blocks: paragraphs, figures, lists,
// headings, boxes (content/pandoc_converter.h).
#include <memory>
#include <utility>

#include "content/pandoc_converter.h"
#include "content/pandoc_text.h"
#include "core/text.h"

namespace cp::content::detail {

namespace {

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

// Blocks that hold words directly (not other blocks): after one of them,
// the locator moves to its end.
bool holds_words(const std::string& t) {
  return t == "Para" || t == "Plain" || t == "Header" || t == "CodeBlock" || t == "RawBlock" || t == "LineBlock";
}

}  // namespace

doc::Block make_block(doc::BlockKind k, const SourceLoc& loc) {
  doc::Block b;
  b.kind = k;
  b.loc = loc;
  return b;
}

void Converter::blocks(const json& arr, doc::Blocks& out, int depth) {
  enter(depth);
  for (const auto& node : array(arr, "a block list")) block_node(node, out, depth);
}

doc::Block Converter::figure(const json& image, const doc::Inlines* caption, bool caption_from_alt,
                             const SourceLoc& loc, int depth) {
  const json& c = content(image, "Image");
  attr(item(c, 0, "Image"));
  const json& target = item(c, 2, "Image");
  doc::Block b = make_block(doc::BlockKind::Figure, loc);
  b.target = percent_decode(string(item(target, 0, "an image target"), "an image path"));
  // The alt text says what the image shows, also where it is not the
  // caption: a lone image Pandoc does not make a figure (one in a tight
  // list item, or one followed by a line break) has no caption but keeps it.
  doc::Inlines alt;
  inlines(item(c, 1, "Image"), alt, depth + 1);
  b.alt = doc::plain_text(alt);
  if (caption) {
    b.inlines = *caption;
  } else if (caption_from_alt) {
    b.inlines = std::move(alt);
  }
  return b;
}

// The inlines of caption blocks, blocks separated by a space.
void Converter::caption_inlines(const json& caption, doc::Inlines& out, int depth) {
  // [short caption or null, blocks]
  doc::Blocks b;
  blocks(item(caption, 1, "a caption"), b, depth + 1);
  for (auto& block : b) {
    if (block.inlines.empty()) continue;
    if (!out.empty()) out.push_back(make_kind(doc::InlineKind::Space));
    for (auto& in : block.inlines) out.push_back(std::move(in));
  }
}

void Converter::block_node(const json& node, doc::Blocks& out, int depth) {
  convert_block(node, out, depth);
  if (holds_words(tag(node))) walk_block(locator_, node);
}

void Converter::convert_block(const json& node, doc::Blocks& out, int depth) {
  const std::string& t = tag(node);
  const bool was_raw = previous_was_raw_;
  previous_was_raw_ = false;
  if (t == "Null") return;
  const SourceLoc loc = locate_block(locator_, node, t);

  if (t == "Para" || t == "Plain") {
    paragraph(content(node, t), t == "Para", loc, depth, out);
  } else if (t == "LineBlock") {
    out.push_back(line_block(content(node, t), loc, depth));
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
    out.push_back(list(content(node, t), t == "OrderedList", loc, depth));
  } else if (t == "DefinitionList") {
    definition_list(content(node, t), loc, depth, out);
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
    figure_block(content(node, t), loc, depth, out);
  } else if (t == "Div") {
    out.push_back(div(content(node, t), loc, depth));
  } else {
    warn_unknown(t);
  }
}

// A Para or Plain: the figure when it holds one image alone.
void Converter::paragraph(const json& c, bool para, const SourceLoc& loc, int depth, doc::Blocks& out) {
  if (const json* image = lone_image(c)) {
    const json& ic = content(*image, "Image");
    const json& target = item(ic, 2, "Image");
    const bool fig = string(item(target, 1, "an image target"), "an image title").starts_with("fig:");
    out.push_back(figure(*image, nullptr, fig, loc, depth));
    return;
  }
  doc::Block b = make_block(para ? doc::BlockKind::Para : doc::BlockKind::Plain, loc);
  inlines(c, b.inlines, depth + 1);
  if (b.inlines.empty()) return;  // e.g. only a dropped raw snippet
  out.push_back(std::move(b));
}

// A LineBlock: one paragraph, its lines separated by line breaks.
doc::Block Converter::line_block(const json& c, const SourceLoc& loc, int depth) {
  doc::Block b = make_block(doc::BlockKind::Para, loc);
  for (const auto& line : array(c, "LineBlock")) {
    if (!b.inlines.empty()) b.inlines.push_back(make_kind(doc::InlineKind::LineBreak));
    doc::Inlines l;
    inlines(line, l, depth + 1);
    for (auto& in : l) b.inlines.push_back(std::move(in));
  }
  merge_texts(b.inlines);
  return b;
}

doc::Block Converter::list(const json& c, bool ordered, const SourceLoc& loc, int depth) {
  doc::Block b = make_block(ordered ? doc::BlockKind::OrderedList : doc::BlockKind::BulletList, loc);
  const json* items = &c;
  if (ordered) {
    b.start = small_int(item(item(c, 0, "OrderedList"), 0, "list attributes"), "a list start", -1000000, 1000000);
    items = &item(c, 1, "OrderedList");
  }
  enter(depth + 1);
  for (const auto& it : array(*items, "list items")) {
    doc::Blocks item_blocks;
    blocks(it, item_blocks, depth + 2);
    b.items.push_back(std::move(item_blocks));
  }
  return b;
}

// Each term a paragraph in bold, followed by its definitions' blocks.
void Converter::definition_list(const json& c, const SourceLoc& loc, int depth, doc::Blocks& out) {
  for (const auto& entry : array(c, "DefinitionList")) {
    doc::Block term = make_block(doc::BlockKind::Para, loc);
    doc::Inline strong = make_kind(doc::InlineKind::Strong);
    inlines(item(entry, 0, "a definition"), strong.children, depth + 2);
    term.inlines.push_back(std::move(strong));
    out.push_back(std::move(term));
    for (const auto& def : array(item(entry, 1, "a definition"), "definitions")) blocks(def, out, depth + 1);
  }
}

// pandoc-types 1.23: Figure attr caption blocks.
void Converter::figure_block(const json& c, const SourceLoc& loc, int depth, doc::Blocks& out) {
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
}

doc::Block Converter::div(const json& c, const SourceLoc& loc, int depth) {
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
  return b;
}

}  // namespace cp::content::detail

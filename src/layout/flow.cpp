#include "layout/flow.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/image_probe.h"
#include "layout/flow_internal.h"

namespace cp::layout {

Flow::Flow(FlowStyle style, fonts::FontSet& fonts, const Hyphenator* hyphenator, Diagnostics* diags,
           ImageResolver images)
    : style_(style), fonts_(fonts), hyphenator_(hyphenator), diags_(diags), images_(std::move(images)) {}

void Flow::tag_structure(int previous_heading) {
  tagged_ = true;
  previous_heading_ = previous_heading;
  if (structure_.empty()) {
    StructNode root;
    root.role = "Document";
    structure_.push_back(std::move(root));
  }
}

int Flow::add_node(const std::string& role, int parent) {
  StructNode n;
  n.role = role;
  n.parent = parent;
  structure_.push_back(std::move(n));
  return static_cast<int>(structure_.size()) - 1;
}

int Flow::heading_level(int level) {
  const int l = std::clamp(level, 1, std::min(3, previous_heading_ + 1));
  previous_heading_ = l;
  return l;
}

TextStyle Flow::body_style(bool bold, bool italic) const {
  TextStyle s;
  s.font = style_.body.pick(bold, italic);
  s.style = bold ? (italic ? fonts::Style::BoldItalic : fonts::Style::Bold)
                 : (italic ? fonts::Style::Italic : fonts::Style::Regular);
  s.size = style_.body_size;
  s.color = style_.text;
  s.hyphenate = style_.hyphenate;
  return s;
}

// ------------------------------------------------------------------ blocks

std::vector<Chunk> Flow::flow(const doc::Blocks& blocks, double width, const Context& ctx) {
  std::vector<Chunk> out;
  bool after_heading = false;
  for (const auto& b : blocks) {
    const std::size_t first = out.size();
    flow_block(b, width, ctx, out);
    if (out.size() == first) continue;
    if (first > 0 && out[first].space_before == 0 && b.kind != doc::BlockKind::Heading)
      out[first].space_before = ctx.tight ? 1.5 : style_.paragraph_space;
    if (after_heading) {
      // Keep a heading with the first two lines of what follows.
      out[first].break_before = false;
      out[first].space_before = 0;
      if (out.size() > first + 1) out[first + 1].break_before = false;
    }
    after_heading = b.kind == doc::BlockKind::Heading;
    for (std::size_t i = first; i < out.size(); ++i)
      if (out[i].box < 0) out[i].box = ctx.box;
  }
  return out;
}

void Flow::flow_block(const doc::Block& b, double width, const Context& ctx_in, std::vector<Chunk>& out) {
  Context ctx = ctx_in;
  if (b.loc.known()) ctx.loc = b.loc;
  auto append = [&out](std::vector<Chunk> cs) {
    for (auto& c : cs) out.push_back(std::move(c));
  };
  switch (b.kind) {
    case doc::BlockKind::Para:
    case doc::BlockKind::Plain: {
      std::vector<Piece> ps;
      std::vector<const doc::Inline*> notes;
      collect_pieces(b.inlines, style_.body_size, style_.body, false, false, style_.text, style_.hyphenate, "", ps,
                     &notes, !tagged_ ? -1 : ctx.direct ? ctx.parent : add_node("P", ctx.parent));
      auto lines = paragraph_chunks(ps, width, style_.justify ? LineAlign::Justify : LineAlign::Left, style_.leading,
                                    false, ctx.loc);
      attach_notes(lines, notes, width, ctx);
      append(std::move(lines));
      break;
    }
    case doc::BlockKind::Heading: {
      const int l = std::clamp(b.level, 1, 3);
      std::vector<Piece> ps;
      collect_pieces(b.inlines, style_.heading_sizes[l - 1], style_.heading, true, false,
                     l == 1 ? style_.accent : style_.text, false, "", ps, nullptr,
                     tagged_ ? add_node("H" + std::to_string(heading_level(l)), ctx.parent) : -1);
      append(heading_chunks(l, ps, doc::plain_text(b.inlines), b.id, width, l <= 2, ctx.loc));
      break;
    }
    case doc::BlockKind::BulletList:
    case doc::BlockKind::OrderedList:
      append(list_chunks(b, width, ctx));
      break;
    case doc::BlockKind::BlockQuote:
      append(div_chunks(b, width, ctx, true));
      break;
    case doc::BlockKind::Div:
      append(div_chunks(b, width, ctx, false));
      break;
    case doc::BlockKind::Table:
      append(table_chunks(b, width, ctx));
      break;
    case doc::BlockKind::Figure:
      append(figure_chunks(b, width, ctx));
      break;
    case doc::BlockKind::HorizontalRule: {
      Chunk c;
      c.height = style_.leading;
      c.items.emplace_back(Line{width * 0.25, -c.height / 2, width * 0.75, -c.height / 2, 0.6, style_.rule, false});
      out.push_back(std::move(c));
      break;
    }
    case doc::BlockKind::CodeBlock: {
      TextStyle s;
      s.font = style_.mono.regular;
      s.size = style_.body_size * 0.88;
      s.color = style_.text;
      s.hyphenate = false;
      s.node = tagged_ ? add_node("P", ctx.parent) : -1;
      std::vector<Chunk> lines;
      std::size_t start = 0;
      const std::string& t = b.text;
      while (start <= t.size()) {
        std::size_t end = t.find('\n', start);
        if (end == std::string::npos) end = t.size();
        std::vector<Piece> ps;
        std::string word;
        for (std::size_t i = start; i < end; ++i) {
          if (t[i] == ' ') {
            if (!word.empty()) ps.push_back({PieceKind::Text, word, s});
            ps.push_back({PieceKind::NbSpace, "\u00A0", s});
            word.clear();
          } else {
            word += t[i];
          }
        }
        if (!word.empty()) ps.push_back({PieceKind::Text, word, s});
        if (ps.empty()) ps.push_back({PieceKind::NbSpace, "\u00A0", s});
        for (auto& c : paragraph_chunks(ps, width - 8, LineAlign::Left, style_.leading * 0.9, false, ctx.loc)) {
          c.shift(4, 0);
          lines.push_back(std::move(c));
        }
        start = end + 1;
      }
      append(std::move(lines));
      break;
    }
  }
}

std::vector<Chunk> Flow::list_chunks(const doc::Block& b, double width, const Context& ctx) {
  std::vector<Chunk> out;
  const bool ordered = b.kind == doc::BlockKind::OrderedList;
  const double indent = ordered ? kListIndent + 4 : kListIndent;
  Context inner = ctx;
  bool tight = true;
  for (const auto& item : b.items)
    for (const auto& blk : item)
      if (blk.kind == doc::BlockKind::Para) tight = false;
  inner.tight = tight;
  const int list = tagged_ ? add_node("L", ctx.parent) : -1;
  int number = b.start;
  for (const auto& item : b.items) {
    // L > LI > Lbl (the marker) + LBody (the item's blocks, lists in it too).
    int label = -1;
    if (tagged_) {
      const int li = add_node("LI", list);
      label = add_node("Lbl", li);
      inner.parent = add_node("LBody", li);
      // An item of one paragraph: its text is the body's own.
      inner.direct = item.size() == 1 && (item[0].kind == doc::BlockKind::Para || item[0].kind == doc::BlockKind::Plain);
    }
    auto cs = flow(item, width - indent, inner);
    if (cs.empty()) {
      ++number;
      continue;
    }
    for (auto& c : cs) c.shift(indent, 0);
    // The marker sits on the first line's baseline, right-aligned in the indent.
    const std::string marker = ordered ? fmt::format("{}.", number) : "•";
    TextStyle s = body_style();
    if (!ordered) s.color = style_.accent;
    const double mw = natural_width(marker, s, fonts_);
    const std::string text_marker = marker;
    GlyphRun run;
    run.text = text_marker;
    run.font = s.font;
    run.size = s.size;
    run.color = s.color;
    run.width = mw;
    run.x = indent - 5 - mw;
    run.y = -cs.front().first_baseline;
    run.node = label;
    if (tagged_) {
      // Drawn first: the label comes before the item's text.
      cs.front().items.emplace(cs.front().items.begin(), std::move(run));
    } else {
      cs.front().items.emplace_back(std::move(run));
    }
    cs.front().space_before = out.empty() ? 0 : (tight ? 1.5 : style_.paragraph_space);
    for (auto& c : cs) out.push_back(std::move(c));
    ++number;
  }
  return out;
}

std::vector<Chunk> Flow::div_chunks(const doc::Block& b, double width, const Context& ctx, bool quote) {
  BoxDecoration deco;
  deco.left = 0;
  deco.right = width;
  deco.pad = quote ? 2 : kBoxPad;
  const std::string cls = b.classes.empty() ? "" : b.classes.front();
  if (quote) {
    deco.fill = false;
    deco.bar = true;
    deco.bar_color = style_.accent;
  } else {
    deco.fill = true;
    deco.fill_color = cls == "discussion" ? style_.box_discussion
                      : cls == "case"     ? style_.box_case
                      : cls == "note"     ? style_.box_note
                                          : Color{0.95, 0.95, 0.95};
    deco.bar = true;
    deco.bar_color = style_.accent;
  }
  boxes_.push_back(deco);
  Context inner = ctx;
  inner.box = static_cast<int>(boxes_.size()) - 1;
  inner.direct = false;
  // A box is a section with its title (/T, and its first content), a
  // block quote a BlockQuote.
  if (tagged_) inner.parent = add_node(quote ? "BlockQuote" : "Sect", ctx.parent);
  const double pad_x = quote ? 12 : kBoxPad + 4;
  std::vector<Chunk> cs;
  std::string title = b.title;
  if (title.empty() && !quote) {
    if (cls == "discussion") title = "Diskutera";
    else if (cls == "case") title = "Fall";
    else if (cls == "note") title = "Att komma ihåg";
  }
  if (!title.empty()) {
    TextStyle s;
    s.font = style_.heading.bold;
    s.style = fonts::Style::Bold;
    s.size = style_.body_size * 1.05;
    s.color = style_.accent;
    s.hyphenate = false;
    if (tagged_) {
      node(inner.parent).title = title;
      s.node = inner.parent;
    }
    std::vector<Piece> ps;
    std::string word;
    for (std::size_t i = 0; i <= title.size(); ++i) {
      if (i == title.size() || title[i] == ' ') {
        if (!word.empty()) ps.push_back({PieceKind::Text, word, s});
        if (i < title.size()) ps.push_back({PieceKind::Space, " ", s});
        word.clear();
      } else {
        word += title[i];
      }
    }
    auto lines = paragraph_chunks(ps, width - 2 * pad_x, LineAlign::Left, style_.leading, true, ctx.loc);
    for (auto& l : lines) l.box = inner.box;
    cs = std::move(lines);
  }
  auto body = flow(b.children, width - 2 * pad_x, inner);
  if (!cs.empty() && !body.empty()) {
    body.front().break_before = false;
    body.front().space_before = 2;
    if (body.size() > 1) body[1].break_before = false;
  }
  for (auto& c : body) cs.push_back(std::move(c));
  for (auto& c : cs) {
    c.shift(pad_x, 0);
    c.box = inner.box;
  }
  if (!cs.empty()) {
    // Padding inside the box, top and bottom.
    Chunk top;
    top.height = deco.pad;
    top.box = inner.box;
    Chunk bottom = top;
    cs.front().break_before = false;
    cs.insert(cs.begin(), std::move(top));
    bottom.break_before = false;
    cs.push_back(std::move(bottom));
    cs.front().space_before = style_.paragraph_space + 2;
  }
  return cs;
}

std::vector<Chunk> Flow::figure_chunks(const doc::Block& b, double width, const Context& ctx) {
  std::vector<Chunk> out;
  const std::string path = images_ ? images_(b.target, ctx.loc) : std::string();
  const auto size = path.empty() ? std::nullopt : image_size(path, file_store_);
  if (!size) return out;
  // Scaled to the text width, never larger than 150 dpi and never taller
  // than two thirds of a page.
  double w = std::min(width, size->width * 72.0 / 150.0);
  double h = w * size->height / size->width;
  const double max_h = 480;
  if (h > max_h) {
    w *= max_h / h;
    h = max_h;
  }
  Chunk c;
  c.height = h;
  c.items.emplace_back(Image{(width - w) / 2, -h, w, h, path});
  // A Figure says what the image shows: the Markdown alt text (else the
  // caption), else, as a last resort, the file's name (content::check_figures
  // warns about it).
  int figure = -1;
  if (tagged_) {
    figure = add_node("Figure", ctx.parent);
    node(figure).alt = b.alt.empty() ? doc::plain_text(b.inlines) : b.alt;
    if (node(figure).alt.empty()) node(figure).alt = std::filesystem::path(b.target).filename().string();
    std::get<Image>(c.items.back()).node = figure;
  }
  out.push_back(std::move(c));
  if (!b.inlines.empty()) {
    std::vector<Piece> ps;
    collect_pieces(b.inlines, style_.body_size * 0.9, style_.body, false, true, style_.text, false, "", ps, nullptr,
                   tagged_ ? add_node("Caption", figure) : -1);
    auto caption = paragraph_chunks(ps, width, LineAlign::Center, style_.leading * 0.9, true, ctx.loc);
    for (auto& l : caption) l.break_before = false;
    if (!caption.empty()) caption.front().space_before = 3;
    for (auto& l : caption) out.push_back(std::move(l));
  }
  return out;
}

// ------------------------------------------------------------------ API

namespace {

// Table rows carry a relative marker (-2 - offset from the header) until
// they are appended; this turns it into an absolute chunk index.
void fix_header_refs(std::vector<Chunk>& all, std::size_t from) {
  for (std::size_t i = from; i < all.size(); ++i) {
    if (all[i].repeat_header <= -2) {
      const std::size_t offset = static_cast<std::size_t>(-2 - all[i].repeat_header);
      all[i].repeat_header = static_cast<int>(i - offset);
    }
  }
}

}  // namespace

void Flow::add_chunk(Chunk c) {
  chunks_.push_back(std::move(c));
  fix_header_refs(chunks_, chunks_.size() - 1);
}

void Flow::add_blocks(const doc::Blocks& blocks, bool new_page) {
  const std::size_t from = chunks_.size();
  auto cs = flow(blocks, width_, Context{});
  if (!cs.empty() && new_page) cs.front().new_page = true;
  for (auto& c : cs) chunks_.push_back(std::move(c));
  fix_header_refs(chunks_, from);
}

void Flow::add_heading(int level, const std::string& title, bool new_page, bool outline) {
  const int l = std::clamp(level, 1, 3);
  const doc::Inlines ins = doc::words(title);
  std::vector<Piece> ps;
  collect_pieces(ins, style_.heading_sizes[l - 1], style_.heading, true, false, l == 1 ? style_.accent : style_.text,
                 false, "", ps, nullptr, tagged_ ? add_node("H" + std::to_string(heading_level(l))) : -1);
  auto cs = heading_chunks(l, ps, title, "", width_, outline, SourceLoc{});
  if (!cs.empty() && new_page) cs.front().new_page = true;
  for (auto& c : cs) chunks_.push_back(std::move(c));
}

void Flow::add_paragraph(const std::vector<Piece>& pieces, LineAlign align, double space_before) {
  // Pieces of no node, in a tagged flow: a paragraph of its own.
  if (tagged_ && std::all_of(pieces.begin(), pieces.end(), [](const Piece& p) { return p.style.node < 0; })) {
    std::vector<Piece> tagged = pieces;
    const int p = add_node("P");
    for (Piece& piece : tagged) piece.style.node = p;
    add_paragraph(tagged, align, space_before);
    return;
  }
  auto cs = paragraph_chunks(pieces, width_, align, style_.leading, false, SourceLoc{});
  if (!cs.empty()) cs.front().space_before = space_before;
  for (auto& c : cs) chunks_.push_back(std::move(c));
}

void Flow::add_space(double height) {
  Chunk c;
  c.space_before = height;
  chunks_.push_back(std::move(c));
}

void Flow::add_ruled_lines(double spacing, double area_height) {
  const int n = static_cast<int>(area_height / spacing);
  for (int i = 0; i < n; ++i) {
    Chunk c;
    c.height = spacing;
    c.items.emplace_back(Line{0, -spacing, width_, -spacing, 0.4, style_.rule, false});
    chunks_.push_back(std::move(c));
  }
}

// ------------------------------------------------------------------ images

std::optional<ImageSize> image_size(const std::string& path, files::FileStore* store) {
  const auto file = files::read_shared(store, path, files::kMaxInputBytes);
  const image::Probe p = image::probe(file->bytes);
  if (!p.ok()) return std::nullopt;
  return ImageSize{p.width, p.height};
}

}  // namespace cp::layout

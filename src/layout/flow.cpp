#include "layout/flow.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>

#include "core/image_probe.h"
#include "core/text.h"

namespace cp::layout {

namespace {

constexpr double kNoteSizeRatio = 0.82;
constexpr double kListIndent = 16;
constexpr double kBoxPad = 8;
constexpr double kCellPad = 4;

std::string superscript(int n) {
  static const char* digits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string s = std::to_string(n), out;
  for (char c : s) out += digits[c - '0'];
  return out;
}

void shift_item(Item& item, double dx, double dy) {
  std::visit(
      [&](auto& it) {
        using T = std::decay_t<decltype(it)>;
        if constexpr (std::is_same_v<T, Line>) {
          it.x1 += dx;
          it.x2 += dx;
          it.y1 += dy;
          it.y2 += dy;
        } else {
          it.x += dx;
          it.y += dy;
        }
      },
      item);
}

// Stacks chunks into one unbreakable chunk (table cells, list markers).
Chunk stack(const std::vector<Chunk>& parts) {
  Chunk out;
  double y = 0;
  bool first = true;
  for (const auto& c : parts) {
    if (!first) y += c.space_before;
    if (first) out.first_baseline = c.first_baseline;
    for (auto item : c.items) {
      shift_item(item, 0, -y);
      out.items.push_back(std::move(item));
    }
    for (const auto& n : c.notes) out.notes.push_back(n);
    y += c.height;
    first = false;
  }
  out.height = y;
  return out;
}

}  // namespace

fonts::FontId FamilyFonts::pick(bool b, bool i) const {
  if (b && i) return bold_italic;
  if (b) return bold;
  if (i) return italic;
  return regular;
}

void Chunk::shift(double dx, double dy) {
  for (auto& item : items) shift_item(item, dx, dy);
}

struct Flow::Context {
  int box = -1;
  SourceLoc loc;
  bool tight = false;
};

Flow::Flow(FlowStyle style, fonts::FontSet& fonts, const Hyphenator* hyphenator, Diagnostics* diags,
           ImageResolver images)
    : style_(style), fonts_(fonts), hyphenator_(hyphenator), diags_(diags), images_(std::move(images)) {}

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

// ------------------------------------------------------------------ inlines

void Flow::collect_pieces(const doc::Inlines& inlines, double size, const FamilyFonts& family, bool bold,
                          bool italic, const Color& color, bool hyphenate, const std::string& link,
                          std::vector<Piece>& out, std::vector<const doc::Inline*>* notes) {
  auto style_for = [&](const FamilyFonts& fam, bool b, bool i) {
    TextStyle s;
    s.font = fam.pick(b, i);
    s.style = b ? (i ? fonts::Style::BoldItalic : fonts::Style::Bold) : (i ? fonts::Style::Italic : fonts::Style::Regular);
    s.size = size;
    s.color = link.empty() ? color : style_.accent;
    s.link = link;
    s.hyphenate = hyphenate && link.empty();
    s.underline = !link.empty();
    return s;
  };
  for (const auto& in : inlines) {
    switch (in.kind) {
      case doc::InlineKind::Text:
        out.push_back({PieceKind::Text, in.text, style_for(family, bold, italic)});
        break;
      case doc::InlineKind::Space:
      case doc::InlineKind::SoftBreak:
        out.push_back({PieceKind::Space, " ", style_for(family, bold, italic)});
        break;
      case doc::InlineKind::NbSpace:
        out.push_back({PieceKind::NbSpace, "\u00A0", style_for(family, bold, italic)});
        break;
      case doc::InlineKind::LineBreak:
        out.push_back({PieceKind::LineBreak, "", style_for(family, bold, italic)});
        break;
      case doc::InlineKind::Emph:
        collect_pieces(in.children, size, family, bold, !italic, color, hyphenate, link, out, notes);
        break;
      case doc::InlineKind::Strong:
        collect_pieces(in.children, size, family, true, italic, color, hyphenate, link, out, notes);
        break;
      case doc::InlineKind::Code: {
        // Code keeps its spaces as unbreakable; never hyphenated.
        TextStyle s = style_for(style_.mono, bold, false);
        s.size = size * 0.92;
        s.hyphenate = false;
        std::string word;
        for (char c : in.text) {
          if (c == ' ') {
            if (!word.empty()) out.push_back({PieceKind::Text, word, s});
            out.push_back({PieceKind::NbSpace, "\u00A0", s});
            word.clear();
          } else {
            word += c;
          }
        }
        if (!word.empty()) out.push_back({PieceKind::Text, word, s});
        break;
      }
      case doc::InlineKind::Link:
        collect_pieces(in.children, size, family, bold, italic, color, false, in.target, out, notes);
        break;
      case doc::InlineKind::Note: {
        if (!notes) break;  // notes inside notes are not numbered again
        notes->push_back(&in);
        TextStyle s = style_for(family, false, false);
        s.color = style_.accent;
        s.hyphenate = false;
        out.push_back({PieceKind::Text, superscript(note_counter_ + static_cast<int>(notes->size())), s});
        break;
      }
    }
  }
}

std::vector<Piece> Flow::pieces(const doc::Inlines& inlines, double size, const FamilyFonts& family, bool bold,
                                bool italic, const Color* color, bool hyphenate) {
  std::vector<Piece> out;
  collect_pieces(inlines, size, family, bold, italic, color ? *color : style_.text, hyphenate && style_.hyphenate,
                 "", out, nullptr);
  return out;
}

// ------------------------------------------------------------------ paragraphs

std::vector<Chunk> Flow::paragraph_chunks(const std::vector<Piece>& pieces, double width, LineAlign align,
                                          double leading, bool keep_lines, const SourceLoc& where) {
  std::vector<Chunk> out;
  if (pieces.empty()) return out;
  ParagraphSpec spec;
  spec.width = [width](std::size_t) { return width; };
  spec.align = align;
  spec.hyphenate = style_.hyphenate;
  const auto lines = cache_ ? cache_->lines(pieces, width, spec, fonts_, hyphenator_, where, diags_)
                            : set_paragraph(pieces, spec, fonts_, hyphenator_, where, diags_);
  const std::size_t n = lines.size();
  for (std::size_t i = 0; i < n; ++i) {
    const SetLine& line = lines[i];
    Chunk c;
    const double content = line.ascent + line.descent;
    const double h = std::max(leading, content);
    const double baseline = (h - content) / 2 + line.ascent;
    c.height = h;
    c.first_baseline = baseline;
    // A page may break before a paragraph. Inside it, orphans and widows:
    // the first two and the last two lines stay together, so a page never
    // holds a single line of a paragraph.
    c.break_before = i == 0 || (!keep_lines && i >= 2 && i + 1 < n);
    double dx = 0;
    if (align == LineAlign::Center) dx = (width - line.width) / 2;
    if (align == LineAlign::Right) dx = width - line.width;
    for (const auto& run : line.runs) {
      GlyphRun r = run;
      r.x += dx;
      r.y = -baseline;
      c.items.emplace_back(std::move(r));
    }
    for (const auto& l : line.links) {
      Link k = l;
      k.x += dx;
      k.y += -baseline;
      c.items.emplace_back(std::move(k));
    }
    for (const auto& u : line.underlines) {
      Item rule = u;
      shift_item(rule, dx, -baseline);
      c.items.push_back(std::move(rule));
    }
    out.push_back(std::move(c));
  }
  return out;
}

void Flow::attach_notes(std::vector<Chunk>& lines, const std::vector<const doc::Inline*>& notes, double width,
                        const Context& ctx) {
  // Each note goes with the line that holds its marker.
  for (std::size_t k = 0; k < notes.size(); ++k) {
    const int number = note_counter_ + static_cast<int>(k) + 1;
    const std::string marker = superscript(number);
    Chunk* holder = lines.empty() ? nullptr : &lines.back();
    for (auto& line : lines) {
      for (const auto& item : line.items)
        if (const auto* run = std::get_if<GlyphRun>(&item); run && run->text == marker && run->color == style_.accent)
          holder = &line;
    }
    if (!holder) continue;
    const double size = style_.body_size * kNoteSizeRatio;
    std::vector<Piece> ps;
    ps.push_back({PieceKind::Text, marker, body_style()});
    ps.back().style.size = size;
    ps.back().style.color = style_.accent;
    ps.push_back({PieceKind::NbSpace, "\u00A0", body_style()});
    ps.back().style.size = size;
    const auto& blocks = notes[k]->note;
    if (blocks) {
      bool first = true;
      for (const auto& b : *blocks) {
        if (!first) ps.push_back({PieceKind::LineBreak, "", body_style()});
        collect_pieces(b.inlines, size, style_.body, false, false, style_.text, style_.hyphenate, "", ps, nullptr);
        first = false;
      }
    }
    auto note_lines = paragraph_chunks(ps, width, LineAlign::Left, style_.leading * kNoteSizeRatio, true, ctx.loc);
    Chunk note = stack(note_lines);
    note.space_before = 2;
    holder->notes.push_back(std::move(note));
  }
  note_counter_ += static_cast<int>(notes.size());
}

std::vector<Chunk> Flow::heading_chunks(int level, const std::vector<Piece>& pieces, const std::string& title,
                                        const std::string& anchor, double width, bool outline,
                                        const SourceLoc& where) {
  const int l = std::clamp(level, 1, 3);
  const double size = style_.heading_sizes[l - 1];
  auto lines = paragraph_chunks(pieces, width, LineAlign::Left, size * 1.25, true, where);
  if (lines.empty()) return lines;
  lines.front().space_before = l == 1 ? size * 0.4 : size * 1.1;
  if (outline) lines.front().mark = Bookmark{l - 1, title, 0, 0};
  lines.front().anchor = anchor;
  for (std::size_t i = 1; i < lines.size(); ++i) lines[i].break_before = false;
  // Space after the heading travels with it.
  lines.back().height += l == 1 ? size * 0.6 : size * 0.35;
  return lines;
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
                     &notes);
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
                     l == 1 ? style_.accent : style_.text, false, "", ps, nullptr);
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
  int number = b.start;
  for (const auto& item : b.items) {
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
    cs.front().items.emplace_back(std::move(run));
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
  const auto size = path.empty() ? std::nullopt : image_size(path);
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
  out.push_back(std::move(c));
  if (!b.inlines.empty()) {
    std::vector<Piece> ps;
    collect_pieces(b.inlines, style_.body_size * 0.9, style_.body, false, true, style_.text, false, "", ps, nullptr);
    auto caption = paragraph_chunks(ps, width, LineAlign::Center, style_.leading * 0.9, true, ctx.loc);
    for (auto& l : caption) l.break_before = false;
    if (!caption.empty()) caption.front().space_before = 3;
    for (auto& l : caption) out.push_back(std::move(l));
  }
  return out;
}

std::vector<Chunk> Flow::table_chunks(const doc::Block& b, double width, const Context& ctx) {
  std::vector<Chunk> out;
  if (!b.table) return out;
  const doc::Table& t = *b.table;
  std::size_t ncols = t.header.size();
  for (const auto& r : t.rows) ncols = std::max(ncols, r.size());
  if (ncols == 0) return out;
  const double size = style_.body_size * 0.92;

  // Column widths from content: each column gets at least its longest word
  // and, when there is room, its natural single-line width; extra width is
  // shared in proportion to the natural widths.
  std::vector<double> min_w(ncols, 20), max_w(ncols, 20);
  auto measure_cell = [&](const doc::TableCell& cell, std::size_t col, bool bold) {
    for (const auto& blk : cell.blocks) {
      std::vector<Piece> ps;
      collect_pieces(blk.inlines, size, style_.body, bold, false, style_.text, false, "", ps, nullptr);
      double line = 0, word = 0;
      for (const auto& p : ps) {
        if (p.kind == PieceKind::Text || p.kind == PieceKind::NbSpace) {
          const double w = natural_width(p.text, p.style, fonts_);
          word += w;
          line += w;
        } else {
          min_w[col] = std::max(min_w[col], word + 2 * kCellPad);
          word = 0;
          line += natural_width(" ", p.style, fonts_);
        }
      }
      min_w[col] = std::max(min_w[col], std::min(word + 2 * kCellPad, width / 2));
      max_w[col] = std::max(max_w[col], line + 2 * kCellPad + 1);
    }
  };
  for (std::size_t c = 0; c < t.header.size(); ++c) measure_cell(t.header[c], c, true);
  for (const auto& r : t.rows)
    for (std::size_t c = 0; c < r.size(); ++c) measure_cell(r[c], c, false);
  std::vector<double> widths(ncols);
  const double sum_max = std::accumulate(max_w.begin(), max_w.end(), 0.0);
  const double sum_min = std::accumulate(min_w.begin(), min_w.end(), 0.0);
  if (sum_max <= width) {
    for (std::size_t c = 0; c < ncols; ++c) widths[c] = max_w[c] + (width - sum_max) * max_w[c] / sum_max;
  } else if (sum_min >= width) {
    for (std::size_t c = 0; c < ncols; ++c) widths[c] = width * min_w[c] / sum_min;
  } else {
    const double ratio = (width - sum_min) / (sum_max - sum_min);
    for (std::size_t c = 0; c < ncols; ++c) widths[c] = min_w[c] + (max_w[c] - min_w[c]) * ratio;
  }

  auto row_chunk = [&](const std::vector<doc::TableCell>& cells, bool header) {
    Chunk row;
    double x = 0, height = 0;
    std::vector<Chunk> cell_chunks;
    for (std::size_t c = 0; c < ncols; ++c) {
      Chunk cell;
      if (c < cells.size()) {
        std::vector<Chunk> parts;
        for (const auto& blk : cells[c].blocks) {
          std::vector<Piece> ps;
          // Cells hold names and short phrases: columns are at least as
          // wide as their longest word, so words are never hyphenated.
          collect_pieces(blk.inlines, size, style_.body, header, false, header ? style_.accent : style_.text, false,
                         "", ps, nullptr);
          auto lines = paragraph_chunks(ps, widths[c] - 2 * kCellPad, LineAlign::Left, style_.leading * 0.92, true,
                                        ctx.loc);
          for (auto& l : lines) parts.push_back(std::move(l));
        }
        cell = stack(parts);
      }
      cell.shift(x + kCellPad, -kCellPad);
      height = std::max(height, cell.height + 2 * kCellPad);
      x += widths[c];
      cell_chunks.push_back(std::move(cell));
    }
    row.height = height;
    if (header) row.items.emplace_back(Rect{0, -height, width, height, true, Color{0.92, 0.94, 0.97}, false, {}, 0.5});
    for (auto& cc : cell_chunks)
      for (auto& item : cc.items) row.items.push_back(std::move(item));
    row.items.emplace_back(Line{0, -height, width, -height, header ? 0.8 : 0.4, style_.rule, false});
    return row;
  };

  int header_index = -1;
  if (!t.header.empty()) {
    Chunk h = row_chunk(t.header, true);
    h.space_before = style_.paragraph_space + 2;
    // The header also has a rule on top.
    h.items.emplace_back(Line{0, 0, width, 0, 0.8, style_.rule, false});
    out.push_back(std::move(h));
    header_index = 0;
  }
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    Chunk c = row_chunk(t.rows[r], false);
    if (header_index >= 0 && r == 0) c.break_before = false;
    out.push_back(std::move(c));
  }
  // Indexes are fixed up when the chunks are appended to the flow.
  if (header_index >= 0)
    for (std::size_t i = 1; i < out.size(); ++i) out[i].repeat_header = -2 - static_cast<int>(i);
  if (!t.caption.empty()) {
    std::vector<Piece> ps;
    collect_pieces(t.caption, size, style_.body, false, true, style_.text, false, "", ps, nullptr);
    auto cap = paragraph_chunks(ps, width, LineAlign::Left, style_.leading, true, ctx.loc);
    if (!cap.empty()) {
      cap.front().break_before = false;
      cap.front().space_before = 3;
    }
    for (auto& c : cap) out.push_back(std::move(c));
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
                 false, "", ps, nullptr);
  auto cs = heading_chunks(l, ps, title, "", width_, outline, SourceLoc{});
  if (!cs.empty() && new_page) cs.front().new_page = true;
  for (auto& c : cs) chunks_.push_back(std::move(c));
}

void Flow::add_paragraph(const std::vector<Piece>& pieces, LineAlign align, double space_before) {
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

// ------------------------------------------------------------------ pages

Flowed Flow::paginate(const TextArea& area, double page_width, double page_height) const {
  struct Placed {
    std::size_t chunk;
    double top;  // distance from the area's top to the chunk's top
    bool repeated_header = false;
  };
  struct PageState {
    std::vector<Placed> placed;
    double used = 0;
    double notes = 0;
  };

  const auto notes_height = [](const Chunk& c) {
    double h = 0;
    for (const auto& n : c.notes) h += n.height + n.space_before;
    return h;
  };
  constexpr double kNoteRule = 8;  // space for the rule above the notes

  std::vector<PageState> pages;
  PageState cur;
  std::size_t page_start = 0;  // index of the first chunk (not repeated) on the current page
  std::size_t i = 0;

  auto place = [&](std::size_t idx, bool repeated) {
    const Chunk& c = chunks_[idx];
    const double sb = cur.placed.empty() ? 0 : c.space_before;
    cur.placed.push_back({idx, cur.used + sb, repeated});
    cur.used += sb + c.height;
    if (!repeated) {
      const double nh = notes_height(c);
      if (nh > 0) cur.notes += nh + (cur.notes == 0 ? kNoteRule : 0);
    }
  };
  auto fits = [&](std::size_t idx) {
    const Chunk& c = chunks_[idx];
    const double sb = cur.placed.empty() ? 0 : c.space_before;
    const double nh = notes_height(c);
    const double extra_notes = nh > 0 ? nh + (cur.notes == 0 ? kNoteRule : 0) : 0;
    return cur.used + sb + c.height + cur.notes + extra_notes <= area.height + 0.01;
  };
  auto finish = [&]() {
    pages.push_back(std::move(cur));
    cur = PageState{};
  };
  auto start_page_with = [&](std::size_t idx) {
    page_start = idx;
    const Chunk& c = chunks_[idx];
    if (c.repeat_header >= 0 && static_cast<std::size_t>(c.repeat_header) != idx)
      place(static_cast<std::size_t>(c.repeat_header), true);
  };

  while (i < chunks_.size()) {
    const Chunk& c = chunks_[i];
    if (c.new_page && !cur.placed.empty()) {
      finish();
      start_page_with(i);
    }
    if (cur.placed.empty()) start_page_with(i);
    if (fits(i) || cur.placed.empty() || (cur.placed.size() == 1 && cur.placed[0].repeated_header)) {
      // A chunk taller than a whole page is placed anyway (images are scaled
      // to fit, so this is only ever an extreme table cell).
      if (c.height == 0 && cur.placed.empty() && !c.new_page) {
        ++i;  // pure space at a page top is dropped
        continue;
      }
      place(i, false);
      ++i;
      continue;
    }
    // Find the last chunk on this page before which a break is allowed.
    std::size_t brk = i;
    while (brk > page_start && !chunks_[brk].break_before && !chunks_[brk].new_page) --brk;
    if (brk == page_start) brk = i;  // nothing allowed: break here after all
    // Take back the chunks from brk on.
    while (!cur.placed.empty() && !cur.placed.back().repeated_header && cur.placed.back().chunk >= brk)
      cur.placed.pop_back();
    // Recompute the page's totals.
    PageState rebuilt;
    std::swap(rebuilt, cur);
    for (const auto& p : rebuilt.placed) place(p.chunk, p.repeated_header);
    finish();
    i = brk;
    start_page_with(i);
  }
  if (!cur.placed.empty()) finish();

  Flowed result;
  for (std::size_t p = 0; p < pages.size(); ++p) {
    Page page;
    page.width = page_width;
    page.height = page_height;
    const auto& st = pages[p];
    // Box decorations behind runs of chunks in the same box.
    for (std::size_t k = 0; k < st.placed.size();) {
      const int box = chunks_[st.placed[k].chunk].box;
      std::size_t e = k;
      while (e + 1 < st.placed.size() && chunks_[st.placed[e + 1].chunk].box == box && box >= 0) ++e;
      if (box >= 0) {
        const auto& deco = boxes_[static_cast<std::size_t>(box)];
        const double top = area.top() - st.placed[k].top;
        const double bottom = area.top() - st.placed[e].top - chunks_[st.placed[e].chunk].height;
        if (deco.fill)
          page.items.emplace_back(
              Rect{area.left + deco.left, bottom, deco.right - deco.left, top - bottom, true, deco.fill_color, false, {}, 0});
        if (deco.bar)
          page.items.emplace_back(Rect{area.left + deco.left, bottom, 2.5, top - bottom, true, deco.bar_color, false, {}, 0});
      }
      k = e + 1;
    }
    for (const auto& pl : st.placed) {
      const Chunk& c = chunks_[pl.chunk];
      const double y = area.top() - pl.top;
      for (auto item : c.items) {
        shift_item(item, area.left, y);
        page.items.push_back(std::move(item));
      }
      if (c.mark && !pl.repeated_header)
        result.headings.push_back({c.mark->level + 1, c.mark->title, c.anchor, static_cast<int>(p), y});
    }
    // Footnotes at the foot of the page, under a short rule.
    double y = area.bottom + st.notes;
    if (st.notes > 0) {
      page.items.emplace_back(Line{area.left, y - 3, area.left + 100, y - 3, 0.5, style_.rule, false});
      y -= kNoteRule;
      for (const auto& pl : st.placed) {
        if (pl.repeated_header) continue;
        for (const auto& n : chunks_[pl.chunk].notes) {
          y -= n.space_before;
          for (auto item : n.items) {
            shift_item(item, area.left, y);
            page.items.push_back(std::move(item));
          }
          y -= n.height;
        }
      }
    }
    result.pages.push_back(std::move(page));
  }
  return result;
}

// ------------------------------------------------------------------ images

std::optional<ImageSize> image_size(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string head(64 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  const image::Probe p = image::probe(head);
  if (!p.ok()) return std::nullopt;
  return ImageSize{p.width, p.height};
}

}  // namespace cp::layout

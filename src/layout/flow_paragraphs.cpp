// Paragraphs, footnotes and headings set into line chunks.
#include "layout/flow.h"

#include <algorithm>

#include "layout/flow_internal.h"

namespace cp::layout {

std::vector<Chunk> Flow::paragraph_chunks(const std::vector<Piece>& pieces, double width, LineAlign align,
                                          double leading, bool keep_lines, const SourceLoc& where) {
  std::vector<Chunk> out;
  if (pieces.empty()) return out;
  ParagraphSpec spec;
  spec.width = [width](std::size_t) { return width; };
  spec.align = align;
  spec.hyphenate = style_.hyphenate;
  // Structure nodes as the setter sees them: numbered by first use in the
  // paragraph, so that the same paragraph in another document (with other
  // node numbers) is set once by the cache; mapped back below.
  std::vector<int> nodes;
  std::vector<Piece> local;
  const std::vector<Piece>* input = &pieces;
  if (std::any_of(pieces.begin(), pieces.end(), [](const Piece& p) { return p.style.node >= 0; })) {
    local = pieces;
    for (Piece& p : local) {
      if (p.style.node < 0) continue;
      const auto at = static_cast<std::size_t>(std::find(nodes.begin(), nodes.end(), p.style.node) - nodes.begin());
      if (at == nodes.size()) nodes.push_back(p.style.node);
      p.style.node = static_cast<int>(at);
    }
    input = &local;
  }
  const auto node_of = [&nodes](int local_node) {
    return local_node >= 0 ? nodes[static_cast<std::size_t>(local_node)] : -1;
  };
  const auto lines = cache_ ? cache_->lines(*input, width, spec, fonts_, hyphenator_, where, diags_)
                            : set_paragraph(*input, spec, fonts_, hyphenator_, where, diags_);
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
      r.node = node_of(r.node);
      c.items.emplace_back(std::move(r));
    }
    for (const auto& l : line.links) {
      Link k = l;
      k.x += dx;
      k.y += -baseline;
      k.node = node_of(k.node);
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
    // The note's text: a paragraph of its Note element.
    int text_node = -1;
    if (const auto it = note_nodes_.find(notes[k]); it != note_nodes_.end()) text_node = add_node("P", it->second);
    std::vector<Piece> ps;
    ps.push_back({PieceKind::Text, marker, body_style()});
    ps.back().style.size = size;
    ps.back().style.color = style_.accent;
    ps.push_back({PieceKind::NbSpace, "\u00A0", body_style()});
    ps.back().style.size = size;
    for (Piece& p : ps) p.style.node = text_node;
    const auto& blocks = notes[k]->note;
    if (blocks) {
      bool first = true;
      for (const auto& b : *blocks) {
        if (!first) ps.push_back({PieceKind::LineBreak, "", body_style()});
        collect_pieces(b.inlines, size, style_.body, false, false, style_.text, style_.hyphenate, "", ps, nullptr,
                       text_node);
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

}  // namespace cp::layout

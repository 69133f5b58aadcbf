// Inlines of the document tree → text pieces in the flow's styles (links,
// footnote markers, code).
#include "layout/flow.h"

#include "layout/flow_internal.h"

namespace cp::layout {

void Flow::collect_pieces(const doc::Inlines& inlines, double size, const FamilyFonts& family, bool bold,
                          bool italic, const Color& color, bool hyphenate, const std::string& link,
                          std::vector<Piece>& out, std::vector<const doc::Inline*>* notes, int node) {
  auto style_for = [&](const FamilyFonts& fam, bool b, bool i) {
    TextStyle s;
    s.font = fam.pick(b, i);
    s.style = b ? (i ? fonts::Style::BoldItalic : fonts::Style::Bold) : (i ? fonts::Style::Italic : fonts::Style::Regular);
    s.size = size;
    s.color = link.empty() ? color : style_.accent;
    s.link = link;
    s.hyphenate = hyphenate && link.empty();
    s.underline = !link.empty();
    s.node = node;
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
        collect_pieces(in.children, size, family, bold, !italic, color, hyphenate, link, out, notes, node);
        break;
      case doc::InlineKind::Strong:
        collect_pieces(in.children, size, family, true, italic, color, hyphenate, link, out, notes, node);
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
        collect_pieces(in.children, size, family, bold, italic, color, false, in.target, out, notes,
                       node >= 0 ? add_node("Link", node) : -1);
        break;
      case doc::InlineKind::Note: {
        if (!notes) break;  // notes inside notes are not numbered again
        notes->push_back(&in);
        TextStyle s = style_for(family, false, false);
        if (node >= 0) {
          // The note stands where it is referred to: its marker is the
          // note's first content, its text (at the page foot) the rest.
          const int number = note_counter_ + static_cast<int>(notes->size());
          s.node = add_node("Note", node);
          structure_[static_cast<std::size_t>(s.node)].id = "fn" + std::to_string(number);
          note_nodes_[&in] = s.node;
        }
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

}  // namespace cp::layout

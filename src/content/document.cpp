#include "content/document.h"

namespace cp::doc {

namespace {

void append_plain(const Inlines& inlines, std::string& out) {
  for (const auto& in : inlines) {
    switch (in.kind) {
      case InlineKind::Text:
      case InlineKind::Code:
        out += in.text;
        break;
      case InlineKind::Space:
      case InlineKind::SoftBreak:
      case InlineKind::LineBreak:
        out += ' ';
        break;
      case InlineKind::NbSpace:
        out += "\u00A0";
        break;
      case InlineKind::Emph:
      case InlineKind::Strong:
      case InlineKind::Link:
        append_plain(in.children, out);
        break;
      case InlineKind::Note:
        break;  // a footnote is not part of the running text
    }
  }
}

}  // namespace

std::string plain_text(const Inlines& inlines) {
  std::string out;
  append_plain(inlines, out);
  return out;
}

Inlines words(std::string_view text) {
  Inlines out;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) out.push_back({InlineKind::Text, word, {}, {}, nullptr});
    word.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ' ') {
      flush();
      out.push_back({InlineKind::Space, "", {}, {}, nullptr});
    } else if (text.substr(i, 2) == "\u00A0") {
      flush();
      out.push_back({InlineKind::NbSpace, "", {}, {}, nullptr});
      ++i;
    } else {
      word += text[i];
    }
  }
  flush();
  return out;
}

}  // namespace cp::doc

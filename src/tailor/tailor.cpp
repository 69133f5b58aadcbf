#include "tailor/tailor.h"

#include <memory>
#include <utility>

#include "core/text.h"

namespace cp::tailor {

namespace {

using doc::Inline;
using doc::InlineKind;

constexpr std::string_view kNbsp = "\u00A0";

bool in_word_run(InlineKind k) {
  return k == InlineKind::Text || k == InlineKind::Space || k == InlineKind::NbSpace || k == InlineKind::SoftBreak;
}

std::string normalised(std::string s) {
  if (!text::is_valid_utf8(s)) s = text::encode_utf8(text::decode_utf8(s));
  return text::to_nfc(s);
}

Inline of_kind(InlineKind k) {
  Inline in;
  in.kind = k;
  return in;
}

// Text after filling → inlines, the way Pandoc would have read it: words,
// spaces (collapsed), no-break spaces, and line ends as soft breaks.
void tokenize(std::string_view s, doc::Inlines& out) {
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    Inline t;
    t.kind = InlineKind::Text;
    t.text = normalised(std::move(word));
    out.push_back(std::move(t));
    word.clear();
  };
  auto space = [&](InlineKind k) {
    flush();
    if (!out.empty() && (out.back().kind == InlineKind::Space || out.back().kind == InlineKind::SoftBreak)) {
      if (k == InlineKind::SoftBreak) out.back().kind = k;
      return;
    }
    out.push_back(of_kind(k));
  };
  for (std::size_t i = 0; i < s.size();) {
    if (s.substr(i).starts_with(kNbsp)) {
      flush();
      out.push_back(of_kind(InlineKind::NbSpace));
      i += kNbsp.size();
    } else if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r') {
      space(InlineKind::Space);
      ++i;
    } else if (s[i] == '\n') {
      space(InlineKind::SoftBreak);
      ++i;
    } else {
      word += s[i++];
    }
  }
  flush();
}

doc::Blocks blocks_of(const doc::Blocks& blocks, const model::PlaceholderContext& ctx);

Inline inline_of(const Inline& in, const model::PlaceholderContext& ctx) {
  Inline out;
  out.kind = in.kind;
  switch (in.kind) {
    case InlineKind::Code:
      out.text = fill(in.text, ctx);
      break;
    case InlineKind::Link:
      out.target = fill(in.target, ctx);
      out.children = tailor(in.children, ctx);
      break;
    case InlineKind::Emph:
    case InlineKind::Strong:
      out.children = tailor(in.children, ctx);
      break;
    case InlineKind::Note:
      // A new note: the module's tree is shared by every visit.
      if (in.note) out.note = std::make_shared<doc::Blocks>(blocks_of(*in.note, ctx));
      break;
    default:
      out = in;
      break;
  }
  return out;
}

doc::Block block_of(const doc::Block& b, const model::PlaceholderContext& ctx) {
  doc::Block out;
  out.kind = b.kind;
  out.level = b.level;
  out.start = b.start;
  out.id = b.id;
  out.classes = b.classes;
  out.loc = b.loc;
  out.inlines = tailor(b.inlines, ctx);
  out.children = blocks_of(b.children, ctx);
  out.items.reserve(b.items.size());
  for (const auto& item : b.items) out.items.push_back(blocks_of(item, ctx));
  out.title = b.title.empty() ? std::string() : fill(b.title, ctx);
  out.target = b.target.empty() ? std::string() : fill(b.target, ctx);
  out.text = b.text.empty() ? std::string() : fill(b.text, ctx);
  if (b.table) {
    auto t = std::make_shared<doc::Table>();
    t->aligns = b.table->aligns;
    t->widths = b.table->widths;
    t->caption = tailor(b.table->caption, ctx);
    for (const auto& cell : b.table->header) t->header.push_back({blocks_of(cell.blocks, ctx)});
    for (const auto& row : b.table->rows) {
      std::vector<doc::TableCell> r;
      r.reserve(row.size());
      for (const auto& cell : row) r.push_back({blocks_of(cell.blocks, ctx)});
      t->rows.push_back(std::move(r));
    }
    out.table = std::move(t);
  }
  return out;
}

doc::Blocks blocks_of(const doc::Blocks& blocks, const model::PlaceholderContext& ctx) {
  doc::Blocks out;
  out.reserve(blocks.size());
  for (const auto& b : blocks) out.push_back(block_of(b, ctx));
  return out;
}

}  // namespace

doc::Inlines tailor(const doc::Inlines& inlines, const model::PlaceholderContext& ctx) {
  doc::Inlines out;
  out.reserve(inlines.size());
  std::size_t i = 0;
  while (i < inlines.size()) {
    if (!in_word_run(inlines[i].kind)) {
      out.push_back(inline_of(inlines[i], ctx));
      ++i;
      continue;
    }
    // A run of words and spaces: placeholders may span several of them.
    std::size_t j = i;
    std::string run;
    while (j < inlines.size() && in_word_run(inlines[j].kind)) {
      switch (inlines[j].kind) {
        case InlineKind::Text:
          run += inlines[j].text;
          break;
        case InlineKind::Space:
          run += ' ';
          break;
        case InlineKind::NbSpace:
          run += kNbsp;
          break;
        default:
          run += '\n';
          break;
      }
      ++j;
    }
    std::string filled = run.find("{{") == std::string::npos ? run : fill(run, ctx);
    if (filled == run) {
      out.insert(out.end(), inlines.begin() + static_cast<std::ptrdiff_t>(i),
                 inlines.begin() + static_cast<std::ptrdiff_t>(j));
    } else {
      tokenize(filled, out);
    }
    i = j;
  }
  return out;
}

doc::Blocks tailor(const doc::Blocks& blocks, const model::PlaceholderContext& ctx) { return blocks_of(blocks, ctx); }

doc::Module tailor(const doc::Module& module, const model::PlaceholderContext& ctx) {
  doc::Module out;
  out.path = module.path;
  out.title = fill(module.title, ctx);
  out.blocks = blocks_of(module.blocks, ctx);
  return out;
}

std::string fill(std::string_view text, const model::PlaceholderContext& ctx) {
  if (text.find("{{") == std::string_view::npos) return std::string(text);
  return model::fill_placeholders(text, ctx);
}

}  // namespace cp::tailor

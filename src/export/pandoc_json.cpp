#include "export/pandoc_json.h"

namespace cp::html {

namespace {

// A small style sheet: readable on a phone, boxes for the fenced divs.
// A small style sheet: readable on a phone, boxes for the fenced divs.
constexpr const char* kStyle = R"(<style>
body { max-width: 42em; margin: 0 auto; padding: 1em; font-family: "Noto Sans", system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; }
h1, h2, h3 { color: #00528c; line-height: 1.25; }
.subtitle { font-size: 1.1em; color: #333; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border-bottom: 1px solid #bbb; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
.discussion, .note, .case { padding: 0.2em 1em; margin: 1em 0; border-radius: 4px; }
.discussion { background: #e6f2fc; } .note { background: #fff7e0; } .case { background: #edf7eb; }
.box-title { font-weight: bold; }
img { max-width: 100%; height: auto; }
a { color: #00528c; }
</style>)";


// Pandoc's JSON AST written straight into text: a page's tree is written
// for every pack, and building a JSON object tree first cost more than
// the writing itself.

// Whether no whitespace meets whitespace at the edge of a word, a space or
// a break (see Writer::inlines).
bool plain_words(const doc::Inlines& ins) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  bool after_space = false;
  for (const auto& i : ins) {
    const bool space = i.kind == doc::InlineKind::Space || i.kind == doc::InlineKind::SoftBreak;
    if (space && after_space) return false;
    if (i.kind == doc::InlineKind::Text && (i.text.empty() || blank(i.text.front()) || blank(i.text.back())))
      return false;
    after_space = space;
  }
  return true;
}

class Writer {
 public:
  explicit Writer(const HtmlMeta& meta) : meta_(meta) {}

  // Words, spaces and non-breaking spaces in a row are one Str: Pandoc
  // writes them as it writes a Str per word with Space between, and its
  // JSON reader, the larger part of its time, then reads about a third of
  // the text. Only where whitespace meets whitespace at a token's edge
  // (two spaces in a row, a word starting or ending with one, an empty
  // word) does Pandoc's standalone page differ between the two, so such
  // inlines are written token by token as the Markdown reader gives them.
  void inlines(const doc::Inlines& ins, std::string& o) {
    o += '[';
    if (!plain_words(ins)) {
      for (std::size_t k = 0; k < ins.size(); ++k) {
        if (k) o += ',';
        inline_(ins[k], o);
      }
      o += ']';
      return;
    }
    bool first = true;
    std::string words;
    auto flush = [&] {
      if (words.empty()) return;
      if (!first) o += ',';
      first = false;
      open(o, "Str");
      put_string(o, words);
      o += '}';
      words.clear();
    };
    for (const auto& i : ins) {
      switch (i.kind) {
        case doc::InlineKind::Text: words += i.text; break;
        case doc::InlineKind::Space: words += ' '; break;
        case doc::InlineKind::NbSpace: words += "\u00A0"; break;
        default:
          flush();
          if (!first) o += ',';
          first = false;
          inline_(i, o);
      }
    }
    flush();
    o += ']';
  }

  // The blocks, each as its own JSON text (a block the page leaves out,
  // such as a figure without image or caption, gives none).
  std::vector<std::string> block_list(const doc::Blocks& bs) {
    std::vector<std::string> out;
    for (const auto& b : bs) {
      std::string one;
      if (block(b, one)) out.push_back(std::move(one));
    }
    return out;
  }

  // The page's footnotes as one block for its end (empty when it has none).
  // Notes are written out here rather than left to Pandoc, so that every
  // top-level block stands on its own: a block converted alone gives the
  // HTML it has in the whole page (see HtmlPages).
  std::string endnotes() const {
    if (notes_.empty()) return {};
    std::string o;
    open(o, "Div");
    o += '[';
    put_attr(o, {}, {"footnotes"}, {{"role", "doc-endnotes"}});
    o += ",[";
    leaf(o, "HorizontalRule");
    o += ',';
    open(o, "OrderedList");
    o += "[[1,";
    leaf(o, "Decimal");
    o += ',';
    leaf(o, "Period");
    o += "],[";
    for (std::size_t i = 0; i < notes_.size(); ++i) {
      if (i) o += ',';
      o += '[';
      o += notes_[i];
      o += ']';
    }
    o += "]]}]]}";
    return o;
  }

 private:
  void inline_(const doc::Inline& i, std::string& o) {
    switch (i.kind) {
      case doc::InlineKind::Text:
        open(o, "Str");
        put_string(o, i.text);
        o += '}';
        break;
      case doc::InlineKind::Space: leaf(o, "Space"); break;
      case doc::InlineKind::NbSpace:
        open(o, "Str");
        put_string(o, "\u00A0");
        o += '}';
        break;
      case doc::InlineKind::SoftBreak: leaf(o, "SoftBreak"); break;
      case doc::InlineKind::LineBreak: leaf(o, "LineBreak"); break;
      case doc::InlineKind::Emph:
        open(o, "Emph");
        inlines(i.children, o);
        o += '}';
        break;
      case doc::InlineKind::Strong:
        open(o, "Strong");
        inlines(i.children, o);
        o += '}';
        break;
      case doc::InlineKind::Code: code(o, "Code", i.text); break;
      case doc::InlineKind::Link:
        link(o, [&](std::string& a) { put_attr(a); }, [&](std::string& c) { inlines(i.children, c); }, i.target);
        break;
      case doc::InlineKind::Note: note_reference(i, o); break;
    }
  }

  template <class Attr, class Content>
  static void link(std::string& o, Attr&& attr, Content&& content, std::string_view target) {
    open(o, "Link");
    o += '[';
    attr(o);
    o += ',';
    content(o);
    o += ",[";
    put_string(o, target);
    o += R"(,""]]})";
  }

  // A reference: a superscript number linking to the note, which links back.
  void note_reference(const doc::Inline& i, std::string& o) {
    const std::string n = std::to_string(notes_.size() + 1);
    notes_.emplace_back();  // the number is taken before the note's own notes
    std::vector<std::string> body = i.note ? block_list(*i.note) : std::vector<std::string>{};
    std::string back;
    link(
        back, [](std::string& a) { put_attr(a, {}, {"footnote-back"}, {{"role", "doc-backlink"}}); },
        [](std::string& c) {
          c += '[';
          open(c, "Str");
          put_string(c, "\u21A9\uFE0E");
          c += "}]";
        },
        "#fnref" + n);
    auto ends_inline_block = [](const std::string& b) {
      return b.starts_with(R"({"t":"Para","c":[)") || b.starts_with(R"({"t":"Plain","c":[)");
    };
    if (!body.empty() && ends_inline_block(body.back())) {
      std::string& last = body.back();
      last.resize(last.size() - 2);  // "]}"
      if (last.back() != '[') last += ',';
      leaf(last, "Space");
      last += ',';
      last += back;
      last += "]}";
    } else {
      std::string plain;
      open(plain, "Plain");
      plain += '[';
      plain += back;
      plain += "]}";
      body.push_back(std::move(plain));
    }
    std::string div;
    open(div, "Div");
    div += '[';
    put_attr(div, "fn" + n, {"footnote"});
    div += ',';
    join(body, div);
    div += "]}";
    notes_[std::stoul(n) - 1] = std::move(div);
    link(
        o, [&](std::string& a) { put_attr(a, "fnref" + n, {"footnote-ref"}, {{"role", "doc-noteref"}}); },
        [&](std::string& c) {
          c += '[';
          open(c, "Superscript");
          c += '[';
          open(c, "Str");
          put_string(c, n);
          c += "}]}]";
        },
        "#fn" + n);
  }

  // ["a","b",…] from JSON texts.
  static void join(const std::vector<std::string>& parts, std::string& o) {
    o += '[';
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i) o += ',';
      o += parts[i];
    }
    o += ']';
  }

  void blocks(const doc::Blocks& bs, std::string& o) {
    o += '[';
    bool first = true;
    for (const auto& b : bs) {
      const std::size_t mark = o.size();
      if (!first) o += ',';
      if (block(b, o))
        first = false;
      else
        o.resize(mark);
    }
    o += ']';
  }

  static void align(doc::Align a, std::string& o) {
    switch (a) {
      case doc::Align::Left: leaf(o, "AlignLeft"); break;
      case doc::Align::Center: leaf(o, "AlignCenter"); break;
      case doc::Align::Right: leaf(o, "AlignRight"); break;
      default: leaf(o, "AlignDefault");
    }
  }

  // [attr, [[attr, AlignDefault, 1, 1, blocks], …]] padded to `cols` cells.
  void row(const std::vector<doc::TableCell>& cells, std::size_t cols, std::string& o) {
    o += '[';
    put_attr(o);
    o += ",[";
    for (std::size_t i = 0; i < cols; ++i) {
      if (i) o += ',';
      o += '[';
      put_attr(o);
      o += ',';
      leaf(o, "AlignDefault");
      o += ",1,1,";
      if (i < cells.size())
        blocks(cells[i].blocks, o);
      else
        o += "[]";
      o += ']';
    }
    o += "]]";
  }

  void table(const doc::Table& t, std::string& o) {
    std::size_t cols = t.aligns.size();
    cols = std::max(cols, t.header.size());
    for (const auto& r : t.rows) cols = std::max(cols, r.size());
    open(o, "Table");
    o += '[';
    put_attr(o);
    o += ",[null,[";
    if (!t.caption.empty()) {
      open(o, "Plain");
      inlines(t.caption, o);
      o += '}';
    }
    o += "]],[";
    for (std::size_t i = 0; i < cols; ++i) {
      if (i) o += ',';
      const doc::Align a = i < t.aligns.size() ? t.aligns[i] : doc::Align::Default;
      const double w = i < t.widths.size() ? t.widths[i] : 0;
      o += '[';
      align(a, o);
      o += ',';
      if (w > 0) {
        open(o, "ColWidth");
        put_number(o, w);
        o += '}';
      } else {
        leaf(o, "ColWidthDefault");
      }
      o += ']';
    }
    o += "],[";
    put_attr(o);
    o += ",[";
    if (!t.header.empty()) row(t.header, cols, o);
    o += "]],[[";
    put_attr(o);
    o += ",0,[],[";
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      if (r) o += ',';
      row(t.rows[r], cols, o);
    }
    o += "]]],[";
    put_attr(o);
    o += ",[]]]}";
  }

  // Appends the block's JSON; false (and nothing written) when the page
  // leaves it out.
  bool block(const doc::Block& b, std::string& o) {
    switch (b.kind) {
      case doc::BlockKind::Para:
      case doc::BlockKind::Plain:
        open(o, b.kind == doc::BlockKind::Para ? "Para" : "Plain");
        inlines(b.inlines, o);
        o += '}';
        return true;
      case doc::BlockKind::Heading: {
        // The page title is the only h1: every heading moves one level down.
        const int level = std::clamp(b.level + 1, 2, 6);
        open(o, "Header");
        o += '[';
        o += std::to_string(level);
        o += ',';
        put_attr(o, b.id);
        o += ',';
        inlines(b.inlines, o);
        o += "]}";
        return true;
      }
      case doc::BlockKind::BulletList:
      case doc::BlockKind::OrderedList: {
        const bool ordered = b.kind == doc::BlockKind::OrderedList;
        open(o, ordered ? "OrderedList" : "BulletList");
        if (ordered) {
          o += "[[";
          o += std::to_string(b.start);
          o += ',';
          leaf(o, "Decimal");
          o += ',';
          leaf(o, "Period");
          o += "],";
        }
        o += '[';
        for (std::size_t i = 0; i < b.items.size(); ++i) {
          if (i) o += ',';
          blocks(b.items[i], o);
        }
        o += ordered ? "]]}" : "]}";
        return true;
      }
      case doc::BlockKind::BlockQuote:
        open(o, "BlockQuote");
        blocks(b.children, o);
        o += '}';
        return true;
      case doc::BlockKind::Div: {
        open(o, "Div");
        o += '[';
        put_attr(o, b.id, b.classes);
        o += ',';
        std::string children;
        blocks(b.children, children);  // "[…]"
        if (!b.title.empty()) {
          o += '[';
          open(o, "Div");
          o += '[';
          put_attr(o, {}, {"box-title"});
          o += ",[";
          open(o, "Para");
          o += '[';
          open(o, "Str");
          put_string(o, b.title);
          o += "}]}]]}";
          if (children.size() > 2) o += ',';
          o.append(children, 1);
        } else {
          o += children;
        }
        o += "]}";
        return true;
      }
      case doc::BlockKind::Table:
        if (!b.table) return false;
        table(*b.table, o);
        return true;
      case doc::BlockKind::Figure: {
        const std::string src = meta_.image_source ? meta_.image_source(b.target) : std::string{};
        if (src.empty()) {
          if (b.inlines.empty()) return false;
          open(o, "Para");
          inlines(b.inlines, o);
          o += '}';
          return true;
        }
        // Pandoc 2.x: a paragraph holding only an image titled "fig:…" is a figure.
        open(o, "Para");
        o += '[';
        open(o, "Image");
        o += '[';
        put_attr(o);
        o += ',';
        inlines(b.inlines, o);
        o += ",[";
        put_string(o, src);
        o += R"(,"fig:"]]}]})";
        return true;
      }
      case doc::BlockKind::HorizontalRule: leaf(o, "HorizontalRule"); return true;
      case doc::BlockKind::CodeBlock: code(o, "CodeBlock", b.text); return true;
    }
    return false;
  }

  const HtmlMeta& meta_;
  std::vector<std::string> notes_;  // each a Div, by number
};

}  // namespace

json meta_inlines(const std::string& text) {
  json ins = json::array();
  std::size_t i = 0;
  while (i <= text.size()) {
    const std::size_t sp = text.find(' ', i);
    const std::string word = text.substr(i, sp == std::string::npos ? std::string::npos : sp - i);
    if (!word.empty()) {
      if (!ins.empty()) ins.push_back(node("Space"));
      ins.push_back(node("Str", word));
    }
    if (sp == std::string::npos) break;
    i = sp + 1;
  }
  return node("MetaInlines", ins);
}

json page_meta(const std::string& title, const std::string& subtitle, const std::string& lang) {
  json m = json::object();
  m["title"] = meta_inlines(title);
  if (!subtitle.empty()) m["subtitle"] = meta_inlines(subtitle);
  m["lang"] = node("MetaString", lang);
  m["header-includes"] =
      node("MetaList", json::array({node("MetaBlocks", json::array({node("RawBlock", json::array({"html", kStyle}))}))}));
  return m;
}

std::string document_json(const json& meta, const std::vector<std::string>& blocks) {
  std::string o = R"({"pandoc-api-version":[1,22],"meta":)";
  o += meta.dump();
  o += R"(,"blocks":[)";
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (i) o += ',';
    o += blocks[i];
  }
  o += "]}";
  return o;
}

// The page's top-level blocks as Pandoc JSON, footnotes last.
std::vector<std::string> page_blocks(const doc::Blocks& blocks, const HtmlMeta& meta) {
  Writer w(meta);
  std::vector<std::string> out = w.block_list(blocks);
  if (std::string notes = w.endnotes(); !notes.empty()) out.push_back(std::move(notes));
  return out;
}

std::string pandoc_json(const doc::Blocks& blocks, const HtmlMeta& meta) {
  return document_json(page_meta(meta.title, meta.subtitle, meta.lang), page_blocks(blocks, meta));
}

}  // namespace cp::html

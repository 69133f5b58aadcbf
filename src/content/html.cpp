#include "content/html.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "core/files.h"
#include "core/image_probe.h"
#include "core/parallel.h"
#include "core/sha256.h"

namespace cp::content {

namespace {

using json = nlohmann::json;

json node(const char* t) { return json{{"t", t}}; }
json node(const char* t, json c) { return json{{"t", t}, {"c", std::move(c)}}; }

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
void put_string(std::string& o, std::string_view s) {
  o += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    o.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\r': o += "\\r"; break;
      case '\t': o += "\\t"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        o += "\\u00";
        o += kHex[c >> 4];
        o += kHex[c & 15];
      }
    }
  }
  o.append(s.data() + run, s.size() - run);
  o += '"';
}

// {"t":"Tag"} and the opening of {"t":"Tag","c":…}
void leaf(std::string& o, std::string_view tag) {
  o += R"({"t":")";
  o += tag;
  o += R"("})";
}
void open(std::string& o, std::string_view tag) {
  o += R"({"t":")";
  o += tag;
  o += R"(","c":)";
}

void put_attr(std::string& o, std::string_view id = {}, const std::vector<std::string>& classes = {},
              const std::vector<std::pair<std::string, std::string>>& pairs = {}) {
  o += '[';
  put_string(o, id);
  o += ",[";
  for (std::size_t i = 0; i < classes.size(); ++i) {
    if (i) o += ',';
    put_string(o, classes[i]);
  }
  o += "],[";
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (i) o += ',';
    o += '[';
    put_string(o, pairs[i].first);
    o += ',';
    put_string(o, pairs[i].second);
    o += ']';
  }
  o += "]]";
}

// {"t":"Code"|"CodeBlock","c":[attr, text]}
void code(std::string& o, std::string_view tag, std::string_view text) {
  open(o, tag);
  o += '[';
  put_attr(o);
  o += ',';
  put_string(o, text);
  o += "]}";
}

void put_number(std::string& o, double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  o.append(buf, r.ptr);
}

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

// Pandoc's html5 template of 2.x carries `<!--[if lt IE 9]><script
// src="//cdnjs…"></script><![endif]-->`: a reference to elsewhere, if only
// for old browsers. Removed.
void remove_ie_shim(std::string& html) {
  for (;;) {
    const auto start = html.find("<!--[if lt IE 9]>");
    if (start == std::string::npos) return;
    const auto end = html.find("<![endif]-->", start);
    if (end == std::string::npos) return;
    auto stop = end + std::string_view("<![endif]-->").size();
    if (stop < html.size() && html[stop] == '\n') ++stop;
    // Drop the indentation before it as well.
    auto from = start;
    while (from > 0 && html[from - 1] == ' ') --from;
    html.erase(from, stop - from);
  }
}

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
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

// Runs Pandoc from JSON to HTML5; empty with `error` set when it fails.
std::string run_pandoc(const std::string& input, bool standalone, const std::string& program,
                       std::chrono::milliseconds timeout, ProcessRunner& runner, std::string& error) {
  ProcessRequest req;
  req.argv = {program, "-f", "json", "-t", "html5", "--sandbox", "--wrap=none"};
  if (standalone) req.argv.push_back("--standalone");
  req.stdin_bytes = input;
  req.timeout = timeout;
  const auto r = runner.run(req);
  if (!r.ok()) {
    error = describe(r, program);
    if (r.status == ProcessStatus::Exited && !r.err.empty()) {
      std::string first = r.err.substr(0, r.err.find('\n'));
      error += ": " + first;
    }
    return {};
  }
  return r.out;
}

}  // namespace

std::string pandoc_json(const doc::Blocks& blocks, const HtmlMeta& meta) {
  return document_json(page_meta(meta.title, meta.subtitle, meta.lang), page_blocks(blocks, meta));
}

std::string handout_html(const doc::Blocks& blocks, const HtmlMeta& meta, ProcessRunner& runner, std::string& error) {
  std::string html = run_pandoc(pandoc_json(blocks, meta), true, meta.program, meta.timeout, runner, error);
  remove_ie_shim(html);
  return html;
}

// ---------------------------------------------------------------------------
// HtmlPages: many pages, each distinct block converted once.
//
// Pandoc writes a page as its template around the top-level blocks' HTML,
// joined by newlines, empty ones left out. So a page can be assembled from
//   - the shell: the template for the page's title, subtitle and language,
//     with markers where title, subtitle and body go;
//   - the title and subtitle as Pandoc writes them (as a paragraph's text);
//   - each top-level block's HTML.
// Each of these is an item, keyed by the SHA-256 of what Pandoc is given.
// Items not in the cache are converted together: fragments in a few large
// runs, each block after a numbered marker paragraph to find it by in the
// output, and shells in one standalone run each.

namespace {

constexpr std::string_view kTitleMark = "cpmark0title";
constexpr std::string_view kPageTitleMark = "cpmark0pagetitle";
constexpr std::string_view kSubtitleMark = "cpmark0subtitle";
constexpr std::string_view kBodyMark = "cpmark0body";
// JSON per Pandoc run of fragments: Pandoc needs about 60 times its input
// in memory (2 MB: about 170 MB).
constexpr std::size_t kRunBytes = 2u * 1024u * 1024u;
constexpr std::uint32_t kNone = ~std::uint32_t{0};

// A page as items, by index into HtmlPages::Impl::items.
struct PageItems {
  std::uint32_t shell = kNone;
  std::uint32_t title = kNone, subtitle = kNone;  // the paragraphs of title and subtitle
  std::vector<std::uint32_t> blocks;              // the top-level blocks
};

struct Item {
  std::string key;    // SHA-256 (hex) of its kind and Pandoc input
  std::string input;  // Pandoc's input while it is still to convert
  std::string html;
  bool standalone = false;  // a shell
  bool ready = false;
};

std::string paragraph_text(const std::string& para) {
  // "<p>…</p>" → "…"
  if (para.size() >= 7 && para.compare(0, 3, "<p>") == 0 && para.compare(para.size() - 4, 4, "</p>") == 0)
    return para.substr(3, para.size() - 7);
  return para;
}

}  // namespace

struct HtmlPages::Impl {
  std::string salt;  // tool version and program: a new Pandoc means new keys
  std::filesystem::path cache_dir;
  ProcessRunner& runner;
  std::string program;
  std::chrono::milliseconds timeout;
  mutable std::mutex mutex;
  std::vector<Item> items;
  std::unordered_map<std::string, std::uint32_t> by_key;
  std::vector<PageItems> pages;
  std::size_t converted = 0;

  Impl(const std::string& version, std::filesystem::path dir, ProcessRunner& r, std::string prog,
       std::chrono::milliseconds t)
      : salt(version + '\0' + prog), cache_dir(std::move(dir)), runner(r), program(std::move(prog)), timeout(t) {}

  // The cache: the HTML of every item converted before, by key, read at
  // the first intern(). On disk it is one file, cache.bin, of records
  //   <key> <length> <SHA-256 of the HTML>\n<HTML>\n
  // (one file, because creating hundreds of small files costs more than
  // Pandoc). A record cut short or damaged (the file is not synced to
  // disk) fails its check; it and everything after it are converted again.
  bool cache_loaded = false;
  std::unordered_map<std::string, std::string> cached;

  std::filesystem::path cache_file() const { return cache_dir / "cache.bin"; }

  void load_cache() {
    cache_loaded = true;
    const auto r = files::read_file(cache_file(), std::size_t{1} << 30);
    if (r.status != files::ReadStatus::Ok) return;
    const std::string& f = r.bytes;
    std::size_t pos = 0;
    while (pos < f.size()) {
      const std::size_t nl = f.find('\n', pos);
      if (nl == std::string::npos || nl - pos < 64 + 1 + 1 + 1 + 64) break;
      const std::string_view head(f.data() + pos, nl - pos);
      const std::string_view key = head.substr(0, 64);
      const std::string_view sum = head.substr(head.size() - 64);
      std::size_t length = 0;
      const std::string_view digits = head.substr(65, head.size() - 64 - 65 - 1);
      if (digits.empty() || digits.size() > 12) break;
      bool ok = head[64] == ' ' && head[head.size() - 65] == ' ';
      for (char c : digits) {
        if (c < '0' || c > '9') ok = false;
        length = length * 10 + static_cast<std::size_t>(c - '0');
      }
      if (!ok || nl + 1 + length + 1 > f.size() || f[nl + 1 + length] != '\n') break;
      std::string html = f.substr(nl + 1, length);
      if (sha256_hex(html) != sum) break;
      cached.emplace(std::string(key), std::move(html));
      pos = nl + 1 + length + 1;
    }
  }

  // Rewrites the cache with what it had and what was converted now.
  void save_cache() const {
    std::map<std::string_view, const std::string*> all;  // sorted: the same bytes for the same cache
    for (const auto& [key, html] : cached) all.emplace(key, &html);
    for (const auto& item : items)
      if (item.ready) all.emplace(item.key, &item.html);
    std::string out;
    for (const auto& [key, html] : all) {
      out += key;
      out += ' ';
      out += std::to_string(html->size());
      out += ' ';
      out += sha256_hex(*html);
      out += '\n';
      out += *html;
      out += '\n';
    }
    files::write_private_file(cache_file(), out, false);  // a cache: failing to keep it costs a conversion
  }

  // An input's key: what Pandoc is given, under this tool and program.
  // Needs no lock.
  std::string key_of(std::string_view kind, std::string_view input) const {
    Sha256 h;
    h.update(salt);
    h.update(std::string_view("\0", 1));
    h.update(kind);
    h.update(std::string_view("\0", 1));
    h.update(input);
    return h.hex_digest();
  }

  // The item for this input (with its key_of), from memory, the cache, or
  // new (to convert). Called with the mutex held.
  std::uint32_t intern(std::string_view kind, std::string key, std::string input) {
    if (!cache_loaded) load_cache();
    if (auto it = by_key.find(key); it != by_key.end()) return it->second;
    Item item;
    item.standalone = kind == "shell";
    if (auto it = cached.find(key); it != cached.end()) {
      item.html = it->second;
      item.ready = true;
    } else {
      item.input = std::move(input);
    }
    item.key = key;
    const auto index = static_cast<std::uint32_t>(items.size());
    items.push_back(std::move(item));
    by_key.emplace(std::move(key), index);
    return index;
  }

  void remember(Item& item, std::string html) {
    item.html = std::move(html);
    item.input.clear();
    item.input.shrink_to_fit();
    item.ready = true;
  }

  // One Pandoc run over many fragments; false with `error` when Pandoc
  // fails or its output cannot be cut back into the fragments. The blocks
  // are given as they are, with a paragraph holding only a marker before
  // each (a wrapper div would not do: Pandoc gives a div's id to a heading
  // that is its only child). The marker holds a hash of the blocks, so no
  // paragraph of theirs can be mistaken for one.
  bool convert_fragments(const std::vector<const std::string*>& batch, std::vector<std::string>& out,
                         std::string& error) const {
    std::string all;
    for (const auto* input : batch) all += *input;
    const std::string mark = "cpbatch" + sha256_hex(all).substr(0, 16) + "n";
    std::string blocks = "[";
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (i) blocks += ',';
      blocks += R"({"t":"Para","c":[{"t":"Str","c":")" + mark + std::to_string(i) + R"("}]},)" + *batch[i];
    }
    blocks += ']';
    const std::string input = R"({"pandoc-api-version":[1,22],"meta":{},"blocks":)" + blocks + "}";
    const std::string output = run_pandoc(input, false, program, timeout, runner, error);
    if (output.empty()) {
      if (error.empty()) error = "Pandoc wrote nothing";
      return false;
    }
    // Where each marker paragraph starts and ends.
    std::vector<std::pair<std::size_t, std::size_t>> marks;
    std::size_t pos = 0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const std::string para = "<p>" + mark + std::to_string(i) + "</p>";
      pos = output.find(para, pos);
      if (pos == std::string::npos) {
        error = "Pandoc's HTML lacks the marker of block " + std::to_string(i);
        return false;
      }
      marks.emplace_back(pos, pos + para.size());
      pos += para.size();
    }
    out.clear();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const std::size_t from = marks[i].second;
      const std::size_t to = i + 1 < batch.size() ? marks[i + 1].first : output.size();
      std::string chunk = output.substr(from, to - from);
      if (!chunk.empty() && chunk.front() == '\n') chunk.erase(0, 1);
      if (!chunk.empty() && chunk.back() == '\n') chunk.pop_back();
      out.push_back(std::move(chunk));
    }
    return true;
  }
};

HtmlPages::HtmlPages(const std::string& tool_version, std::filesystem::path cache_dir, ProcessRunner& runner,
                     std::string program, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(tool_version, std::move(cache_dir), runner, std::move(program), timeout)) {}

HtmlPages::~HtmlPages() = default;

std::size_t HtmlPages::add(const doc::Blocks& blocks, const HtmlMeta& meta) {
  // Pandoc's inputs, made outside the lock.
  json shell_meta = page_meta(meta.title.empty() ? "" : std::string(kTitleMark),
                              meta.subtitle.empty() ? "" : std::string(kSubtitleMark), meta.lang);
  // <title> holds the title too, escaped as an attribute is (quotes too):
  // it gets a marker of its own.
  if (!meta.title.empty()) shell_meta["pagetitle"] = node("MetaString", std::string(kPageTitleMark));
  std::string body;
  open(body, "Para");
  body += '[';
  open(body, "Str");
  put_string(body, kBodyMark);
  body += "}]}";
  std::string shell = document_json(shell_meta, {body});
  std::string title, subtitle;
  if (!meta.title.empty()) title = node("Para", meta_inlines(meta.title)["c"]).dump();
  if (!meta.subtitle.empty()) subtitle = node("Para", meta_inlines(meta.subtitle)["c"]).dump();
  std::vector<std::string> fragments = page_blocks(blocks, meta);
  // Keys hashed before the lock: the threads adding pages do not wait on
  // each other's hashing.
  std::string shell_key = impl_->key_of("shell", shell);
  std::string title_key = title.empty() ? std::string() : impl_->key_of("fragment", title);
  std::string subtitle_key = subtitle.empty() ? std::string() : impl_->key_of("fragment", subtitle);
  std::vector<std::string> keys;
  keys.reserve(fragments.size());
  for (const auto& f : fragments) keys.push_back(impl_->key_of("fragment", f));

  std::lock_guard lock(impl_->mutex);
  PageItems p;
  p.shell = impl_->intern("shell", std::move(shell_key), std::move(shell));
  if (!title.empty()) p.title = impl_->intern("fragment", std::move(title_key), std::move(title));
  if (!subtitle.empty()) p.subtitle = impl_->intern("fragment", std::move(subtitle_key), std::move(subtitle));
  p.blocks.reserve(fragments.size());
  for (std::size_t i = 0; i < fragments.size(); ++i)
    p.blocks.push_back(impl_->intern("fragment", std::move(keys[i]), std::move(fragments[i])));
  impl_->pages.push_back(std::move(p));
  return impl_->pages.size() - 1;
}

bool HtmlPages::convert(unsigned threads, std::string& error) {
  std::lock_guard lock(impl_->mutex);
  auto& items = impl_->items;
  // Runs of fragments, then one run per shell. A run holds at most
  // kRunBytes of JSON, and there are at least as many runs as threads when
  // there is enough to share (Pandoc itself uses one core).
  std::size_t pending = 0;
  for (const auto& item : items)
    if (!item.ready && !item.standalone) pending += item.input.size();
  const std::size_t run_bytes =
      std::clamp<std::size_t>(pending / std::max(1u, threads) + 1, std::size_t{64} * 1024, kRunBytes);
  std::vector<std::vector<std::uint32_t>> runs(1);
  std::vector<std::uint32_t> shells;
  std::size_t bytes = 0;
  for (std::uint32_t i = 0; i < items.size(); ++i) {
    if (items[i].ready) continue;
    if (items[i].standalone) {
      shells.push_back(i);
      continue;
    }
    if (bytes >= run_bytes) {
      runs.emplace_back();
      bytes = 0;
    }
    bytes += items[i].input.size();
    runs.back().push_back(i);
  }
  if (runs.back().empty()) runs.pop_back();
  std::vector<std::vector<std::string>> results(runs.size());
  std::vector<std::string> errors(runs.size());
  std::vector<std::string> shell_html(shells.size()), shell_errors(shells.size());
  parallel_for(runs.size() + shells.size(), threads, [&](std::size_t t) {
      if (t < runs.size()) {
        std::vector<const std::string*> inputs;
        for (auto i : runs[t]) inputs.push_back(&items[i].input);
        impl_->convert_fragments(inputs, results[t], errors[t]);
      } else {
        const std::size_t k = t - runs.size();
        shell_html[k] = run_pandoc(items[shells[k]].input, true, impl_->program, impl_->timeout, impl_->runner,
                                   shell_errors[k]);
        if (shell_html[k].empty() && shell_errors[k].empty()) shell_errors[k] = "Pandoc wrote nothing";
      }
  });
  std::vector<std::uint32_t> converted;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    if (!errors[r].empty()) {
      error = errors[r];
      return false;
    }
    for (std::size_t i = 0; i < runs[r].size(); ++i) {
      impl_->remember(items[runs[r][i]], std::move(results[r][i]));
      converted.push_back(runs[r][i]);
    }
  }
  for (std::size_t k = 0; k < shells.size(); ++k) {
    if (!shell_errors[k].empty()) {
      error = shell_errors[k];
      return false;
    }
    remove_ie_shim(shell_html[k]);
    impl_->remember(items[shells[k]], std::move(shell_html[k]));
    converted.push_back(shells[k]);
  }
  if (!converted.empty()) impl_->save_cache();
  impl_->converted += converted.size();
  return true;
}

std::size_t HtmlPages::converted() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->converted;
}

std::string HtmlPages::page(std::size_t id, std::string& error) const {
  std::lock_guard lock(impl_->mutex);
  if (id >= impl_->pages.size()) {
    error = "no such page";
    return {};
  }
  const PageItems& p = impl_->pages[id];
  const auto& items = impl_->items;
  auto ready = [&](std::uint32_t i) { return i == kNone || items[i].ready; };
  bool all = ready(p.shell) && ready(p.title) && ready(p.subtitle);
  for (auto b : p.blocks) all = all && ready(b);
  if (!all) {
    error = "the page was not converted";
    return {};
  }
  std::string body;
  for (auto b : p.blocks) {
    const std::string& html = items[b].html;
    if (html.empty()) continue;
    if (!body.empty()) body += '\n';
    body += html;
  }
  const std::string title = p.title == kNone ? std::string{} : paragraph_text(items[p.title].html);
  const std::string subtitle = p.subtitle == kNone ? std::string{} : paragraph_text(items[p.subtitle].html);
  // Pandoc escapes < > & in text; in <title> also the double quote.
  std::string page_title;
  for (char c : title) {
    if (c == '"')
      page_title += "&quot;";
    else
      page_title += c;
  }
  // The shell's markers, replaced in one pass over the shell only.
  const std::string& shell = items[p.shell].html;
  const std::string body_mark = "<p>" + std::string(kBodyMark) + "</p>";
  std::string out;
  out.reserve(shell.size() + body.size() + 4 * title.size());
  std::size_t i = 0;
  while (i < shell.size()) {
    if (shell.compare(i, body_mark.size(), body_mark) == 0) {
      out += body;
      i += body_mark.size();
    } else if (shell.compare(i, kPageTitleMark.size(), kPageTitleMark) == 0) {
      out += page_title;
      i += kPageTitleMark.size();
    } else if (shell.compare(i, kSubtitleMark.size(), kSubtitleMark) == 0) {
      out += subtitle;
      i += kSubtitleMark.size();
    } else if (shell.compare(i, kTitleMark.size(), kTitleMark) == 0) {
      out += title;
      i += kTitleMark.size();
    } else {
      out += shell[i++];
    }
  }
  return out;
}

std::string image_data_uri(const std::string& path) {
  const auto r = files::read_file(path, 32u * 1024u * 1024u);
  const std::string_view type = image::mime_type(image::sniff(r.bytes));
  if (r.status != files::ReadStatus::Ok || type.empty()) return {};
  return "data:" + std::string(type) + ";base64," + base64(r.bytes);
}

}  // namespace cp::content

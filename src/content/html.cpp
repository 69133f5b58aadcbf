#include "content/html.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/files.h"

namespace cp::content {

namespace {

using json = nlohmann::json;

json node(const char* t) { return json{{"t", t}}; }
json node(const char* t, json c) { return json{{"t", t}, {"c", std::move(c)}}; }

json attr(const std::string& id = {}, const std::vector<std::string>& classes = {},
          const std::vector<std::pair<std::string, std::string>>& pairs = {}) {
  json kv = json::array();
  for (const auto& [k, v] : pairs) kv.push_back(json::array({k, v}));
  return json::array({id, classes, kv});
}

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

class Writer {
 public:
  explicit Writer(const HtmlMeta& meta) : meta_(meta) {}

  json inlines(const doc::Inlines& ins) {
    json out = json::array();
    for (const auto& i : ins) {
      switch (i.kind) {
        case doc::InlineKind::Text: out.push_back(node("Str", i.text)); break;
        case doc::InlineKind::Space: out.push_back(node("Space")); break;
        case doc::InlineKind::NbSpace: out.push_back(node("Str", "\u00A0")); break;
        case doc::InlineKind::SoftBreak: out.push_back(node("SoftBreak")); break;
        case doc::InlineKind::LineBreak: out.push_back(node("LineBreak")); break;
        case doc::InlineKind::Emph: out.push_back(node("Emph", inlines(i.children))); break;
        case doc::InlineKind::Strong: out.push_back(node("Strong", inlines(i.children))); break;
        case doc::InlineKind::Code: out.push_back(node("Code", json::array({attr(), i.text}))); break;
        case doc::InlineKind::Link:
          out.push_back(node("Link", json::array({attr(), inlines(i.children), json::array({i.target, ""})})));
          break;
        case doc::InlineKind::Note:
          out.push_back(node("Note", i.note ? blocks(*i.note) : json::array()));
          break;
      }
    }
    return out;
  }

  json blocks(const doc::Blocks& bs) {
    json out = json::array();
    for (const auto& b : bs) block(b, out);
    return out;
  }

 private:
  static json align(doc::Align a) {
    switch (a) {
      case doc::Align::Left: return node("AlignLeft");
      case doc::Align::Center: return node("AlignCenter");
      case doc::Align::Right: return node("AlignRight");
      default: return node("AlignDefault");
    }
  }

  json cell(const doc::TableCell& c) {
    return json::array({attr(), node("AlignDefault"), 1, 1, blocks(c.blocks)});
  }

  json row(const std::vector<doc::TableCell>& cells) {
    json cs = json::array();
    for (const auto& c : cells) cs.push_back(cell(c));
    return json::array({attr(), cs});
  }

  json table(const doc::Table& t) {
    std::size_t cols = t.aligns.size();
    cols = std::max(cols, t.header.size());
    for (const auto& r : t.rows) cols = std::max(cols, r.size());
    json specs = json::array();
    for (std::size_t i = 0; i < cols; ++i) {
      const doc::Align a = i < t.aligns.size() ? t.aligns[i] : doc::Align::Default;
      const double w = i < t.widths.size() ? t.widths[i] : 0;
      specs.push_back(json::array({align(a), w > 0 ? node("ColWidth", w) : node("ColWidthDefault")}));
    }
    // Rows padded to the column count (Pandoc expects full rows).
    auto padded = [cols](std::vector<doc::TableCell> cells) {
      while (cells.size() < cols) cells.push_back({});
      return cells;
    };
    json head_rows = json::array();
    if (!t.header.empty()) head_rows.push_back(row(padded(t.header)));
    json body_rows = json::array();
    for (const auto& r : t.rows) body_rows.push_back(row(padded(r)));
    json caption_blocks = json::array();
    if (!t.caption.empty()) caption_blocks.push_back(node("Plain", inlines(t.caption)));
    return node("Table", json::array({attr(), json::array({nullptr, caption_blocks}), specs,
                                      json::array({attr(), head_rows}),
                                      json::array({json::array({attr(), 0, json::array(), body_rows})}),
                                      json::array({attr(), json::array()})}));
  }

  void block(const doc::Block& b, json& out) {
    switch (b.kind) {
      case doc::BlockKind::Para: out.push_back(node("Para", inlines(b.inlines))); break;
      case doc::BlockKind::Plain: out.push_back(node("Plain", inlines(b.inlines))); break;
      case doc::BlockKind::Heading: {
        // The page title is the only h1: every heading moves one level down.
        const int level = std::clamp(b.level + 1, 2, 6);
        out.push_back(node("Header", json::array({level, attr(b.id), inlines(b.inlines)})));
        break;
      }
      case doc::BlockKind::BulletList: {
        json items = json::array();
        for (const auto& it : b.items) items.push_back(blocks(it));
        out.push_back(node("BulletList", items));
        break;
      }
      case doc::BlockKind::OrderedList: {
        json items = json::array();
        for (const auto& it : b.items) items.push_back(blocks(it));
        out.push_back(node("OrderedList",
                           json::array({json::array({b.start, node("Decimal"), node("Period")}), items})));
        break;
      }
      case doc::BlockKind::BlockQuote: out.push_back(node("BlockQuote", blocks(b.children))); break;
      case doc::BlockKind::Div: {
        json children = json::array();
        if (!b.title.empty()) {
          json title = json::array({node("Str", b.title)});
          children.push_back(node("Div", json::array({attr({}, {"box-title"}), json::array({node("Para", title)})})));
        }
        for (auto& c : blocks(b.children)) children.push_back(std::move(c));
        out.push_back(node("Div", json::array({attr(b.id, b.classes), children})));
        break;
      }
      case doc::BlockKind::Table:
        if (b.table) out.push_back(table(*b.table));
        break;
      case doc::BlockKind::Figure: {
        const std::string src = meta_.image_source ? meta_.image_source(b.target) : std::string{};
        if (src.empty()) {
          if (!b.inlines.empty()) out.push_back(node("Para", inlines(b.inlines)));
        } else {
          // Pandoc 2.x: a paragraph holding only an image titled "fig:…" is a figure.
          json image = node("Image", json::array({attr(), inlines(b.inlines), json::array({src, "fig:"})}));
          out.push_back(node("Para", json::array({image})));
        }
        break;
      }
      case doc::BlockKind::HorizontalRule: out.push_back(node("HorizontalRule")); break;
      case doc::BlockKind::CodeBlock: out.push_back(node("CodeBlock", json::array({attr(), b.text}))); break;
    }
  }

  const HtmlMeta& meta_;
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

}  // namespace

std::string pandoc_json(const doc::Blocks& blocks, const HtmlMeta& meta) {
  Writer w(meta);
  json m = json::object();
  m["title"] = meta_inlines(meta.title);
  if (!meta.subtitle.empty()) m["subtitle"] = meta_inlines(meta.subtitle);
  m["lang"] = node("MetaString", meta.lang);
  m["header-includes"] =
      node("MetaList", json::array({node("MetaBlocks", json::array({node("RawBlock", json::array({"html", kStyle}))}))}));
  json root;
  root["pandoc-api-version"] = json::array({1, 22});
  root["meta"] = m;
  root["blocks"] = w.blocks(blocks);
  return root.dump();
}

std::string handout_html(const doc::Blocks& blocks, const HtmlMeta& meta, ProcessRunner& runner, std::string& error) {
  ProcessRequest req;
  req.argv = {meta.program, "-f", "json", "-t", "html5", "--standalone", "--sandbox", "--wrap=none"};
  req.stdin_bytes = pandoc_json(blocks, meta);
  req.timeout = meta.timeout;
  const auto r = runner.run(req);
  if (!r.ok()) {
    error = describe(r, meta.program);
    if (r.status == ProcessStatus::Exited && !r.err.empty()) {
      std::string first = r.err.substr(0, r.err.find('\n'));
      error += ": " + first;
    }
    return {};
  }
  std::string html = r.out;
  remove_ie_shim(html);
  return html;
}

std::string image_data_uri(const std::string& path) {
  const auto r = files::read_file(path, 32u * 1024u * 1024u);
  if (r.status != files::ReadStatus::Ok || r.bytes.size() < 4) return {};
  std::string type;
  if (r.bytes.compare(0, 4, "\x89PNG") == 0)
    type = "image/png";
  else if (static_cast<unsigned char>(r.bytes[0]) == 0xFF && static_cast<unsigned char>(r.bytes[1]) == 0xD8)
    type = "image/jpeg";
  else
    return {};
  return "data:" + type + ";base64," + base64(r.bytes);
}

}  // namespace cp::content

// Pandoc's inline elements → the tree's inlines (content/pandoc_converter.h).
#include <memory>

#include "content/pandoc_converter.h"
#include "content/pandoc_text.h"

namespace cp::content::detail {

namespace {

// Pandoc's Str: split at no-break spaces (and, defensively, at any ASCII
// white space) so that Text never holds a space.
void append_str(std::string_view s, doc::Inlines& out) {
  std::string word;
  auto flush = [&] {
    if (!word.empty()) out.push_back(make_text(nfc(word)));
    word.clear();
  };
  for (std::size_t i = 0; i < s.size();) {
    if (s.substr(i).starts_with(kNbsp)) {
      flush();
      out.push_back(make_kind(doc::InlineKind::NbSpace));
      i += kNbsp.size();
    } else if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
      flush();
      if (out.empty() || out.back().kind != doc::InlineKind::Space) out.push_back(make_kind(doc::InlineKind::Space));
      ++i;
    } else {
      word += s[i++];
    }
  }
  flush();
}

}  // namespace

void Converter::inlines(const json& arr, doc::Inlines& out, int depth) {
  enter(depth);
  for (const auto& node : array(arr, "an inline list")) inline_node(node, out, depth);
  merge_texts(out);
}

void Converter::inline_node(const json& node, doc::Inlines& out, int depth) {
  const std::string& t = tag(node);
  if (t == "Str") {
    append_str(string(content(node, t), "Str"), out);
  } else if (t == "Space") {
    out.push_back(make_kind(doc::InlineKind::Space));
  } else if (t == "SoftBreak") {
    out.push_back(make_kind(doc::InlineKind::SoftBreak));
  } else if (t == "LineBreak") {
    out.push_back(make_kind(doc::InlineKind::LineBreak));
  } else if (t == "Emph" || t == "Underline" || t == "Strong") {
    doc::Inline in = make_kind(t == "Strong" ? doc::InlineKind::Strong : doc::InlineKind::Emph);
    inlines(content(node, t), in.children, depth + 1);
    out.push_back(std::move(in));
  } else if (t == "Strikeout" || t == "Superscript" || t == "Subscript" || t == "SmallCaps") {
    inlines(content(node, t), out, depth + 1);
  } else if (t == "Quoted") {
    const json& c = content(node, t);
    const bool single = tag(item(c, 0, "Quoted")) == "SingleQuote";
    // Swedish typography: the same closing mark opens and closes.
    const char* mark = single ? "\u2019" : "\u201D";
    out.push_back(make_text(mark));
    inlines(item(c, 1, "Quoted"), out, depth + 1);
    out.push_back(make_text(mark));
  } else if (t == "Cite") {
    inlines(item(content(node, t), 1, "Cite"), out, depth + 1);
  } else if (t == "Span") {
    const json& c = content(node, t);
    attr(item(c, 0, "Span"));
    inlines(item(c, 1, "Span"), out, depth + 1);
  } else if (t == "Code") {
    doc::Inline in = make_kind(doc::InlineKind::Code);
    in.text = nfc(string(item(content(node, t), 1, "Code"), "Code text"));
    out.push_back(std::move(in));
  } else if (t == "Math") {
    doc::Inline in = make_kind(doc::InlineKind::Code);
    in.text = nfc(string(item(content(node, t), 1, "Math"), "Math text"));
    out.push_back(std::move(in));
  } else if (t == "RawInline") {
    const json& c = content(node, t);
    const std::string& format = string(item(c, 0, "RawInline"), "a raw format");
    const std::string& raw = string(item(c, 1, "RawInline"), "raw text");
    if (!is_html_comment(format, raw)) warn_raw(locator_.find(raw, false), format, raw);
  } else if (t == "Link") {
    const json& c = content(node, t);
    attr(item(c, 0, "Link"));
    doc::Inline in = make_kind(doc::InlineKind::Link);
    inlines(item(c, 1, "Link"), in.children, depth + 1);
    in.target = restore_placeholders(string(item(item(c, 2, "Link"), 0, "a link target"), "a URL"));
    out.push_back(std::move(in));
  } else if (t == "Image") {
    // An image inside running text is not placed; its alt text stands in.
    const json& c = content(node, t);
    attr(item(c, 0, "Image"));
    const std::string& url = string(item(item(c, 2, "Image"), 0, "an image target"), "an image path");
    diags_->warning(locator_.find(percent_decode(url), false),
                    "image " + first_line(percent_decode(url), 60) +
                        " inside running text is not printed; its description is set instead",
                    "put the image in a paragraph of its own");
    inlines(item(c, 1, "Image"), out, depth + 1);
  } else if (t == "Note") {
    doc::Inline in = make_kind(doc::InlineKind::Note);
    in.note = std::make_shared<doc::Blocks>();
    // The note's text is elsewhere in the source (usually at the end):
    // search for it from here without moving the main cursor.
    const std::size_t cursor = locator_.cursor();
    blocks(content(node, t), *in.note, depth + 1);
    locator_.set_cursor(cursor);
    out.push_back(std::move(in));
  } else {
    warn_unknown(t);
  }
}

}  // namespace cp::content::detail

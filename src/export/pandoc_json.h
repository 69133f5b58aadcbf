// What the handout.html code of this folder shares (not for other
// stages): Pandoc's JSON AST of a page, written straight into text, and
// the pieces of a page's JSON that HtmlPages converts one by one.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "content/document.h"
#include "core/json.h"
#include "export/html.h"

namespace cp::html {

using json = nlohmann::json;

// {"t":"Tag"} and {"t":"Tag","c":c} as JSON values.
inline json node(const char* t) { return json{{"t", t}}; }
inline json node(const char* t, json c) { return json{{"t", t}, {"c", std::move(c)}}; }

// JSON text appended to `o`: a string with its escapes, {"t":"Tag"}, the
// opening of {"t":"Tag","c":…}, an attribute [id, classes, pairs],
// {"t":"Code"|"CodeBlock","c":[attr, text]} and a number.
void put_string(std::string& o, std::string_view s);
void leaf(std::string& o, std::string_view tag);
void open(std::string& o, std::string_view tag);
void put_attr(std::string& o, std::string_view id = {}, const std::vector<std::string>& classes = {},
              const std::vector<std::pair<std::string, std::string>>& pairs = {});
void code(std::string& o, std::string_view tag, std::string_view text);
void put_number(std::string& o, double v);

// A line of text as MetaInlines (words and spaces).
json meta_inlines(const std::string& text);
// The page's meta: title, subtitle, lang and the style sheet.
json page_meta(const std::string& title, const std::string& subtitle, const std::string& lang);
// A whole document from its meta and its blocks' JSON texts.
std::string document_json(const json& meta, const std::vector<std::string>& blocks);
// The page's top-level blocks as Pandoc JSON, each a text of its own,
// footnotes last.
std::vector<std::string> page_blocks(const doc::Blocks& blocks, const HtmlMeta& meta);

}  // namespace cp::html

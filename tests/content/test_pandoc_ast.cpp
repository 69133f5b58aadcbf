// Pandoc JSON → document tree, from hand-written JSON (no Pandoc needed).
#include "content/pandoc_ast.h"

#include <catch2/catch.hpp>

#include <random>
#include <string>

using namespace cp;
using namespace cp::content;
using doc::BlockKind;
using doc::InlineKind;

namespace {

const std::string kPath = "materials/modules/01-test.md";

std::string str(const std::string& s) { return R"({"t":"Str","c":")" + s + R"("})"; }
const std::string SP = R"({"t":"Space"})";
std::string para(const std::string& inl) { return R"({"t":"Para","c":[)" + inl + "]}"; }
std::string plain(const std::string& inl) { return R"({"t":"Plain","c":[)" + inl + "]}"; }
std::string document(const std::string& blocks, const std::string& api = "1,22,2,1", const std::string& meta = "{}") {
  return R"({"pandoc-api-version":[)" + api + R"(],"meta":)" + meta + R"(,"blocks":[)" + blocks + "]}";
}

struct Converted {
  Conversion conv;
  std::vector<Diagnostic> diagnostics;
  const doc::Blocks& blocks() const { return conv.module.blocks; }
  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    for (const auto& d : diagnostics) out.push_back(format_diagnostic(d));
    return out;
  }
};

Converted convert(const std::string& json, std::string_view source = {}) {
  Converted c;
  ConvertOptions o;
  o.base.path = kPath;
  o.source = source;
  Diagnostics diags;
  c.conv = convert_pandoc_json(json, o, diags);
  c.diagnostics = diags.all();
  if (c.conv.status != Status::Ok) UNSCOPED_INFO("conversion: " << c.conv.message << "\n" << json);
  return c;
}

// The inlines written compactly: words as they are, Space "_", NbSpace "~",
// SoftBreak "/", LineBreak "//", Emph *..*, Strong **..**, Code `..`,
// Link [..](target), Note ^[n blocks].
std::string show(const doc::Inlines& v) {
  std::string out;
  for (const auto& in : v) {
    switch (in.kind) {
      case InlineKind::Text: out += in.text; break;
      case InlineKind::Space: out += "_"; break;
      case InlineKind::NbSpace: out += "~"; break;
      case InlineKind::SoftBreak: out += "/"; break;
      case InlineKind::LineBreak: out += "//"; break;
      case InlineKind::Emph: out += "*" + show(in.children) + "*"; break;
      case InlineKind::Strong: out += "**" + show(in.children) + "**"; break;
      case InlineKind::Code: out += "`" + in.text + "`"; break;
      case InlineKind::Link: out += "[" + show(in.children) + "](" + in.target + ")"; break;
      case InlineKind::Note: out += "^[" + std::to_string(in.note ? in.note->size() : 0) + "]"; break;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("pandoc json: text inlines and their spaces", "[pandoc_ast]") {
  const auto c = convert(document(para(str("Hej") + "," + SP + "," + str("du") + R"(,{"t":"SoftBreak"},)" + str("rad") +
                                       R"(,{"t":"LineBreak"},)" + str("två"))));
  REQUIRE(c.conv.status == Status::Ok);
  REQUIRE(c.blocks().size() == 1);
  CHECK(c.blocks()[0].kind == BlockKind::Para);
  CHECK(show(c.blocks()[0].inlines) == "Hej_du/rad//två");
  CHECK(c.blocks()[0].loc.path == kPath);
  CHECK(c.diagnostics.empty());
}

TEST_CASE("doc::words: spaces, no-break spaces and words, and back", "[pandoc_ast]") {
  const std::string s = "Åsa  Öberg\u00A0kr ";
  const doc::Inlines w = doc::words(s);
  CHECK(show(w) == "Åsa__Öberg~kr_");
  REQUIRE(w.size() == 7);
  CHECK(w[6].kind == InlineKind::Space);
  CHECK(doc::plain_text(w) == s);
  CHECK(doc::words("").empty());
}

TEST_CASE("pandoc json: no-break spaces inside Str become NbSpace; text is NFC", "[pandoc_ast]") {
  // 6 kap. 11 § with no-break spaces, and a decomposed ä (a + U+0308).
  const auto c = convert(document(para(str("6\u00a0kap.") + "," + SP + "," + str("11\u00a0\u00a7") + "," + SP + "," + str("ba\u0308r"))));
  REQUIRE(c.conv.status == Status::Ok);
  const auto& in = c.blocks()[0].inlines;
  CHECK(show(in) == "6~kap._11~§_bär");
  REQUIRE(in.size() == 9);
  CHECK(in[0].text == "6");
  CHECK(in[1].kind == InlineKind::NbSpace);
  CHECK(in[8].text == "b\u00e4r");
  for (const auto& i : in)
    if (i.kind == InlineKind::Text) CHECK(i.text.find("\u00a0") == std::string::npos);
}

TEST_CASE("pandoc json: formatting inlines", "[pandoc_ast]") {
  const std::string inl =
      R"({"t":"Emph","c":[)" + str("e") + R"(]},)" + SP + "," +
      R"({"t":"Strong","c":[)" + str("s") + R"(]},)" + SP + "," +
      R"({"t":"Underline","c":[)" + str("u") + R"(]},)" + SP + "," +
      R"({"t":"SmallCaps","c":[)" + str("sc") + R"(]},)" + SP + "," +
      R"({"t":"Strikeout","c":[)" + str("st") + R"(]},)" + SP + "," +
      str("H") + R"(,{"t":"Subscript","c":[)" + str("2") + R"(]},)" + str("O") + "," + SP + "," +
      str("m") + R"(,{"t":"Superscript","c":[)" + str("2") + R"(]},)" + SP + "," +
      R"({"t":"Code","c":[["",[],[]],"a  b"]},)" + SP + "," +
      R"({"t":"Math","c":[{"t":"InlineMath"},"x^2"]},)" + SP + "," +
      R"({"t":"Span","c":[["",["x"],[]],[)" + str("span") + R"(]]},)" + SP + "," +
      R"({"t":"Cite","c":[[{"citationId":"c","citationPrefix":[],"citationSuffix":[],"citationMode":{"t":"AuthorInText"},"citationNoteNum":1,"citationHash":0}],[)" +
      str("@c") + R"(]]})";
  const auto c = convert(document(para(inl)));
  REQUIRE(c.conv.status == Status::Ok);
  CHECK(show(c.blocks()[0].inlines) == "*e*_**s**_*u*_sc_st_H2O_m2_`a  b`_`x^2`_span_@c");
  CHECK(c.diagnostics.empty());
}

TEST_CASE("pandoc json: quotes are Swedish", "[pandoc_ast]") {
  const auto c = convert(document(para(R"({"t":"Quoted","c":[{"t":"DoubleQuote"},[)" + str("sa") + "," + SP + "," +
                                       str("hon") + R"(]]},)" + SP + R"(,{"t":"Quoted","c":[{"t":"SingleQuote"},[)" +
                                       str("ja") + R"(]]})")));
  REQUIRE(c.conv.status == Status::Ok);
  // U+201D opens and closes a double quotation, U+2019 a single one.
  CHECK(show(c.blocks()[0].inlines) == "\u201Dsa_hon\u201D_\u2019ja\u2019");
  CHECK(c.blocks()[0].inlines[0].text == "\u201Dsa");
}

TEST_CASE("pandoc json: links, footnotes and inline images", "[pandoc_ast]") {
  const std::string link =
      R"({"t":"Link","c":[["",[],[]],[)" + str("länk") + R"(],["https://x.se/%7B%7Bmunicipality.slug%7D%7D/a%20b","t"]]})";
  const std::string note = R"({"t":"Note","c":[)" + para(str("Fotnot")) + "]}";
  const std::string image = R"({"t":"Image","c":[["",[],[]],[)" + str("alt") + "," + SP + "," + str("text") +
                            R"(],["img/b.png",""]]})";
  const auto c = convert(document(para(str("Se") + "," + SP + "," + link + "," + note + "," + SP + "," + image)),
                         "Se [länk](https://x.se/{{municipality.slug}}/a%20b)[^1] ![alt text](img/b.png)\n");
  REQUIRE(c.conv.status == Status::Ok);
  const auto& in = c.blocks()[0].inlines;
  CHECK(show(in) == "Se_[länk](https://x.se/{{municipality.slug}}/a%20b)^[1]_alt_text");
  REQUIRE(in[3].note);
  CHECK(show((*in[3].note)[0].inlines) == "Fotnot");
  REQUIRE(c.messages().size() == 1);
  CHECK(c.messages()[0] ==
        "materials/modules/01-test.md:1:69: warning: image img/b.png inside running text is not printed; its "
        "description is set instead\n  hint: put the image in a paragraph of its own");
}

TEST_CASE("pandoc json: headings, levels clamped, ids kept", "[pandoc_ast]") {
  const auto c = convert(document(R"({"t":"Header","c":[1,["intro",[],[]],[)" + str("Inledning") + R"(]]},)" +
                                  R"({"t":"Header","c":[5,["djup",[],[]],[)" + str("Djup") + R"(]]})"));
  REQUIRE(c.conv.status == Status::Ok);
  REQUIRE(c.blocks().size() == 2);
  CHECK(c.blocks()[0].kind == BlockKind::Heading);
  CHECK(c.blocks()[0].level == 1);
  CHECK(c.blocks()[0].id == "intro");
  CHECK(c.blocks()[1].level == 3);
  CHECK(c.conv.module.title == "Inledning");  // no front matter: the first level-1 heading
}

TEST_CASE("pandoc json: the title comes from the front matter", "[pandoc_ast]") {
  const std::string h1 = R"({"t":"Header","c":[1,["x",[],[]],[)" + str("Rubrik") + R"(]]})";
  auto c = convert(document(h1, "1,22,2,1",
                            R"({"title":{"t":"MetaInlines","c":[)" + str("Begrepp") + "," + SP + R"(,{"t":"Emph","c":[)" +
                                str("och") + R"(]},)" + SP + "," + str("lagar") + "]}}"));
  CHECK(c.conv.module.title == "Begrepp och lagar");
  c = convert(document(h1, "1,22,2,1", R"({"title":{"t":"MetaString","c":"Enkel titel"}})"));
  CHECK(c.conv.module.title == "Enkel titel");
  c = convert(document(h1, "1,22,2,1", R"({"title":{"t":"MetaBlocks","c":[)" + para(str("Block")) + "]}}"));
  CHECK(c.conv.module.title == "Block");
  c = convert(document(h1, "1,22,2,1", R"({"author":{"t":"MetaString","c":"x"}})"));
  CHECK(c.conv.module.title == "Rubrik");
}

TEST_CASE("pandoc json: lists, nested, with start numbers", "[pandoc_ast]") {
  const std::string ordered = R"({"t":"OrderedList","c":[[3,{"t":"Decimal"},{"t":"Period"}],[[)" + plain(str("b")) +
                              "],[" + plain(str("c")) + "]]]}";
  const auto c = convert(document(R"({"t":"BulletList","c":[[)" + plain(str("a")) + "," + ordered + "],[" +
                                  plain(str("d")) + "]]}"));
  REQUIRE(c.conv.status == Status::Ok);
  REQUIRE(c.blocks().size() == 1);
  const auto& list = c.blocks()[0];
  CHECK(list.kind == BlockKind::BulletList);
  REQUIRE(list.items.size() == 2);
  REQUIRE(list.items[0].size() == 2);
  CHECK(list.items[0][0].kind == BlockKind::Plain);
  const auto& inner = list.items[0][1];
  CHECK(inner.kind == BlockKind::OrderedList);
  CHECK(inner.start == 3);
  REQUIRE(inner.items.size() == 2);
  CHECK(show(inner.items[1][0].inlines) == "c");
  CHECK(show(list.items[1][0].inlines) == "d");
}

TEST_CASE("pandoc json: block quote, rule, code, line block, definition list, Null", "[pandoc_ast]") {
  const std::string blocks =
      R"({"t":"BlockQuote","c":[)" + para(str("citat")) + R"(]},{"t":"HorizontalRule"},)" +
      R"({"t":"CodeBlock","c":[["",["sh"],[]],"make packs\n  --only eksjo"]},)" +
      R"({"t":"LineBlock","c":[[)" + str("rad") + "],[" + str("\u00a0\u00a0två") + R"(]]},)" +
      R"({"t":"DefinitionList","c":[[[)" + str("Term") + "],[[" + plain(str("Def")) + "],[" +
      para(str("Två")) + R"(]]]]},{"t":"Null"})";
  const auto c = convert(document(blocks));
  REQUIRE(c.conv.status == Status::Ok);
  REQUIRE(c.blocks().size() == 7);
  CHECK(c.blocks()[0].kind == BlockKind::BlockQuote);
  CHECK(show(c.blocks()[0].children[0].inlines) == "citat");
  CHECK(c.blocks()[1].kind == BlockKind::HorizontalRule);
  CHECK(c.blocks()[2].kind == BlockKind::CodeBlock);
  CHECK(c.blocks()[2].text == "make packs\n  --only eksjo");
  CHECK(c.blocks()[3].kind == BlockKind::Para);
  CHECK(show(c.blocks()[3].inlines) == "rad//~~två");
  CHECK(c.blocks()[4].kind == BlockKind::Para);
  CHECK(show(c.blocks()[4].inlines) == "**Term**");
  CHECK(c.blocks()[5].kind == BlockKind::Plain);
  CHECK(show(c.blocks()[5].inlines) == "Def");
  CHECK(show(c.blocks()[6].inlines) == "Två");
  CHECK(c.diagnostics.empty());
}

TEST_CASE("pandoc json: divs keep classes and take their title", "[pandoc_ast]") {
  const std::string with_attr = R"({"t":"Div","c":[["d1",["discussion"],[["title","Diskutera {{municipality.name}}"]]],[)" +
                                para(str("Innehåll")) + "]]}";
  const std::string with_heading = R"({"t":"Div","c":[["",["note"],[]],[{"t":"Header","c":[3,["",[],[]],[)" +
                                   str("Observera") + "]]}," + para(str("Text")) + "]]}";
  const std::string plain_div = R"({"t":"Div","c":[["",[],[]],[{"t":"Header","c":[2,["",[],[]],[)" + str("H") +
                                "]]}]]}";
  const auto c = convert(document(with_attr + "," + with_heading + "," + plain_div));
  REQUIRE(c.conv.status == Status::Ok);
  REQUIRE(c.blocks().size() == 3);
  const auto& d = c.blocks()[0];
  CHECK(d.kind == BlockKind::Div);
  CHECK(d.classes == std::vector<std::string>{"discussion"});
  CHECK(d.title == "Diskutera {{municipality.name}}");
  REQUIRE(d.children.size() == 1);
  CHECK(show(d.children[0].inlines) == "Innehåll");
  const auto& n = c.blocks()[1];
  CHECK(n.title == "Observera");
  REQUIRE(n.children.size() == 1);
  CHECK(n.children[0].kind == BlockKind::Para);
  // A div without a class keeps its heading.
  CHECK(c.blocks()[2].title.empty());
  CHECK(c.blocks()[2].children.size() == 1);
}

TEST_CASE("pandoc json: tables (pandoc-types 1.22 structure)", "[pandoc_ast]") {
  auto cell = [](const std::string& s, int colspan = 1) {
    return R"([["",[],[]],{"t":"AlignDefault"},1,)" + std::to_string(colspan) + ",[" + plain(str(s)) + "]]";
  };
  auto row = [](const std::string& cells) { return R"([["",[],[]],[)" + cells + "]]"; };
  const std::string table =
      R"({"t":"Table","c":[["",[],[]],[null,[)" + plain(str("Tabell") + "," + SP + "," + str("1")) + "]]," +
      R"([[{"t":"AlignLeft"},{"t":"ColWidthDefault"}],[{"t":"AlignRight"},{"t":"ColWidth","c":0.25}],[{"t":"AlignCenter"},{"t":"ColWidthDefault"}]],)" +
      R"([["",[],[]],[)" + row(cell("A") + "," + cell("B") + "," + cell("C")) + "]]," +
      R"([[["",[],[]],0,[],[)" + row(cell("1") + "," + cell("2") + "," + cell("3")) + "," +
      row(cell("wide", 2) + "," + cell("x")) + "," + row(cell("short")) + "]]]," +
      R"([["",[],[]],[)" + row(cell("sum") + "," + cell("") + "," + cell("9")) + "]]]}";
  const auto c = convert(document(table));
  REQUIRE(c.conv.status == Status::Ok);
  REQUIRE(c.blocks().size() == 1);
  const auto& b = c.blocks()[0];
  CHECK(b.kind == BlockKind::Table);
  REQUIRE(b.table);
  const auto& t = *b.table;
  CHECK(show(t.caption) == "Tabell_1");
  CHECK(t.aligns == std::vector<doc::Align>{doc::Align::Left, doc::Align::Right, doc::Align::Center});
  CHECK(t.widths == std::vector<double>{0.0, 0.25, 0.0});
  REQUIRE(t.header.size() == 3);
  CHECK(show(t.header[1].blocks[0].inlines) == "B");
  REQUIRE(t.rows.size() == 4);  // three body rows and the foot
  for (const auto& r : t.rows) CHECK(r.size() == 3);
  CHECK(show(t.rows[0][2].blocks[0].inlines) == "3");
  CHECK(show(t.rows[1][0].blocks[0].inlines) == "wide");
  CHECK(t.rows[1][1].blocks.empty());  // spanned by "wide"
  CHECK(show(t.rows[1][2].blocks[0].inlines) == "x");
  CHECK(t.rows[2][1].blocks.empty());  // padded
  CHECK(show(t.rows[3][0].blocks[0].inlines) == "sum");
}

TEST_CASE("pandoc json: figures in 1.22 (fig: images) and 1.23 (Figure)", "[pandoc_ast]") {
  const std::string fig122 = para(R"({"t":"Image","c":[["",[],[]],[)" + str("Karta") + "," + SP + "," + str("över") +
                                  R"(],["img/karta%20j%C3%B6nk%C3%B6ping.png","fig:titel"]]})");
  const std::string lone = para(R"({"t":"Image","c":[["",[],[]],[)" + str("alt") + R"(],["img/a.png",""]]})" +
                                R"(,{"t":"LineBreak"})");
  auto c = convert(document(fig122 + "," + lone));
  REQUIRE(c.conv.status == Status::Ok);
  REQUIRE(c.blocks().size() == 2);
  CHECK(c.blocks()[0].kind == BlockKind::Figure);
  CHECK(c.blocks()[0].target == "img/karta jönköping.png");
  CHECK(show(c.blocks()[0].inlines) == "Karta_över");
  CHECK(c.blocks()[1].kind == BlockKind::Figure);  // alone in its paragraph, no caption
  CHECK(c.blocks()[1].target == "img/a.png");
  CHECK(c.blocks()[1].inlines.empty());
  CHECK(c.diagnostics.empty());

  const std::string fig123 = R"({"t":"Figure","c":[["fig1",[],[]],[null,[)" + plain(str("Bildtext")) + "]],[" +
                             plain(R"({"t":"Image","c":[["",[],[]],[)" + str("Bildtext") +
                                   R"(],["img/b.png",""]]})") + "]]}";
  c = convert(document(fig123, "1,23,1"));
  REQUIRE(c.conv.status == Status::Ok);
  REQUIRE(c.blocks().size() == 1);
  CHECK(c.blocks()[0].kind == BlockKind::Figure);
  CHECK(c.blocks()[0].target == "img/b.png");
  CHECK(show(c.blocks()[0].inlines) == "Bildtext");
}

TEST_CASE("pandoc json: raw blocks are dropped with a warning at their line", "[pandoc_ast]") {
  const std::string source =
      "---\ntitle: Test\n---\n\nStycke ett.\n\n<table>\n<tr><td>x</td></tr>\n</table>\n\n"
      "<!-- en kommentar -->\n\n\\newpage\n\nSlut <b>fet</b>.\n";
  const std::string blocks = para(str("Stycke") + "," + SP + "," + str("ett.")) + "," +
                             R"({"t":"RawBlock","c":["html","<table>"]},{"t":"RawBlock","c":["html","<tr>"]},)" +
                             R"({"t":"RawBlock","c":["html","<td>"]},)" + plain(str("x")) + "," +
                             R"({"t":"RawBlock","c":["html","</td>"]},{"t":"RawBlock","c":["html","</tr>"]},)" +
                             R"({"t":"RawBlock","c":["html","</table>"]},)" +
                             R"({"t":"RawBlock","c":["html","<!-- en kommentar -->"]},)" +
                             R"({"t":"RawBlock","c":["latex","\\newpage"]},)" +
                             para(str("Slut") + "," + SP + R"(,{"t":"RawInline","c":["html","<b>"]},)" + str("fet") +
                                  R"(,{"t":"RawInline","c":["html","</b>"]},)" + str("."));
  const auto c = convert(document(blocks), source);
  REQUIRE(c.conv.status == Status::Ok);
  REQUIRE(c.blocks().size() == 3);
  CHECK(show(c.blocks()[0].inlines) == "Stycke_ett.");
  CHECK(c.blocks()[0].loc.line == 5);
  CHECK(show(c.blocks()[1].inlines) == "x");
  CHECK(show(c.blocks()[2].inlines) == "Slut_fet.");
  CHECK(c.blocks()[2].loc.line == 15);
  const auto m = c.messages();
  const std::string hint = "\n  hint: write it in Markdown instead; raw HTML and LaTeX are not supported";
  REQUIRE(m.size() == 4);
  CHECK(m[0] == "materials/modules/01-test.md:7:1: warning: raw HTML is not printed and was dropped: <table>" + hint);
  CHECK(m[1] == "materials/modules/01-test.md:8:10: warning: raw HTML is not printed and was dropped: </td>" + hint);
  CHECK(m[2] == "materials/modules/01-test.md:13:1: warning: raw LaTeX is not printed and was dropped: \\newpage" + hint);
  CHECK(m[3] == "materials/modules/01-test.md:15:6: warning: raw HTML is not printed and was dropped: <b>" + hint);
}

TEST_CASE("pandoc json: unknown elements are skipped with one warning each", "[pandoc_ast]") {
  const auto c = convert(document(R"({"t":"Frobnicate","c":[]},{"t":"Frobnicate"},)" +
                                  para(str("a") + R"(,{"t":"Sparkle","c":"x"})")));
  REQUIRE(c.conv.status == Status::Ok);
  REQUIRE(c.blocks().size() == 1);
  CHECK(show(c.blocks()[0].inlines) == "a");
  const auto m = c.messages();
  REQUIRE(m.size() == 2);
  CHECK(m[0] == "materials/modules/01-test.md:1:1: warning: unsupported Pandoc element Frobnicate was skipped");
  CHECK(m[1] == "materials/modules/01-test.md:1:1: warning: unsupported Pandoc element Sparkle was skipped");
}

TEST_CASE("pandoc json: API versions 1.22 and 1.23 only", "[pandoc_ast]") {
  CHECK(convert(document(para(str("a")), "1,22")).conv.status == Status::Ok);
  CHECK(convert(document(para(str("a")), "1,23,1")).conv.status == Status::Ok);
  auto c = convert(document(para(str("a")), "1,21,0"));
  CHECK(c.conv.status == Status::EnvironmentError);
  CHECK(c.conv.message ==
        "Pandoc's output uses pandoc-types API 1.21.0; coursepack supports pandoc-types API 1.22 (pandoc 2.11 to "
        "2.19) and 1.23 (pandoc 3.x)");
  c = convert(R"({"meta":{},"blocks":[]})");
  CHECK(c.conv.status == Status::EnvironmentError);
  CHECK(c.conv.message == "Pandoc's output has no pandoc-api-version");
  CHECK(convert(document(para(str("a")), "2,0")).conv.status == Status::EnvironmentError);
}

TEST_CASE("pandoc json: malformed input is an error, never a crash", "[pandoc_ast]") {
  const std::vector<std::string> bad = {
      "",
      "null",
      "[]",
      "{",
      R"({"pandoc-api-version":[1,22],"meta":{}})",
      R"({"pandoc-api-version":[1,22],"meta":{},"blocks":{}})",
      R"({"pandoc-api-version":[1,22],"meta":{},"blocks":[1]})",
      R"({"pandoc-api-version":[1,22],"meta":{},"blocks":[{"t":5}]})",
      R"({"pandoc-api-version":[1,22],"meta":{},"blocks":[{"t":"Para"}]})",
      R"({"pandoc-api-version":[1,22],"meta":{},"blocks":[{"t":"Para","c":"x"}]})",
      R"({"pandoc-api-version":[1,22],"meta":{},"blocks":[{"t":"Para","c":[{"t":"Str","c":5}]}]})",
      R"({"pandoc-api-version":[1,22],"meta":{},"blocks":[{"t":"Header","c":[1]}]})",
      R"({"pandoc-api-version":[1,22],"meta":{},"blocks":[{"t":"Header","c":["1",["",[],[]],[]]}]})",
      R"({"pandoc-api-version":[1,22],"meta":{},"blocks":[{"t":"Table","c":[["",[],[]],[null,[]],[],[]]}]})",
      R"({"pandoc-api-version":[1,22],"meta":{},"blocks":[{"t":"Table","c":[["",[],[]],[null,[]],[[{"t":"AlignLeft"},{"t":"ColWidth","c":"x"}]],[["",[],[]],[]],[],[["",[],[]],[]]]}]})",
      R"({"pandoc-api-version":[1,22],"meta":{},"blocks":[{"t":"OrderedList","c":[["x"],[]]}]})",
      R"({"pandoc-api-version":[1,22],"meta":{},"blocks":[{"t":"Div","c":[["",[1],[]],[]]}]})",
      R"({"pandoc-api-version":[1,22],"meta":{},"blocks":[{"t":"Para","c":[{"t":"Link","c":[["",[],[]],[],[]]}]}]})",
      R"({"pandoc-api-version":[1,22],"meta":{"title":{"t":"MetaInlines","c":7}},"blocks":[]})",
  };
  for (const auto& json : bad) {
    INFO(json);
    Converted c;
    CHECK_NOTHROW(c = convert(json));
    CHECK(c.conv.status == Status::EnvironmentError);
    CHECK_FALSE(c.conv.message.empty());
  }
  // Huge numbers are clamped, not overflowed.
  const auto big = convert(document(R"({"t":"Header","c":[18446744073709551615,["",[],[]],[]]},)"
                                    R"({"t":"OrderedList","c":[[-9223372036854775808,{"t":"Decimal"},{"t":"Period"}],[]]})"));
  CHECK(big.conv.status == Status::Ok);
}

TEST_CASE("pandoc json: random corruption of a valid document never crashes", "[pandoc_ast]") {
  const std::string valid = document(
      R"({"t":"Header","c":[1,["a",[],[]],[)" + str("Rubrik") + R"(]]},)" +
      para(str("x\u00a0y") + "," + SP + R"(,{"t":"Quoted","c":[{"t":"DoubleQuote"},[)" + str("q") + R"(]]},)" +
           R"({"t":"Note","c":[)" + para(str("n")) + R"(]},{"t":"Link","c":[["",[],[]],[)" + str("l") +
           R"(],["u",""]]})") +
      R"(,{"t":"BulletList","c":[[)" + plain(str("i")) + R"(]]},{"t":"Div","c":[["",["case"],[["title","T"]]],[]]})");
  REQUIRE(convert(valid).conv.status == Status::Ok);
  std::mt19937 rng(20230314);
  const std::string alphabet = "{}[]\",:0123456789tcStrParNoe \\";
  for (int round = 0; round < 3000; ++round) {
    std::string mutated = valid;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t pos = rng() % mutated.size();
      switch (rng() % 3) {
        case 0: mutated[pos] = alphabet[rng() % alphabet.size()]; break;
        case 1: mutated.erase(pos, 1 + rng() % 8); break;
        default: mutated.insert(pos, 1, alphabet[rng() % alphabet.size()]); break;
      }
      if (mutated.empty()) mutated.assign(1, '{');  // not = "{": GCC 12 -Wrestrict false positive
    }
    Diagnostics diags;
    ConvertOptions o;
    o.base.path = kPath;
    o.source = "x y";
    CHECK_NOTHROW(convert_pandoc_json(mutated, o, diags));
  }
  for (std::size_t cut = 0; cut < valid.size(); ++cut) {
    Diagnostics diags;
    const auto c = convert_pandoc_json(valid.substr(0, cut), ConvertOptions{}, diags);
    CHECK(c.status != Status::Ok);
  }
}

TEST_CASE("pandoc json: nesting beyond the limit is an input error", "[pandoc_ast]") {
  std::string blocks = para(str("djupt"));
  for (int i = 0; i < 150; ++i) blocks = R"({"t":"BlockQuote","c":[)" + blocks + "]}";
  const auto c = convert(document(blocks));
  CHECK(c.conv.status == Status::InputError);
  REQUIRE(c.messages().size() == 1);
  CHECK(c.messages()[0] ==
        "materials/modules/01-test.md:1:1: error: the text is nested too deeply (more than 100 levels)\n"
        "  hint: flatten the nested lists or block quotes");

  std::string ok = para(str("lagom"));
  for (int i = 0; i < 20; ++i) ok = R"({"t":"BlockQuote","c":[)" + ok + "]}";
  CHECK(convert(document(ok)).conv.status == Status::Ok);
}

TEST_CASE("pandoc json: without source every location is the base", "[pandoc_ast]") {
  Diagnostics diags;
  ConvertOptions o;
  o.base = SourceLoc{"materials/municipalities/eksjo.yaml", 12, 8};
  const auto c = convert_pandoc_json(document(para(str("a")) + R"(,{"t":"RawBlock","c":["html","<p>"]})"), o, diags);
  REQUIRE(c.status == Status::Ok);
  CHECK(c.module.blocks[0].loc.line == 12);
  REQUIRE(diags.all().size() == 1);
  CHECK(diags.all()[0].loc.line == 12);
  CHECK(diags.all()[0].loc.col == 8);
}

TEST_CASE("pandoc json: blocks are located on their own lines", "[pandoc_ast]") {
  // A heading and the paragraph after it start with the same word; table
  // cells are short and hold no-break spaces.
  const std::string source =
      "## Den svenska modellen\n\nDen 1 januari 1999 infördes förbudet.\n\n"
      "| Brott | Lagrum |\n|:--|:--|\n| Koppleri | 6\u00a0kap. 12\u00a0§ |\n| Köp | 6\u00a0kap. 11\u00a0§ |\n\n"
      "- Den första\n- Den andra\n";
  auto cell = [](const std::string& inl) { return R"([["",[],[]],{"t":"AlignDefault"},1,1,[)" + plain(inl) + "]]"; };
  auto row = [](const std::string& cells) { return R"([["",[],[]],[)" + cells + "]]"; };
  const std::string blocks =
      R"({"t":"Header","c":[2,["",[],[]],[)" + str("Den") + "," + SP + "," + str("svenska") + "," + SP + "," +
      str("modellen") + "]]}," +
      para(str("Den") + "," + SP + "," + str("1") + "," + SP + "," + str("januari") + "," + SP + "," + str("1999") +
           "," + SP + "," + str("infördes") + "," + SP + "," + str("förbudet.")) +
      R"(,{"t":"Table","c":[["",[],[]],[null,[]],[[{"t":"AlignLeft"},{"t":"ColWidthDefault"}],[{"t":"AlignLeft"},{"t":"ColWidthDefault"}]],)" +
      R"([["",[],[]],[)" + row(cell(str("Brott")) + "," + cell(str("Lagrum"))) + "]]," + R"([[["",[],[]],0,[],[)" +
      row(cell(str("Koppleri")) + "," + cell(str("6\u00a0kap.") + "," + SP + "," + str("12\u00a0§"))) + "," +
      row(cell(str("Köp")) + "," + cell(str("6\u00a0kap.") + "," + SP + "," + str("11\u00a0§"))) + R"(]]],[["",[],[]],[]]]},)" +
      R"({"t":"BulletList","c":[[)" + plain(str("Den") + "," + SP + "," + str("första")) + "],[" +
      plain(str("Den") + "," + SP + "," + str("andra")) + "]]}";
  const auto c = convert(document(blocks), source);
  REQUIRE(c.conv.status == Status::Ok);
  REQUIRE(c.blocks().size() == 4);
  CHECK(c.blocks()[0].loc.line == 1);
  CHECK(c.blocks()[0].loc.col == 4);
  CHECK(c.blocks()[1].loc.line == 3);
  const auto& t = *c.blocks()[2].table;
  CHECK(c.blocks()[2].loc.line == 5);
  CHECK(t.rows[0][0].blocks[0].loc.line == 7);
  CHECK(t.rows[0][1].blocks[0].loc.line == 7);
  CHECK(t.rows[0][1].blocks[0].loc.col == 14);
  CHECK(t.rows[1][1].blocks[0].loc.line == 8);
  CHECK(c.blocks()[3].items[0][0].loc.line == 10);
  CHECK(c.blocks()[3].items[1][0].loc.line == 11);
}

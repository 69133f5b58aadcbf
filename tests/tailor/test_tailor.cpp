#include "tailor/tailor.h"

#include <catch2/catch.hpp>

using namespace cp;
using doc::BlockKind;
using doc::InlineKind;

namespace {

doc::Inline text(std::string s) {
  doc::Inline i;
  i.kind = InlineKind::Text;
  i.text = std::move(s);
  return i;
}
doc::Inline kind(InlineKind k) {
  doc::Inline i;
  i.kind = k;
  return i;
}
const doc::Inline SP = kind(InlineKind::Space);

// Words as they are, Space "_", NbSpace "~", SoftBreak "/", others marked.
std::string show(const doc::Inlines& v) {
  std::string out;
  for (const auto& in : v) {
    switch (in.kind) {
      case InlineKind::Text: out += in.text + "|"; break;
      case InlineKind::Space: out += "_"; break;
      case InlineKind::NbSpace: out += "~"; break;
      case InlineKind::SoftBreak: out += "/"; break;
      case InlineKind::LineBreak: out += "//"; break;
      case InlineKind::Emph: out += "*" + show(in.children) + "*"; break;
      case InlineKind::Strong: out += "**" + show(in.children) + "**"; break;
      case InlineKind::Code: out += "`" + in.text + "`"; break;
      case InlineKind::Link: out += "[" + show(in.children) + "](" + in.target + ")"; break;
      case InlineKind::Note: out += "^note"; break;
    }
  }
  return out;
}

doc::Block para(doc::Inlines in) {
  doc::Block b;
  b.kind = BlockKind::Para;
  b.inlines = std::move(in);
  return b;
}

struct Visit {
  model::Project project;
  model::Course course;
  model::Municipality municipality;
  model::Visit visit;
  model::PlaceholderContext ctx;
  Visit() {
    project.title = "SPoM i Jönköpings län";
    course.id = "grund";
    course.title = "Grundkurs";
    municipality.name = "Eksjö kommun";
    municipality.slug = "eksjo";
    municipality.population = 17634;
    visit.date = {2023, 3, 14};
    visit.venue = "Stadshuset";
    ctx.project = &project;
    ctx.course = &course;
    ctx.municipality = &municipality;
    ctx.visit = &visit;
  }
};

}  // namespace

TEST_CASE("tailor: a placeholder in one word", "[tailor]") {
  Visit v;
  const doc::Inlines in{text("Välkommen"), SP, text("till"), SP, text("{{municipality.name}}.")};
  CHECK(show(tailor::tailor(in, v.ctx)) == "Välkommen|_till|_Eksjö|_kommun.|");
}

TEST_CASE("tailor: a placeholder split over several inlines by Pandoc", "[tailor]") {
  Visit v;
  // `Datum: {{ visit.date }},` as Pandoc reads it.
  const doc::Inlines in{text("Datum:"), SP, text("{{"), SP, text("visit.date"), SP, text("}},"), SP, text("kl.")};
  const auto out = tailor::tailor(in, v.ctx);
  CHECK(show(out) == "Datum:|_14|_mars|_2023,|_kl.|");
  for (const auto& i : out)
    if (i.kind == InlineKind::Text) CHECK(i.text.find(' ') == std::string::npos);
}

TEST_CASE("tailor: no-break spaces in values become NbSpace", "[tailor]") {
  Visit v;
  const doc::Inlines in{text("Invånare:"), SP, text("{{municipality.population}}")};
  CHECK(show(tailor::tailor(in, v.ctx)) == "Invånare:|_17|~634|");
}

TEST_CASE("tailor: unknown placeholders and plain text stay as written", "[tailor]") {
  Visit v;
  const doc::Inlines in{text("{{visit.nope}}"), SP, text("och"), kind(InlineKind::NbSpace), text("{{"),
                        SP, text("x")};
  CHECK(show(tailor::tailor(in, v.ctx)) == "{{visit.nope}}|_och|~{{|_x|");
}

TEST_CASE("tailor: placeholders inside emphasis, links, code and soft breaks", "[tailor]") {
  Visit v;
  doc::Inline em = kind(InlineKind::Emph);
  em.children = {text("{{visit.venue}}")};
  doc::Inline link = kind(InlineKind::Link);
  link.children = {text("{{municipality.name}}")};
  link.target = "https://example.se/{{municipality.slug}}";
  doc::Inline code = kind(InlineKind::Code);
  code.text = "--only {{municipality.slug}}";
  const doc::Inlines in{em, SP, link, SP, code, kind(InlineKind::SoftBreak), text("{{course.title}}")};
  CHECK(show(tailor::tailor(in, v.ctx)) ==
        "*Stadshuset|*_[Eksjö|_kommun|](https://example.se/eksjo)_`--only eksjo`/Grundkurs|");
}

TEST_CASE("tailor: footnotes, table cells, captions, div titles, figures, module title", "[tailor]") {
  Visit v;
  doc::Module m;
  m.path = "materials/modules/01.md";
  m.title = "Om {{municipality.name}}";

  doc::Inline note = kind(InlineKind::Note);
  note.note = std::make_shared<doc::Blocks>(doc::Blocks{para({text("Se"), SP, text("{{visit.venue}}.")})});
  m.blocks.push_back(para({text("Text"), note}));

  doc::Block table;
  table.kind = BlockKind::Table;
  table.table = std::make_shared<doc::Table>();
  table.table->caption = {text("Kontakter"), SP, text("i"), SP, text("{{"), SP, text("municipality.name"), SP,
                          text("}}")};
  table.table->header = {{{para({text("Kommun")})}}};
  table.table->rows = {{{{para({text("{{municipality.name}}")})}}}};
  m.blocks.push_back(table);

  doc::Block div;
  div.kind = BlockKind::Div;
  div.classes = {"discussion"};
  div.title = "Diskutera i {{municipality.name}}";
  div.children = {para({text("{{project.title}}")})};
  m.blocks.push_back(div);

  doc::Block list;
  list.kind = BlockKind::BulletList;
  list.items = {{para({text("{{course.id}}")})}};
  m.blocks.push_back(list);

  doc::Block fig;
  fig.kind = BlockKind::Figure;
  fig.target = "img/{{municipality.slug}}.png";
  fig.inlines = {text("Karta:"), SP, text("{{municipality.name}}")};
  m.blocks.push_back(fig);

  const doc::Module out = tailor::tailor(m, v.ctx);
  CHECK(out.title == "Om Eksjö kommun");
  CHECK(out.path == m.path);
  REQUIRE(out.blocks.size() == 5);
  const auto& filled_note = out.blocks[0].inlines[1];
  REQUIRE(filled_note.note);
  CHECK(show((*filled_note.note)[0].inlines) == "Se|_Stadshuset.|");
  // The module's own tree is untouched (it is shared by every visit).
  CHECK(filled_note.note != note.note);
  CHECK(show((*m.blocks[0].inlines[1].note)[0].inlines) == "Se|_{{visit.venue}}.|");

  REQUIRE(out.blocks[1].table);
  CHECK(out.blocks[1].table != m.blocks[1].table);
  CHECK(show(out.blocks[1].table->caption) == "Kontakter|_i|_Eksjö|_kommun|");
  CHECK(show(out.blocks[1].table->rows[0][0].blocks[0].inlines) == "Eksjö|_kommun|");
  CHECK(show(m.blocks[1].table->rows[0][0].blocks[0].inlines) == "{{municipality.name}}|");

  CHECK(out.blocks[2].title == "Diskutera i Eksjö kommun");
  CHECK(out.blocks[2].classes == std::vector<std::string>{"discussion"});
  CHECK(show(out.blocks[2].children[0].inlines) == "SPoM|_i|_Jönköpings|_län|");
  CHECK(show(out.blocks[3].items[0][0].inlines) == "grund|");
  CHECK(out.blocks[4].target == "img/eksjo.png");
  CHECK(show(out.blocks[4].inlines) == "Karta:|_Eksjö|_kommun|");
}

TEST_CASE("tailor: fill() for headers and footers", "[tailor]") {
  Visit v;
  v.ctx.page = 3;
  v.ctx.pages = 12;
  CHECK(tailor::fill("sida {{page}} av {{pages}}", v.ctx) == "sida 3 av 12");
  CHECK(tailor::fill("{{project.title}} – {{municipality.name}}", v.ctx) == "SPoM i Jönköpings län – Eksjö kommun");
  CHECK(tailor::fill("utan", v.ctx) == "utan");
}

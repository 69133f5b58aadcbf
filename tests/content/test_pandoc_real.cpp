// The real Pandoc on a snippet with every block kind (needs pandoc on PATH;
// `make test` installs it).
#include <catch2/catch.hpp>

#include <cstdlib>

#include "content/html.h"
#include "content/pandoc.h"

using namespace cp;
using namespace cp::content;
using doc::BlockKind;
using doc::InlineKind;

namespace {

const char* kMarkdown = R"(---
title: Begrepp och *lagar*
---

# Inledning {#inledning}

Text med *betoning*, **fetstil**, `kod`, en [länk](https://www.jonkoping.se) och en fotnot.[^1]
Enligt 6 kap. 11 § gäller "detta" i {{ municipality.name }}.

[^1]: Fotnoten nämner {{municipality.name}}.

## Listor

- Första punkten
    1. Inre ett
    2. Inre två
- Andra punkten

3. Tre
4. Fyra

| Begrepp | Betydelse            |
|:--------|---------------------:|
| SPoM    | Sexuell exploatering |

: Begrepp i kursen

> Ett citat.

::: {.discussion title="Diskutera i {{municipality.name}}"}
Vad gör ni?
:::

![Karta över länet](img/karta.png)

<div class="x"><table><tr><td>rå</td></tr></table></div>

* * *
)";

bool has(const doc::Inlines& v, InlineKind k) {
  for (const auto& i : v) {
    if (i.kind == k) return true;
    if (has(i.children, k)) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("real pandoc: every block kind of a module", "[pandoc][real]") {
  const char* path = std::getenv("PATH");
  SystemProcessRunner runner(path ? path : "");
  PandocCache cache;
  Diagnostics diags;
  std::string md = kMarkdown;
  // A real no-break space in "6 kap." (U+00A0 after the 6).
  md.replace(md.find("6 kap."), 2, "6\u00a0");

  const auto r = parse_module("materials/modules/01-begrepp.md", md, runner, cache, diags);
  INFO(r.message);
  REQUIRE(r.status == Status::Ok);
  const auto& m = r.module;
  CHECK(m.title == "Begrepp och lagar");

  std::vector<BlockKind> kinds;
  for (const auto& b : m.blocks) kinds.push_back(b.kind);
  const std::vector<BlockKind> expected{BlockKind::Heading,    BlockKind::Para,   BlockKind::Heading,
                                        BlockKind::BulletList, BlockKind::OrderedList, BlockKind::Table,
                                        BlockKind::BlockQuote, BlockKind::Div,    BlockKind::Figure,
                                        BlockKind::Div,        BlockKind::HorizontalRule};
  CHECK(kinds == expected);
  REQUIRE(kinds.size() == expected.size());

  CHECK(m.blocks[0].id == "inledning");
  CHECK(m.blocks[0].level == 1);
  CHECK(m.blocks[0].loc.line == 5);

  const auto& p = m.blocks[1];
  CHECK(p.loc.line == 7);
  CHECK(has(p.inlines, InlineKind::Emph));
  CHECK(has(p.inlines, InlineKind::Strong));
  CHECK(has(p.inlines, InlineKind::Code));
  CHECK(has(p.inlines, InlineKind::NbSpace));
  CHECK(has(p.inlines, InlineKind::SoftBreak));
  const std::string text = doc::plain_text(p.inlines);
  CHECK(text.find("\u201Ddetta\u201D") != std::string::npos);
  CHECK(text.find("{{ municipality.name }}") != std::string::npos);
  const doc::Inline* link = nullptr;
  const doc::Inline* note = nullptr;
  for (const auto& i : p.inlines) {
    if (i.kind == InlineKind::Link) link = &i;
    if (i.kind == InlineKind::Note) note = &i;
  }
  REQUIRE(link);
  CHECK(link->target == "https://www.jonkoping.se");
  CHECK(doc::plain_text(link->children) == "länk");
  REQUIRE(note);
  REQUIRE(note->note);
  CHECK(doc::plain_text((*note->note)[0].inlines) == "Fotnoten nämner {{municipality.name}}.");

  CHECK(m.blocks[2].level == 2);
  const auto& bullets = m.blocks[3];
  REQUIRE(bullets.items.size() == 2);
  REQUIRE(bullets.items[0].size() == 2);
  CHECK(bullets.items[0][1].kind == BlockKind::OrderedList);
  CHECK(bullets.items[0][1].items.size() == 2);
  CHECK(m.blocks[4].start == 3);

  // Pandoc gives no positions; the lines are found in the source.
  CHECK(m.blocks[3].loc.line == 14);
  CHECK(m.blocks[4].loc.line == 19);
  CHECK(m.blocks[5].loc.line == 22);
  CHECK(m.blocks[6].loc.line == 28);
  CHECK(m.blocks[8].loc.line == 34);
  CHECK(m.blocks[10].loc.line == 36);  // a rule has no words: the line of the block before

  const auto& table = m.blocks[5];
  REQUIRE(table.table);
  CHECK(doc::plain_text(table.table->caption) == "Begrepp i kursen");
  CHECK(table.table->aligns == std::vector<doc::Align>{doc::Align::Left, doc::Align::Right});
  REQUIRE(table.table->header.size() == 2);
  CHECK(doc::plain_text(table.table->header[0].blocks[0].inlines) == "Begrepp");
  REQUIRE(table.table->rows.size() == 1);
  CHECK(doc::plain_text(table.table->rows[0][1].blocks[0].inlines) == "Sexuell exploatering");

  CHECK(doc::plain_text(m.blocks[6].children[0].inlines) == "Ett citat.");
  const auto& div = m.blocks[7];
  CHECK(div.classes == std::vector<std::string>{"discussion"});
  CHECK(div.title == "Diskutera i {{municipality.name}}");
  CHECK(doc::plain_text(div.children[0].inlines) == "Vad gör ni?");
  CHECK(m.blocks[8].target == "img/karta.png");
  CHECK(doc::plain_text(m.blocks[8].inlines) == "Karta över länet");

  // The raw HTML table inside the (HTML) div was dropped with one warning.
  std::vector<std::string> messages;
  for (const auto& d : diags.all()) messages.push_back(format_diagnostic(d));
  CHECK(messages == std::vector<std::string>{
                        "materials/modules/01-begrepp.md:36:16: warning: raw HTML is not printed and was dropped: "
                        "<table>\n  hint: write it in Markdown instead; raw HTML and LaTeX are not supported"});

  // Again (another visit): from memory.
  const auto again = parse_module("materials/modules/01-begrepp.md", md, runner, cache, diags);
  CHECK(again.module.blocks.size() == m.blocks.size());
  CHECK(cache.stats().pandoc_runs == 1);
}

TEST_CASE("real pandoc: notes read in one shared run give what each gives alone", "[pandoc][real]") {
  const char* path = std::getenv("PATH");
  SystemProcessRunner runner(path ? path : "");
  const std::vector<std::string_view> notes{
      "Ett stycke med *betoning*, **fetstil** och en [länk](https://www.habo.se).",
      "- tät lista\n- sista punkten",
      "- gles lista\n\n- sista punkten\n",
      "3. börjar på tre\n4. fyra",
      "> Ett citat\nsom fortsätter",
      "Slutar med omvänt snedstreck\\",
      "Text\n\n    indenterad kod",
      "Term\n:   Definition",
      "Utan radslut på slutet",
      "# En rubrik\n\nLämnas till en egen körning.",
  };
  PandocCache shared, alone;
  Diagnostics diags;
  prefetch_markdown_strings(notes, runner, shared);
  CHECK(shared.stats().pandoc_runs == 1);
  HtmlMeta meta;
  for (auto n : notes) {
    INFO(n);
    const auto a = parse_markdown_string(n, SourceLoc{}, runner, shared, diags);
    const auto b = parse_markdown_string(n, SourceLoc{}, runner, alone, diags);
    REQUIRE(a.status == Status::Ok);
    REQUIRE(b.status == Status::Ok);
    CHECK(pandoc_json(a.blocks, meta) == pandoc_json(b.blocks, meta));
  }
  CHECK(shared.stats().pandoc_runs == 2);  // the shared run and the note with a heading
  CHECK(alone.stats().pandoc_runs == notes.size());
  CHECK(diags.all().empty());
}

// The real Pandoc on a snippet with every block kind (needs pandoc on PATH;
// `make test` installs it).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "content/pandoc.h"
#include "content/pandoc_prefetch.h"
#include "pack/cache.h"
#include "support/temp_dir.h"

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

TEST_CASE("real pandoc: texts read in one shared run give what each gives alone", "[pandoc][real]") {
  const char* path = std::getenv("PATH");
  SystemProcessRunner runner(path ? path : "");
  // Texts that would read differently inside one longer document: front
  // matter, the same heading (and so identifier) twice, footnotes and
  // reference links of the same name, a fence left open, and a pipe table
  // whose widths depend on Pandoc's column setting (72 on the command line,
  // 80 by default in Lua).
  std::vector<std::string> owned{
      kMarkdown,
      "---\ntitle: Andra modulen\n---\n\n# Inledning\n\nSe [källan][k].[^1]\n\n[k]: https://www.habo.se\n"
      "[^1]: En annan fotnot.\n",
      "# Inledning\n\nSe [källan][k].\n\n[k]: https://www.vetlanda.se\n",
      "| aa | b |\n|---|----|\n| " + std::string(35, 'x') + " | " + std::string(35, 'y') + " |\n",
      "::: note\nEn ruta som aldrig stängs\n",
      "```\nkod utan slut\n",
      "Ett stycke med *betoning*, **fetstil** och en [länk](https://www.habo.se).",
      "- tät lista\n- sista punkten",
      "3. börjar på tre\n4. fyra",
      "Term\n:   Definition",
      "Utan radslut på slutet",
      // Tabs: the command line expands them before its reader sees the text.
      "Åäö\ttabb\n\n    k\tö\tx\n\n\t- lista\n\n| a\t| b |\n|---|---|\n| x\t| y |",
      "Rad\r\nmed CRLF\r\n\r\n    kod\r\n",
      "Ensamt\rCR\n\n    k\rod\n",
  };
  const char* modules[] = {"01-begrepp.md", "02-lagstiftning.md", "03-tecken-och-bemotande.md",
                           "04-socialtjanstens-ansvar.md", "05-samverkan.md", "06-lokala-rutiner.md",
                           "07-fallovningar.md", "08-avslutning.md"};
  for (const char* m : modules) {
    std::ifstream in(std::string(COURSEPACK_SOURCE_DIR) + "/materials/modules/" + m, std::ios::binary);
    REQUIRE(in);
    owned.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::vector<std::string_view> texts(owned.begin(), owned.end());
  const auto dir = cp::test::make_temp_dir("pandoc-shared");
  PandocCache shared(pack::cache_folder(dir));
  prefetch_texts(texts, runner, shared);
  CHECK(shared.stats().pandoc_runs == 1);
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".json") ++files;
  CHECK(files == texts.size());
  for (const auto& text : texts) {
    INFO(text);
    // Pandoc's JSON for the text alone, byte for byte.
    ProcessRequest req;
    req.argv = pandoc_arguments(PandocOptions{});
    req.stdin_bytes = std::string(text);
    const auto alone = runner.run(req);
    REQUIRE(alone.ok());
    std::string expected = alone.out;
    while (!expected.empty() && expected.back() == '\n') expected.pop_back();
    bool found = false;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".json") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (kept == expected) found = true;
    }
    CHECK(found);
    Diagnostics diags;
    const auto m = parse_module("materials/modules/x.md", text, runner, shared, diags);
    CHECK(m.status == Status::Ok);
  }
  CHECK(shared.stats().pandoc_runs == 1);
}

// Images without alt text, found in a module read by the real Pandoc (needs
// pandoc on PATH; `make test` installs it).
#include "content/figures.h"

#include <catch2/catch.hpp>

#include <cstdlib>

#include "content/pandoc.h"
#include "support/requirements.h"

using namespace cp;

TEST_CASE("an image without alt text is a warning at its line; one with alt text is not") {
  REQUIRE(test::require_tool("pandoc"));
  const char* markdown =
      "# Bilder\n"
      "\n"
      "![Karta över Jönköpings län](img/karta.png)\n"
      "\n"
      "![](img/logga.png)\n"
      "\n"
      "- En punkt\n"
      "\n"
      "  ![](img/i-listan.png)\n";
  content::SystemProcessRunner runner(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin");
  content::PandocCache cache;
  Diagnostics diags;
  const auto mod = content::parse_module("materials/modules/bilder.md", markdown, runner, cache, diags);
  REQUIRE(mod.status == content::Status::Ok);
  REQUIRE(diags.warning_count() == 0);
  content::check_figures(mod.module, markdown, diags);
  const auto all = diags.all();
  REQUIRE(all.size() == 2);
  CHECK(format_diagnostic(all[0]) ==
        "materials/modules/bilder.md:5:1: warning: image 'img/logga.png' has no alt text; the PDF can only name it by "
        "its file, 'logga.png'\n"
        "  hint: say what the image shows between the brackets: ![what it shows](img/logga.png)");
  CHECK(all[1].loc.line == 9);
  CHECK(all[1].message.find("'img/i-listan.png'") != std::string::npos);
}

TEST_CASE("a lone image Pandoc does not make a figure keeps its alt text, without a caption") {
  REQUIRE(test::require_tool("pandoc"));
  // Before a line break Pandoc keeps the image inline: no "fig:" title, no
  // caption. A list item's image alone is a figure, one without alt text not.
  const char* markdown =
      "# Bilder\n"
      "\n"
      "- ![Logga i listan](img/lista.png)\n"
      "- ![](img/tom.png)\n"
      "\n"
      "![Karta med radbrytning](img/karta.png)\\\n"
      "\n"
      "![Figur med titel](img/titel.png \"Titel\")\n";
  content::SystemProcessRunner runner(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin");
  content::PandocCache cache;
  Diagnostics diags;
  const auto mod = content::parse_module("materials/modules/bilder.md", markdown, runner, cache, diags);
  REQUIRE(mod.status == content::Status::Ok);
  std::vector<const doc::Block*> figures;
  auto collect = [&](const doc::Blocks& blocks, auto& self) -> void {
    for (const auto& b : blocks) {
      if (b.kind == doc::BlockKind::Figure) figures.push_back(&b);
      self(b.children, self);
      for (const auto& item : b.items) self(item, self);
    }
  };
  collect(mod.module.blocks, collect);
  REQUIRE(figures.size() == 4);
  CHECK(figures[0]->target == "img/lista.png");
  CHECK(figures[0]->alt == "Logga i listan");
  CHECK(doc::plain_text(figures[0]->inlines) == "Logga i listan");
  CHECK(figures[1]->alt.empty());
  CHECK(figures[1]->inlines.empty());
  CHECK(figures[2]->alt == "Karta med radbrytning");
  CHECK(figures[2]->inlines.empty());  // not a figure: no caption printed
  CHECK(figures[3]->alt == "Figur med titel");
  CHECK(doc::plain_text(figures[3]->inlines) == "Figur med titel");  // a figure: its caption
  // Only the image whose alt text is empty is warned about.
  content::check_figures(mod.module, markdown, diags);
  const auto all = diags.all();
  REQUIRE(all.size() == 1);
  CHECK(format_diagnostic(all[0]) ==
        "materials/modules/bilder.md:4:3: warning: image 'img/tom.png' has no alt text; the PDF can only name it by "
        "its file, 'tom.png'\n"
        "  hint: say what the image shows between the brackets: ![what it shows](img/tom.png)");
}

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

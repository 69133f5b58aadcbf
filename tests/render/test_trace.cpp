#include "render/trace.h"

#include <catch2/catch.hpp>
#include <clocale>
#include <cstdio>

#include "render_test_util.h"
#include "support/requirements.h"

using cp::render::render_trace;
using cp::render::trace_number;

TEST_CASE("trace_number rounds to 0.01 and drops trailing zeros", "[render][trace]") {
  CHECK(trace_number(0) == "0");
  CHECK(trace_number(10.5) == "10.5");
  CHECK(trace_number(595.276) == "595.28");
  CHECK(trace_number(841.89) == "841.89");
  CHECK(trace_number(12.0) == "12");
  CHECK(trace_number(0.005) == "0.01");
  CHECK(trace_number(-0.004) == "0");
  CHECK(trace_number(-3.456) == "-3.46");
  CHECK(trace_number(1e6 + 0.1) == "1000000.1");
}

TEST_CASE("trace_number does not depend on the locale", "[render][trace]") {
  cp::test::in_decimal_comma_locales([] { CHECK(trace_number(10.5) == "10.5"); });
}

TEST_CASE("render_trace writes one line per item", "[render][trace]") {
  using namespace cp::layout;
  auto fonts = cp::test::noto_fonts();
  Document doc;
  doc.fonts = fonts;
  Page page;
  page.items.push_back(cp::test::run(cp::test::kSerif, 56.693, 770.123, 10.5, "Åsa Öberg", *fonts));
  Line dashed = cp::test::line(56.69, 100, 538.58, 100);
  dashed.width = 0.25;
  dashed.color = {0.5, 0.5, 0.5};
  dashed.dashed = true;
  page.items.push_back(dashed);
  page.items.push_back(cp::test::line(0, 0, 10, 0));
  Rect box = cp::test::rect(50, 60, 100, 20);
  box.fill_color = {0.9, 0.95, 0.99};
  box.stroke = true;
  box.stroke_color = {0, 0.32, 0.55};
  page.items.push_back(box);
  page.items.push_back(cp::test::image("/somewhere/layouts/assets/logo.png", 1, 2, 30, 40));
  page.items.push_back(cp::test::link("https://example.org/", 1, 2, 3, 4));
  page.items.push_back(cp::test::link("", 1, 2, 3, 4, 1, 785.2));
  doc.pages.push_back(page);
  Page second;
  second.width = 841.89;
  second.height = 595.276;
  doc.pages.push_back(second);
  doc.outline.push_back({0, "Modul 1: Begrepp", 0, 800});
  doc.outline.push_back({1, "Människohandel", 1, 500.5});

  const double width = static_cast<double>(fonts->face(cp::test::kSerif).advance("Åsa Öberg")) * 10.5 / 1000.0;
  CHECK(render_trace(doc) ==
        "page 1 595.28x841.89\n"
        "T 56.69 770.12 NotoSerif-Regular 10.5 w=" + trace_number(width) + " (Åsa Öberg)\n"
        "L 56.69 100 538.58 100 w=0.25 #808080 dashed\n"
        "L 0 0 10 0 w=0.5\n"
        "R 50 60 100 20 fill=#e6f2fc stroke=#00528c w=0.5\n"
        "I 1 2 30 40 logo.png\n"
        "A 1 2 3 4 https://example.org/\n"
        "A 1 2 3 4 -> page 2 785.2\n"
        "page 2 841.89x595.28\n"
        "B 0 1 800 Modul 1: Begrepp\n"
        "B 1 2 500.5 Människohandel\n");
}

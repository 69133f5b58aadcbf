#include "documents/structure.h"

#include <catch2/catch.hpp>

#include "structure_check.h"

using namespace cp;

namespace {

layout::GlyphRun run(const std::string& text, double x, double y, double width = 20) {
  layout::GlyphRun r;
  r.x = x;
  r.y = y;
  r.text = text;
  r.width = width;
  return r;
}

}  // namespace

TEST_CASE("Structure: the Document root comes first, nodes follow with their parents") {
  layout::Document doc;
  documents::Structure s(doc);
  REQUIRE(doc.structure.size() == 1);
  CHECK(doc.structure[0].role == "Document");
  CHECK(doc.structure[0].parent == -1);
  const int table = s.add("Table");
  const int row = s.add("TR", table);
  const int th = s.header_cell("Column", row);
  const int fig = s.figure("Ett diagram", 0);
  CHECK(doc.structure[static_cast<std::size_t>(row)].parent == table);
  CHECK(doc.structure[static_cast<std::size_t>(th)].scope == "Column");
  CHECK(doc.structure[static_cast<std::size_t>(fig)].alt == "Ett diagram");
  // A second Structure on the same document adds no second root.
  documents::Structure again(doc);
  CHECK(doc.structure.size() == 5);
}

TEST_CASE("Structure: text and images become content, rules and boxes stay Layout artifacts") {
  layout::Document doc;
  documents::Structure s(doc);
  layout::Page page;
  page.items.emplace_back(run("före", 0, 0));
  const std::size_t from = page.items.size();
  page.items.emplace_back(run("Rubrik", 0, 10));
  page.items.emplace_back(layout::Line{0, 0, 10, 0, 0.5, {}, false});
  page.items.emplace_back(layout::Rect{0, 0, 5, 5, true, {}, false, {}, 0});
  page.items.emplace_back(layout::Image{0, 0, 5, 5, "/x.png"});
  const int p = s.add("P");
  documents::tag_content(page.items, p, from);
  CHECK(documents::node_of(page.items[0]) == -1);
  CHECK(documents::node_of(page.items[1]) == p);
  CHECK(documents::node_of(page.items[2]) == -1);
  CHECK(std::get<layout::Line>(page.items[2]).artifact == layout::Artifact::Layout);
  CHECK(documents::node_of(page.items[3]) == -1);
  CHECK(documents::node_of(page.items[4]) == p);
}

TEST_CASE("Structure: a link becomes a Link element holding its area and the text inside it") {
  layout::Document doc;
  documents::Structure s(doc);
  layout::Page page;
  page.items.emplace_back(run("Skriv", 0, 100, 30));
  page.items.emplace_back(run("till", 32, 100, 15));
  page.items.emplace_back(run("a@b.se", 50, 100, 40));
  page.items.emplace_back(layout::Link{50, 97, 40, 12, "mailto:a@b.se"});
  const int p = s.add("P");
  documents::tag_content(page.items, p);
  documents::tag_links(page.items, s, p);
  const auto links = test::nodes_with_role(doc, "Link");
  REQUIRE(links.size() == 1);
  CHECK(doc.structure[static_cast<std::size_t>(links[0])].parent == p);
  CHECK(documents::node_of(page.items[2]) == links[0]);
  CHECK(documents::node_of(page.items[3]) == links[0]);
  CHECK(documents::node_of(page.items[1]) == p);
  doc.pages.push_back(page);
  CHECK(test::reading_text(doc) == "Skriv till a@b.se");
  CHECK(test::kid_roles(doc, p) == "Link");
  CHECK(test::structure_problems(doc).empty());
}

TEST_CASE("Structure: running texts are Pagination artifacts") {
  layout::Page page;
  page.items.emplace_back(run("brödtext", 0, 0));
  documents::tag(page.items[0], 1);
  page.items.emplace_back(run("sida 1 av 2", 0, 0));
  documents::mark_pagination(page, 1);
  CHECK(documents::node_of(page.items[0]) == 1);
  CHECK(std::get<layout::GlyphRun>(page.items[1]).artifact == layout::Artifact::Pagination);
  CHECK(documents::node_of(page.items[1]) == -1);
}

TEST_CASE("Structure: a header row drawn again on a later page is a Pagination artifact there") {
  layout::Document doc;
  documents::Structure s(doc);
  const int table = s.add("Table");
  const int head = s.add("THead", table);
  const int tr = s.add("TR", head);
  const int th = s.header_cell("Column", tr);
  const int body = s.add("TBody", table);
  const int row = s.add("TR", body);
  const int td = s.add("TD", row);
  for (int p = 0; p < 2; ++p) {
    layout::Page page;
    page.items.emplace_back(run("Namn", 0, 700));
    documents::tag(page.items.back(), th);
    page.items.emplace_back(run(p == 0 ? "Anna" : "Bo", 0, 680));
    documents::tag(page.items.back(), td);
    doc.pages.push_back(page);
  }
  documents::repeats_as_artifacts(doc, {head});
  CHECK(documents::node_of(doc.pages[0].items[0]) == th);
  CHECK(documents::node_of(doc.pages[1].items[0]) == -1);
  CHECK(std::get<layout::GlyphRun>(doc.pages[1].items[0]).artifact == layout::Artifact::Pagination);
  // A body cell continued on the next page keeps its tag.
  CHECK(documents::node_of(doc.pages[1].items[1]) == td);
  CHECK(test::reading_text(doc) == "Namn Anna Bo");
}

TEST_CASE("Structure check: finds what the PDF checker would") {
  layout::Document doc;
  documents::Structure s(doc);
  const int table = s.add("Table");
  const int tr = s.add("TR", table);
  const int th = s.add("TH", tr);  // no scope
  const int li = s.add("LI", 0);   // outside a list
  const int h2 = s.add("H2");      // the first heading
  s.add("Figure");                 // no alt
  layout::Page page;
  for (int n : {th, li, h2}) {
    page.items.emplace_back(run("x", 0, 0));
    documents::tag(page.items.back(), n);
  }
  page.items.emplace_back(run("y", 0, 0));
  documents::tag(page.items.back(), table);
  doc.pages.push_back(page);
  const auto problems = test::structure_problems(doc);
  auto has = [&](const std::string& what) {
    for (const auto& p : problems)
      if (p.find(what) != std::string::npos) return true;
    return false;
  };
  INFO(problems.size());
  CHECK(has("(TH) has no scope"));
  CHECK(has("(LI) inside Document"));
  CHECK(has("the first heading is H2"));
  CHECK(has("(Figure) has no alt text"));
  CHECK(has("content directly in a Table"));
}

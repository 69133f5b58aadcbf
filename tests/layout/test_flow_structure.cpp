// The structure a tagged flow gives the blocks it sets (flow.h,
// Flow::tag_structure): roles, parents, the nodes the items carry, and the
// artifacts.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <variant>
#include <vector>

#include "layout/flow.h"
#include "support/temp_dir.h"

using namespace cp;
using namespace cp::layout;

namespace {

constexpr const char* kSerif = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf";

doc::Block para(const std::string& text) {
  doc::Block b;
  b.kind = doc::BlockKind::Para;
  b.inlines = doc::words(text);
  return b;
}

doc::Block heading(int level, const std::string& text) {
  doc::Block b = para(text);
  b.kind = doc::BlockKind::Heading;
  b.level = level;
  return b;
}

doc::TableCell cell(const std::string& text) {
  doc::Block b = para(text);
  b.kind = doc::BlockKind::Plain;
  return {{b}};
}

// A PNG's signature and header: all layout reads of an image.
std::string png_header() {
  std::string s = "\x89PNG\r\n\x1a\n";
  s += std::string("\0\0\0\x0dIHDR", 8);
  s += std::string("\0\0\0\x40\0\0\0\x20\x08\x02\0\0\0", 13);
  s += std::string(4, '\0');
  return s;
}

struct Tagged {
  std::vector<StructNode> nodes;
  Flowed flowed;
  // Every item's node, per page.
  std::vector<std::vector<const Item*>> items;

  std::vector<std::string> roles_under(int parent) const {
    std::vector<std::string> out;
    for (const auto& n : nodes)
      if (n.parent == parent) out.push_back(n.role);
    return out;
  }
  int find(const std::string& role, int nth = 0) const {
    for (std::size_t i = 0; i < nodes.size(); ++i)
      if (nodes[i].role == role && nth-- == 0) return static_cast<int>(i);
    return -1;
  }
  // The text of the runs of node n, joined by spaces.
  std::string text_of(int n) const {
    std::string out;
    for (const auto& page : flowed.pages)
      for (const auto& item : page.items)
        if (const auto* r = std::get_if<GlyphRun>(&item); r && r->node == n) out += (out.empty() ? "" : " ") + r->text;
    return out;
  }
};

Tagged flow_of(const doc::Blocks& blocks, int previous_heading, double page_height = 842) {
  fonts::FontSet fonts;
  auto face = fonts::cached_face(kSerif);
  REQUIRE(face);
  fonts.add(face);
  FlowStyle style;
  Diagnostics diags;
  const auto dir = test::make_temp_dir("flow-structure");
  const std::string png = (dir / "karta.png").string();
  test::write_file(png, png_header());
  Flow flow(style, fonts, nullptr, &diags, [png](const std::string&, const SourceLoc&) { return png; });
  flow.set_width(400);
  flow.tag_structure(previous_heading);
  flow.add_blocks(blocks);
  Tagged out;
  out.flowed = flow.paginate({50, 50, 400, page_height - 100}, 500, page_height);
  out.nodes = flow.structure();
  CHECK(diags.warning_count() == 0);
  return out;
}

}  // namespace

TEST_CASE("a tagged flow: headings that skip no level, paragraphs with links and notes") {
  doc::Block p = para("Läs mer hos");
  p.inlines.push_back({doc::InlineKind::Space, "", {}, {}, nullptr});
  p.inlines.push_back({doc::InlineKind::Link, "", doc::words("myndigheten"), "https://example.org/", nullptr});
  auto note = std::make_shared<doc::Blocks>(doc::Blocks{para("Fotnotens text.")});
  p.inlines.push_back({doc::InlineKind::Note, "", {}, {}, note});
  const Tagged t = flow_of({heading(2, "Början"), heading(3, "Djupt"), heading(1, "Modul"), heading(3, "Hopp"), p}, 0);
  REQUIRE(t.nodes.front().role == "Document");
  // The first heading is H1 whatever its level, none skips one.
  CHECK(t.roles_under(0) == std::vector<std::string>{"H1", "H2", "H1", "H2", "P"});
  CHECK(t.text_of(t.find("H2", 1)) == "Hopp");
  const int para_node = t.find("P");
  const int link = t.find("Link");
  const int fn = t.find("Note");
  CHECK(t.nodes[static_cast<std::size_t>(link)].parent == para_node);
  CHECK(t.text_of(link) == "myndigheten");
  CHECK(t.nodes[static_cast<std::size_t>(fn)].parent == para_node);
  CHECK(t.nodes[static_cast<std::size_t>(fn)].id == "fn1");
  // The note's marker is its first content; its text a paragraph of it.
  CHECK(t.text_of(fn) == "¹");
  const int note_text = t.find("P", 1);
  CHECK(t.nodes[static_cast<std::size_t>(note_text)].parent == fn);
  CHECK(t.text_of(note_text) == "¹ Fotnotens text.");
  // The link's annotation belongs to its Link element; its underline is an artifact.
  bool annotation = false, underline = false;
  for (const auto& item : t.flowed.pages[0].items) {
    if (const auto* l = std::get_if<Link>(&item)) annotation = l->node == link;
    if (const auto* l = std::get_if<Line>(&item)) underline = underline || (l->node == -1 && l->artifact == Artifact::Layout);
  }
  CHECK(annotation);
  CHECK(underline);
  // Inside another document: after its H1, an H3 is an H2.
  CHECK(flow_of({heading(3, "Djupt")}, 1).roles_under(0) == std::vector<std::string>{"H2"});
}

TEST_CASE("a tagged flow: lists, boxes, quotes and figures") {
  doc::Block inner;
  inner.kind = doc::BlockKind::OrderedList;
  inner.items = {{para("ett")}, {para("två")}};
  doc::Block list;
  list.kind = doc::BlockKind::BulletList;
  list.items = {{para("Första")}, {para("Andra"), inner}};
  doc::Block box;
  box.kind = doc::BlockKind::Div;
  box.classes = {"discussion"};
  box.title = "Diskutera";
  box.children = {para("Vad gör ni?")};
  doc::Block quote;
  quote.kind = doc::BlockKind::BlockQuote;
  quote.children = {para("Ett citat.")};
  doc::Block described;
  described.kind = doc::BlockKind::Figure;
  described.target = "img/karta.png";
  described.inlines = doc::words("Karta över länet");
  doc::Block bare = described;
  bare.inlines.clear();
  doc::Block uncaptioned = bare;  // an image Pandoc did not make a figure
  uncaptioned.alt = "Länets logga";
  const Tagged t = flow_of({list, box, quote, described, bare, uncaptioned}, 0);

  CHECK(t.roles_under(0) == std::vector<std::string>{"L", "Sect", "BlockQuote", "Figure", "Figure", "Figure"});
  const int l = t.find("L");
  CHECK(t.roles_under(l) == std::vector<std::string>{"LI", "LI"});
  const int li = t.find("LI");
  CHECK(t.roles_under(li) == std::vector<std::string>{"Lbl", "LBody"});
  CHECK(t.text_of(t.find("Lbl")) == "•");
  // An item of one paragraph: its text is the body's own; the nested list
  // is in the second item's body, beside its paragraph.
  CHECK(t.roles_under(t.find("LBody")).empty());
  CHECK(t.text_of(t.find("LBody")) == "Första");
  const int body = t.find("LBody", 1);
  CHECK(t.roles_under(body) == std::vector<std::string>{"P", "L"});
  CHECK(t.text_of(t.find("Lbl", 2)) == "1.");
  // The box: a section with its title (/T, and its own first text).
  const int sect = t.find("Sect");
  CHECK(t.nodes[static_cast<std::size_t>(sect)].title == "Diskutera");
  CHECK(t.text_of(sect) == "Diskutera");
  CHECK(t.roles_under(sect) == std::vector<std::string>{"P"});
  CHECK(t.roles_under(t.find("BlockQuote")) == std::vector<std::string>{"P"});
  // Figures: the alt text, else the file's name; the caption in the figure.
  const int fig = t.find("Figure"), bare_fig = t.find("Figure", 1);
  CHECK(t.nodes[static_cast<std::size_t>(fig)].alt == "Karta över länet");
  CHECK(t.roles_under(fig) == std::vector<std::string>{"Caption"});
  CHECK(t.nodes[static_cast<std::size_t>(bare_fig)].alt == "karta.png");
  const int alt_fig = t.find("Figure", 2);
  CHECK(t.nodes[static_cast<std::size_t>(alt_fig)].alt == "Länets logga");  // its alt text, no caption
  CHECK(t.roles_under(alt_fig).empty());
  int images = 0;
  for (const auto& page : t.flowed.pages)
    for (const auto& item : page.items)
      if (const auto* im = std::get_if<Image>(&item)) {
        CHECK((im->node == fig || im->node == bare_fig || im->node == alt_fig));
        ++images;
      }
  CHECK(images == 3);
  // Box backgrounds and bars are layout artifacts.
  for (const auto& page : t.flowed.pages)
    for (const auto& item : page.items)
      if (const auto* r = std::get_if<Rect>(&item)) {
        CHECK(r->node == -1);
        CHECK(r->artifact == Artifact::Layout);
      }
}

TEST_CASE("a tagged flow: tables of THead and TBody rows, header cells with a scope, the repeated header an artifact") {
  auto table = std::make_shared<doc::Table>();
  table->aligns = {doc::Align::Left, doc::Align::Left};
  table->header = {cell("Kommun"), cell("Kontakt")};
  for (int i = 0; i < 40; ++i) table->rows.push_back({cell("Eksjö " + std::to_string(i))});  // one cell short
  doc::Block b;
  b.kind = doc::BlockKind::Table;
  b.table = table;
  const Tagged t = flow_of({b}, 0, 400);
  REQUIRE(t.flowed.pages.size() > 1);
  const int tab = t.find("Table");
  CHECK(t.roles_under(tab) == std::vector<std::string>{"THead", "TBody"});
  const int head_row = t.find("TR");
  CHECK(t.roles_under(head_row) == std::vector<std::string>{"TH", "TH"});
  CHECK(t.nodes[static_cast<std::size_t>(t.find("TH"))].scope == "Column");
  // Every row has a cell per column, empty ones too.
  CHECK(t.roles_under(t.find("TR", 1)) == std::vector<std::string>{"TD", "TD"});
  CHECK(t.roles_under(t.find("TBody")).size() == 40);
  // The header again at the top of page 2: pagination artifacts only.
  const auto& second = t.flowed.pages[1].items;
  int repeated = 0;
  for (const auto& item : second)
    if (const auto* r = std::get_if<GlyphRun>(&item); r && r->text == "Kommun") {
      CHECK(r->node == -1);
      CHECK(r->artifact == Artifact::Pagination);
      ++repeated;
    }
  CHECK(repeated == 1);
  CHECK(t.text_of(t.find("TH")) == "Kommun");  // its own, once
}

TEST_CASE("an untagged flow has no structure and tags nothing") {
  fonts::FontSet fonts;
  fonts.add(fonts::cached_face(kSerif));
  Diagnostics diags;
  Flow flow(FlowStyle{}, fonts, nullptr, &diags);
  flow.set_width(400);
  flow.add_blocks({heading(1, "Rubrik"), para("Text.")});
  const Flowed f = flow.paginate({50, 50, 400, 700}, 500, 800);
  CHECK(flow.structure().empty());
  for (const auto& item : f.pages.at(0).items) std::visit([](const auto& it) { CHECK(it.node == -1); }, item);
}

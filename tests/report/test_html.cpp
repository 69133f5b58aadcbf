// handout.html: the tree → Pandoc JSON (unit), and the real Pandoc on the
// bundled handouts.
#include "content/html.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "content/pandoc.h"
#include "documents/handout.h"
#include "pdf_tools.h"
#include "tailor/tailor.h"
#ifdef COURSEPACK_HAVE_VALIDATE
#include "validate/validate.h"
#endif

using namespace cp;

namespace {

doc::Inlines words(const std::string& s) {
  doc::Inlines out;
  std::istringstream in(s);
  std::string w;
  while (in >> w) {
    if (!out.empty()) out.push_back({doc::InlineKind::Space, "", {}, {}, nullptr});
    out.push_back({doc::InlineKind::Text, w, {}, {}, nullptr});
  }
  return out;
}

doc::Block heading(int level, const std::string& title) {
  doc::Block b;
  b.kind = doc::BlockKind::Heading;
  b.level = level;
  b.inlines = words(title);
  return b;
}

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + needle.size())) ++n;
  return n;
}

content::SystemProcessRunner& runner() {
  static content::SystemProcessRunner r(std::getenv("PATH") ? std::getenv("PATH") : "");
  return r;
}

// What a page must be: Swedish, one h1, nothing loaded from elsewhere.
void check_page(const std::string& html) {
  CHECK(html.find("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"sv\" xml:lang=\"sv\">") != std::string::npos);
  CHECK(count(html, "<h1") == 1);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("cdnjs") == std::string::npos);
  // No attribute that loads something: src= only as data: URIs.
  const std::regex src(R"re(\ssrc="(?!data:)[^"]*")re");
  CHECK_FALSE(std::regex_search(html, src));
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
}

}  // namespace

TEST_CASE("the JSON AST moves headings one level down under the title", "[html]") {
  doc::Blocks blocks{heading(1, "Modul ett"), heading(2, "Avsnitt"), heading(3, "Del"), heading(6, "Djup")};
  content::HtmlMeta meta;
  meta.title = "Grundutbildning – Eksjö kommun";
  const auto j = nlohmann::json::parse(content::pandoc_json(blocks, meta));
  CHECK(j["pandoc-api-version"] == nlohmann::json::array({1, 22}));
  CHECK(j["meta"]["lang"]["c"] == "sv");
  REQUIRE(j["blocks"].size() == 4);
  CHECK(j["blocks"][0]["c"][0] == 2);
  CHECK(j["blocks"][1]["c"][0] == 3);
  CHECK(j["blocks"][2]["c"][0] == 4);
  CHECK(j["blocks"][3]["c"][0] == 6);
}

TEST_CASE("every kind of block comes out of Pandoc as HTML", "[html]") {
  doc::Blocks blocks;
  blocks.push_back(heading(1, "Modul ett"));
  doc::Block p;
  p.kind = doc::BlockKind::Para;
  p.inlines = words("Text med");
  p.inlines.push_back({doc::InlineKind::Space, "", {}, {}, nullptr});
  p.inlines.push_back({doc::InlineKind::Emph, "", words("betoning"), {}, nullptr});
  p.inlines.push_back({doc::InlineKind::Space, "", {}, {}, nullptr});
  p.inlines.push_back({doc::InlineKind::Link, "", words("en länk"), "https://www.jonkoping.se", nullptr});
  auto note = std::make_shared<doc::Blocks>();
  doc::Block np;
  np.kind = doc::BlockKind::Para;
  np.inlines = words("Fotnoten.");
  note->push_back(np);
  p.inlines.push_back({doc::InlineKind::Note, "", {}, {}, note});
  blocks.push_back(p);
  doc::Block list;
  list.kind = doc::BlockKind::OrderedList;
  list.start = 3;
  doc::Block item;
  item.kind = doc::BlockKind::Plain;
  item.inlines = words("Tre");
  list.items.push_back({item});
  blocks.push_back(list);
  doc::Block div;
  div.kind = doc::BlockKind::Div;
  div.classes = {"discussion"};
  div.title = "Diskutera i gruppen";
  div.children.push_back(p);
  blocks.push_back(div);
  doc::Block t;
  t.kind = doc::BlockKind::Table;
  t.table = std::make_shared<doc::Table>();
  t.table->aligns = {doc::Align::Left, doc::Align::Right};
  t.table->header = {{{item}}, {{item}}};
  t.table->rows = {{{{item}}}};  // a short row is padded
  blocks.push_back(t);
  doc::Block fig;
  fig.kind = doc::BlockKind::Figure;
  fig.target = "bilder/saknas.png";
  fig.inlines = words("Bildtext utan bild");
  blocks.push_back(fig);

  content::HtmlMeta meta;
  meta.title = "Grundutbildning – Eksjö kommun";
  std::string error;
  const auto html = content::handout_html(blocks, meta, runner(), error);
  INFO(error);
  REQUIRE(!html.empty());
  check_page(html);
  CHECK(html.find("<title>Grundutbildning – Eksjö kommun</title>") != std::string::npos);
  CHECK(html.find("<h2>Modul ett</h2>") != std::string::npos);
  CHECK(html.find("<em>betoning</em>") != std::string::npos);
  CHECK(html.find("<a href=\"https://www.jonkoping.se\">en länk</a>") != std::string::npos);
  CHECK(html.find("Fotnoten.") != std::string::npos);
  CHECK(html.find("<ol start=\"3\"") != std::string::npos);
  CHECK(html.find("class=\"discussion\"") != std::string::npos);
  CHECK(html.find("Diskutera i gruppen") != std::string::npos);
  CHECK(html.find("<table>") != std::string::npos);
  CHECK(count(html, "<td") == 2);
  CHECK(html.find("Bildtext utan bild") != std::string::npos);
}

TEST_CASE("a failing Pandoc is reported", "[html]") {
  content::HtmlMeta meta;
  meta.title = "x";
  meta.program = "pandoc-that-does-not-exist";
  std::string error;
  CHECK(content::handout_html({heading(1, "x")}, meta, runner(), error).empty());
  CHECK_FALSE(error.empty());
}

#ifdef COURSEPACK_HAVE_VALIDATE
TEST_CASE("the bundled handouts as HTML", "[html][bundled]") {
  Diagnostics diags;
  auto p = validate::load_programme(COURSEPACK_SOURCE_DIR, diags);
  REQUIRE(p);
  content::PandocCache cache;
  std::map<std::string, doc::Module> modules;
  for (const auto& [id, course] : p->courses)
    for (const auto& ref : course.modules) {
      std::ifstream f(std::string(COURSEPACK_SOURCE_DIR) + "/materials/" + ref.path, std::ios::binary);
      std::stringstream ss;
      ss << f.rdbuf();
      auto r = content::parse_module("materials/" + ref.path, ss.str(), runner(), cache, diags);
      REQUIRE(r.status == content::Status::Ok);
      modules[ref.path] = r.module;
    }
  // Two visits are enough for Pandoc's sake: the first and the last.
  std::vector<std::pair<const model::Municipality*, const model::Visit*>> visits;
  visits.push_back({&p->municipalities.front(), &p->municipalities.front().visits.front()});
  visits.push_back({&p->municipalities.back(), &p->municipalities.back().visits.back()});
  for (const auto& [m, v] : visits) {
    INFO(m->slug << " " << v->key());
    const auto& course = p->courses.at(v->course);
    model::PlaceholderContext ctx{&p->project, &course, m, v, nullptr, 0, 0};
    documents::HandoutInput in;
    in.programme = &*p;
    in.municipality = m;
    in.visit = v;
    in.course = &course;
    for (const auto& ref : course.modules) in.modules.push_back(tailor::tailor(modules.at(ref.path), ctx));
    if (!m->notes.empty()) {
      auto notes = content::parse_markdown_string(m->notes, SourceLoc{m->file, 0, 0}, runner(), cache, diags);
      REQUIRE(notes.status == content::Status::Ok);
      in.municipality_notes = tailor::tailor(notes.blocks, ctx);
    }
    content::HtmlMeta meta;
    meta.title = course.title + " – " + m->name;
    meta.subtitle = v->date.swedish_long();
    std::string error;
    const auto html = content::handout_html(documents::handout_blocks(in), meta, runner(), error);
    INFO(error);
    REQUIRE(!html.empty());
    check_page(html);
    for (const auto& mod : in.modules) CHECK(html.find(">" + mod.title + "</h2>") != std::string::npos);
    CHECK(html.find(">" + m->name + "</h2>") != std::string::npos);
    CHECK(html.find(">Kontaktpersoner i länet</h2>") != std::string::npos);
    for (const auto& other : p->municipalities)
      for (const auto& c : other.contacts) CHECK(html.find(c.name) != std::string::npos);
    std::ofstream(test::output_dir() / (m->slug + "-handout.html"), std::ios::binary) << html;
  }
}
#endif

#ifdef COURSEPACK_HAVE_VALIDATE
// The page in headless Chromium (Debian's `chromium`; the test is skipped
// with a warning when it is not installed): it loads, requests nothing
// from elsewhere (the net log holds no URL but Chromium's own background
// services), has one h1 and lang="sv", and a screenshot is taken
// (kept under COURSEPACK_TEST_KEEP for looking at).
TEST_CASE("handout.html in headless Chromium", "[html][chromium]") {
  if (test::run("command -v chromium >/dev/null 2>&1").status != 0) {
    WARN("chromium is not installed: the browser check is skipped");
    return;
  }
  Diagnostics diags;
  auto p = validate::load_programme(COURSEPACK_SOURCE_DIR, diags);
  REQUIRE(p);
  content::PandocCache cache;
  const auto& m = p->municipalities.front();
  const auto& v = m.visits.front();
  const auto& course = p->courses.at(v.course);
  model::PlaceholderContext ctx{&p->project, &course, &m, &v, nullptr, 0, 0};
  documents::HandoutInput in;
  in.programme = &*p;
  in.municipality = &m;
  in.visit = &v;
  in.course = &course;
  for (const auto& ref : course.modules) {
    std::ifstream f(std::string(COURSEPACK_SOURCE_DIR) + "/materials/" + ref.path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    auto r = content::parse_module("materials/" + ref.path, ss.str(), runner(), cache, diags);
    REQUIRE(r.status == content::Status::Ok);
    in.modules.push_back(tailor::tailor(r.module, ctx));
  }
  content::HtmlMeta meta;
  meta.title = course.title + " – " + m.name;
  std::string error;
  const auto html = content::handout_html(documents::handout_blocks(in), meta, runner(), error);
  REQUIRE(!html.empty());
  const auto dir = test::output_dir();
  const auto page = dir / "chromium-handout.html";
  std::ofstream(page, std::ios::binary) << html;
  const std::string flags =
      "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
      "--disable-sync --no-first-run --hide-scrollbars";
  const auto net = dir / "chromium-net.json";
  const auto dom = test::run("timeout 120 chromium " + flags + " --log-net-log=" + test::quote(net.string()) +
                             " --dump-dom " + test::quote("file://" + page.string()) + " 2>/dev/null");
  REQUIRE(dom.status == 0);
  CHECK(test::count(dom.out, "<h1") == 1);
  CHECK(dom.out.find("lang=\"sv\"") != std::string::npos);
  CHECK(dom.out.find(">" + m.name + "</h2>") != std::string::npos);
  // Every URL in the net log is Chromium's own (update, time, accounts).
  std::ifstream log(net);
  std::stringstream ls;
  ls << log.rdbuf();
  const std::string netlog = ls.str();
  const std::regex url_re("\"url\":\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(netlog.begin(), netlog.end(), url_re); it != std::sregex_iterator(); ++it) {
    const std::string url = (*it)[1];
    const bool own = url.find(".google.com/") != std::string::npos || url.find(".googleapis.com/") != std::string::npos ||
                     url.find(".gvt1.com/") != std::string::npos;
    INFO(url);
    CHECK(own);
  }
  const auto shot = dir / "chromium-handout.png";
  const auto r = test::run("timeout 120 chromium " + flags + " --window-size=800,1400 --screenshot=" +
                           test::quote(shot.string()) + " " + test::quote("file://" + page.string()) +
                           " >/dev/null 2>&1");
  CHECK(r.status == 0);
  CHECK(std::filesystem::exists(shot));
  CHECK(std::filesystem::file_size(shot) > 10000);
}
#endif

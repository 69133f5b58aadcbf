// handout.html: the tree → Pandoc JSON (unit), and the real Pandoc on the
// bundled handouts.
#include "export/html.h"
#include "export/html_pages.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "content/pandoc.h"
#include "pack/cache.h"
#include "documents/handout.h"
#include "pdf_tools.h"
#include "support/temp_dir.h"
#include "tailor/tailor.h"
#ifdef COURSEPACK_HAVE_VALIDATE
#include "validate/validate.h"
#include "support/requirements.h"
#endif

using namespace cp;

namespace {

using doc::words;

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
  html::HtmlMeta meta;
  meta.title = "Grundutbildning – Eksjö kommun";
  const auto j = nlohmann::json::parse(html::pandoc_json(blocks, meta));
  CHECK(j["pandoc-api-version"] == nlohmann::json::array({1, 22}));
  CHECK(j["meta"]["lang"]["c"] == "sv");
  REQUIRE(j["blocks"].size() == 4);
  CHECK(j["blocks"][0]["c"][0] == 2);
  CHECK(j["blocks"][1]["c"][0] == 3);
  CHECK(j["blocks"][2]["c"][0] == 4);
  CHECK(j["blocks"][3]["c"][0] == 6);
}

namespace {

// One block of every kind, a footnote and a box among them.
doc::Blocks every_block() {
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
  return blocks;
}

}  // namespace

TEST_CASE("every kind of block comes out of Pandoc as HTML", "[html]") {
  const doc::Blocks blocks = every_block();
  html::HtmlMeta meta;
  meta.title = "Grundutbildning – Eksjö kommun";
  std::string error;
  const auto html = html::handout_html(blocks, meta, runner(), error);
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

namespace {

// Pandoc's JSON with every Str of several words split into a Str per word
// and Space between (a non-breaking space as a Str of its own), as Pandoc's
// Markdown reader gives it.
void split_words(nlohmann::json& j) {
  if (j.is_object()) {
    for (auto& [key, value] : j.items()) split_words(value);
    return;
  }
  if (!j.is_array()) return;
  nlohmann::json out = nlohmann::json::array();
  for (auto& e : j) {
    if (!(e.is_object() && e.value("t", "") == "Str")) {
      split_words(e);
      out.push_back(std::move(e));
      continue;
    }
    const std::string s = e["c"];
    std::string word;
    auto word_done = [&] {
      if (!word.empty()) out.push_back({{"t", "Str"}, {"c", word}});
      word.clear();
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == ' ') {
        word_done();
        out.push_back({{"t", "Space"}});
      } else if (s.compare(i, 2, "\u00A0") == 0) {
        word_done();
        out.push_back({{"t", "Str"}, {"c", "\u00A0"}});
        ++i;
      } else {
        word += s[i];
      }
    }
    word_done();
  }
  j = std::move(out);
}

std::string pandoc_html(const std::string& input, bool standalone) {
  content::ProcessRequest req;
  req.argv = {"pandoc", "-f", "json", "-t", "html5", "--sandbox", "--wrap=none"};
  if (standalone) req.argv.push_back("--standalone");
  req.stdin_bytes = input;
  const auto r = runner().run(req);
  INFO(r.err);
  REQUIRE(r.ok());
  return r.out;
}

doc::Block paragraph(doc::Inlines inlines) {
  doc::Block p;
  p.kind = doc::BlockKind::Para;
  p.inlines = std::move(inlines);
  return p;
}

}  // namespace

TEST_CASE("a run of words reaches Pandoc as one Str and comes out as Str per word would", "[html]") {
  const doc::Inline space{doc::InlineKind::Space, "", {}, {}, nullptr};
  doc::Blocks blocks = every_block();
  doc::Inlines quotes = words("\"Citat\" <&> 'enkla'");
  quotes.push_back({doc::InlineKind::NbSpace, "", {}, {}, nullptr});
  quotes.push_back({doc::InlineKind::Text, "kr", {}, {}, nullptr});
  quotes.push_back(space);
  quotes.push_back({doc::InlineKind::Strong, "", words("fet stil"), {}, nullptr});
  blocks.push_back(paragraph(quotes));
  // Whitespace against whitespace: Pandoc's standalone page joins such
  // spaces, its fragments do not; these stay a token each.
  doc::Inlines doubled = words("två");
  doubled.push_back(space);
  doubled.push_back(space);
  doubled.push_back({doc::InlineKind::Text, "mellanslag", {}, {}, nullptr});
  blocks.push_back(paragraph(doubled));
  doc::Inlines padded = words("ett");
  padded.push_back(space);
  padded.push_back({doc::InlineKind::Text, " ord", {}, {}, nullptr});
  padded.push_back(space);
  padded.push_back({doc::InlineKind::Text, "", {}, {}, nullptr});
  blocks.push_back(paragraph(padded));

  html::HtmlMeta meta;
  meta.title = "Grundutbildning – Eksjö kommun";
  const std::string merged = html::pandoc_json(blocks, meta);
  auto j = nlohmann::json::parse(merged);
  const auto& text = j["blocks"][1]["c"];
  REQUIRE(text.size() >= 3);
  CHECK(text[0] == nlohmann::json({{"t", "Str"}, {"c", "Text med "}}));
  CHECK(text[1]["t"] == "Emph");
  CHECK(text[1]["c"] == nlohmann::json::array({{{"t", "Str"}, {"c", "betoning"}}}));
  auto para_with = [&](const std::string& word) {
    for (const auto& b : j["blocks"])
      if (b["t"] == "Para" && b["c"].dump().find(word) != std::string::npos) return b["c"];
    FAIL("no paragraph with " << word);
    return nlohmann::json();
  };
  const auto q = para_with("Citat");
  REQUIRE(q.size() == 2);
  CHECK(q[0]["c"] == "\"Citat\" <&> 'enkla'\u00A0kr ");
  CHECK(para_with("mellanslag").size() == 4);
  CHECK(para_with("ord").size() == 5);

  split_words(j);
  CHECK(j["blocks"][1]["c"][0] == nlohmann::json({{"t", "Str"}, {"c", "Text"}}));
  const std::string per_word = j.dump();
  CHECK(per_word.size() > merged.size());
  CHECK(pandoc_html(merged, true) == pandoc_html(per_word, true));
  CHECK(pandoc_html(merged, false) == pandoc_html(per_word, false));
}

TEST_CASE("HtmlPages assembles the page Pandoc writes for the whole document", "[html]") {
  const auto cache = test::make_temp_dir("coursepack-html-cache");
  doc::Blocks first = every_block();
  doc::Blocks second = every_block();
  doc::Block extra;
  extra.kind = doc::BlockKind::Para;
  extra.inlines = words("Bara på den andra sidan, med <tecken> & \"citat\".");
  second.insert(second.begin() + 1, extra);
  second.push_back(second[2]);  // a third footnote: this copy and the notes block differ
  html::HtmlMeta a, b;
  a.title = "Grundutbildning – Eksjö kommun";
  a.subtitle = "tisdag 7 november 2023";
  b.title = "Titel med <vinkel> & \"citat\" 'enkla'";
  std::string error;
  const std::string whole_a = html::handout_html(first, a, runner(), error);
  const std::string whole_b = html::handout_html(second, b, runner(), error);
  INFO(error);
  REQUIRE(!whole_a.empty());
  REQUIRE(!whole_b.empty());

  html::HtmlPages pages("test", pack::cache_folder(cache), runner(), "pandoc");
  const auto id_a = pages.add(first, a);
  const auto id_b = pages.add(second, b);
  // Before convert(), nothing can be assembled.
  CHECK(pages.page(id_a, error).empty());
  CHECK(error == "the page was not converted");
  REQUIRE(pages.convert(2, error));
  CHECK(pages.page(id_a, error) == whole_a);
  CHECK(pages.page(id_b, error) == whole_b);
  // The blocks the pages share were converted once: first's 6 blocks, its
  // notes, title and subtitle; second's new paragraph, the copy with note 3,
  // its notes and title; and two templates (with and without a subtitle).
  CHECK(pages.converted() == 9 + 4 + 2);
  // The footnote is the page's own: a reference, and the note with a link back.
  CHECK(whole_a.find("href=\"#fn1\"") != std::string::npos);
  CHECK(whole_a.find("href=\"#fnref1\"") != std::string::npos);
  CHECK(whole_b.find("href=\"#fn3\"") != std::string::npos);

  // A later build with the same cache starts no Pandoc.
  html::HtmlPages again("test", pack::cache_folder(cache), runner(), "pandoc-that-does-not-exist");
  again.add(first, a);
  again.add(second, b);
  // The program is part of the key: another Pandoc converts afresh (and
  // here fails, with a message).
  CHECK_FALSE(again.convert(2, error));
  CHECK(error.find("pandoc-that-does-not-exist") != std::string::npos);
  html::HtmlPages cached("test", pack::cache_folder(cache), runner(), "pandoc");
  cached.add(first, a);
  const auto cached_b = cached.add(second, b);
  REQUIRE(cached.convert(2, error));
  CHECK(cached.converted() == 0);
  CHECK(cached.page(cached_b, error) == whole_b);
  CHECK(cached.page(cached_b + 1, error).empty());
  CHECK(error == "no such page");

  // A cache file cut short (it is not synced) loses what is after the cut:
  // that is converted again, the rest is kept.
  const auto cache_file = cache / "cache.bin";
  std::string bytes;
  {
    std::ifstream f(cache_file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(f), {});
  }
  REQUIRE(bytes.size() > 1000);
  test::write_file(cache_file, bytes.substr(0, bytes.size() / 2));
  html::HtmlPages damaged("test", pack::cache_folder(cache), runner(), "pandoc");
  const auto damaged_a = damaged.add(first, a);
  const auto damaged_b = damaged.add(second, b);
  REQUIRE(damaged.convert(2, error));
  CHECK(damaged.converted() > 0);
  CHECK(damaged.converted() < 15);
  CHECK(damaged.page(damaged_a, error) == whole_a);
  CHECK(damaged.page(damaged_b, error) == whole_b);
}

TEST_CASE("a failing Pandoc is reported", "[html]") {
  html::HtmlMeta meta;
  meta.title = "x";
  meta.program = "pandoc-that-does-not-exist";
  std::string error;
  CHECK(html::handout_html({heading(1, "x")}, meta, runner(), error).empty());
  CHECK_FALSE(error.empty());
}

#ifdef COURSEPACK_HAVE_VALIDATE
namespace {

// The bundled programme with its modules read through the real Pandoc.
struct Bundled {
  Diagnostics diags;
  std::optional<model::Programme> programme;
  content::PandocCache cache;
  std::map<std::string, doc::Module> modules;

  Bundled() {
    programme = validate::load_programme(COURSEPACK_SOURCE_DIR, diags);
    REQUIRE(programme);
    for (const auto& [id, course] : programme->courses)
      for (const auto& ref : course.modules) {
        std::ifstream f(std::string(COURSEPACK_SOURCE_DIR) + "/materials/" + ref.path, std::ios::binary);
        std::stringstream ss;
        ss << f.rdbuf();
        auto r = content::parse_module("materials/" + ref.path, ss.str(), runner(), cache, diags);
        REQUIRE(r.status == content::Status::Ok);
        modules[ref.path] = r.module;
      }
  }

  // A visit's handout input, as `coursepack build` makes it.
  documents::HandoutInput handout(const model::Municipality& m, const model::Visit& v) {
    const auto& course = programme->courses.at(v.course);
    model::PlaceholderContext ctx{&programme->project, &course, &m, &v, nullptr, 0, 0};
    documents::HandoutInput in;
    in.programme = &*programme;
    in.municipality = &m;
    in.visit = &v;
    in.course = &course;
    for (const auto& ref : course.modules) in.modules.push_back(tailor::tailor(modules.at(ref.path), ctx));
    if (!m.local_notes.empty()) {
      auto notes = content::parse_markdown_string(m.local_notes, SourceLoc{m.file, 0, 0}, runner(), cache, diags);
      REQUIRE(notes.status == content::Status::Ok);
      in.municipality_notes = tailor::tailor(notes.blocks, ctx);
    }
    return in;
  }
};

}  // namespace

TEST_CASE("the bundled handouts as HTML", "[html][bundled]") {
  Bundled bundled;
  const auto& p = bundled.programme;
  // Two visits are enough for Pandoc's sake: the first and the last.
  std::vector<std::pair<const model::Municipality*, const model::Visit*>> visits;
  visits.push_back({&p->municipalities.front(), &p->municipalities.front().visits.front()});
  visits.push_back({&p->municipalities.back(), &p->municipalities.back().visits.back()});
  for (const auto& [m, v] : visits) {
    INFO(m->slug << " " << v->key());
    const auto& course = p->courses.at(v->course);
    const documents::HandoutInput in = bundled.handout(*m, *v);
    html::HtmlMeta meta;
    meta.title = course.title + " – " + m->name;
    meta.subtitle = v->date.swedish_long();
    std::string error;
    const auto html = html::handout_html(documents::handout_blocks(in), meta, runner(), error);
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
// What `coursepack build` writes, block by block through HtmlPages, is what
// Pandoc writes for each whole page, for every bundled visit.
TEST_CASE("the bundled handouts through HtmlPages equal whole-page Pandoc", "[html][bundled]") {
  Bundled bundled;
  struct Page {
    std::string name;
    doc::Blocks blocks;
    html::HtmlMeta meta;
  };
  std::vector<Page> all;
  for (const auto& m : bundled.programme->municipalities)
    for (const auto& v : m.visits) {
      const auto& course = bundled.programme->courses.at(v.course);
      const documents::HandoutInput in = bundled.handout(m, v);
      Page page{m.slug + "/" + v.key(), documents::handout_blocks(in), {}};
      page.meta.title = course.title + " – " + m.name;
      page.meta.subtitle = v.date.swedish_long();
      all.push_back(std::move(page));
    }
  const auto dir = test::make_temp_dir("coursepack-html-pages");
  html::HtmlPages pages("test", pack::cache_folder(dir), runner(), "pandoc");
  std::vector<std::size_t> ids;
  for (const auto& page : all) ids.push_back(pages.add(page.blocks, page.meta));
  std::string error;
  REQUIRE(pages.convert(2, error));
  std::size_t blocks = 0;
  for (const auto& page : all) blocks += page.blocks.size();
  INFO(pages.converted() << " items converted for " << all.size() << " pages of " << blocks << " blocks");
  CHECK(pages.converted() < blocks / 4);  // most of a course is the same everywhere
  for (std::size_t i = 0; i < all.size(); ++i) {
    INFO(all[i].name);
    const std::string whole = html::handout_html(all[i].blocks, all[i].meta, runner(), error);
    REQUIRE(!whole.empty());
    CHECK(pages.page(ids[i], error) == whole);
  }
}

// The page in headless Chromium (Debian's `chromium`, see require_tool): it loads,
// requests nothing from elsewhere (the net log holds no URL but Chromium's
// own background services), has one h1 and lang="sv", and a screenshot is
// taken (kept under COURSEPACK_TEST_KEEP for looking at).
TEST_CASE("handout.html in headless Chromium", "[html][chromium]") {
  if (!test::require_tool("chromium")) return;
  Bundled bundled;
  const auto& m = bundled.programme->municipalities.front();
  const auto& v = m.visits.front();
  const auto& course = bundled.programme->courses.at(v.course);
  const documents::HandoutInput in = bundled.handout(m, v);
  html::HtmlMeta meta;
  meta.title = course.title + " – " + m.name;
  std::string error;
  const auto html = html::handout_html(documents::handout_blocks(in), meta, runner(), error);
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

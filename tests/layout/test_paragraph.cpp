#include "layout/paragraph.h"

#include <catch2/catch.hpp>
#include <algorithm>
#include <string>
#include <vector>

#include "core/text.h"
#include "layout/hyphenate.h"
#include "support/requirements.h"

using namespace cp::layout;

namespace {

constexpr const char* kSerif = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf";
constexpr const char* kSerifBold = "/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf";

const char* kText =
    "Människohandel är ett allvarligt brott där människor utnyttjas för sexuella ändamål, tvångsarbete "
    "eller andra former av exploatering. Socialtjänsten har ett särskilt ansvar att uppmärksamma "
    "människor som kan vara utsatta, och länsgemensamma rutiner underlättar samverkan mellan "
    "kommunernas kontaktpersoner, regionkoordinatorn och polisen. Närvarolistan lämnas till "
    "kursledaren efter utbildningsdagen.";

struct Fixture {
  cp::fonts::FontSet fonts;
  cp::fonts::FontId serif = 0, bold = 0;
  std::unique_ptr<Hyphenator> hyphenator = Hyphenator::swedish();
  cp::Diagnostics diags;
  cp::SourceLoc where{"moduler/01.md", 12, 1};

  Fixture() {
    auto f = cp::fonts::cached_face(kSerif);
    REQUIRE(f);
    serif = fonts.add(f);
    auto b = cp::fonts::cached_face(kSerifBold);
    REQUIRE(b);
    bold = fonts.add(b);
  }

  TextStyle style(double size = 10) const {
    TextStyle s;
    s.font = serif;
    s.size = size;
    return s;
  }

  // Text split at ASCII spaces into Text and Space pieces.
  std::vector<Piece> pieces(const std::string& text, const TextStyle& s) const {
    std::vector<Piece> out;
    std::string word;
    for (char c : text) {
      if (c == ' ') {
        if (!word.empty()) out.push_back({PieceKind::Text, word, s});
        out.push_back({PieceKind::Space, " ", s});
        word.clear();
      } else {
        word += c;
      }
    }
    if (!word.empty()) out.push_back({PieceKind::Text, word, s});
    return out;
  }

  std::vector<SetLine> set(const std::vector<Piece>& ps, double measure, LineAlign align = LineAlign::Justify) {
    ParagraphSpec spec;
    spec.width = [measure](std::size_t) { return measure; };
    spec.align = align;
    return set_paragraph(ps, spec, fonts, hyphenator.get(), where, &diags);
  }
};

double run_end(const GlyphRun& r) { return r.x + r.width; }

std::string line_text(const SetLine& l) {
  std::string s;
  for (const auto& r : l.runs) {
    if (!s.empty()) s += ' ';
    s += r.text;
  }
  return s;
}

std::string all_text(const std::vector<SetLine>& lines) {
  std::string s;
  for (const auto& l : lines) {
    std::string t = line_text(l);
    if (l.hyphenated) t.pop_back();  // the inserted hyphen
    if (!s.empty() && !s.ends_with('\x01')) s += ' ';
    s += t;
    if (l.hyphenated) s += '\x01';
  }
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\x01') {
      if (i + 1 < s.size() && s[i + 1] == ' ') ++i;
      continue;
    }
    out += s[i];
  }
  return out;
}

}  // namespace

TEST_CASE("justified paragraph: never wider than the measure, lines reach the margin") {
  Fixture fx;
  for (double measure : {150.0, 200.0, 260.0, 330.0}) {
    INFO("measure " << measure);
    const auto lines = fx.set(fx.pieces(kText, fx.style()), measure);
    REQUIRE(lines.size() > 2);
    int hyphenated = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const SetLine& l = lines[i];
      REQUIRE_FALSE(l.runs.empty());
      CHECK(l.width <= measure + 1e-6);
      for (const auto& r : l.runs) {
        CHECK(r.x >= -1e-9);
        CHECK(run_end(r) <= measure + 1e-6);
        CHECK(r.text.find(' ') == std::string::npos);
      }
      if (!l.last) CHECK(run_end(l.runs.back()) == Approx(measure).margin(0.01));
      CHECK(l.last == (i + 1 == lines.size()));
      if (l.hyphenated) {
        ++hyphenated;
        CHECK(l.runs.back().text.ends_with("-"));
      }
      CHECK(l.ascent > 0);
      CHECK(l.descent > 0);
    }
    // The last line is never stretched (it may be shrunk to fit).
    const double space = fx.fonts.face(fx.serif).advance(U' ') * 10 / 1000.0;
    const auto& last = lines.back().runs;
    for (std::size_t i = 1; i < last.size(); ++i) CHECK(last[i].x - run_end(last[i - 1]) <= space + 1e-9);
    // Nothing lost or added apart from the hyphens.
    CHECK(all_text(lines) == kText);
    if (measure <= 150) CHECK(hyphenated > 0);  // at 200 pt it sets without a hyphen
  }
  CHECK(fx.diags.warning_count() == 0);
}

TEST_CASE("words of one style on a line are separate runs; a style change splits a word") {
  Fixture fx;
  auto ps = fx.pieces("en kontakt person", fx.style());
  TextStyle b = fx.style();
  b.font = fx.bold;
  ps.insert(ps.begin() + 3, Piece{PieceKind::Text, "fet", b});  // "kontakt" + "fet" form one word
  const auto lines = fx.set(ps, 400);
  REQUIRE(lines.size() == 1);
  REQUIRE(lines[0].runs.size() == 4);
  CHECK(lines[0].runs[1].text == "kontakt");
  CHECK(lines[0].runs[2].text == "fet");
  CHECK(lines[0].runs[2].font == fx.bold);
  CHECK(lines[0].runs[2].x == Approx(run_end(lines[0].runs[1])));  // no space inside the word
}

TEST_CASE("non-breaking spaces hold a legal reference together") {
  Fixture fx;
  const std::string text =
      "Anmälningsplikten gäller enligt 14 kap.\u00A01\u00A0§ socialtjänstlagen och enligt 6 kap.\u00A011\u00A0§ "
      "lagen om stöd till barn som har bevittnat våld.";
  for (double measure = 90; measure <= 320; measure += 7) {
    INFO("measure " << measure);
    const auto lines = fx.set(fx.pieces(text, fx.style()), measure);
    for (const auto& l : lines) {
      CHECK(l.width <= measure + 1e-6);
      const std::string t = line_text(l);
      // "kap." is always followed by its number and "§" on the same line.
      if (t.ends_with("kap.")) FAIL("line ends at kap.: " << t);
      if (t.rfind("§", 0) == 0) FAIL("line starts with §: " << t);
    }
  }
}

TEST_CASE("a URL wider than the measure is broken between characters without hyphens") {
  Fixture fx;
  auto ps = fx.pieces("Läs mer på ", fx.style());
  TextStyle link = fx.style();
  link.link = "https://www.socialstyrelsen.se/kunskapsstod-och-regler/omraden/manniskohandel/";
  link.hyphenate = false;
  link.underline = true;
  ps.push_back({PieceKind::Text, link.link, link});
  ps.push_back({PieceKind::Space, " ", fx.style()});
  ps.push_back({PieceKind::Text, "idag.", fx.style()});
  const double measure = 120;
  const auto lines = fx.set(ps, measure);
  REQUIRE(lines.size() >= 3);
  std::string url;
  for (const auto& l : lines) {
    CHECK(l.width <= measure + 1e-6);
    CHECK_FALSE(l.hyphenated);
    for (const auto& r : l.runs)
      if (r.text != "Läs" && r.text != "mer" && r.text != "på" && r.text != "idag.") url += r.text;
    for (const auto& k : l.links) {
      CHECK(k.uri == link.link);
      CHECK(k.height > 0);
      CHECK(k.y < 0);
    }
  }
  CHECK(url == link.link);  // all of it, nothing added
  // Every line holding part of the URL has a link and an underline.
  for (const auto& l : lines) {
    bool has_url = false;
    for (const auto& r : l.runs) has_url = has_url || r.text.find('/') != std::string::npos;
    if (has_url) {
      CHECK(l.links.size() == 1);
      CHECK(l.underlines.size() == 1);
    }
  }
}

TEST_CASE("a long word in a narrow column is never overfull") {
  Fixture fx;
  const auto lines = fx.set(fx.pieces("Arbetskraftsexploateringsutredningsavdelningschefen", fx.style(12)), 60);
  REQUIRE(lines.size() > 1);
  for (const auto& l : lines) CHECK(l.width <= 60 + 1e-6);
  CHECK(fx.diags.warning_count() == 0);
}

TEST_CASE("ragged right keeps natural spaces and starts every line at zero") {
  Fixture fx;
  const auto lines = fx.set(fx.pieces(kText, fx.style()), 200, LineAlign::Left);
  const double space = fx.fonts.face(fx.serif).advance(U' ') * 10 / 1000.0;
  REQUIRE(lines.size() > 2);
  for (const auto& l : lines) {
    CHECK(l.runs.front().x == 0);
    CHECK(l.width <= 200 + 1e-6);
    for (std::size_t i = 1; i < l.runs.size(); ++i)
      CHECK(l.runs[i].x - run_end(l.runs[i - 1]) == Approx(space));
  }
  // Ragged, not justified: lines end at different places.
  CHECK(lines[0].width != Approx(lines[1].width));
}

TEST_CASE("centred and right-aligned lines are left for the caller to place") {
  Fixture fx;
  for (auto align : {LineAlign::Center, LineAlign::Right}) {
    const auto lines = fx.set(fx.pieces("Människohandel och prostitution", fx.style(18)), 150, align);
    REQUIRE(lines.size() >= 2);
    for (const auto& l : lines) {
      CHECK(l.runs.front().x == 0);
      CHECK(l.width <= 150 + 1e-6);
    }
  }
}

TEST_CASE("the line width may vary per line") {
  Fixture fx;
  ParagraphSpec spec;
  spec.width = [](std::size_t line) { return line == 0 ? 120.0 : 220.0; };
  const auto lines = set_paragraph(fx.pieces(kText, fx.style()), spec, fx.fonts, fx.hyphenator.get(), fx.where,
                                   &fx.diags);
  REQUIRE(lines.size() > 2);
  CHECK(run_end(lines[0].runs.back()) == Approx(120).margin(0.01));
  CHECK(run_end(lines[1].runs.back()) == Approx(220).margin(0.01));
}

TEST_CASE("a line break piece ends a line; spaces around it vanish") {
  Fixture fx;
  auto ps = fx.pieces("Anna Berg ", fx.style());
  ps.push_back({PieceKind::LineBreak, "", fx.style()});
  ps.push_back({PieceKind::LineBreak, "", fx.style()});
  auto rest = fx.pieces(" Storgatan 1", fx.style());
  ps.insert(ps.end(), rest.begin(), rest.end());
  const auto lines = fx.set(ps, 300);
  REQUIRE(lines.size() == 3);
  CHECK(line_text(lines[0]) == "Anna Berg");
  CHECK(lines[1].runs.empty());  // the empty line keeps its height
  CHECK(lines[1].ascent > 0);
  CHECK(line_text(lines[2]) == "Storgatan 1");
  CHECK(lines[0].width < 300);  // not stretched before a line break
}

TEST_CASE("a character no installed font has is reported once and left out") {
  Fixture fx;
  // U+0378 is unassigned: no font has it.
  const auto lines = fx.set(fx.pieces("ab\u0378c och \u0378 igen", fx.style()), 300);
  REQUIRE(lines.size() == 1);
  CHECK(line_text(lines[0]) == "abc och igen");
  const auto ds = fx.diags.all();
  REQUIRE(ds.size() == 1);
  CHECK(cp::format_diagnostic(ds[0]) ==
        "moduler/01.md:12:1: warning: no installed font has the character U+0378 '\u0378'");
}

TEST_CASE("a character missing from the font falls back to another font") {
  Fixture fx;
  // Noto Serif has no CJK; Droid Sans Fallback has.
  if (!cp::test::require_font("Droid Sans Fallback")) return;
  REQUIRE_FALSE(fx.fonts.face(fx.serif).covers(U'\u4EBA'));
  const auto lines = fx.set(fx.pieces("ord \u4EBA ord", fx.style()), 300);
  REQUIRE(lines.size() == 1);
  CHECK(fx.diags.warning_count() == 0);
  REQUIRE(lines[0].runs.size() == 3);
  CHECK(lines[0].runs[1].font != fx.serif);
  CHECK(fx.fonts.face(lines[0].runs[1].font).covers(U'\u4EBA'));
}

TEST_CASE("soft hyphens are the only break points of their word") {
  Fixture fx;
  const auto lines = fx.set(fx.pieces("aaa bbb Sam\u00ADordnings\u00ADförbundet ccc", fx.style()), 95);
  for (const auto& l : lines) {
    CHECK(l.width <= 95 + 1e-6);
    if (l.hyphenated) {
      const std::string t = line_text(l);
      CHECK((t.ends_with("Sam-") || t.ends_with("Samordnings-")));
    }
    for (const auto& r : l.runs) CHECK(r.text.find("\u00AD") == std::string::npos);
  }
}

TEST_CASE("empty input and lone non-breaking spaces") {
  Fixture fx;
  CHECK(fx.set({}, 100).empty());
  CHECK(fx.set(fx.pieces("   ", fx.style()), 100).empty());
  const auto one = fx.set({{PieceKind::NbSpace, "\u00A0", fx.style()}}, 100);
  REQUIRE(one.size() == 1);
  CHECK(one[0].runs.empty());
  CHECK(one[0].ascent > 0);
}

TEST_CASE("natural width sums advances") {
  Fixture fx;
  const auto& f = fx.fonts.face(fx.serif);
  const double expected = (f.advance(U'N') + f.advance(U'ä') + f.advance(U'r') + f.advance(U' ') + f.advance(U'1')) *
                          12 / 1000.0;
  CHECK(natural_width("När 1", fx.style(12), fx.fonts) == Approx(expected));
  CHECK(natural_width("", fx.style(12), fx.fonts) == 0);
}

TEST_CASE("a non-standard hyphenation point sets its replacement (till- / låta)") {
  Fixture fx;
  fx.hyphenator = Hyphenator::load(COURSEPACK_TEST_DATA "/hyph_nonstandard.dic");
  REQUIRE(fx.hyphenator);
  const std::string text = "att tillåta tillåta tillåta tillåta tillåta tillåta tillåta tillåta att tillåta tillåta "
                           "tillåta tillåta tillåta tillåta tillåta tillåta";
  int broken = 0;
  for (double measure = 60; measure <= 140; measure += 3) {
    INFO("measure " << measure);
    const auto lines = fx.set(fx.pieces(text, fx.style()), measure);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      CHECK(lines[i].width <= measure + 1e-6);
      const std::string t = line_text(lines[i]);
      CHECK_FALSE(t.ends_with("til-"));
      if (lines[i].hyphenated) {
        ++broken;
        CHECK(t.ends_with("till-"));
        REQUIRE(i + 1 < lines.size());
        CHECK(line_text(lines[i + 1]).rfind("låta", 0) == 0);
        // The run width matches its text: "till-" measured with the font.
        const auto& run = lines[i].runs.back();
        const auto& face = fx.fonts.face(run.font);
        CHECK(run.width == Approx((face.advance(U't') + face.advance(U'i') + 2 * face.advance(U'l') +
                                   face.advance(U'-')) * 10 / 1000.0));
      }
    }
  }
  CHECK(broken > 0);
}

namespace {

void require_same_lines(const std::vector<SetLine>& a, const std::vector<SetLine>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].width == b[i].width);
    CHECK(a[i].ascent == b[i].ascent);
    CHECK(a[i].hyphenated == b[i].hyphenated);
    CHECK(a[i].last == b[i].last);
    REQUIRE(a[i].runs.size() == b[i].runs.size());
    for (std::size_t k = 0; k < a[i].runs.size(); ++k) {
      const GlyphRun& x = a[i].runs[k];
      const GlyphRun& y = b[i].runs[k];
      CHECK(x.text == y.text);
      CHECK(x.x == y.x);
      CHECK(x.y == y.y);
      CHECK(x.font == y.font);
      CHECK(x.size == y.size);
      CHECK(x.width == y.width);
    }
    CHECK(a[i].links.size() == b[i].links.size());
  }
}

}  // namespace

TEST_CASE("a paragraph cache gives what set_paragraph gives, once per distinct paragraph") {
  ParagraphCache cache;
  ParagraphSpec spec;
  Fixture first;
  const auto ps = first.pieces(kText, first.style());
  const auto direct = first.set(ps, 200);
  const auto cached = cache.lines(ps, 200, spec, first.fonts, first.hyphenator.get(), first.where, &first.diags);
  require_same_lines(cached, direct);
  CHECK(cache.size() == 1);
  CHECK(cache.hits() == 0);

  // Another document with the same faces (and the build's one hyphenator):
  // taken from the cache.
  Fixture second;
  const auto again = cache.lines(second.pieces(kText, second.style()), 200, spec, second.fonts,
                                 first.hyphenator.get(), second.where, &second.diags);
  require_same_lines(again, direct);
  CHECK(cache.hits() == 1);

  // A different measure, size or hyphenation setting is a paragraph of its own.
  const auto narrow = cache.lines(ps, 150, spec, first.fonts, first.hyphenator.get(), first.where, &first.diags);
  CHECK(narrow.size() > direct.size());
  cache.lines(first.pieces(kText, first.style(11)), 200, spec, first.fonts, first.hyphenator.get(), first.where,
              &first.diags);
  ParagraphSpec ragged = spec;
  ragged.align = LineAlign::Left;
  cache.lines(ps, 200, ragged, first.fonts, first.hyphenator.get(), first.where, &first.diags);
  CHECK(cache.hits() == 1);
  CHECK(cache.size() == 4);
  CHECK(first.diags.warning_count() == 0);
}

TEST_CASE("a paragraph cache keeps no paragraph that warned, so every document warns") {
  ParagraphCache cache;
  ParagraphSpec spec;
  Fixture fx;
  const auto ps = fx.pieces("ab\u0378c och text", fx.style());
  for (int i = 0; i < 2; ++i) {
    const auto lines = cache.lines(ps, 300, spec, fx.fonts, fx.hyphenator.get(), fx.where, &fx.diags);
    REQUIRE(lines.size() == 1);
    CHECK(line_text(lines[0]) == "abc och text");
  }
  CHECK(fx.diags.warning_count() == 2);
  CHECK(cache.size() == 0);
  // Without a diagnostics sink the warning is still noticed: nothing kept.
  cache.lines(ps, 300, spec, fx.fonts, fx.hyphenator.get(), fx.where, nullptr);
  CHECK(cache.size() == 0);
}

TEST_CASE("a paragraph cache keys the faces behind the font ids") {
  Fixture fx;
  // A character Noto Serif lacks, set with a fallback face added to the set.
  if (!cp::test::require_font("Noto Sans Arabic")) return;
  REQUIRE_FALSE(fx.fonts.face(fx.serif).covers(U'\u0627'));
  ParagraphCache cache;
  ParagraphSpec spec;
  const auto ps = fx.pieces("ord \u0627\u0644 ord", fx.style());
  const std::size_t faces = fx.fonts.size();
  const auto lines = cache.lines(ps, 300, spec, fx.fonts, fx.hyphenator.get(), fx.where, &fx.diags);
  REQUIRE(fx.diags.warning_count() == 0);
  REQUIRE(fx.fonts.size() == faces + 1);
  CHECK(cache.size() == 0);  // the set grew while setting it
  // Now the set holds the fallback: kept, and the ids in it refer to it.
  cache.lines(ps, 300, spec, fx.fonts, fx.hyphenator.get(), fx.where, &fx.diags);
  CHECK(cache.size() == 1);
  // A document whose set lacks that face sets it again (a different key),
  // with the fallback at its own id.
  Fixture other;
  other.fonts.add(cp::fonts::cached_face("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"));
  const auto theirs = cache.lines(ps, 300, spec, other.fonts, fx.hyphenator.get(), other.where, &other.diags);
  CHECK(cache.hits() == 0);
  REQUIRE(other.fonts.size() == faces + 2);
  bool uses_fallback = false;
  for (const auto& r : theirs.at(0).runs) uses_fallback |= r.font == static_cast<cp::fonts::FontId>(faces + 1);
  CHECK(uses_fallback);
  require_same_lines(lines, cache.lines(ps, 300, spec, fx.fonts, fx.hyphenator.get(), fx.where, &fx.diags));
}

namespace {

// Long Swedish compounds in narrow measures: every line wants a hyphen.
const char* kCompounds =
    "Människohandelsutredningen föreslår länsstyrelsesamordnade utbildningsinsatser för "
    "socialtjänstmedarbetare, myndighetssamverkansrutiner och stödinsatsuppföljning inom "
    "kommunförbundsområdet samt uppmärksamhetsbristen.";

struct RuleCounts {
  int three_in_a_row = 0;   // three hyphenated lines one after the other
  int final_hyphen = 0;     // the last full line hyphenated
  int lone_fragment = 0;    // the last line only the end of a hyphenated word
  int paragraphs = 0;
  int hyphenated = 0, lines = 0;
};

// Sets kCompounds at every measure from 160 to 320 pt (every word fits) with `tweak` applied
// to the spec, and counts how often each rule is broken.
template <class Tweak>
RuleCounts count_rules(Fixture& fx, Tweak tweak) {
  RuleCounts c;
  for (double measure = 160; measure <= 320; measure += 1) {
    ParagraphSpec spec;
    spec.width = [measure](std::size_t) { return measure; };
    tweak(spec);
    const auto lines = set_paragraph(fx.pieces(kCompounds, fx.style()), spec, fx.fonts, fx.hyphenator.get(),
                                     fx.where, &fx.diags);
    ++c.paragraphs;
    const std::size_t n = lines.size();
    for (std::size_t i = 0; i < n; ++i) {
      ++c.lines;
      c.hyphenated += lines[i].hyphenated;
      if (i + 2 < n && lines[i].hyphenated && lines[i + 1].hyphenated && lines[i + 2].hyphenated) ++c.three_in_a_row;
    }
    if (n >= 2 && lines[n - 2].hyphenated) {
      ++c.final_hyphen;
      if (lines[n - 1].runs.size() == 1) ++c.lone_fragment;
    }
  }
  return c;
}

}  // namespace

TEST_CASE("never three hyphenated lines in a row") {
  Fixture fx;
  // TeX's rules alone (only demerits for two in a row) give runs of three.
  const RuleCounts tex = count_rules(fx, [](ParagraphSpec& s) {
    s.hyphen_penalty = 50;
    s.max_hyphen_run = 0;
  });
  REQUIRE(tex.three_in_a_row > 0);
  const RuleCounts ours = count_rules(fx, [](ParagraphSpec&) {});
  CHECK(ours.three_in_a_row == 0);
  CHECK(fx.diags.warning_count() == 0);
}

TEST_CASE("final hyphens allowed: rated as TeX rates them, rarer at higher demerits") {
  Fixture fx;
  const RuleCounts tex = count_rules(fx, [](ParagraphSpec& s) {
    s.hyphen_penalty = 50;
    s.final_hyphen = true;
    s.final_hyphen_demerits = 5000;
    s.hyphenate_last_word = true;
  });
  REQUIRE(tex.final_hyphen > 0);
  const RuleCounts rated = count_rules(fx, [](ParagraphSpec& s) { s.final_hyphen = true; });
  CHECK(rated.final_hyphen < tex.final_hyphen);
}

TEST_CASE("by default no paragraph ends with its last full line hyphenated") {
  Fixture fx;
  // Hyphens made cheap and the last word hyphenated too: the paragraph is
  // tempted to end "...uppmärk-" / "samhetsbristen." at many measures.
  const auto tempt = [](ParagraphSpec& s) {
    s.hyphen_penalty = 50;
    s.hyphenate_last_word = true;
  };
  const RuleCounts rated = count_rules(fx, [&](ParagraphSpec& s) {
    tempt(s);
    s.final_hyphen = true;
    s.final_hyphen_demerits = 5000;
  });
  REQUIRE(rated.final_hyphen > 0);
  const RuleCounts tempted = count_rules(fx, tempt);
  CHECK(tempted.final_hyphen == 0);
  const RuleCounts ours = count_rules(fx, [](ParagraphSpec&) {});
  CHECK(ours.final_hyphen == 0);
  CHECK(fx.diags.warning_count() == 0);
}

TEST_CASE("a hyphen on the last full line when nothing else fits the measure") {
  Fixture fx;
  // "Människohandelsutredningen" tied to "ja" by a no-break space, on a
  // measure narrower than the long word: the only breaks short of cutting
  // a word between letters or breaking the tie are its hyphenation points,
  // and each leaves "...-" on the last full line: that is taken, rather
  // than a broken tie or a cut between letters.
  const auto style = fx.style();
  std::vector<Piece> pieces{{PieceKind::Text, "Människohandelsutredningen", style},
                            {PieceKind::NbSpace, "", style},
                            {PieceKind::Text, "ja.", style}};
  ParagraphSpec spec;
  const double word = natural_width("Människohandelsutredningen", style, fx.fonts);
  spec.width = [word](std::size_t) { return word * 0.7; };
  const auto lines = set_paragraph(pieces, spec, fx.fonts, fx.hyphenator.get(), fx.where, &fx.diags);
  INFO(line_text(lines[0]) << " | " << line_text(lines.back()));
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].hyphenated);
  const std::string first = line_text(lines[0]);
  REQUIRE(first.size() > 1);
  CHECK(first.back() == '-');
  CHECK(first.substr(0, first.size() - 1) + line_text(lines[1]) == "Människohandelsutredningen ja.");
  for (const auto& l : lines) CHECK(l.width <= word * 0.7 + 1e-6);
  CHECK(fx.diags.warning_count() == 0);
}

TEST_CASE("a paragraph never ends on a lone fragment of a hyphenated word") {
  Fixture fx;
  const RuleCounts tex = count_rules(fx, [](ParagraphSpec& s) {
    s.hyphen_penalty = 50;
    s.final_hyphen = true;
    s.final_hyphen_demerits = 5000;
    s.hyphenate_last_word = true;
  });
  REQUIRE(tex.lone_fragment > 0);
  const RuleCounts ours = count_rules(fx, [](ParagraphSpec&) {});
  CHECK(ours.lone_fragment == 0);
}

TEST_CASE("fewer hyphens than with TeX's penalty of 50") {
  Fixture fx;
  const RuleCounts tex = count_rules(fx, [](ParagraphSpec& s) { s.hyphen_penalty = 50; });
  const RuleCounts ours = count_rules(fx, [](ParagraphSpec&) {});
  INFO("TeX " << tex.hyphenated << "/" << tex.lines << ", ours " << ours.hyphenated << "/" << ours.lines);
  CHECK(ours.hyphenated * tex.lines < tex.hyphenated * ours.lines);
}

TEST_CASE("words are measured as shaped: kerning narrows them as HarfBuzz says") {
  Fixture fx;
  const auto sans = cp::fonts::find_family("Noto Sans", cp::fonts::Style::Bold);
  REQUIRE(sans);
  const auto id = fx.fonts.add(cp::fonts::cached_face(*sans));
  TextStyle s = fx.style(30);
  s.font = id;
  s.hyphenate = false;
  const auto lines = fx.set(fx.pieces("Vaggeryd", s), 400, LineAlign::Left);
  REQUIRE(lines.size() == 1);
  REQUIRE(lines[0].runs.size() == 1);
  const auto& face = fx.fonts.face(id);
  const double shaped = face.shaped_advance("Vaggeryd") * 30 / 1000;
  const double plain = static_cast<double>(face.advance(std::string_view("Vaggeryd"))) * 30 / 1000;
  CHECK(shaped < plain - 0.5);  // "Va" kerns in Noto Sans Bold
  CHECK(lines[0].runs[0].width == Approx(shaped));
  CHECK(lines[0].width == Approx(shaped));
  REQUIRE(lines[0].runs[0].glyphs);
  CHECK(*lines[0].runs[0].glyphs == *face.shape("Vaggeryd"));
}

TEST_CASE("a right-to-left name reads from the right: its words are reordered with ubidi") {
  Fixture fx;
  const auto path = cp::fonts::find_family("Noto Sans Arabic", cp::fonts::Style::Regular);
  REQUIRE(path);
  const auto id = fx.fonts.add(cp::fonts::cached_face(*path));
  TextStyle s = fx.style(20);
  s.font = id;
  s.hyphenate = false;
  // "Ali Mohammed" followed by a Latin word: the two Arabic words swap
  // places, the Latin one stays at the end.
  const auto lines = fx.set(fx.pieces("علي محمد Ali", s), 400, LineAlign::Left);
  REQUIRE(lines.size() == 1);
  const auto& runs = lines[0].runs;
  REQUIRE(runs.size() == 3);
  CHECK(runs[0].text == "علي");
  CHECK(runs[1].text == "محمد");
  CHECK(runs[2].text == "Ali");
  CHECK(runs[1].x < runs[0].x);   // the first word on the right
  CHECK(runs[0].x > runs[1].x + runs[1].width);
  CHECK(runs[2].x > runs[0].x + runs[0].width);
  CHECK(runs[1].x == Approx(0).margin(1e-9));
  // Each word is joined, as HarfBuzz shapes it right to left.
  REQUIRE(runs[1].glyphs);
  CHECK(*runs[1].glyphs == *fx.fonts.face(id).shape("محمد"));
}

namespace {

struct JoinCounts {
  int hyphenated = 0;  // lines ending in an added hyphen
  int at_join = 0;     // of those, broken where two parts of a compound join
  int inside = 0;      // broken inside a part of a word that has joins
};

// Sets kCompounds at every measure from 160 to 320 pt and sorts its
// hyphenated breaks by where in their word they fall, as the compound
// dictionary tells.
template <class Tweak>
JoinCounts count_joins(Fixture& fx, Tweak tweak) {
  JoinCounts c;
  for (double measure = 160; measure <= 320; measure += 1) {
    ParagraphSpec spec;
    spec.width = [measure](std::size_t) { return measure; };
    tweak(spec);
    const auto lines = set_paragraph(fx.pieces(kCompounds, fx.style()), spec, fx.fonts, fx.hyphenator.get(),
                                     fx.where, &fx.diags);
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
      if (!lines[i].hyphenated) continue;
      ++c.hyphenated;
      std::string left = lines[i].runs.back().text;
      REQUIRE(!left.empty());
      REQUIRE(left.back() == '-');
      left.pop_back();
      const std::string word = left + lines[i + 1].runs.front().text;
      const auto joins = fx.hyphenator->compound_joins(word);
      const std::size_t at = cp::text::length(left);
      if (std::find(joins.begin(), joins.end(), at) != joins.end())
        ++c.at_join;
      else if (!joins.empty())
        ++c.inside;
    }
  }
  return c;
}

}  // namespace

TEST_CASE("compounds break where their parts join rather than inside a part") {
  Fixture fx;
  REQUIRE(fx.hyphenator->has_compounds());
  // Every hyphenation point alike: many breaks fall inside a part.
  const JoinCounts plain = count_joins(fx, [](ParagraphSpec& s) { s.component_hyphen_penalty = s.hyphen_penalty; });
  const JoinCounts ours = count_joins(fx, [](ParagraphSpec&) {});
  INFO("plain " << plain.at_join << " at joins, " << plain.inside << " inside, of " << plain.hyphenated
                << "; ours " << ours.at_join << ", " << ours.inside << ", of " << ours.hyphenated);
  REQUIRE(plain.inside > 0);
  CHECK(ours.inside < plain.inside);
  CHECK(ours.at_join > plain.at_join);
  CHECK(ours.hyphenated <= plain.hyphenated);  // not bought with more hyphens
}

TEST_CASE("words tied by no-break spaces wider than the measure are broken at the ties, never overfull") {
  // A venue such as "Stadshuset, sal 3, plan 2" written with no-break
  // spaces: no word is wider than the measure, the whole is.
  Fixture fx;
  std::vector<Piece> ps;
  for (int i = 0; i < 12; ++i) {
    if (i > 0) ps.push_back({PieceKind::NbSpace, "\u00A0", fx.style()});
    ps.push_back({PieceKind::Text, i % 2 ? "sal" : "Stadshuset,", fx.style()});
  }
  const double measure = 90;
  for (LineAlign align : {LineAlign::Justify, LineAlign::Left}) {
    const std::size_t warnings = fx.diags.warning_count();
    const auto lines = fx.set(ps, measure, align);
    REQUIRE(lines.size() > 1);
    for (const auto& l : lines) {
      CHECK(l.width <= measure + 1e-6);
      CHECK_FALSE(l.hyphenated);  // broken at the ties, not inside the words
      for (const auto& r : l.runs) CHECK((r.text == "sal" || r.text == "Stadshuset,"));
    }
    CHECK(fx.diags.warning_count() == warnings);
  }
  // The ties hold wherever the text fits.
  const auto wide = fx.set(ps, 2000);
  CHECK(wide.size() == 1);
}

TEST_CASE("a word too wide for the measure is broken at grapheme boundaries only") {
  // A Thai word whose vowel marks are in another style than their bases,
  // so shaping does not join them: a break before a mark would separate
  // it from its base.
  Fixture fx;
  TextStyle mark = fx.style();
  mark.font = fx.bold;
  mark.style = cp::fonts::Style::Bold;
  std::vector<Piece> ps;
  for (int i = 0; i < 40; ++i) {
    ps.push_back({PieceKind::Text, "\u0E01", fx.style()});  // KO KAI
    ps.push_back({PieceKind::Text, "\u0E31", mark});         // MAI HAN-AKAT, a mark above
  }
  const double measure = 60;
  const auto lines = fx.set(ps, measure);
  REQUIRE(lines.size() > 1);
  for (const auto& l : lines) {
    CHECK(l.width <= measure + 1e-6);
    REQUIRE_FALSE(l.runs.empty());
    CHECK_FALSE(l.runs.front().text.starts_with("\u0E31"));
  }
}

TEST_CASE("a piece's structure node goes into its runs and links, which never mix two") {
  Fixture f;
  TextStyle para = f.style();
  para.node = 0;
  TextStyle link = para;
  link.link = "https://example.org/";
  link.node = 1;
  TextStyle other = link;  // the same target, another link
  other.node = 2;
  std::vector<Piece> ps = f.pieces("Läs mer", para);
  ps.push_back({PieceKind::Space, " ", para});
  ps.push_back({PieceKind::Text, "här", link});
  ps.push_back({PieceKind::Text, "eller", other});  // one word, two links
  ps.push_back({PieceKind::Space, " ", para});
  ps.push_back({PieceKind::Text, "där.", para});
  const auto lines = f.set(ps, 400, LineAlign::Left);
  REQUIRE(lines.size() == 1);
  std::vector<std::pair<std::string, int>> runs;
  for (const auto& r : lines[0].runs) runs.emplace_back(r.text, r.node);
  CHECK(runs == std::vector<std::pair<std::string, int>>{{"Läs", 0}, {"mer", 0}, {"här", 1}, {"eller", 2}, {"där.", 0}});
  REQUIRE(lines[0].links.size() == 2);
  CHECK(lines[0].links[0].node == 1);
  CHECK(lines[0].links[1].node == 2);
  CHECK(lines[0].links[1].x == Approx(lines[0].runs[3].x));

  // The cache tells paragraphs apart by their nodes too.
  ParagraphCache cache;
  ParagraphSpec spec;
  spec.align = LineAlign::Left;
  const auto first = cache.lines(ps, 400, spec, f.fonts, f.hyphenator.get(), f.where, &f.diags);
  for (auto& p : ps) p.style.node += 10;
  const auto second = cache.lines(ps, 400, spec, f.fonts, f.hyphenator.get(), f.where, &f.diags);
  CHECK(first[0].runs[0].node == 0);
  CHECK(second[0].runs[0].node == 10);
  CHECK(cache.hits() == 0);
}

#include "documents/certificate.h"

#include <catch2/catch.hpp>
#include <regex>
#include <set>

#include "core/files.h"
#include "core/text.h"
#include "documents/attendance.h"
#include "documents/verification.h"
#include "fixtures.h"
#include "pdf_tools.h"
#include "structure_check.h"
#include "render/pdf_split.h"
#include "support/command.h"
#include "support/temp_dir.h"

using namespace cp;
using test::mm;

namespace {

documents::CertificateInput input_for(const model::Programme& p) {
  documents::CertificateInput in;
  in.programme = &p;
  in.municipality = &p.municipalities.front();
  in.visit = &p.municipalities.front().visits.front();
  in.course = &p.courses.at("grundutbildning");
  in.participants = documents::certificate_entries(p, *in.municipality, *in.visit, *in.course);
  return in;
}

model::Programme programme_with(const std::vector<model::Participant>& people,
                                model::VisitStatus status = model::VisitStatus::Planned) {
  auto p = test::sample_programme();
  test::sample_visit(p).participants = people;
  test::sample_visit(p).status = status;
  return p;
}

const model::CertificateElement& name_element(const model::Programme& p) {
  for (const auto& el : p.layouts.certificate.elements)
    if (el.text == "{{participant.name}}") return el;
  throw std::runtime_error("no name element");
}

// Every glyph run and rectangle lies inside the page's margins.
void check_inside_margins(const layout::Document& doc, const model::PageSpec& spec) {
  for (const auto& page : doc.pages)
    for (const auto& item : page.items) {
      if (const auto* r = std::get_if<layout::GlyphRun>(&item)) {
        INFO(r->text);
        CHECK(r->x >= spec.margins.left - 0.01);
        CHECK(r->x + r->width <= spec.width - spec.margins.right + 0.01);
        CHECK(r->y >= spec.margins.bottom);
        CHECK(r->y <= spec.height - spec.margins.top);
      }
    }
}

}  // namespace

TEST_CASE("a planned visit certifies everyone registered, in sheet order", "[certificate]") {
  const auto p = programme_with({test::person("Zara Zetterlund"), test::person("Åke Åberg"),
                                 test::person("Anna Andersson"), test::person("Örjan Ödman")});
  const auto in = input_for(p);
  REQUIRE(in.participants.size() == 4);
  CHECK(in.participants[0].participant->name == "Anna Andersson");
  CHECK(in.participants[1].participant->name == "Zara Zetterlund");
  CHECK(in.participants[2].participant->name == "Åke Åberg");
  CHECK(in.participants[3].participant->name == "Örjan Ödman");
  Diagnostics diags;
  const auto doc = documents::compose_certificates(in, diags);
  CHECK(doc.pages.size() == 4);
  CHECK_FALSE(diags.has_errors());
  check_inside_margins(doc, p.layouts.certificate.page);

  const auto pdf = test::write_pdf(doc, "certificates-planned.pdf");
  for (std::size_t i = 0; i < in.participants.size(); ++i) {
    const std::string page = test::pdf_text(pdf, static_cast<int>(i) + 1);
    INFO("page " << i + 1 << ":\n" << page);
    // Its own name exactly once, nobody else's.
    for (std::size_t j = 0; j < in.participants.size(); ++j)
      CHECK(test::count(page, in.participants[j].participant->name) == (i == j ? 1u : 0u));
    CHECK(test::count(page, in.participants[i].code) == 1);
    CHECK(page.find("KURSINTYG") != std::string::npos);
    CHECK(page.find("3,5 timmar, 14 mars 2023, Eksjö") != std::string::npos);
    CHECK(test::squeeze(page).find("har deltagit i Grundutbildning om sexuell exploatering") != std::string::npos);
    CHECK(page.find("Annika Hedlund") != std::string::npos);
    CHECK(page.find("Karin Ljungqvist") != std::string::npos);
    CHECK(test::squeeze(page).find("känna till begreppen sexuell exploatering") != std::string::npos);
  }
}

TEST_CASE("a held visit certifies only those who attended", "[certificate]") {
  const auto p = programme_with({test::person("Anna Andersson", "Socialsekreterare", "Barn och familj", true),
                                 test::person("Bertil Borg", "Socialsekreterare", "Barn och familj", false),
                                 test::person("Cecilia Carlsson", "Socialsekreterare", "Barn och familj", {}),
                                 test::person("Åke Åberg", "Socialsekreterare", "Barn och familj", true)},
                                model::VisitStatus::Held);
  const auto in = input_for(p);
  REQUIRE(in.participants.size() == 2);
  Diagnostics diags;
  const auto doc = documents::compose_certificates(in, diags);
  REQUIRE(doc.pages.size() == 2);
  const auto text = test::pdf_text(test::write_pdf(doc, "certificates-held.pdf"));
  CHECK(test::count(text, "Anna Andersson") == 1);
  CHECK(test::count(text, "Åke Åberg") == 1);
  CHECK(text.find("Bertil Borg") == std::string::npos);
  CHECK(text.find("Cecilia Carlsson") == std::string::npos);
}

TEST_CASE("a long name stays inside its box, whole, on two lines", "[certificate][bbox]") {
  REQUIRE(text::length(test::kLongName) == 120);
  const auto p = programme_with({test::person(test::kLongName), test::person("Anna Andersson")});
  const auto in = input_for(p);
  Diagnostics diags;
  const auto doc = documents::compose_certificates(in, diags);
  const auto pdf = test::write_pdf(doc, "certificates-long-name.pdf");

  const auto& el = name_element(p);
  const auto words = test::pdf_words(pdf);
  // The page of the long name (sheet order puts it after Anna Andersson).
  const int page = in.participants[0].participant->name == test::kLongName ? 1 : 2;
  // The name's words, in order: the words of that page that overlap the
  // name's box (the neighbouring boxes do not touch it).
  std::vector<test::Word> name_words;
  for (const auto& w : words)
    if (w.page == page && w.y_max > el.y && w.y_min < el.y + el.height) name_words.push_back(w);
  std::string joined;
  for (const auto& w : name_words) {
    if (!joined.empty()) joined += ' ';
    joined += w.text;
  }
  CHECK(joined == test::kLongName);
  std::set<long> lines;
  for (const auto& w : name_words) {
    INFO(w.text << " " << w.x_min << "," << w.y_min << " – " << w.x_max << "," << w.y_max);
    CHECK(w.x_min >= el.x - 0.5);
    CHECK(w.x_max <= el.x + el.width + 0.5);
    CHECK(w.y_min >= el.y - 0.5);
    CHECK(w.y_max <= el.y + el.height + 0.5);
    lines.insert(std::lround(w.y_max));
  }
  CHECK(lines.size() == 2);
  // Balanced and centred: the two lines' midpoints are the box's.
  for (long y : lines) {
    double left = 1e9, right = 0;
    for (const auto& w : name_words)
      if (std::lround(w.y_max) == y) {
        left = std::min(left, w.x_min);
        right = std::max(right, w.x_max);
      }
    CHECK(std::abs((left + right) / 2 - (el.x + el.width / 2)) < 1.5);
  }
  // The short name stays on one line at the full size.
  const int other = page == 1 ? 2 : 1;
  std::set<long> short_lines;
  for (const auto& w : words)
    if (w.page == other && (w.text == "Anna" || w.text == "Andersson")) short_lines.insert(std::lround(w.y_max));
  CHECK(short_lines.size() == 1);
}

TEST_CASE("a name without spaces too wide for the box is shrunk onto one line", "[certificate][bbox]") {
  const std::string word(90, 'W');
  const auto p = programme_with({test::person(word)});
  Diagnostics diags;
  const auto doc = documents::compose_certificates(input_for(p), diags);
  const auto pdf = test::write_pdf(doc, "certificates-one-word.pdf");
  const auto& el = name_element(p);
  bool found = false;
  for (const auto& w : test::pdf_words(pdf)) {
    if (w.text != word) continue;
    found = true;
    CHECK(w.x_min >= el.x - 0.5);
    CHECK(w.x_max <= el.x + el.width + 0.5);
    CHECK(w.y_min >= el.y - 0.5);
    CHECK(w.y_max <= el.y + el.height + 0.5);
  }
  CHECK(found);
}

TEST_CASE("Greek and Cyrillic names come out whole", "[certificate]") {
  const auto p = programme_with({test::person(test::kGreekName), test::person(test::kCyrillicName),
                                 test::person("Małgorzata Wiśniewska"), test::person("Hülya Öztürk")});
  Diagnostics diags;
  const auto doc = documents::compose_certificates(input_for(p), diags);
  CHECK(diags.warning_count() == 0);
  const auto text = test::pdf_text(test::write_pdf(doc, "certificates-scripts.pdf"));
  for (const auto& name : {test::kGreekName, test::kCyrillicName, std::string("Małgorzata Wiśniewska"),
                           std::string("Hülya Öztürk")}) {
    INFO(name);
    CHECK(test::count(text, name) == 1);
  }
}

TEST_CASE("Arabic, Hebrew and Vietnamese names come out whole, right-to-left ones joined and read from the right",
          "[certificate][shaping]") {
  const std::string arabic = "محمد علي", hebrew = "דוד לוי", vietnamese = "Nguyễn Thị Thu Hằng";
  const auto p = programme_with({test::person(arabic), test::person(hebrew), test::person(vietnamese)});
  Diagnostics diags;
  const auto doc = documents::compose_certificates(input_for(p), diags);
  CHECK(diags.warning_count() == 0);
  const auto text = test::pdf_text(test::write_pdf(doc, "certificates-rtl.pdf"));
  for (const auto& name : {arabic, hebrew, vietnamese}) {
    INFO(name);
    CHECK(test::count(text, name) == 1);
  }
  // On the Arabic certificate the name's two words are runs in a font with
  // Arabic letters: the first word to the right of the second, each shaped
  // right to left with joining forms (not the letters' isolated glyphs).
  const layout::GlyphRun* first = nullptr;
  const layout::GlyphRun* second = nullptr;
  for (const auto& page : doc.pages)
    for (const auto& item : page.items)
      if (const auto* r = std::get_if<layout::GlyphRun>(&item)) {
        if (r->text == "محمد") first = r;
        if (r->text == "علي") second = r;
      }
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->y == second->y);
  CHECK(first->x > second->x + second->width);
  const auto& face = doc.fonts->face(first->font);
  REQUIRE(first->glyphs);
  REQUIRE(first->glyphs->size() == 4);
  CHECK(first->glyphs->front().gid != face.glyph(U'د'));  // visual order: the last letter first...
  CHECK(first->glyphs->back().gid != face.glyph(U'م'));   // ...in its initial, not isolated, form
  for (const auto& g : *first->glyphs) CHECK(g.gid != 0);
}

TEST_CASE("the QR code decodes to the verification address", "[certificate][qr]") {
  const auto p = programme_with({test::person("Anna Andersson"), test::person("Åke Åberg")});
  const auto in = input_for(p);
  Diagnostics diags;
  const auto doc = documents::compose_certificates(in, diags);
  const auto pdf = test::write_pdf(doc, "certificates-qr.pdf");
  for (std::size_t i = 0; i < in.participants.size(); ++i) {
    const auto codes = test::qr_codes(pdf, static_cast<int>(i) + 1);
    REQUIRE(codes.size() == 1);
    CHECK(codes[0] == "https://kommunalutveckling.se/intyg/" + in.participants[i].code);
  }

  SECTION("without verify_url there is no QR code") {
    auto q = p;
    q.project.verify_url.clear();
    const auto plain = documents::compose_certificates(input_for(q), diags);
    for (const auto& page : plain.pages)
      for (const auto& item : page.items) CHECK_FALSE(std::holds_alternative<layout::Rect>(item));
    CHECK(test::qr_codes(test::write_pdf(plain, "certificates-no-qr.pdf"), 1).empty());
  }
}

TEST_CASE("participant names stay out of the PDF metadata", "[certificate][privacy]") {
  const auto p = programme_with({test::person("Anna Andersson"), test::person("Åke Åberg")});
  const auto in = input_for(p);
  Diagnostics diags;
  const auto all = documents::compose_certificates(in, diags);
  const auto one = documents::compose_certificate(in, 1, diags);
  for (const auto& [doc, name] : {std::pair{&all, "certificates-meta.pdf"}, std::pair{&one, "certificate-one.pdf"}}) {
    const auto info = test::pdf_info(test::write_pdf(*doc, name));
    INFO(info);
    CHECK(info.find("Kursintyg – Grundutbildning om sexuell exploatering") != std::string::npos);
    for (const auto& who : {"Anna", "Andersson", "Åke", "Åberg"}) CHECK(info.find(who) == std::string::npos);
    for (const auto& e : in.participants) CHECK(info.find(e.code) == std::string::npos);
  }
}

TEST_CASE("one participant's certificate alone", "[certificate]") {
  const auto p = programme_with({test::person("Anna Andersson"), test::person("Åke Åberg")});
  const auto in = input_for(p);
  Diagnostics diags;
  const auto all = documents::compose_certificates(in, diags);
  const auto one = documents::compose_certificate(in, 1, diags);
  REQUIRE(one.pages.size() == 1);
  // The e-mail file is the combined file's page, split off with qpdf.
  const auto combined = test::write_pdf(all, "cert-all.pdf");
  const auto split = render::split_pages(files::read_file(combined).bytes);
  INFO(split.error);
  REQUIRE(split.ok);
  REQUIRE(split.pages.size() == 2);
  const auto split_file = test::output_dir() / "cert-split.pdf";
  test::write_file(split_file, split.pages[1]);
  CHECK(test::run("qpdf --check " + test::quote(split_file.string()) + " >/dev/null 2>&1").status == 0);
  CHECK(test::pdf_text(split_file) == test::pdf_text(combined, 2));
  for (const auto& file : {test::write_pdf(one, "cert-one.pdf"), split_file}) {
    const auto text = test::pdf_text(file);
    CHECK(test::count(text, "Åke Åberg") == 1);
    CHECK(text.find("Anna Andersson") == std::string::npos);
    CHECK(test::count(text, in.participants[1].code) == 1);
    CHECK(test::run("pdfinfo " + test::quote(file.string()) + " | grep -q '^Pages: *1$'").status == 0);
  }
}

TEST_CASE("every bundled-layout element is placed inside the margins", "[certificate]") {
  const auto p = programme_with({test::person(test::kLongName), test::person(test::kGreekName)});
  Diagnostics diags;
  const auto doc = documents::compose_certificates(input_for(p), diags);
  check_inside_margins(doc, p.layouts.certificate.page);
  // The signature rules and the QR code lie within their boxes too.
  for (const auto& page : doc.pages)
    for (const auto& item : page.items)
      if (const auto* r = std::get_if<layout::Rect>(&item)) {
        CHECK(r->x >= mm(258) - 0.01);
        CHECK(r->x + r->width <= mm(282) + 0.01);
        CHECK(r->y >= p.layouts.certificate.page.height - mm(176) - 0.01);
        CHECK(r->y + r->height <= p.layouts.certificate.page.height - mm(152) + 0.01);
      }
}

namespace {

// A small grey PNG written with Python's zlib, for a signature image.
std::filesystem::path signature_png() {
  const auto path = test::output_dir() / "signature.png";
  const std::string script =
      "import struct,zlib,sys\n"
      "def chunk(t,d): return struct.pack('>I',len(d))+t+d+struct.pack('>I',zlib.crc32(t+d))\n"
      "w,h=40,10\n"
      "raw=b''.join(b'\\x00'+b'\\x80'*w for _ in range(h))\n"
      "png=b'\\x89PNG\\r\\n\\x1a\\n'+chunk(b'IHDR',struct.pack('>IIBBBBB',w,h,8,0,0,0,0))"
      "+chunk(b'IDAT',zlib.compress(raw))+chunk(b'IEND',b'')\n"
      "open(sys.argv[1],'wb').write(png)\n";
  REQUIRE(test::run(std::string(COURSEPACK_PYTHON) + " -c " + test::quote(script) + " " +
                    test::quote(path.string()))
              .status == 0);
  return path;
}

}  // namespace

TEST_CASE("a certificate's structure: heading, name, texts, goals as a list, signatures, the QR code as a Figure",
          "[certificate][structure]") {
  auto p = programme_with({test::person("Anna Andersson"), test::person("Åke Åberg")});
  p.project.signatories[0].signature = signature_png().string();
  const auto in = input_for(p);
  Diagnostics diags;
  const auto doc = documents::compose_certificates(in, diags);
  REQUIRE(doc.pages.size() == 2);
  const auto problems = test::structure_problems(doc);
  for (const auto& pr : problems) INFO(pr);
  CHECK(problems.empty());

  // One Sect per certificate, read in page order.
  CHECK(test::kid_roles(doc, 0) == "Sect Sect");
  const auto sects = test::kid_nodes(doc, 0);
  CHECK(test::kid_roles(doc, sects[0]) == "H1 P P P P P L Div Div Figure P P");
  for (std::size_t i = 0; i < 2; ++i) {
    const auto kids = test::kid_nodes(doc, sects[i]);
    CHECK(test::node_text(doc, kids[0]) == "KURSINTYG");
    CHECK(test::node_text(doc, kids[2]) == in.participants[i].participant->name);
    CHECK(test::node_text(doc, kids[9]).empty());
    CHECK(doc.structure[static_cast<std::size_t>(kids[9])].alt ==
          "QR-kod med adressen där intyget kan verifieras: https://kommunalutveckling.se/intyg/" +
              in.participants[i].code);
    CHECK(test::node_text(doc, kids[10]) == "Verifieringskod: " + in.participants[i].code);
  }
  // Reading order: what a person reads, top down.
  const std::string text = test::squeeze(test::node_text(doc, sects[1]));
  INFO(text);
  CHECK(text.starts_with("KURSINTYG Härmed intygas att Åke Åberg har deltagit i Grundutbildning"));
  CHECK(text.find("Utbildningen behandlade: • ") != std::string::npos);
  CHECK(text.find("Annika Hedlund FoU-ledare, Kommunal utveckling,") != std::string::npos);
  CHECK(text.find("Karin Ljungqvist") > text.find("Annika Hedlund"));

  // The goals: L > LI > Lbl (the bullet) + LBody (the goal).
  const auto lists = test::nodes_with_role(doc, "L");
  REQUIRE(lists.size() == 2);
  const auto goals = test::kid_nodes(doc, lists[0]);
  CHECK(goals.size() == test::sample_course(p).learning_goals.size());
  for (std::size_t g = 0; g < goals.size(); ++g) {
    CHECK(test::kid_roles(doc, goals[g]) == "Lbl LBody");
    CHECK(test::node_text(doc, test::kid_nodes(doc, goals[g])[0]) == "•");
    CHECK(test::squeeze(test::node_text(doc, test::kid_nodes(doc, goals[g])[1])) ==
          test::squeeze(test::sample_course(p).learning_goals[g]));
  }

  // A signatory with a signature image: the image is a Figure saying whose.
  const auto divs = test::kid_nodes(doc, sects[0]);
  CHECK(test::kid_roles(doc, divs[7]) == "Figure P P");
  CHECK(doc.structure[static_cast<std::size_t>(test::kid_nodes(doc, divs[7])[0])].alt ==
        "Namnteckning: Annika Hedlund");
  CHECK(test::kid_roles(doc, divs[8]) == "P P");

  // The rules are Layout artifacts; every QR module is the Figure's.
  for (const auto& page : doc.pages)
    for (const auto& item : page.items) {
      if (const auto* l = std::get_if<layout::Line>(&item)) {
        CHECK(l->node == -1);
        CHECK(l->artifact == layout::Artifact::Layout);
      }
      if (const auto* r = std::get_if<layout::Rect>(&item)) {
        REQUIRE(r->node >= 0);
        CHECK(doc.structure[static_cast<std::size_t>(r->node)].role == "Figure");
      }
      if (const auto* g = std::get_if<layout::GlyphRun>(&item)) CHECK(g->node >= 0);
    }

  SECTION("a certificate alone has the same structure under its Sect") {
    const auto one = documents::compose_certificate(in, 1, diags);
    CHECK(test::structure_problems(one).empty());
    CHECK(test::kid_roles(one, 0) == "Sect");
    CHECK(test::reading_text(one) == test::node_text(doc, sects[1]));
  }
}

TEST_CASE("certificates split from certificates.pdf keep their structure and pass the PDF checker",
          "[certificate][structure][split]") {
  const auto p = programme_with({test::person("Anna Andersson"), test::person("Åke Åberg"),
                                 test::person("Örjan Ödman")});
  const auto in = input_for(p);
  Diagnostics diags;
  const auto all = documents::compose_certificates(in, diags);
  const auto combined = test::write_pdf(all, "cert-tagged-all.pdf");
  const std::string bytes = files::read_file(combined).bytes;
  // Both splitters cut the tree: the direct one copying bytes, qpdf by
  // walking the objects.
  const bool direct = GENERATE(true, false);
  INFO((direct ? "direct" : "qpdf"));
  const auto split = direct ? render::split_pages_direct(bytes) : render::split_pages_qpdf(bytes);
  INFO(split.error);
  REQUIRE(split.ok);
  REQUIRE(split.pages.size() == 3);
  const std::string checker = std::string(COURSEPACK_SOURCE_DIR) + "/tests/e2e/pdfcheck.py";
  for (std::size_t i = 0; i < 3; ++i) {
    const auto file = test::output_dir() / ("cert-tagged-" + std::to_string(i) + ".pdf");
    test::write_file(file, split.pages[i]);
    const auto check = test::run(std::string(COURSEPACK_PYTHON) + " " + test::quote(checker) + " " +
                                 test::quote(file.string()));
    INFO(check.out << check.err);
    CHECK(check.status == 0);
    CHECK(check.out.empty());
    CHECK(test::run("pdfinfo " + test::quote(file.string()) + " | grep -q '^Tagged: *yes$'").status == 0);
    // Its own certificate's elements, none of another's: the same tree as
    // the certificate composed alone.
    const auto tree = test::run("pdfinfo -struct-text " + test::quote(file.string()));
    const auto alone = test::run("pdfinfo -struct-text " +
                                 test::quote(test::write_pdf(documents::compose_certificate(in, i, diags),
                                                             "cert-tagged-alone.pdf")
                                                 .string()));
    REQUIRE(tree.status == 0);
    CHECK(tree.out == alone.out);
    CHECK(test::count(tree.out, "KURSINTYG") == 1);
  }
}

// The files made from tagged documents' pages: print.pdf and the booklet
// draw other files' pages, and are tagged PDFs of their own.
#include <catch2/catch.hpp>

#include "core/files.h"
#include "documents/attendance.h"
#include "documents/brief.h"
#include "documents/certificate.h"
#include "fixtures.h"
#include "pdf_tools.h"
#include "render/impose.h"
#include "support/command.h"
#include "support/temp_dir.h"

using namespace cp;

namespace {

// The file's structure elements read in order, one line each: role, then
// its /T or /Alt.
std::string elements(const std::filesystem::path& pdf) {
  const std::string script =
      "import pikepdf,sys\n"
      "pdf=pikepdf.open(sys.argv[1])\n"
      "def walk(e,d):\n"
      "  s=str(e.get('/S'))[1:]\n"
      "  t=e.get('/T') if '/T' in e else e.get('/Alt')\n"
      "  print('  '*d+s+(' '+str(t) if t is not None else ''))\n"
      "  k=e.get('/K')\n"
      "  for c in (k if isinstance(k,pikepdf.Array) else [k] if k is not None else []):\n"
      "    if isinstance(c,pikepdf.Dictionary) and '/S' in c: walk(c,d+1)\n"
      "for e in pdf.Root.StructTreeRoot.K: walk(e,0)\n";
  const auto r = test::run(std::string(COURSEPACK_PYTHON) + " -c " + test::quote(script) + " " +
                           test::quote(pdf.string()));
  REQUIRE(r.status == 0);
  return r.out;
}

// pdfcheck.py's findings at its default level (PDF/UA-1 and PDF/A-2a).
test::Command check(const std::filesystem::path& pdf) {
  const std::string checker = std::string(COURSEPACK_SOURCE_DIR) + "/tests/e2e/pdfcheck.py";
  return test::run(std::string(COURSEPACK_PYTHON) + " " + test::quote(checker) + " " + test::quote(pdf.string()));
}

std::string write(const std::string& name, const std::string& bytes) {
  const auto file = test::output_dir() / name;
  test::write_file(file, bytes);
  return file.string();
}

struct Parts {
  model::Programme p = test::sample_programme();
  std::string attendance, certificates;
  Parts() {
    auto& v = test::sample_visit(p);
    v.participants = {test::person("Anna Andersson"), test::person("Åke Åberg")};
    Diagnostics diags;
    documents::AttendanceInput a;
    a.programme = &p;
    a.municipality = &p.municipalities.front();
    a.visit = &v;
    a.course = &test::sample_course(p);
    attendance = files::read_file(test::write_pdf(documents::compose_attendance(a, diags), "derived-att.pdf")).bytes;
    documents::CertificateInput c;
    c.programme = &p;
    c.municipality = a.municipality;
    c.visit = &v;
    c.course = a.course;
    c.participants = documents::certificate_entries(p, *c.municipality, v, *c.course);
    certificates =
        files::read_file(test::write_pdf(documents::compose_certificates(c, diags), "derived-cert.pdf")).bytes;
  }
};

// The direct writer's file `a` passes the checker and has the structure
// the qpdf path's `b` has; its structure text, for more checks.
std::string same_structure(const std::filesystem::path& a, const std::filesystem::path& b) {
  const auto found = check(a);
  INFO(found.out << found.err);
  CHECK(found.status == 0);
  CHECK(found.out.empty());
  const auto tree = test::run("pdfinfo -struct-text " + test::quote(a));
  CHECK(tree.status == 0);
  CHECK(tree.err.empty());
  CHECK(tree.out == test::run("pdfinfo -struct-text " + test::quote(b)).out);
  CHECK(elements(a) == elements(b));
  return tree.out;
}

}  // namespace

TEST_CASE("print.pdf of tagged parts: a Sect per part, a Figure per page saying what it is", "[derived][print]") {
  const Parts parts;
  render::DocumentInfo info;
  info.title = "Allt att skriva ut";
  const auto r = render::print_file({{&parts.attendance, 2, false}, {&parts.certificates, 1, true}}, info);
  INFO(r.error);
  REQUIRE(r.ok);
  const auto file = write("derived-print.pdf", r.pdf);
  const auto found = check(file);
  INFO(found.out << found.err);
  CHECK(found.status == 0);
  CHECK(found.out.empty());
  CHECK(test::run("pdfinfo " + test::quote(file) + " | grep -q '^Tagged: *yes$'").status == 0);
  CHECK(test::run("qpdf --check " + test::quote(file) + " >/dev/null 2>&1").status == 0);
  const std::string tree = elements(file);
  INFO(tree);
  const std::string sheet = "Närvarolista – Grundutbildning om sexuell exploatering, prostitution och "
                            "människohandel – Eksjö kommun, 14 mars 2023";
  const std::string certs = "Kursintyg – Grundutbildning om sexuell exploatering, prostitution och människohandel";
  CHECK(tree == "Document\n"
                "  Sect " + sheet + ", 2 exemplar\n"
                "    Figure " + sheet + ", exemplar 1 av 2, sida 1 av 1\n"
                "    Figure " + sheet + ", exemplar 2 av 2, sida 1 av 1\n"
                "  Sect " + certs + "\n"
                "    Figure " + certs + ", sida 1 av 2\n"
                "    Figure " + certs + ", sida 2 av 2\n");
  // The same inputs, the same bytes.
  CHECK(render::print_file({{&parts.attendance, 2, false}, {&parts.certificates, 1, true}}, info).pdf == r.pdf);
  // The pages still show what the parts show.
  CHECK(test::pdf_text(file, 7).find("Åke Åberg") != std::string::npos);
}

TEST_CASE("a booklet of a tagged file: each half a Figure naming its page", "[derived][booklet]") {
  const Parts parts;
  const auto r = render::impose_booklet(parts.certificates);
  INFO(r.error);
  REQUIRE(r.ok);
  const auto file = write("derived-booklet.pdf", r.pdf);
  const auto found = check(file);
  INFO(found.out << found.err);
  CHECK(found.status == 0);
  CHECK(found.out.empty());
  const std::string certs = "Kursintyg – Grundutbildning om sexuell exploatering, prostitution och människohandel";
  // One sheet: (blank | page 1) on the front, (page 2 | blank) on the back.
  CHECK(elements(file) == "Document\n"
                          "  Sect " + certs + "\n"
                          "    Figure " + certs + ", sida 1 av 2\n"
                          "    Figure " + certs + ", sida 2 av 2\n");
}

TEST_CASE("print.pdf of tagged parts is written directly, with the structure and text qpdf's path gives it",
          "[derived][print]") {
  const Parts parts;
  render::DocumentInfo info;
  info.title = "Allt att skriva ut";
  const std::vector<render::PrintPart> list = {{&parts.attendance, 3, false}, {&parts.certificates, 1, true}};
  const auto direct = render::print_file_direct(list, info);
  REQUIRE(direct);
  REQUIRE(direct->ok);
  const auto via_qpdf = render::print_file_qpdf(list, info);
  INFO(via_qpdf.error);
  REQUIRE(via_qpdf.ok);
  CHECK(render::print_file(list, info).pdf == direct->pdf);  // print_file takes the direct path
  CHECK(direct->pages == via_qpdf.pages);
  CHECK(direct->blanks == via_qpdf.blanks);
  const auto a = write("derived-print-direct.pdf", direct->pdf);
  const auto b = write("derived-print-qpdf.pdf", via_qpdf.pdf);
  CHECK(same_structure(a, b).find("Närvarolista") != std::string::npos);
  const auto text = test::run("pdftotext -enc UTF-8 " + test::quote(a) + " -");
  CHECK(text.err.empty());
  CHECK(text.out == test::run("pdftotext -enc UTF-8 " + test::quote(b) + " -").out);
  CHECK(text.out.find("Åke Åberg") != std::string::npos);
  CHECK(test::run("qpdf --check " + test::quote(a) + " >/dev/null 2>&1").status == 0);
  // Each page of a part is one form, stored once however often it is drawn.
  std::size_t forms = 0;
  for (std::size_t at = 0; (at = direct->pdf.find("/Subtype /Form", at)) != std::string::npos; ++at) ++forms;
  CHECK(forms == 3);  // the sheet's page and two certificates
}

TEST_CASE("a booklet of a tagged file is imposed directly, with the structure, text and pixels qpdf's path gives it",
          "[derived][booklet]") {
  const Parts parts;  // the certificates: A4 landscape pages, scaled down onto the halves
  const auto direct = render::impose_booklet_direct(parts.certificates);
  REQUIRE(direct);
  REQUIRE(direct->ok);
  const auto via_qpdf = render::impose_booklet_qpdf(parts.certificates);
  INFO(via_qpdf.error);
  REQUIRE(via_qpdf.ok);
  CHECK(render::impose_booklet(parts.certificates).pdf == direct->pdf);  // impose_booklet takes the direct path
  CHECK(render::impose_booklet_direct(parts.certificates)->pdf == direct->pdf);  // the same bytes again
  const auto a = write("derived-booklet-direct.pdf", direct->pdf);
  const auto b = write("derived-booklet-qpdf.pdf", via_qpdf.pdf);
  same_structure(a, b);
  // The certificates' own /Info and XMP, as the qpdf path keeps them.
  const auto info = test::run("pdfinfo -meta " + test::quote(a));
  CHECK(info.out == test::run("pdfinfo -meta " + test::quote(b)).out);
  CHECK(info.out.find("Kursintyg") != std::string::npos);
  const auto text = test::run("pdftotext -enc UTF-8 " + test::quote(a) + " -");
  CHECK(text.err.empty());
  CHECK(text.out == test::run("pdftotext -enc UTF-8 " + test::quote(b) + " -").out);
  CHECK(text.out.find("Åke Åberg") != std::string::npos);
  // The halves placed where qpdf places them, scaled as it scales them.
  CHECK(test::run("pdftoppm -r 20 " + test::quote(a)).out == test::run("pdftoppm -r 20 " + test::quote(b)).out);
  CHECK(test::run("qpdf --check " + test::quote(a) + " >/dev/null 2>&1").status == 0);
}

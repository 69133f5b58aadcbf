#include "app/pack_maker.h"

#include <catch2/catch.hpp>

#include "core/sha256.h"
#include "fixtures.h"
#include "support/requirements.h"

using namespace cp;

TEST_CASE("pack files: each added file gets its manifest entry, PDFs count their pages") {
  app::PackFiles f;
  f.add("brief.pdf", "%PDF-brief", 3);
  f.add("visit.ics", "BEGIN:VCALENDAR", std::nullopt);
  REQUIRE(f.files.size() == 2);
  CHECK(f.files[1].name == "visit.ics");
  CHECK(f.files[1].bytes == "BEGIN:VCALENDAR");
  REQUIRE(f.outputs.size() == 2);
  CHECK(f.outputs[0].file == "brief.pdf");
  CHECK(f.outputs[0].sha256 == sha256_hex("%PDF-brief"));
  CHECK(f.outputs[0].pages == std::optional<std::size_t>(3));
  CHECK_FALSE(f.outputs[1].pages);
  CHECK(f.pages == 3);
  CHECK(f.ok());
}

TEST_CASE("pack files keep the first problem met") {
  app::PackFiles f;
  f.fail(app::Outcome::input("certificates/", "page count differs from the participants"));
  f.fail(app::Outcome::environment("handout.html", "pandoc failed"));
  CHECK_FALSE(f.ok());
  CHECK(f.outcome.kind == app::Outcome::Kind::Input);
  CHECK(f.outcome.text() == "certificates/: page count differs from the participants");
}

TEST_CASE("a pack's documents that need no course text, in manifest order") {
  REQUIRE(test::require_font("Noto Sans"));
  auto p = test::sample_programme();
  auto& v = test::sample_visit(p);
  v.participants = {test::person("Åsa Berg"), test::person("Olof Ek")};
  app::PackShared s;
  s.programme = &p;
  s.pdf.creation_time = 1790000000;
  s.calendar_stamp = 1790000000;
  Diagnostics diags;
  const app::PackFiles f = app::make_documents(s, {&p.municipalities.front(), &v}, diags);
  REQUIRE(f.ok());
  std::vector<std::string> names, files;
  for (const auto& o : f.outputs) names.push_back(o.certificate ? "#" + std::to_string(*o.certificate) : o.file);
  for (const auto& file : f.files) files.push_back(file.name);
  // The manifest lists certificates by number (it names no one); their files
  // are numbered in Swedish alphabetical order: Å comes after O.
  CHECK(names == std::vector<std::string>{"evaluation.pdf", "attendance.pdf", "certificates.pdf", "#1", "#2",
                                          "certificates.csv", "brief.pdf", "visit.ics"});
  CHECK(files == std::vector<std::string>{"evaluation.pdf", "attendance.pdf", "certificates.pdf",
                                          "certificates/01-olof-ek.pdf", "certificates/02-asa-berg.pdf",
                                          "certificates.csv", "brief.pdf", "visit.ics"});
  // The e-mail certificates are the combined file's pages, one each.
  CHECK(f.outputs[2].pages == std::optional<std::size_t>(2));
  CHECK(f.outputs[3].pages == std::optional<std::size_t>(1));
  CHECK(f.files[5].bytes.find("Åsa Berg") != std::string::npos);
  CHECK(diags.error_count() == 0);
}

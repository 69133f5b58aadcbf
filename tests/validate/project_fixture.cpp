#include "project_fixture.h"

#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "validate/validate.h"

namespace cp::testing {

namespace fs = std::filesystem;

namespace {

// Line numbers matter: tests name them in expected diagnostics.
constexpr std::string_view kProject =
    "title: Kunskapshöjning om SPoM\n"                    // 1
    "organisation: Region Jönköpings län\n"               // 2
    "coordinator:\n"                                      // 3
    "  name: Annika Hedlund\n"                            // 4
    "  email: annika.hedlund@example.se\n"                // 5
    "signatories:\n"                                      // 6
    "  - name: Annika Hedlund\n"                          // 7
    "    title: FoU-ledare\n"                             // 8
    "    signature: signatures/annika.png\n"              // 9
    "verify_url: \"https://example.se/intyg/{code}\"\n";  // 10

constexpr std::string_view kCourse =
    "title: Grundutbildning\n"     // 1
    "hours: 3.5\n"                 // 2
    "modules:\n"                   // 3
    "  - modules/01-intro.md\n"    // 4
    "  - modules/02-lag.md\n"      // 5
    "learning_goals:\n"            // 6
    "  - Känna till begreppen\n";  // 7

constexpr std::string_view kModule1 =
    "---\n"                                                        // 1
    "title: Inledning\n"                                           // 2
    "---\n"                                                        // 3
    "\n"                                                           // 4
    "# Inledning\n"                                                // 5
    "\n"                                                           // 6
    "Välkommen till {{municipality.name}} den {{visit.date}}.\n";  // 7

constexpr std::string_view kModule2 = "# Lagstiftning\n\nOm {{course.title}} i {{visit.venue}}.\n";

constexpr std::string_view kMunicipality =
    "name: Eksjö kommun\n"                                    // 1
    "code: \"0686\"\n"                                        // 2
    "visits:\n"                                               // 3
    "  - date: 2023-03-14\n"                                  // 4
    "    start: \"09:00\"\n"                                  // 5
    "    end: \"12:00\"\n"                                    // 6
    "    venue: Stadshuset\n"                                 // 7
    "    course: grund\n"                                     // 8
    "    seats: 10\n"                                         // 9
    "    status: held\n"                                      // 10
    "    participants:\n"                                     // 11
    "      - name: Anna Svensson\n"                           // 12
    "        title: Socialsekreterare\n"                      // 13
    "        attended: true\n"                                // 14
    "      - name: Björn Ek\n"                                // 15
    "        attended: false\n"                               // 16
    "  - date: 2023-06-13\n"                                  // 17
    "    course: grund\n"                                     // 18
    "    participants: participants/eksjo-2023-06-13.csv\n";  // 19

constexpr std::string_view kMunicipality2 =
    "name: Aneby kommun\n"
    "code: \"0604\"\n"
    "visits:\n"
    "  - date: 2023-09-14\n"
    "    course: grund\n"
    "    participants:\n"
    "      - name: Satu Korhonen\n";

constexpr std::string_view kCsv =
    "name,title,unit,email\n"                                                 // 1
    "Cecilia Berg,Socialsekreterare,Barn och familj,cecilia.berg@eksjo.se\n"  // 2
    "David Lind,Enhetschef,Vuxenenheten,david.lind@eksjo.se\n";               // 3

constexpr std::string_view kHandout =
    "page: {size: A4, margins: 20mm}\n"                                          // 1
    "fonts: {body: \"Noto Serif\", heading: \"Noto Sans\"}\n"                    // 2
    "body_size: 10.5\n"                                                          // 3
    "colors: {accent: \"#00528c\"}\n"                                            // 4
    "header: {left: \"{{project.title}}\", right: \"{{municipality.name}}\"}\n"  // 5
    "footer: {right: \"sida {{page}} av {{pages}}\"}\n"                          // 6
    "logos: [assets/logo.png]\n";                                                // 7

constexpr std::string_view kCertificate =
    "page: {size: A4, orientation: landscape, margins: 15mm}\n"  // 1
    "font: \"Noto Sans\"\n"                                      // 2
    "elements:\n"                                                // 3
    "  - {type: text, x: 20mm, y: 60mm, width: 257mm, height: 24mm, text: \"{{participant.name}}\", "
    "font: bold, size: 28, min_size: 16}\n"                                                     // 4
    "  - {type: image, x: 20mm, y: 15mm, width: 40mm, height: 15mm, image: assets/logo.png}\n"  // 5
    "  - {type: qr, x: 250mm, y: 165mm, width: 25mm}\n";                                        // 6

constexpr std::string_view kAttendance = "font: Noto Sans\nsize: 10\nrow_height: 10mm\nwalk_in_rows: 5\n";

constexpr std::string_view kBrief = "spare_share: 0.1\nchecklist:\n  - Skriv ut {{visit.registered}} handouts\n";

fs::path unique_temp_dir() {
  static std::atomic<int> counter{0};
  const fs::path dir = fs::temp_directory_path() /
                       ("coursepack-validate-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace

std::string tiny_png() {
  return std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x06\0\0\0\x1f\x15\xc4\x89", 33);
}

TempProject::TempProject(bool) : root_(unique_temp_dir()) {}

TempProject::TempProject() : TempProject(true) {
  write("materials/project.yaml", kProject);
  write("materials/signatures/annika.png", tiny_png());
  write("materials/courses/grund.yaml", kCourse);
  write("materials/modules/01-intro.md", kModule1);
  write("materials/modules/02-lag.md", kModule2);
  write("materials/municipalities/eksjo.yaml", kMunicipality);
  write("materials/municipalities/aneby.yaml", kMunicipality2);
  write("materials/participants/eksjo-2023-06-13.csv", kCsv);
  write("layouts/handout.yaml", kHandout);
  write("layouts/certificate.yaml", kCertificate);
  write("layouts/attendance.yaml", kAttendance);
  write("layouts/brief.yaml", kBrief);
  write("layouts/assets/logo.png", tiny_png());
}

TempProject::~TempProject() {
  std::error_code ec;
  fs::remove_all(root_, ec);
}

void TempProject::write(std::string_view rel, std::string_view content) const {
  const fs::path p = path(rel);
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  REQUIRE(out.good());
}

std::string TempProject::read(std::string_view rel) const {
  std::ifstream in(path(rel), std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void TempProject::replace(std::string_view rel, std::string_view from, std::string_view to) const {
  std::string text = read(rel);
  const auto at = text.find(from);
  INFO("replacing '" << from << "' in " << rel);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  text.replace(at, from.size(), to);
  write(rel, text);
}

void TempProject::remove(std::string_view rel) const { fs::remove_all(path(rel)); }

std::vector<std::string> TempProject::diagnostics(int severity) const {
  Diagnostics diags;
  const auto programme = validate::load_programme(root_, diags);
  CHECK(programme.has_value() == !diags.has_errors());
  std::vector<std::string> out;
  for (const auto& d : diags.all())
    if (severity < 0 || static_cast<int>(d.severity) == severity) out.push_back(format_diagnostic(d));
  return out;
}

std::vector<std::string> TempProject::check() const { return diagnostics(-1); }
std::vector<std::string> TempProject::errors() const { return diagnostics(static_cast<int>(Severity::Error)); }
std::vector<std::string> TempProject::warnings() const { return diagnostics(static_cast<int>(Severity::Warning)); }

}  // namespace cp::testing

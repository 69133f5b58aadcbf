// Participants files and inline lists through load_programme: the columns
// spreadsheets and forms write, values checked where they are written, and
// attendance on held and planned visits. Each test asserts the exact lines.
#include <catch2/catch.hpp>

#include "participants_fixture.h"
#include "project_fixture.h"
#include "validate/participants.h"
#include "validate/validate.h"
#include "xlsx_fixture.h"

using cp::testing::held_csv;
using cp::testing::kCsv;
using cp::testing::kEksjo;
using cp::testing::TempProject;
using Lines = std::vector<std::string>;

namespace {

// The participants of the second Eksjö visit, after a check without errors.
std::vector<cp::model::Participant> csv_participants(const TempProject& p) {
  cp::Diagnostics diags;
  const auto programme = cp::validate::load_programme(p.root(), diags);
  REQUIRE(programme);
  return programme->municipalities.at(1).visits.at(1).participants;
}

void use_workbook(const TempProject& p, const cp::testing::XlsxBook& book) {
  p.write("materials/participants/eksjo.xlsx", cp::testing::xlsx_bytes(book));
  p.replace(kEksjo, "participants/eksjo-2023-06-13.csv", "participants/eksjo.xlsx");
}

}  // namespace

// ---------------------------------------------------------------- columns

TEST_CASE("participants: the headers Swedish Excel and forms write, in any case and spacing") {
  TempProject p;
  held_csv(p,
           "Fullständigt NAMN;Yrke;Arbetsplats;E-post adress;Deltog\n"
           "Cecilia Berg;Kurator;Barn och familj;cecilia.berg@eksjo.se;x\n");
  CHECK(p.check() == Lines{});
  const auto people = csv_participants(p);
  REQUIRE(people.size() == 1);
  CHECK(people[0].name == "Cecilia Berg");
  CHECK(people[0].title == "Kurator");
  CHECK(people[0].unit == "Barn och familj");
  CHECK(people[0].email == "cecilia.berg@eksjo.se");
  CHECK(people[0].attended == true);
}

TEST_CASE("participants: every documented spelling of every column is understood") {
  const std::vector<std::pair<std::string, std::string>> spellings = {
      {"Namn", "name"},        {"Name", "name"},           {"Fullständigt namn", "name"},
      {"Befattning", "title"}, {"Titel", "title"},         {"Yrke", "title"},
      {"Title", "title"},      {"Enhet", "unit"},          {"Avdelning", "unit"},
      {"Arbetsplats", "unit"}, {"Unit", "unit"},           {"Department", "unit"},
      {"E-postadress", "email"}, {"E-post", "email"},      {"E-mail", "email"},
      {"Epost", "email"},      {"Email", "email"},         {"Närvaro", "attended"},
      {"Närvarande", "attended"}, {"Deltog", "attended"},  {"Attended", "attended"}};
  for (const auto& [header, field] : spellings) {
    INFO(header);
    TempProject p;
    if (field == "name") {
      p.write(kCsv, header + "\nCecilia Berg\n");
    } else {
      const std::string value = field == "email" ? "c@eksjo.se" : field == "attended" ? "ja" : "Något";
      held_csv(p, "namn;" + header + (field == "attended" ? "" : ";närvaro") + "\nCecilia Berg;" + value +
                      (field == "attended" ? "" : ";ja") + "\n");
    }
    CHECK(p.check() == Lines{});
    const auto people = csv_participants(p);
    REQUIRE(people.size() == 1);
    CHECK(people[0].name == "Cecilia Berg");
    if (field == "title") CHECK(people[0].title == "Något");
    if (field == "unit") CHECK(people[0].unit == "Något");
    if (field == "email") CHECK(people[0].email == "c@eksjo.se");
    if (field == "attended") CHECK(people[0].attended == true);
  }
}

TEST_CASE("participants: förnamn and efternamn are joined into the name") {
  TempProject p;
  p.write(kCsv, "Förnamn,Efternamn,E-postadress\nCecilia,Berg,c.berg@eksjo.se\nMadonna,,madonna@eksjo.se\n");
  CHECK(p.check() == Lines{});
  const auto people = csv_participants(p);
  REQUIRE(people.size() == 2);
  CHECK(people[0].name == "Cecilia Berg");
  CHECK(people[1].name == "Madonna");
}

TEST_CASE("participants: an unknown column is an error with the known columns") {
  TempProject p;
  held_csv(p, "namn;telefon;närvaro\nCecilia Berg;070-123;ja\n");
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:1:6: error: unknown column 'telefon'\n"
                           "  hint: the columns are namn (or förnamn and efternamn), titel, enhet, e-post and "
                           "närvaro, or in English name, title, unit, email and attended; docs/deltagarlistor.md "
                           "lists every spelling; delete a column that is not needed"});
}

TEST_CASE("participants: a held visit whose attendance column is misnamed prints nothing and says so") {
  TempProject p;
  held_csv(p, "namn;närvarnde\nCecilia Berg;ja\nDavid Lind;nej\n");
  CHECK(p.errors() == Lines{"materials/participants/eksjo-2023-06-13.csv:1:6: error: unknown column 'närvarnde'\n"
                            "  hint: did you mean 'närvarande'? The columns are namn (or förnamn and efternamn), "
                            "titel, enhet, e-post and närvaro, or in English name, title, unit, email and "
                            "attended; docs/deltagarlistor.md lists every spelling; delete a column that is not "
                            "needed"});
}

TEST_CASE("participants: two columns for one field, and name columns that do not pair") {
  TempProject p;
  p.write(kCsv, "Namn;E-post;E-postadress\nCecilia Berg;a@eksjo.se;b@eksjo.se\n");
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:1:13: error: 'E-postadress' is the same "
                           "column as 'E-post'\n  hint: delete one of them, or merge them into one column"});
  p.write(kCsv, "Namn;Förnamn\nCecilia Berg;Cecilia\n");
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:1:6: error: both a 'Namn' and a 'Förnamn' "
                           "column\n  hint: keep either one column with whole names or the two columns förnamn "
                           "and efternamn"});
  p.write(kCsv, "Efternamn;Enhet\nBerg;IFO\n");
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:1:1: error: a 'Efternamn' column without a "
                           "'förnamn' column\n  hint: add the other half of the names as a column, or write whole "
                           "names in one column 'namn'"});
}

TEST_CASE("participants: text in a column without a header") {
  TempProject p;
  p.write(kCsv, "namn;;enhet\nCecilia Berg;;IFO\nDavid Lind;070-123;LSS\n");
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:3:12: error: '070-123' is in a column "
                           "without a header\n  hint: give the column a header or delete it; the columns are namn "
                           "(or förnamn and efternamn), titel, enhet, e-post and närvaro, or in English name, "
                           "title, unit, email and attended; docs/deltagarlistor.md lists every spelling"});
}

// ---------------------------------------------------------------- separators and file kinds

TEST_CASE("participants: a tab-separated file as Excel saves 'Text (tab-delimited)'") {
  TempProject p;
  p.write(kCsv, "Namn\tEnhet\tE-post\r\nCecilia Berg\tBarn, unga och familj\tc.berg@eksjo.se\r\n");
  CHECK(p.check() == Lines{});
  const auto people = csv_participants(p);
  REQUIRE(people.size() == 1);
  CHECK(people[0].unit == "Barn, unga och familj");
}

TEST_CASE("participants: a workbook renamed .csv, an .xls and an .ods file are named as what they are") {
  TempProject p;
  p.write(kCsv, cp::testing::xlsx_bytes({}));
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:1:1: error: file is an Excel workbook "
                           "(.xlsx), not CSV text\n  hint: rename it to .xlsx and write that name in the visit's "
                           "'participants', or save it from Excel as \"CSV UTF-8\""});
  p.write(kCsv, std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0", 12));
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:1:1: error: file is an Excel 97-2003 "
                           "workbook (.xls) or a password-protected workbook, which cannot be read\n"
                           "  hint: open it in Excel, remove any password, and save it as \"Excel Workbook "
                           "(.xlsx)\" or as \"CSV UTF-8\""});
}

TEST_CASE("participants: an OpenDocument spreadsheet, and a text file named .xlsx") {
  TempProject p;
  p.write(kCsv, cp::testing::zip_bytes({{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
                                        {"content.xml", "<office:document-content/>"}}));
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:1:1: error: file is an OpenDocument "
                           "spreadsheet (.ods), which cannot be read\n  hint: open it in LibreOffice Calc and save "
                           "it as \"Excel 2007-365 (.xlsx)\", or as \"Text CSV\" with the character set Unicode "
                           "(UTF-8)"});
  p.write("materials/participants/eksjo.xlsx", "namn\nCecilia Berg\n");
  p.replace(kEksjo, "participants/eksjo-2023-06-13.csv", "participants/eksjo.xlsx");
  CHECK(p.check() == Lines{"materials/participants/eksjo.xlsx:1:1: error: file is named .xlsx but is not an Excel "
                           "workbook\n  hint: save it from Excel as \"Excel Workbook (.xlsx)\", or if it is CSV "
                           "text, name it .csv"});
}

TEST_CASE("participants: an .xlsx workbook, with the same header rules") {
  TempProject p;
  cp::testing::XlsxBook book;
  book.sheets[0].rows = cp::testing::inline_rows({{"Förnamn", "Efternamn", "Befattning", "E-postadress", "Närvaro"},
                                                  {"Łucja", "Kowalczyk", "Kurator", "lucja.k@eksjo.se", "ja"}}) +
                        "<row r=\"3\">" + cp::testing::inline_cell("A3", "David") +
                        cp::testing::inline_cell("B3", "Lind") + cp::testing::number_cell("E3", "0") + "</row>";
  use_workbook(p, book);
  p.replace(kEksjo, "    participants: participants/eksjo.xlsx\n",
            "    status: held\n    participants: participants/eksjo.xlsx\n");
  CHECK(p.check() == Lines{});
  const auto people = csv_participants(p);
  REQUIRE(people.size() == 2);
  CHECK(people[0].name == "Łucja Kowalczyk");
  CHECK(people[0].email == "lucja.k@eksjo.se");
  CHECK(people[0].attended == true);
  CHECK(people[1].attended == false);
  CHECK(people[1].loc.line == 3);
}

TEST_CASE("participants: workbook problems are at the sheet's row and column") {
  TempProject p;
  cp::testing::XlsxBook book;
  book.sheets[0].rows = cp::testing::inline_rows({{"Namn", "Enhet", "Närvaro", "Telefon"},
                                                  {"Cecilia Berg", "IFO", "", ""},
                                                  {"David Lind", "LSS", "ja"}});
  use_workbook(p, book);
  CHECK(p.check() == Lines{"materials/participants/eksjo.xlsx:1:4: error: unknown column 'Telefon'\n"
                           "  hint: the columns are namn (or förnamn and efternamn), titel, enhet, e-post and "
                           "närvaro, or in English name, title, unit, email and attended; docs/deltagarlistor.md "
                           "lists every spelling; delete a column that is not needed"});
  book.sheets[0].rows = cp::testing::inline_rows({{"Namn", "Enhet", "Närvaro"},
                                                  {"Cecilia Berg", "IFO", ""},
                                                  {"David Lind", "LSS", "ja"}});
  p.write("materials/participants/eksjo.xlsx", cp::testing::xlsx_bytes(book));
  p.replace(kEksjo, "    participants: participants/eksjo.xlsx\n",
            "    status: held\n    participants: participants/eksjo.xlsx\n");
  CHECK(p.check() == Lines{"materials/participants/eksjo.xlsx:2:3: error: attendance of 'Cecilia Berg' is not "
                           "marked, but the visit on 2023-06-13 is held\n"
                           "  hint: write ja or nej (x for present works too); a blank is not taken as absent"});
}

// ---------------------------------------------------------------- values

TEST_CASE("participants: a line break inside a quoted name") {
  TempProject p;
  p.write(kCsv, "namn,enhet\n\"Cecilia\nBerg\",IFO\nDavid Lind,LSS\n");
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:2:1: error: participant name contains a "
                           "line break\n  hint: write it on one line; in the spreadsheet, delete the line break "
                           "inside the cell (Alt+Enter makes one)"});
}

TEST_CASE("participants: a letter lost when Excel saved Windows-1252") {
  TempProject p;
  // Windows-1252 has no Ł: Excel writes '?' in its place.
  p.write(kCsv, "namn;enhet\r\n?ucja Kowalczyk;Barn och familj\r\nBj\xF6rn Ek;IFO\r\n");
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:2:1: error: participant name '?ucja "
                           "Kowalczyk' has '?' where a letter was probably lost in saving\n"
                           "  hint: the file was saved in an encoding that has no such letter; type the letter "
                           "again and save the file from Excel as \"CSV UTF-8\""});
  p.write(kCsv, "namn;enhet\nCecilia Berg;Handl\xEF\xBF\xBDggare\n");
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:2:14: error: participant unit "
                           "'Handl\xEF\xBF\xBDggare' has a letter that was lost in saving\n"
                           "  hint: the file was saved in an encoding that has no such letter; type the letter "
                           "again and save the file from Excel as \"CSV UTF-8\""});
}

TEST_CASE("participants: inline names are checked alike") {
  TempProject p;
  p.replace(kEksjo, "      - name: Björn Ek\n", "      - name: \"Bj?rn\\tEk\"\n");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:15:15: error: participant name contains a control "
                           "character (U+0009)\n  hint: delete it: it prints as nothing or as a box"});
  p.replace(kEksjo, "\"Bj?rn\\tEk\"", "\"Bj?rn Ek\"");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:15:15: error: participant name 'Bj?rn Ek' has '?' "
                           "where a letter was probably lost in saving\n"
                           "  hint: type the letter itself; the file is UTF-8 and can hold any letter"});
  p.replace(kEksjo, "\"Bj?rn Ek\"", "\"Björn\\nEk\"");
  CHECK(p.check() == Lines{"materials/municipalities/eksjo.yaml:15:15: error: participant name contains a line "
                           "break\n  hint: write it on one line"});
}

TEST_CASE("participants: e-mail addresses are checked where they are written") {
  TempProject p;
  p.write(kCsv,
          "namn;e-post\nA Ek;a.ek@eksjo\nB Ek;b.ek.eksjo.se\nC Ek;c@ek@eksjo.se\nD Ek;d ek@eksjo.se\n"
          "E Ek;e@eksjo.se, f@eksjo.se\nF Ek;@eksjo.se\nG Ek;g@eksjo..se\n");
  CHECK(p.check() ==
        Lines{"materials/participants/eksjo-2023-06-13.csv:2:6: error: 'a.ek@eksjo' is not an e-mail address\n"
              "  hint: the part after the @ is a domain with a dot, as in eksjo.se",
              "materials/participants/eksjo-2023-06-13.csv:3:6: error: 'b.ek.eksjo.se' is not an e-mail address\n"
              "  hint: an address has exactly one @, as in anna.svensson@eksjo.se",
              "materials/participants/eksjo-2023-06-13.csv:4:6: error: 'c@ek@eksjo.se' is not an e-mail address\n"
              "  hint: an address has exactly one @, as in anna.svensson@eksjo.se",
              "materials/participants/eksjo-2023-06-13.csv:5:6: error: 'd ek@eksjo.se' is not an e-mail address\n"
              "  hint: an address has no spaces",
              "materials/participants/eksjo-2023-06-13.csv:6:6: error: 'e@eksjo.se, f@eksjo.se' is not an e-mail "
              "address\n  hint: an address has no spaces",
              "materials/participants/eksjo-2023-06-13.csv:7:6: error: '@eksjo.se' is not an e-mail address\n"
              "  hint: an address has a name before the @, as in anna.svensson@eksjo.se",
              "materials/participants/eksjo-2023-06-13.csv:8:6: error: 'g@eksjo..se' is not an e-mail address\n"
              "  hint: the part after the @ is a domain with a dot, as in eksjo.se"});
}

// ---------------------------------------------------------------- CSV structure

TEST_CASE("participants: a stray quote is an error where it is and swallows no rows") {
  TempProject p;
  p.write(kCsv, "namn,enhet\n\"Cecilia \"Cissi\" Berg\",IFO\nDavid Lind,LSS\n");
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:2:11: error: text after the closing quote "
                           "of a field\n  hint: write \"\" for a quote inside a quoted field, as in \"Björn "
                           "\"\"Nalle\"\" Ek\""});
  p.write(kCsv, "namn,enhet\n\"Cecilia Berg,IFO\nDavid Lind,LSS\nEva \"Ek\",LSS\n");
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:4:6: error: text after the closing quote "
                           "of a field\n  hint: the quoted field opened at line 2 column 1 runs to here; write "
                           "\"\" for a quote inside a quoted field",
                           "materials/participants/eksjo-2023-06-13.csv:2:1: error: participant name contains a "
                           "line break\n  hint: write it on one line; in the spreadsheet, delete the line break "
                           "inside the cell (Alt+Enter makes one)"});
}

TEST_CASE("participants: a short row on a held visit is an error, not a missing certificate") {
  TempProject p;
  held_csv(p, "namn;enhet;e-post;närvaro\nCecilia Berg;IFO;c.berg@eksjo.se;ja\nDavid Lind;LSS;ja\n");
  // The row's values stand under the wrong headers, so 'ja' is read as its address.
  CHECK(p.check() == Lines{"materials/participants/eksjo-2023-06-13.csv:3:18: error: row has 3 fields; the header "
                           "has 4\n  hint: this row has no field for 'närvaro'; an empty field still needs its "
                           "separator (';')",
                           "materials/participants/eksjo-2023-06-13.csv:3:16: error: 'ja' is not an e-mail address\n"
                           "  hint: an address has exactly one @, as in anna.svensson@eksjo.se"});
}

TEST_CASE("participants: empty trailing fields, and a header with unnamed trailing columns") {
  TempProject p;
  p.write(kCsv, "namn;enhet;;\nCecilia Berg;IFO\nDavid Lind;;;\n");
  CHECK(p.check() == Lines{});
}

// ---------------------------------------------------------------- attendance

TEST_CASE("participants: a hostile file of many empty columns is read in one pass") {
  TempProject p;
  std::string csv = "namn" + std::string(200000, ',') + "\n";
  for (int i = 0; i < 50; ++i) csv += "Person " + std::to_string(i) + std::string(200000, ',') + "x\n";
  p.write(kCsv, csv);
  const auto lines = p.check();
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].starts_with("materials/participants/eksjo-2023-06-13.csv:2:200009: error: 'x' is in a column "
                             "without a header\n"));
}

TEST_CASE("participants: a line break typed in a workbook cell (Alt+Enter)") {
  TempProject p;
  cp::testing::XlsxBook book;
  book.sheets[0].rows = cp::testing::inline_rows({{"Namn", "Enhet"}, {"Cecilia Berg", "Barn och\r\nfamilj"}});
  use_workbook(p, book);
  CHECK(p.check() == Lines{"materials/participants/eksjo.xlsx:2:2: error: participant unit contains a line break\n"
                           "  hint: write it on one line; in the spreadsheet, delete the line break inside the cell "
                           "(Alt+Enter makes one)"});
}

// .xlsx workbooks read as Excel shows them, and spreadsheet files that
// cannot be read named as what they are.
#include <catch2/catch.hpp>

#include "load/table.h"
#include "load/xlsx.h"
#include "xlsx_fixture.h"

using namespace cp;
using cp::testing::inline_cell;
using cp::testing::number_cell;
using cp::testing::XlsxBook;

namespace {

std::vector<std::string> texts(const load::TableRow& row) {
  std::vector<std::string> out;
  for (const auto& c : row.cells) out.push_back(c.text);
  return out;
}

std::vector<std::string> printed(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags.all()) out.push_back(format_diagnostic(d));
  return out;
}

using Cells = std::vector<std::string>;
using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("xlsx: shared and inline strings, numbers, booleans and dates as Excel shows them") {
  XlsxBook book;
  book.shared_strings = {"Namn", "Åsa Öberg", "Ł ucja"};
  // Styles: 0 General, 1 built-in date (14), 2 a custom date, 3 two decimals, 4 a time, 5 a percentage.
  book.num_fmts = "<numFmt numFmtId=\"164\" formatCode=\"d/m/yyyy;@\"/>";
  book.cell_formats = {0, 14, 164, 2, 20, 9};
  book.sheets[0].rows =
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>" + inline_cell("B1", "Värde") + "</row>"
      "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c>" + number_cell("B2", "1") + "</row>"
      "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>2</v></c>" + number_cell("B3", "3.5") + "</row>"
      "<row r=\"4\">" + number_cell("B4", "0.30000000000000004") + "</row>"
      "<row r=\"5\"><c r=\"B5\" t=\"b\"><v>1</v></c></row>"
      "<row r=\"6\">" + number_cell("B6", "45000", 1) + "</row>"
      "<row r=\"7\">" + number_cell("B7", "44999.5", 2) + "</row>"
      "<row r=\"8\">" + number_cell("B8", "2.5", 3) + "</row>"
      "<row r=\"9\">" + number_cell("B9", "0.375", 4) + "</row>"
      "<row r=\"10\">" + number_cell("B10", "0.25", 5) + "</row>"
      "<row r=\"11\">" + number_cell("B11", "59", 1) + number_cell("C11", "61", 1) + "</row>"
      "<row r=\"12\"><c r=\"B12\" t=\"str\"><f>A2&amp;\"!\"</f><v>Åsa Öberg!</v></c></row>"
      "<row r=\"13\"><c r=\"B13\" t=\"inlineStr\"><is><r><t>rik</t></r><r><t xml:space=\"preserve\"> text</t></r>"
      "<rPh><t>x</t></rPh></is></c></row>";
  Diagnostics diags;
  const auto t = load::parse_xlsx(cp::testing::xlsx_bytes(book), "p.xlsx", diags);
  REQUIRE(t);
  CHECK(printed(diags) == Lines{});
  CHECK(t->workbook);
  CHECK(texts(t->header) == Cells{"Namn", "Värde", ""});
  REQUIRE(t->records.size() == 12);
  CHECK(texts(t->records[0]) == Cells{"Åsa Öberg", "1", ""});
  CHECK(texts(t->records[1]) == Cells{"Ł ucja", "3,5", ""});
  CHECK(t->records[2].cells[1].text == "0,3");
  CHECK(t->records[3].cells[1].text == "TRUE");
  CHECK(t->records[4].cells[1].text == "2023-03-15");
  CHECK(t->records[5].cells[1].text == "2023-03-14");  // the time of day is not in a date format
  CHECK(t->records[6].cells[1].text == "2,50");
  CHECK(t->records[7].cells[1].text == "09:00");
  CHECK(t->records[8].cells[1].text == "25%");
  CHECK(texts(t->records[9]) == Cells{"", "1900-02-28", "1900-03-01"});  // around Excel's 1900-02-29
  CHECK(t->records[10].cells[1].text == "Åsa Öberg!");
  CHECK(t->records[11].cells[1].text == "rik text");
}

TEST_CASE("xlsx: cells are at the sheet's row and column numbers; blank rows are left out") {
  XlsxBook book;
  book.sheets[0].rows = "<row r=\"3\">" + inline_cell("B3", "namn") + inline_cell("D3", "enhet") + "</row>" +
                        "<row r=\"4\"/>" + "<row r=\"5\">" + inline_cell("B5", " ") + "</row>" + "<row r=\"7\">" +
                        inline_cell("B7", "Eva Ek") + inline_cell("D7", "IFO") + "</row>";
  Diagnostics diags;
  const auto t = load::parse_xlsx(cp::testing::xlsx_bytes(book), "p.xlsx", diags);
  REQUIRE(t);
  CHECK(t->header.line == 3);
  CHECK(texts(t->header) == Cells{"", "namn", "", "enhet"});
  REQUIRE(t->records.size() == 1);
  CHECK(t->records[0].line == 7);
  CHECK(t->records[0].cells[3].line == 7);
  CHECK(t->records[0].cells[3].col == 4);
  CHECK(t->records[0].cells[2].col == 3);  // an empty cell still has its place
}

TEST_CASE("xlsx: the first sheet is the first tab, whatever its part is called") {
  XlsxBook book;
  book.sheets = {{"Deltagare", cp::testing::inline_rows({{"namn"}, {"Eva Ek"}})},
                 {"Blad2", cp::testing::inline_rows({{"annat"}})}};
  book.sheets.push_back({"Blad3", ""});
  Diagnostics diags;
  const auto t = load::parse_xlsx(cp::testing::xlsx_bytes(book), "p.xlsx", diags);
  REQUIRE(t);
  CHECK(texts(t->header) == Cells{"namn"});
  // An empty later sheet is not worth a word; one with something on it is.
  CHECK(printed(diags) == Lines{"p.xlsx:1:1: warning: only the first sheet 'Deltagare' is read; sheet 'Blad2' has 1 "
                                "filled cell and is not\n"
                                "  hint: put every participant on the first sheet, or delete the other sheet"});
}

TEST_CASE("xlsx: dates in a workbook that counts from 1904") {
  XlsxBook book;
  book.date1904 = true;
  book.cell_formats = {0, 14};
  book.sheets[0].rows = "<row r=\"1\">" + inline_cell("A1", "datum") + "</row><row r=\"2\">" +
                        number_cell("A2", "43537", 1) + "</row>";
  Diagnostics diags;
  const auto t = load::parse_xlsx(cp::testing::xlsx_bytes(book), "p.xlsx", diags);
  REQUIRE(t);
  CHECK(t->records.at(0).cells[0].text == "2023-03-14");
}

TEST_CASE("xlsx: a formula error is reported at its cell") {
  XlsxBook book;
  book.sheets[0].rows = "<row r=\"1\">" + inline_cell("A1", "namn") + "</row><row r=\"2\"><c r=\"A2\" t=\"e\">"
                        "<f>VLOOKUP(X1,Y:Z,2)</f><v>#N/A</v></c></row>";
  Diagnostics diags;
  load::parse_xlsx(cp::testing::xlsx_bytes(book), "participants/p.xlsx", diags);
  CHECK(printed(diags) == Lines{"participants/p.xlsx:2:1: error: cell shows the formula error '#N/A'\n"
                                "  hint: correct the formula in the workbook, or type the value itself"});
}

TEST_CASE("xlsx: an empty first sheet, and a damaged workbook") {
  XlsxBook book;
  Diagnostics diags;
  load::parse_xlsx(cp::testing::xlsx_bytes(book), "p.xlsx", diags);
  std::string damaged = cp::testing::xlsx_bytes(book);
  damaged.resize(damaged.size() / 2);
  load::parse_xlsx(damaged, "q.xlsx", diags);
  CHECK(printed(diags) ==
        Lines{"p.xlsx:1:1: error: the first sheet 'Blad1' is empty",
              "q.xlsx:1:1: error: file is not an xlsx workbook (not a zip archive)\n"
              "  hint: save it from Excel as \"Excel Workbook (.xlsx)\" or as \"CSV UTF-8\""});
}

TEST_CASE("file kinds are told by their bytes") {
  CHECK(load::sniff_file_kind("namn;enhet\n") == load::FileKind::Text);
  CHECK(load::sniff_file_kind(cp::testing::xlsx_bytes(XlsxBook{})) == load::FileKind::Xlsx);
  CHECK(load::sniff_file_kind("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0") == load::FileKind::Xls);
}

TEST_CASE("xlsx: one cell far out does not make the sheet a billion cells") {
  XlsxBook book;
  book.sheets[0].rows = "<row r=\"1\">" + inline_cell("A1", "namn") + inline_cell("XFD1", "x") + "</row>";
  for (int r = 2; r < 100; ++r) book.sheets[0].rows += "<row>" + inline_cell("A" + std::to_string(r), "Eva") + "</row>";
  Diagnostics diags;
  CHECK_FALSE(load::parse_xlsx(cp::testing::xlsx_bytes(book), "p.xlsx", diags));
  CHECK(printed(diags) == Lines{"p.xlsx:1:1: error: the first sheet 'Blad1' spans 99 rows with text and 16384 "
                                "columns; at most 1000000 cells are read\n"
                                "  hint: delete the rows and columns outside the list, or copy the list to a new "
                                "workbook"});
}

// The CSV splitter and text decoding, without files.
#include <catch2/catch.hpp>
#include <filesystem>

#include "load/csv.h"
#include "load/source.h"

using namespace cp;

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

// decode_text + parse_csv, as a file would be read.
load::Table read(std::string_view bytes, Diagnostics& diags) {
  const auto text = load::decode_text(bytes, "p.csv", diags, load::Encoding::Utf8OrWindows1252);
  REQUIRE(text);
  return load::parse_csv(*text, "p.csv", diags);
}

using Cells = std::vector<std::string>;

}  // namespace

TEST_CASE("csv: comma separated UTF-8") {
  Diagnostics diags;
  const auto t = read("name,title\nÅsa Öberg,Kurator\n", diags);
  CHECK(t.separator == ',');
  CHECK(texts(t.header) == Cells{"name", "title"});
  REQUIRE(t.records.size() == 1);
  CHECK(texts(t.records[0]) == Cells{"Åsa Öberg", "Kurator"});
  CHECK(t.records[0].cells[1].col == 11);  // columns count characters, not bytes
  CHECK(diags.all().empty());
}

TEST_CASE("csv: semicolon separated, chosen from the header") {
  Diagnostics diags;
  const auto t = read("namn;enhet\nEk, Anna;Barn, unga och familj\n", diags);
  CHECK(t.separator == ';');
  CHECK(texts(t.records.at(0)) == Cells{"Ek, Anna", "Barn, unga och familj"});
}

TEST_CASE("csv: a UTF-8 byte order mark is stripped") {
  Diagnostics diags;
  const auto t = read("\xEF\xBB\xBFname\nEva\n", diags);
  CHECK(texts(t.header) == Cells{"name"});
  CHECK(t.header.cells[0].col == 1);
}

TEST_CASE("csv: Windows-1252 as Excel writes it is converted, not garbled") {
  Diagnostics diags;
  const auto t = read(
      "namn;n\xE4rvarande\r\n\xC5"
      "berg \x96 \xD6stlund;ja\r\n",
      diags);
  CHECK(texts(t.header) == Cells{"namn", "närvarande"});
  CHECK(texts(t.records.at(0)) == Cells{"Åberg – Östlund", "ja"});
  CHECK(diags.all().empty());
}

TEST_CASE("csv: a file mixing UTF-8 and Windows-1252 is refused") {
  Diagnostics diags;
  CHECK_FALSE(
      load::decode_text("namn\nÅsa\n\xC5"
                        "berg\n",
                        "p.csv", diags, load::Encoding::Utf8OrWindows1252));
  CHECK(printed(diags) == std::vector<std::string>{"p.csv:3:1: error: file mixes utf-8 and windows-1252 text "
                                                   "(byte 0xc5)\n  hint: save the file as utf-8"});
}

TEST_CASE("csv: bytes that are neither UTF-8 nor Windows-1252") {
  Diagnostics diags;
  CHECK_FALSE(load::decode_text("namn\nA\x81\n", "p.csv", diags, load::Encoding::Utf8OrWindows1252));
  CHECK(printed(diags) == std::vector<std::string>{"p.csv:2:2: error: file is neither utf-8 nor windows-1252 "
                                                   "text (byte 0x81)\n  hint: save the file as utf-8"});
}

TEST_CASE("csv: UTF-16 as Excel saves \"Unicode Text\" (tab-separated)") {
  Diagnostics diags;
  std::string le = "\xFF\xFE", be = "\xFE\xFF";
  for (char16_t u : std::u16string(u"namn\tenhet\r\n\u0141ucja \U0001F600\tIFO\r\n")) {
    le += static_cast<char>(u & 0xFF);
    le += static_cast<char>(u >> 8);
    be += static_cast<char>(u >> 8);
    be += static_cast<char>(u & 0xFF);
  }
  for (const auto& bytes : {le, be}) {
    const auto t = read(bytes, diags);
    CHECK(t.separator == '\t');
    CHECK(texts(t.records.at(0)) == Cells{"Łucja 😀", "IFO"});
  }
  CHECK(diags.all().empty());
  CHECK_FALSE(load::decode_text(std::string("\xFF\xFE\x00\xD8", 4), "p.csv", diags, load::Encoding::Utf8OrWindows1252));
  CHECK(printed(diags) == std::vector<std::string>{"p.csv:1:1: error: file is not valid utf-16\n"
                                                   "  hint: save the file as utf-8"});
}

TEST_CASE("csv: CRLF line ends") {
  Diagnostics diags;
  const auto t = read("name,unit\r\nEva,IFO\r\nPer,LSS\r\n", diags);
  REQUIRE(t.records.size() == 2);
  CHECK(texts(t.records[1]) == Cells{"Per", "LSS"});
  CHECK(t.records[1].line == 3);
}

TEST_CASE("csv: quoted separators, doubled quotes and line breaks") {
  Diagnostics diags;
  const auto t = read("name,unit\n\"Ek, Anna\",\"Enheten \"\"Hem\"\"\r\nvåning 2\"\nPer,LSS\n", diags);
  REQUIRE(t.records.size() == 2);
  CHECK(texts(t.records[0]) == Cells{"Ek, Anna", "Enheten \"Hem\"\nvåning 2"});
  CHECK(t.records[1].line == 4);  // lines inside quotes still count
  CHECK(diags.all().empty());
}

TEST_CASE("csv: blank lines and rows of separators only are skipped") {
  Diagnostics diags;
  const auto t = read("\n\nnamn;enhet\n\n;;\nEva;IFO\n  \n", diags);
  CHECK(t.header.line == 3);
  REQUIRE(t.records.size() == 1);
  CHECK(t.records[0].line == 6);
}

TEST_CASE("csv: empty trailing fields past the header are not an error") {
  Diagnostics diags;
  const auto t = read("namn;enhet\nEva;IFO;;\n", diags);
  CHECK(texts(t.records.at(0)) == Cells{"Eva", "IFO"});
  CHECK(diags.all().empty());
}

TEST_CASE("csv: an unterminated quote is reported at its opening") {
  Diagnostics diags;
  const auto t = read("name,unit\nEva,IFO\nPer,\"LSS\nOla,IFO\n", diags);
  CHECK(t.records.size() == 1);
  CHECK(printed(diags) ==
        std::vector<std::string>{"p.csv:3:5: error: unterminated quoted field\n  hint: a field that starts with \" "
                                 "must end with \"; write \"\" for a quote inside it"});
}

TEST_CASE("csv: a row with too many fields is reported at the first extra one") {
  Diagnostics diags;
  const auto t = read("name;unit\nEva;IFO\nPer;LSS;x;y\n", diags);
  CHECK(texts(t.records.at(1)) == Cells{"Per", "LSS"});
  CHECK(printed(diags) == std::vector<std::string>{"p.csv:3:9: error: row has 4 fields; the header has 2"});
}

TEST_CASE("csv: the separator is sniffed from the header line only") {
  CHECK(load::sniff_separator("a;b;c\nx,y,z,w,v\n") == ';');
  CHECK(load::sniff_separator("\"a;b\",c\n") == ',');
  CHECK(load::sniff_separator("\n\nname\nEk, Anna\n") == ',');
  CHECK(load::sniff_separator("namn\tenhet\tE-post, arbete\n") == '\t');
  CHECK(load::sniff_separator("\t\t\nnamn;enhet\n") == ';');  // a blank line of tabs is not the header
}

TEST_CASE("csv: tab separated, as Excel saves \"Text (tab-delimited)\"") {
  Diagnostics diags;
  const auto t = read("Namn\tEnhet\r\n\"Ek, Anna\"\tBarn; unga\r\n", diags);
  CHECK(t.separator == '\t');
  CHECK(texts(t.records.at(0)) == Cells{"Ek, Anna", "Barn; unga"});
  CHECK(diags.all().empty());
}

TEST_CASE("csv: text after a closing quote is an error at that place") {
  Diagnostics diags;
  const auto t = read("name;unit\n\"Ek\" Anna;IFO\nPer;LSS\n", diags);
  REQUIRE(t.records.size() == 2);  // the next row is still a row
  CHECK(texts(t.records[1]) == Cells{"Per", "LSS"});
  CHECK(printed(diags) == std::vector<std::string>{"p.csv:2:5: error: text after the closing quote of a field\n"
                                                   "  hint: write \"\" for a quote inside a quoted field, as in "
                                                   "\"Björn \"\"Nalle\"\" Ek\""});
}

TEST_CASE("csv: a row with fewer fields than the header names is an error at its end") {
  Diagnostics diags;
  const auto t = read("name,unit,email,attended\nEva,IFO\nPer,LSS,per@x.se,\n", diags);
  CHECK(texts(t.records.at(0)) == Cells{"Eva", "IFO"});
  CHECK(printed(diags) ==
        std::vector<std::string>{"p.csv:2:8: error: row has 2 fields; the header has 4\n"
                                 "  hint: this row has no field for 'email' and 'attended'; an empty field still "
                                 "needs its separator (',')"});
}

TEST_CASE("text: NUL bytes, empty files and invalid UTF-8") {
  Diagnostics diags;
  CHECK_FALSE(load::decode_text(std::string_view("ab\ncd\0", 6), "f.yaml", diags));
  CHECK_FALSE(load::decode_text(" \n\t\n", "f.yaml", diags));
  CHECK_FALSE(load::decode_text("a: 1\nb: \xC3(\n", "f.yaml", diags));
  CHECK(printed(diags) ==
        std::vector<std::string>{
            "f.yaml:2:3: error: file is not text", "f.yaml:1:1: error: file is empty",
            "f.yaml:2:4: error: file is not valid utf-8 (byte 0xc3)\n  hint: save the file as utf-8"});
}

TEST_CASE("text: decoding normalises to NFC") {
  Diagnostics diags;
  CHECK(load::decode_text("A\xCC\x8A"
                          "sa",
                          "f.md", diags) == std::optional<std::string>("Åsa"));
}

TEST_CASE("csv: fuzzed input never crashes and keeps positions sane") {
  // A deterministic byte soup of the characters that matter to the parser.
  const std::string alphabet = "ab,;\"\r\n \xC3\xA5";
  std::uint32_t state = 12345;
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const int length = round % 60;
    for (int i = 0; i < length; ++i) {
      state = state * 1664525u + 1013904223u;
      text += alphabet[(state >> 16) % alphabet.size()];
    }
    Diagnostics diags;
    const auto decoded = load::decode_text(text, "f.csv", diags, load::Encoding::Utf8OrWindows1252);
    if (!decoded) continue;
    const auto t = load::parse_csv(*decoded, "f.csv", diags);
    for (const auto& row : t.records) {
      CHECK(row.line >= 1);
      CHECK(row.cells.size() <= std::max<std::size_t>(t.header.cells.size(), 1));
    }
  }
}

// ---------------------------------------------------------------- files as spreadsheets save them

namespace {

load::Table load_data(const char* name, Diagnostics& diags) {
  const std::filesystem::path file = std::filesystem::path(COURSEPACK_TEST_DATA) / name;
  auto table = load::load_csv_file(file, name, diags);
  REQUIRE(table);
  return *table;
}

}  // namespace

TEST_CASE("csv file: Excel in a Swedish locale (Windows-1252 with semicolons, CRLF and Swedish headers)") {
  Diagnostics diags;
  const auto t = load_data("excel-windows-1252.csv", diags);
  CHECK(t.separator == ';');
  CHECK(texts(t.header) == Cells{"Namn", "Befattning", "Enhet", "E-post", "Närvarande"});
  REQUIRE(t.records.size() == 3);
  CHECK(texts(t.records[0]) ==
        Cells{"Åsa Öberg", "Socialsekreterare", "Försörjningsstöd", "asa.oberg@example.se", "ja"});
  CHECK(texts(t.records[2])[0] == "Björn \"Nalle\" Ek");
  CHECK(texts(t.records[2])[2] == "Vuxenenheten; LSS");
  CHECK(diags.all().empty());
}

TEST_CASE("csv file: UTF-8 with a byte order mark") {
  Diagnostics diags;
  const auto t = load_data("utf8-bom.csv", diags);
  CHECK(t.separator == ',');
  CHECK(t.header.cells.at(0).text == "name");
  CHECK(texts(t.records.at(1))[0] == "Päivi Heikkinen");
}

TEST_CASE("csv file: quoted line breaks and separators") {
  Diagnostics diags;
  const auto t = load_data("multiline.csv", diags);
  REQUIRE(t.records.size() == 2);
  CHECK(texts(t.records[0]) == Cells{"Ek, Anna", "Enheten\nvåning 2"});
  CHECK(texts(t.records[1]) == Cells{"Lind;Per", "IFO"});
  CHECK(t.records[1].line == 5);
}

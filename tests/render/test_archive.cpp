#include "render/archive.h"

#include <catch2/catch.hpp>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <set>
#include <string>

#include "core/text.h"
#include "render/impose.h"
#include "render/pdf.h"
#include "render/pdf_split.h"
#include "render_test_util.h"
#include "support/requirements.h"

using cp::render::Conformance;
using cp::render::DocumentInfo;

namespace {

constexpr long long kEpoch = 1790000000;  // 2026-09-21 14:13:20 UTC

DocumentInfo sample_info() {
  DocumentInfo info;
  info.title = "Närvarolista – \"SPoM\" & <stöd>";
  info.author = "Region Jönköpings län";
  info.subject = "Kunskapshöjning";
  info.keywords = "SPoM, utbildning";
  info.creator = "coursepack";
  info.producer = "coursepack 1 (libharu 2.3.0)";
  info.language = "sv-SE";
  info.time = kEpoch;
  return info;
}

// A two-page document with a link, rendered.
std::string rendered() {
  auto fonts = cp::test::noto_fonts();
  cp::layout::Document doc;
  doc.fonts = fonts;
  doc.meta.title = "Intyg – Växjö";
  doc.meta.author = "Region Jönköpings län";
  for (int p = 0; p < 2; ++p) {
    cp::layout::Page page;
    page.items.push_back(cp::test::run(cp::test::kSans, 56, 780, 12, "Sida " + std::to_string(p + 1), *fonts));
    page.items.push_back(cp::test::link("https://example.org/", 56, 770, 100, 12));
    doc.pages.push_back(page);
  }
  cp::render::PdfOptions options;
  options.creation_time = kEpoch;
  auto r = cp::render::render_pdf(doc, options);
  INFO(r.error);
  REQUIRE(r.ok);
  return r.bytes;
}

QPDFObjectHandle open(QPDF& pdf, const std::string& bytes) {
  pdf.processMemoryFile("test", bytes.data(), bytes.size());
  return pdf.getRoot();
}

// The XMP packet as stored: PDF/A wants it unfiltered.
std::string metadata_of(QPDF& pdf) {
  auto stream = pdf.getRoot().getKey("/Metadata");
  CHECK_FALSE(stream.getDict().hasKey("/Filter"));
  auto data = stream.getRawStreamData();
  return std::string(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
}

}  // namespace

TEST_CASE("dates are the same instant in PDF and XMP form", "[render][archive]") {
  CHECK(cp::render::pdf_date(kEpoch) == "D:20260921141320Z");
  CHECK(cp::render::xmp_date(kEpoch) == "2026-09-21T14:13:20Z");
  CHECK(cp::render::xmp_date(0) == "1970-01-01T00:00:00Z");
}

TEST_CASE("the XMP packet states the document information, escaped", "[render][archive]") {
  const std::string x = cp::render::xmp_packet(sample_info(), Conformance{});
  CHECK(cp::text::is_valid_utf8(x));
  // The header marks UTF-8 with U+FEFF and has no bytes or encoding attribute.
  CHECK(x.rfind("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>", 0) == 0);
  CHECK(x.find("bytes=") == std::string::npos);
  CHECK(x.find("encoding=") == std::string::npos);
  CHECK(x.find("<rdf:li xml:lang=\"x-default\">Närvarolista – &quot;SPoM&quot; &amp; &lt;stöd&gt;</rdf:li>") !=
        std::string::npos);
  CHECK(x.find("<dc:creator><rdf:Seq><rdf:li>Region Jönköpings län</rdf:li></rdf:Seq></dc:creator>") !=
        std::string::npos);
  CHECK(x.find("<pdf:Producer>coursepack 1 (libharu 2.3.0)</pdf:Producer>") != std::string::npos);
  CHECK(x.find("<xmp:CreateDate>2026-09-21T14:13:20Z</xmp:CreateDate>") != std::string::npos);
  CHECK(x.find("<pdfaid:part>2</pdfaid:part>") != std::string::npos);
  CHECK(x.find("<pdfaid:conformance>B</pdfaid:conformance>") != std::string::npos);
  // No PDF/UA claim unless asked, and then with the schema that describes it.
  CHECK(x.find("pdfuaid") == std::string::npos);
  const std::string ua = cp::render::xmp_packet(sample_info(), Conformance{2, 'A', true});
  CHECK(ua.find("<pdfuaid:part>1</pdfuaid:part>") != std::string::npos);
  CHECK(ua.find("<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>") !=
        std::string::npos);
  CHECK(ua.find("<pdfaid:conformance>A</pdfaid:conformance>") != std::string::npos);
  // Without dates, no date properties.
  DocumentInfo undated = sample_info();
  undated.time.reset();
  CHECK(cp::render::xmp_packet(undated, Conformance{}).find("CreateDate") == std::string::npos);
  CHECK(x.substr(x.size() - 19) == "<?xpacket end=\"w\"?>");
}

TEST_CASE("the output intent's profile is Debian's sRGB display profile", "[render][archive]") {
  if (!cp::test::require_file(cp::render::kSrgbProfilePath)) return;
  const auto& profile = cp::render::srgb_profile();
  INFO(profile.error);
  REQUIRE(profile.error.empty());
  CHECK(cp::render::check_output_profile(profile.bytes).empty());
  std::string cmyk = profile.bytes;
  cmyk.replace(16, 4, "CMYK");
  CHECK(cp::render::check_output_profile(cmyk) == "is not an RGB profile");
  std::string input = profile.bytes;
  input.replace(12, 4, "scnr");
  CHECK(cp::render::check_output_profile(input) == "is neither a display nor an output profile");
  CHECK(cp::render::check_output_profile(profile.bytes.substr(0, 100)) == "is not an ICC profile");
  // A machine without icc-profiles-free, or with a damaged file.
  const auto missing = cp::render::read_color_profile("/nonexistent/sRGB.icc");
  CHECK(missing.problem == "the sRGB colour profile /nonexistent/sRGB.icc cannot be read");
  CHECK(missing.error ==
        "the sRGB colour profile /nonexistent/sRGB.icc cannot be read (Debian package icc-profiles-free)");
  CHECK(missing.bytes.empty());
  const auto bad_path = cp::test::temp_dir() / "cmyk.icc";
  cp::test::write_file(bad_path, cmyk);
  const auto bad = cp::render::read_color_profile(bad_path.string());
  CHECK(bad.problem == "the sRGB colour profile " + bad_path.string() + " is not an RGB profile");
  CHECK(bad.bytes.empty());
  CHECK(cp::render::read_color_profile(cp::render::kSrgbProfilePath).bytes == profile.bytes);
}

TEST_CASE("the file identifier comes from the file's bytes", "[render][archive]") {
  const std::string p = cp::render::kIdPlaceholder;
  const std::string file = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<< /ID [<" + p + "><" + p + ">] >>\n%%EOF\n";
  std::string a = file, b = file;
  REQUIRE(cp::render::stamp_file_id(a));
  REQUIRE(cp::render::stamp_file_id(b));
  CHECK(a == b);
  CHECK(a.size() == file.size());
  CHECK(a.find(p) == std::string::npos);
  const std::size_t open = a.find("/ID [<") + 6;
  const std::string id = a.substr(open, 32);
  CHECK(a.substr(open + 34, 32) == id);  // both halves, as for a file never updated
  std::string other = file;
  other.replace(file.find("<<>>"), 4, "<<1>>");
  REQUIRE(cp::render::stamp_file_id(other));
  CHECK(other.find(id) == std::string::npos);
  // Placeholders other than exactly two in the trailer: refused.
  std::string none = "%PDF-1.7\ntrailer\n<< >>\n";
  CHECK_FALSE(cp::render::stamp_file_id(none));
  std::string three = file + "trailer <" + p + "><" + p + "><" + p + ">\n";
  CHECK_FALSE(cp::render::stamp_file_id(three));
  // A cross-reference stream's /ID comes before its compressed data, which
  // may hold "/ID" itself: the pair is still found, and stamped.
  std::string xref = "%PDF-1.7\n9 0 obj\n<< /Type /XRef /ID [<" + p + "><" + p +
                     ">] /Length 8 >>\nstream\n\x01/ID\x7f/ID\x02\nendstream\nendobj\nstartxref\n9\n%%EOF\n";
  const std::string unstamped = xref;
  REQUIRE(cp::render::stamp_file_id(xref));
  CHECK(xref.find(p) == std::string::npos);
  CHECK(xref.size() == unstamped.size());
  CHECK(xref.substr(xref.find("stream\n")) == unstamped.substr(unstamped.find("stream\n")));
  // Placeholders not right after an "/ID": refused.
  std::string loose = "%PDF-1.7\ntrailer\n<< /ID [<" + p + "> (x) <" + p + ">] >>\n";
  CHECK_FALSE(cp::render::stamp_file_id(loose));
}

TEST_CASE("rendered PDFs carry XMP, the sRGB intent, a content /ID and printing links", "[render][archive]") {
  const std::string bytes = rendered();
  CHECK(bytes.rfind("%PDF-1.7\n", 0) == 0);
  QPDF pdf;
  auto root = open(pdf, bytes);
  const std::string x = metadata_of(pdf);
  CHECK(root.getKey("/Metadata").getDict().getKey("/Subtype").getName() == "/XML");
  CHECK_FALSE(root.getKey("/Metadata").getDict().hasKey("/Filter"));
  CHECK(x.find("<rdf:li xml:lang=\"x-default\">Intyg – Växjö</rdf:li>") != std::string::npos);
  CHECK(x.find("<xmp:CreateDate>2026-09-21T14:13:20Z</xmp:CreateDate>") != std::string::npos);
  CHECK(pdf.getTrailer().getKey("/Info").getKey("/Title").getUTF8Value() == "Intyg – Växjö");
  auto intent = root.getKey("/OutputIntents").getArrayItem(0);
  CHECK(intent.getKey("/S").getName() == "/GTS_PDFA1");
  auto profile = intent.getKey("/DestOutputProfile");
  CHECK(profile.getDict().getKey("/N").getIntValue() == 3);
  auto data = profile.getStreamData(qpdf_dl_generalized);
  CHECK(std::string(reinterpret_cast<const char*>(data->getBuffer()), data->getSize()) ==
        cp::render::srgb_profile().bytes);
  CHECK(root.getKey("/ViewerPreferences").getKey("/DisplayDocTitle").getBoolValue());
  auto id = pdf.getTrailer().getKey("/ID");
  REQUIRE(id.getArrayNItems() == 2);
  CHECK(id.getArrayItem(0).getStringValue().size() == 16);
  CHECK(id.getArrayItem(0).getStringValue() != std::string(16, '\0'));
  for (auto page : pdf.getAllPages())
    for (auto annot : page.getKey("/Annots").aitems()) CHECK(annot.getKey("/F").getIntValue() == 4);
}

TEST_CASE("split pages, booklets and print files keep the archival metadata", "[render][archive]") {
  const std::string whole = rendered();
  QPDF source;
  open(source, whole);
  const std::string source_id = source.getTrailer().getKey("/ID").getArrayItem(0).getStringValue();
  for (const auto& split : {cp::render::split_pages_direct(whole), cp::render::split_pages_qpdf(whole)}) {
    REQUIRE(split.ok);
    REQUIRE(split.pages.size() == 2);
    std::set<std::string> ids;
    for (const std::string& page : split.pages) {
      QPDF pdf;
      auto root = open(pdf, page);
      CHECK(metadata_of(pdf) == metadata_of(source));  // the same /Info, the same XMP
      CHECK(root.getKey("/OutputIntents").getArrayItem(0).getKey("/S").getName() == "/GTS_PDFA1");
      CHECK(root.getKey("/ViewerPreferences").getKey("/DisplayDocTitle").getBoolValue());
      const std::string id = pdf.getTrailer().getKey("/ID").getArrayItem(0).getStringValue();
      CHECK(id != source_id);
      ids.insert(id);
    }
    CHECK(ids.size() == 2);  // each file its own identifier
  }
  DocumentInfo info = sample_info();
  const auto print = cp::render::print_file({{&whole, 2, false}}, info);
  REQUIRE(print.ok);
  QPDF pdf;
  auto root = open(pdf, print.pdf);
  CHECK(metadata_of(pdf) == cp::render::xmp_packet(info, Conformance{}));
  CHECK(pdf.getTrailer().getKey("/Info").getKey("/Title").getUTF8Value() == info.title);
  CHECK(pdf.getTrailer().getKey("/Info").getKey("/CreationDate").getUTF8Value() == "D:20260921141320Z");
  CHECK(root.getKey("/OutputIntents").getArrayItem(0).getKey("/S").getName() == "/GTS_PDFA1");
  CHECK(root.getKey("/Lang").getUTF8Value() == "sv-SE");
  const auto booklet = cp::render::impose_booklet(whole);
  REQUIRE(booklet.ok);
  QPDF imposed;
  auto booklet_root = open(imposed, booklet.pdf);
  CHECK(metadata_of(imposed) == metadata_of(source));
  CHECK(booklet_root.getKey("/OutputIntents").isArray());
}

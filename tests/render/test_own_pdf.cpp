#include "render/own_pdf.h"

#include <catch2/catch.hpp>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>

#include <string>
#include <vector>

#include "render/archive.h"
#include "render/pdf.h"
#include "render_test_util.h"

using cp::render::own::Object;
using cp::render::own::Reader;

namespace {

constexpr long long kEpoch = 1790000000;

// Three pages with text and links, as the renderer writes them: classic
// (uncompressed, every object plain) or compressed (packed).
std::string rendered(bool compress) {
  auto fonts = cp::test::noto_fonts();
  cp::layout::Document doc;
  doc.fonts = fonts;
  doc.meta.title = "Intyg – Växjö";
  doc.meta.language = "sv-SE";
  for (int p = 0; p < 3; ++p) {
    cp::layout::Page page;
    page.items.push_back(cp::test::run(cp::test::kSans, 56, 780, 12, "Sida " + std::to_string(p + 1), *fonts));
    page.items.push_back(cp::test::link("https://example.org/" + std::to_string(p), 56, 770, 100, 12));
    page.items.push_back(cp::test::link("", 56, 700, 100, 12, (p + 1) % 3, 500));
    doc.pages.push_back(page);
  }
  cp::render::PdfOptions options;
  options.creation_time = kEpoch;
  options.compress = compress;
  auto r = cp::render::render_pdf(doc, options);
  INFO(r.error);
  REQUIRE(r.ok);
  return r.bytes;
}

std::vector<std::string_view> texts(const Object& o) {
  std::vector<std::string_view> out;
  for (const auto& t : o.tokens) out.push_back(t.text);
  return out;
}

// Every object of `a` read from `b` too, token for token, with the same
// stream data.
void same_objects(Reader& a, Reader& b) {
  REQUIRE(b.size() >= a.size());
  for (long n = 1; n < static_cast<long>(a.size()); ++n) {
    INFO("object " << n);
    const Object* x = a.object(n);
    const Object* y = b.object(n);
    REQUIRE(x);
    REQUIRE(y);
    CHECK(texts(*x) == texts(*y));
    CHECK(x->stream == y->stream);
    CHECK(a.bytes().substr(x->data, x->data_length) == b.bytes().substr(y->data, y->data_length));
    REQUIRE(x->refs.size() == y->refs.size());
    for (std::size_t k = 0; k < x->refs.size(); ++k) {
      CHECK(x->refs[k].object == y->refs[k].object);
      CHECK(b.bytes().substr(y->refs[k].begin, y->refs[k].end - y->refs[k].begin) ==
            a.bytes().substr(x->refs[k].begin, x->refs[k].end - x->refs[k].begin));
    }
  }
}

// Every object the reader finds in `pdf` is the object qpdf finds there:
// the same value, or for a stream the same dictionary and data as stored.
void as_qpdf_reads(const std::string& pdf) {
  Reader r(pdf);
  REQUIRE(r.read());
  QPDF q;
  q.processMemoryFile("pdf", pdf.data(), pdf.size());
  int compared = 0;
  for (long n = 1; n < static_cast<long>(r.size()); ++n) {
    if (!r.present(n)) continue;
    INFO("object " << n);
    const Object* o = r.object(n);
    REQUIRE(o);
    QPDFObjectHandle theirs = q.getObjectByID(static_cast<int>(n), 0);
    const std::string dict(r.bytes().substr(o->body, o->dict_end - o->body));
    QPDFObjectHandle ours = QPDFObjectHandle::parse(&q, dict);
    if (o->stream) {
      REQUIRE(theirs.isStream());
      QPDFObjectHandle d = theirs.getDict();
      CHECK(ours.unparse() == d.unparse());
      auto data = theirs.getRawStreamData();
      CHECK(r.bytes().substr(o->data, o->data_length) ==
            std::string_view(reinterpret_cast<const char*>(data->getBuffer()), data->getSize()));
    } else {
      CHECK(ours.unparse() == theirs.unparseResolved());
    }
    ++compared;
  }
  CHECK(compared > 20);
}

std::string qpdf_written(const std::string& pdf, bool object_streams) {
  QPDF q;
  q.processMemoryFile("in", pdf.data(), pdf.size());
  QPDFWriter w(q);
  w.setOutputMemory();
  w.setStaticID(true);
  w.setObjectStreamMode(object_streams ? qpdf_o_generate : qpdf_o_disable);
  w.write();
  auto buffer = w.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

}  // namespace

TEST_CASE("the renderer's compressed files have their small objects in object streams", "[render][own_pdf]") {
  const std::string classic = rendered(false);
  const std::string packed = rendered(true);
  CHECK(packed == rendered(true));  // the same bytes every time
  CHECK(packed.size() < classic.size());
  CHECK(packed.find("\nxref\n") == std::string::npos);
  CHECK(packed.find("/Type /XRef") != std::string::npos);
  CHECK(packed.find(cp::render::kIdPlaceholder) == std::string::npos);  // stamped

  // qpdf reads it without a warning; the pages' dictionaries, the fonts' and
  // the annotations are compressed objects, the streams and the catalog
  // plain ones.
  QPDF q;
  q.processMemoryFile("packed", packed.data(), packed.size());
  CHECK(q.getWarnings().empty());
  const auto xref = q.getXRefTable();
  int in_streams = 0;
  for (const auto& [og, entry] : xref) in_streams += entry.getType() == 2;
  CHECK(in_streams > 10);
  CHECK(xref.at(q.getRoot().getObjGen()).getType() == 1);
  CHECK(xref.at(q.getTrailer().getKey("/Info").getObjGen()).getType() == 1);
  for (QPDFObjectHandle page : q.getAllPages()) {
    CHECK(xref.at(page.getObjGen()).getType() == 2);
    CHECK(xref.at(page.getKey("/Contents").getObjGen()).getType() == 1);
  }
  CHECK(q.getRoot().getKey("/Lang").getUTF8Value() == "sv-SE");
  QPDFObjectHandle id = q.getTrailer().getKey("/ID");
  REQUIRE(id.isArray());
  CHECK(id.getArrayItem(0).getStringValue() == id.getArrayItem(1).getStringValue());
  CHECK(id.getArrayItem(0).getStringValue().size() == 16);

  const auto path = cp::test::temp_dir() / "packed.pdf";
  cp::test::write_file(path, packed);
  const auto check = cp::test::run("qpdf --check '" + path.string() + "'");
  CHECK(check.status == 0);
  CHECK(check.err == "");
  CHECK(cp::test::run("pdftotext -enc UTF-8 '" + path.string() + "' -").out.find("Sida 3") != std::string::npos);
}

TEST_CASE("own::Reader reads a cross-reference stream and object streams as plain objects", "[render][own_pdf]") {
  const std::string classic = rendered(false);
  const auto packed = cp::render::own::pack_objects(classic);
  REQUIRE(packed);
  Reader a(classic), b(*packed);
  REQUIRE(a.read());
  REQUIRE(b.read());
  CHECK(a.pages() == b.pages());
  CHECK(a.root() == b.root());
  CHECK(a.info() == b.info());
  CHECK(a.lang() == "(sv-SE)");
  CHECK(b.lang() == a.lang());
  CHECK(b.version() == "1.7");
  for (long page : a.pages()) CHECK(b.in_tree(page));
  same_objects(a, b);
  // Offsets are into bytes(): the file, then the unpacked objects.
  CHECK(b.bytes().substr(0, packed->size()) == *packed);
  CHECK(b.bytes().size() > packed->size());
  // A copy of the reader reads the same bytes.
  Reader copy = b;
  CHECK(copy.bytes() == b.bytes());
  // Packing a packed file changes nothing it holds.
  const auto twice = cp::render::own::pack_objects(*packed);
  REQUIRE(twice);
  Reader c(*twice);
  REQUIRE(c.read());
  same_objects(a, c);
}

TEST_CASE("own::Reader reads qpdf's object streams, PNG-predicted cross-reference streams", "[render][own_pdf]") {
  const std::string streams = qpdf_written(rendered(false), true);
  REQUIRE(streams.find("/ObjStm") != std::string::npos);
  REQUIRE(streams.find("/Predictor 12") != std::string::npos);
  as_qpdf_reads(streams);
  as_qpdf_reads(qpdf_written(rendered(false), false));
  // And the renderer's own files, both kinds.
  as_qpdf_reads(rendered(false));
  as_qpdf_reads(rendered(true));
  Reader r(streams);
  REQUIRE(r.read());
  CHECK(r.pages().size() == 3);
}

TEST_CASE("own::Reader refuses cross-reference streams it cannot follow", "[render][own_pdf]") {
  const std::string packed = *cp::render::own::pack_objects(rendered(false));
  REQUIRE(Reader(packed).read());
  auto refused = [&](const std::string& from, const std::string& to) {
    std::string bad = packed;
    const auto at = bad.rfind(from);
    REQUIRE(at != std::string::npos);
    bad.replace(at, from.size(), to);
    Reader r(bad);
    return !r.read();
  };
  CHECK(refused("/Type /XRef", "/Type /XRaf"));                // not a cross-reference stream
  CHECK(refused("/Type /XRef", "/Prev 9 /Type /XRef"));        // an update
  CHECK(refused("/Type /XRef", "/Encrypt 9 0 R /Type /XRef"));  // encrypted
  CHECK(refused("/FlateDecode /DecodeParms", "/LZWDecode /DecodeParms"));
  CHECK(refused("/Predictor 12", "/Predictor 2"));  // TIFF predictor
  CHECK(refused("/Type /ObjStm", "/Type /ObjStn"));
  {
    // Compressed data cut short.
    std::string bad = packed;
    const auto data = bad.rfind("stream\n") + 7;
    bad.replace(data, 10, std::string(10, 'x'));
    Reader r(bad);
    CHECK_FALSE(r.read());
  }
  // A classic file with a /Prev is still refused; pack_objects refuses what
  // it cannot read, and files older than PDF 1.5.
  std::string old = rendered(false);
  CHECK(cp::render::own::pack_objects(old));
  old.replace(0, 8, "%PDF-1.4");
  CHECK_FALSE(cp::render::own::pack_objects(old));
  CHECK_FALSE(cp::render::own::pack_objects("%PDF-1.7\nnothing\n"));
}

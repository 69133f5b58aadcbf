#include "render/archive.h"

#include <cctype>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <string_view>

#include "core/sha256.h"
#include "core/text.h"

#ifndef COURSEPACK_VERSION
#define COURSEPACK_VERSION "0"
#endif

namespace cp::render {

namespace {

// Text in XML element content and attribute values: & < > " escaped.
std::string xml_text(const std::string& s) { return text::html_escape(s); }

bool utc(long long seconds, std::tm& tm) {
  const auto t = static_cast<std::time_t>(seconds);
  return gmtime_r(&t, &tm) != nullptr;
}

std::string format_time(long long seconds, const char* format) {
  std::tm tm{};
  if (!utc(seconds, tm)) return {};
  char buf[32];
  const std::size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

// The PDF/A extension schema that describes pdfuaid (ISO 19005-2, 6.6.2.3:
// every property outside the predefined schemas needs one).
constexpr const char* kPdfuaExtension =
    "   <pdfaExtension:schemas>\n"
    "    <rdf:Bag>\n"
    "     <rdf:li rdf:parseType=\"Resource\">\n"
    "      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
    "      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
    "      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
    "      <pdfaSchema:property>\n"
    "       <rdf:Seq>\n"
    "        <rdf:li rdf:parseType=\"Resource\">\n"
    "         <pdfaProperty:name>part</pdfaProperty:name>\n"
    "         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
    "         <pdfaProperty:category>internal</pdfaProperty:category>\n"
    "         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>\n"
    "        </rdf:li>\n"
    "       </rdf:Seq>\n"
    "      </pdfaSchema:property>\n"
    "     </rdf:li>\n"
    "    </rdf:Bag>\n"
    "   </pdfaExtension:schemas>\n";

}  // namespace

DocumentInfo document_info(const layout::Metadata& m, std::optional<long long> time, const std::string& writer) {
  return {m.title,  m.author, m.subject, m.keywords, m.creator, "coursepack " COURSEPACK_VERSION " (" + writer + ")",
          m.language, time};
}

std::string pdf_date(long long seconds) { return format_time(seconds, "D:%Y%m%d%H%M%SZ"); }
std::string xmp_date(long long seconds) { return format_time(seconds, "%Y-%m-%dT%H:%M:%SZ"); }

std::string xmp_packet(const DocumentInfo& info, const Conformance& conformance) {
  const std::string lang = info.language.empty() ? "x-default" : xml_text(info.language);
  std::string x;
  // The header's id is the fixed value the XMP specification gives; U+FEFF
  // (in UTF-8) marks the encoding, so no `encoding` attribute is written.
  x += "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n";
  x += "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n";
  x += " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n";
  x += "  <rdf:Description rdf:about=\"\"\n";
  x += "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n";
  x += "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n";
  x += "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n";
  x += "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"";
  if (conformance.pdfua) {
    x += "\n    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"\n";
    x += "    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n";
    x += "    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n";
    x += "    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\"";
  }
  x += ">\n";
  x += "   <dc:format>application/pdf</dc:format>\n";
  if (!info.title.empty())
    x += "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml_text(info.title) +
         "</rdf:li></rdf:Alt></dc:title>\n";
  if (!info.author.empty())
    x += "   <dc:creator><rdf:Seq><rdf:li>" + xml_text(info.author) + "</rdf:li></rdf:Seq></dc:creator>\n";
  if (!info.subject.empty())
    x += "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml_text(info.subject) +
         "</rdf:li></rdf:Alt></dc:description>\n";
  if (!info.language.empty())
    x += "   <dc:language><rdf:Bag><rdf:li>" + lang + "</rdf:li></rdf:Bag></dc:language>\n";
  if (!info.keywords.empty()) x += "   <pdf:Keywords>" + xml_text(info.keywords) + "</pdf:Keywords>\n";
  if (!info.producer.empty()) x += "   <pdf:Producer>" + xml_text(info.producer) + "</pdf:Producer>\n";
  if (!info.creator.empty()) x += "   <xmp:CreatorTool>" + xml_text(info.creator) + "</xmp:CreatorTool>\n";
  if (info.time) {
    const std::string d = xmp_date(*info.time);
    x += "   <xmp:CreateDate>" + d + "</xmp:CreateDate>\n";
    x += "   <xmp:ModifyDate>" + d + "</xmp:ModifyDate>\n";
    x += "   <xmp:MetadataDate>" + d + "</xmp:MetadataDate>\n";
  }
  x += "   <pdfaid:part>" + std::to_string(conformance.part) + "</pdfaid:part>\n";
  x += std::string("   <pdfaid:conformance>") + conformance.level + "</pdfaid:conformance>\n";
  if (conformance.pdfua) {
    x += "   <pdfuaid:part>1</pdfuaid:part>\n";
    x += kPdfuaExtension;
  }
  x += "  </rdf:Description>\n";
  x += " </rdf:RDF>\n";
  x += "</x:xmpmeta>\n";
  x += "<?xpacket end=\"w\"?>";
  return x;
}

std::string check_output_profile(const std::string& bytes) {
  if (bytes.size() < 128 || bytes.compare(36, 4, "acsp") != 0) return "is not an ICC profile";
  if (bytes.compare(16, 4, "RGB ") != 0) return "is not an RGB profile";
  if (bytes.compare(12, 4, "mntr") != 0 && bytes.compare(12, 4, "prtr") != 0)
    return "is neither a display nor an output profile";
  if (static_cast<unsigned char>(bytes[8]) > 4) return "is newer than ICC version 4";
  return {};
}

const ColorProfile& srgb_profile() {
  static const ColorProfile profile = read_color_profile(kSrgbProfilePath);
  return profile;
}

ColorProfile read_color_profile(const std::string& path) {
  ColorProfile p;
  std::ifstream in(path, std::ios::binary);
  if (in) p.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  const std::string what = "the sRGB colour profile " + path;
  if (!in && p.bytes.empty()) {
    p.problem = what + " cannot be read";
  } else if (std::string bad = check_output_profile(p.bytes); !bad.empty()) {
    p.problem = what + " " + bad;
  }
  if (!p.problem.empty()) {
    p.error = p.problem + " (Debian package " + kSrgbProfilePackage + ")";
    p.bytes.clear();
  }
  return p;
}

std::string info_dictionary(const DocumentInfo& info) {
  auto text = [](const std::string& utf8) {
    std::string hex = "<FEFF";
    char buf[8];
    for (char32_t c : text::decode_utf8(utf8)) {
      auto unit = [&](unsigned u) {
        std::snprintf(buf, sizeof buf, "%04X", u);
        hex += buf;
      };
      if (c >= 0x10000) {
        const unsigned v = static_cast<unsigned>(c) - 0x10000;
        unit(0xD800 + (v >> 10));
        unit(0xDC00 + (v & 0x3FF));
      } else {
        unit(static_cast<unsigned>(c));
      }
    }
    return hex + ">";
  };
  std::string d = "<<";
  const std::pair<const char*, const std::string*> strings[] = {
      {"/Title", &info.title},       {"/Author", &info.author},   {"/Subject", &info.subject},
      {"/Keywords", &info.keywords}, {"/Creator", &info.creator}, {"/Producer", &info.producer},
  };
  for (const auto& [key, value] : strings)
    if (!value->empty()) d += std::string(" ") + key + " " + text(*value);
  if (info.time) {
    const std::string date = pdf_date(*info.time);
    d += " /CreationDate (" + date + ") /ModDate (" + date + ")";
  }
  return d + " >>";
}

bool stamp_file_id(std::string& pdf) {
  // Found from the end: the last two placeholders, written as "/ID [<P><P>]"
  // (spaces allowed). Searching back for the placeholders, not for the
  // last "/ID", keeps compressed data after a cross-reference stream's
  // dictionary, which may hold those three bytes, out of the way.
  const std::size_t n = std::strlen(kIdPlaceholder);
  const std::size_t second = pdf.rfind(kIdPlaceholder);
  if (second == std::string::npos || second == 0) return false;
  const std::size_t first = pdf.rfind(kIdPlaceholder, second - 1);
  if (first == std::string::npos || first + n > second) return false;
  const std::size_t key = pdf.rfind("/ID", first);
  if (key == std::string::npos) return false;
  auto only = [&](std::size_t from, std::size_t to, std::string_view allowed) {
    for (std::size_t i = from; i < to; ++i)
      if (allowed.find(pdf[i]) == std::string_view::npos) return false;
    return true;
  };
  if (!only(key + 3, first, " \r\n[<") || !only(first + n, second, " \r\n<>")) return false;
  std::string id = sha256_hex(pdf).substr(0, n);
  for (char& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  pdf.replace(first, n, id);
  pdf.replace(second, n, id);
  return true;
}

}  // namespace cp::render

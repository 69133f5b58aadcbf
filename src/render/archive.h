// What makes a PDF archivable (PDF/A-2) beyond its pages: the XMP metadata
// packet that mirrors the document information dictionary, the sRGB output
// intent profile, and a file identifier derived from the file's own bytes.
//
// The three PDF writers (the libharu renderer, the page splitter and the
// print/booklet imposer) all use these, so every file coursepack writes
// makes the same claims in the same words.
#pragma once

#include <optional>
#include <string>

#include "frame/frame.h"

namespace cp::render {

// The document information a PDF's /Info and its XMP both state. Empty
// strings are left out of both.
struct DocumentInfo {
  std::string title;
  std::string author;
  std::string subject;
  std::string keywords;
  std::string creator;   // /Creator, xmp:CreatorTool
  std::string producer;  // /Producer, pdf:Producer
  std::string language;  // xml:lang of the title and description; "x-default" when empty
  // Seconds since the epoch (UTC): /CreationDate and /ModDate,
  // xmp:CreateDate, xmp:ModifyDate and xmp:MetadataDate. None = no dates.
  std::optional<long long> time;
};

// A document's metadata as its PDF states it: the producer is
// "coursepack VERSION (WRITER)", the dates are `time`.
DocumentInfo document_info(const layout::Metadata& meta, std::optional<long long> time, const std::string& writer);

// The PDF/A conformance a file claims: part 2, level "B" (the file's
// appearance is preserved), "U" (and its text is Unicode) or "A" (and it is
// tagged).
struct Conformance {
  int part = 2;
  char level = 'B';
  bool pdfua = false;  // also claim PDF/UA-1 (pdfuaid:part 1, with its extension schema)
};

// The XMP packet: UTF-8, without the header attributes `bytes` and
// `encoding`, with the PDF/A identification and,
// with pdfua, the PDF/UA identification and the PDF/A extension schema that
// describes it. Text is escaped for XML.
std::string xmp_packet(const DocumentInfo& info, const Conformance& conformance);

// "D:YYYYMMDDHHmmSSZ" and "YYYY-MM-DDTHH:mm:SSZ" for the same instant.
std::string pdf_date(long long seconds);
std::string xmp_date(long long seconds);

// The sRGB IEC 61966-2.1 ICC profile (v2, display class) from Debian's
// icc-profiles-free, read once per process and checked (ICC signature, RGB,
// display or output class). `error` is one English line naming the package
// when it cannot be used.
struct ColorProfile {
  std::string bytes;
  std::string problem;  // "… cannot be read", "… is not an RGB profile"; empty when usable
  std::string error;    // the problem with the Debian package to install
};
const ColorProfile& srgb_profile();
// The same checks on the ICC profile at `path`, read now.
ColorProfile read_color_profile(const std::string& path);
inline constexpr const char* kSrgbProfilePath = "/usr/share/color/icc/sRGB.icc";
inline constexpr const char* kSrgbProfilePackage = "icc-profiles-free";
// Checks an ICC profile as the PDF/A output intent needs it; empty when good.
std::string check_output_profile(const std::string& bytes);

// `info` as a document information dictionary ("<< /Title <FEFF…> … >>"):
// text as UTF-16BE with a byte-order mark, dates as pdf_date gives them.
std::string info_dictionary(const DocumentInfo& info);

// The file identifier of a PDF written with kIdPlaceholder as both halves of
// its trailer's /ID (a trailer dictionary or a cross-reference stream's):
// both are replaced, in place, by the first 16 bytes of the SHA-256 of the
// file as written (with the placeholders), in hex. The same bytes give the
// same /ID; any change in them gives another. The pair is the last two
// placeholders in the file, right after an "/ID" (as "/ID [<P><P>]"); false
// when there is no such pair.
inline constexpr const char* kIdPlaceholder = "00000000000000000000000000000000";
bool stamp_file_id(std::string& pdf);

}  // namespace cp::render

#include "core/image_probe.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

namespace {

// A PNG's signature and IHDR chunk (the CRC left zero: the probe does not check it).
std::string make_png(std::uint32_t w, std::uint32_t h, int depth, int colour, int interlace) {
  std::string s("\x89PNG\r\n\x1a\n", 8);
  const auto be32 = [&s](std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((v >> shift) & 0xFF);
  };
  be32(13);
  s += "IHDR";
  be32(w);
  be32(h);
  s += static_cast<char>(depth);
  s += static_cast<char>(colour);
  s += '\0';
  s += '\0';
  s += static_cast<char>(interlace);
  be32(0);
  return s;
}

}  // namespace

using cp::image::Format;
using cp::image::probe;
using cp::image::sniff;

TEST_CASE("image probe reads a PNG's size and IHDR fields", "[core][image]") {
  const auto p = probe(make_png(640, 480, 8, 6, 0));
  CHECK(p.ok());
  CHECK(p.format == Format::Png);
  CHECK(p.width == 640);
  CHECK(p.height == 480);
  CHECK(p.bit_depth == 8);
  CHECK(p.colour_type == 6);
  CHECK(p.interlace == 0);
}

TEST_CASE("image probe reads a JPEG frame header after other segments", "[core][image]") {
  // SOI, an APP0 segment of 16 bytes, a fill byte, then SOF0: 8 bits,
  // height 300, width 200, 3 components.
  std::string jpeg("\xFF\xD8", 2);
  jpeg += std::string("\xFF\xE0\x00\x10", 4) + std::string(14, 'J');
  jpeg += std::string("\xFF\xFF\xC0\x00\x11\x08\x01\x2C\x00\xC8\x03", 11);
  const auto p = probe(jpeg);
  CHECK(p.ok());
  CHECK(p.format == Format::Jpeg);
  CHECK(p.width == 200);
  CHECK(p.height == 300);
  CHECK(p.frame_marker == 0xC0);
  CHECK(p.components == 3);
}

TEST_CASE("image probe names what is damaged and never reads past the end", "[core][image]") {
  CHECK(probe("").damage == "not a PNG or JPEG file");
  CHECK(probe("GIF89a").damage == "not a PNG or JPEG file");
  CHECK(probe(std::string("\x89PNG\r\n\x1a\n", 8)).damage == "damaged PNG file (no IHDR header)");
  CHECK(probe(make_png(0, 5, 8, 2, 0)).damage == "damaged PNG file (bad image size)");
  CHECK(probe(std::string("\xFF\xD8\xFF\xD9", 4)).damage == "damaged JPEG file (no frame header)");
  CHECK(probe(std::string("\xFF\xD8\xFF\xC0\x00\x11\x08\x00\x00\x00", 10)).damage == "damaged JPEG file");
  CHECK(probe(std::string("\xFF\xD8\xFF\xE0\x00\x02\x12\x34\x56\x78", 10)).damage == "damaged JPEG file");
}

TEST_CASE("image sniffing gives the MIME type handout.html embeds", "[core][image]") {
  CHECK(cp::image::mime_type(sniff(make_png(1, 1, 8, 2, 0))) == "image/png");
  CHECK(cp::image::mime_type(sniff(std::string("\xFF\xD8\xFF\xE0", 4))) == "image/jpeg");
  CHECK(cp::image::mime_type(sniff("<svg/>")).empty());
  CHECK(cp::image::mime_type(sniff(std::string("\xFF\xD8", 2))).empty());
}

#include "render_test_util.h"

#include <catch2/catch.hpp>

namespace cp::test {

namespace fs = std::filesystem;

namespace {

std::uint32_t crc32(const std::string& data) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return crc ^ 0xFFFFFFFFu;
}

void put32(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v >> 24);
  out += static_cast<char>(v >> 16);
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v);
}

void chunk(std::string& out, const char* type, const std::string& data) {
  put32(out, static_cast<std::uint32_t>(data.size()));
  const std::string body = std::string(type, 4) + data;
  out += body;
  put32(out, crc32(body));
}

// zlib stream holding one stored (uncompressed) deflate block.
std::string zlib_stored(const std::string& raw) {
  std::string z = "\x78\x01";
  z += '\x01';  // final block, stored
  const auto len = static_cast<std::uint16_t>(raw.size());
  z += static_cast<char>(len & 0xFF);
  z += static_cast<char>(len >> 8);
  z += static_cast<char>(~len & 0xFF);
  z += static_cast<char>((~len >> 8) & 0xFF);
  z += raw;
  std::uint32_t a = 1, b = 0;
  for (unsigned char c : raw) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  put32(z, (b << 16) | a);
  return z;
}

}  // namespace

const fs::path& temp_dir() {
  static const fs::path dir = make_temp_dir("coursepack-render-test");
  return dir;
}

std::string png_header(std::uint32_t width, std::uint32_t height, int bit_depth, int colour_type, int interlace) {
  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  put32(ihdr, width);
  put32(ihdr, height);
  ihdr += static_cast<char>(bit_depth);
  ihdr += static_cast<char>(colour_type);
  ihdr += '\0';  // compression
  ihdr += '\0';  // filter
  ihdr += static_cast<char>(interlace);
  chunk(png, "IHDR", ihdr);
  return png;
}

std::string make_png(std::uint32_t width, std::uint32_t height, int bit_depth, int colour_type, int interlace) {
  std::string png = png_header(width, height, bit_depth, colour_type, interlace);
  const int channels = colour_type == 2 ? 3 : 1;
  const std::size_t row = width * static_cast<std::size_t>(channels * bit_depth / 8);
  std::string raw;
  for (std::uint32_t y = 0; y < height; ++y) {
    raw += '\0';  // filter: none
    raw += std::string(row, '\x80');
  }
  chunk(png, "IDAT", zlib_stored(raw));
  chunk(png, "IEND", "");
  return png;
}

std::shared_ptr<fonts::FontSet> noto_fonts() {
  auto set = std::make_shared<fonts::FontSet>();
  const std::pair<const char*, fonts::Style> faces[] = {{"Noto Serif", fonts::Style::Regular},
                                                         {"Noto Serif", fonts::Style::Bold},
                                                         {"Noto Sans", fonts::Style::Regular},
                                                         {"Noto Sans", fonts::Style::Bold}};
  for (const auto& [family, style] : faces) {
    const auto path = fonts::find_family(family, style);
    REQUIRE(path);
    auto face = fonts::cached_face(*path);
    REQUIRE(face);
    set->add(face);
  }
  return set;
}

layout::GlyphRun run(fonts::FontId font, double x, double y, double size, const std::string& text,
                     const fonts::FontSet& set) {
  layout::GlyphRun r;
  r.font = font;
  r.x = x;
  r.y = y;
  r.size = size;
  r.text = text;
  r.width = static_cast<double>(set.face(font).advance(text)) * size / 1000.0;
  return r;
}

layout::Line line(double x1, double y1, double x2, double y2) {
  layout::Line l;
  l.x1 = x1;
  l.y1 = y1;
  l.x2 = x2;
  l.y2 = y2;
  return l;
}

layout::Rect rect(double x, double y, double width, double height) {
  layout::Rect r;
  r.x = x;
  r.y = y;
  r.width = width;
  r.height = height;
  return r;
}

layout::Image image(const std::string& path, double x, double y, double width, double height) {
  layout::Image i;
  i.x = x;
  i.y = y;
  i.width = width;
  i.height = height;
  i.path = path;
  return i;
}

layout::Link link(const std::string& uri, double x, double y, double width, double height, int dest_page,
                  double dest_y) {
  layout::Link l;
  l.x = x;
  l.y = y;
  l.width = width;
  l.height = height;
  l.uri = uri;
  l.dest_page = dest_page;
  l.dest_y = dest_y;
  return l;
}

}  // namespace cp::test

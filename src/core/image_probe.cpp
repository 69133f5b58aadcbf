#include "core/image_probe.h"

#include <cstdint>

namespace cp::image {

namespace {

std::uint32_t be32(std::string_view b, std::size_t off) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(b[off])) << 24) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(b[off + 1])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(b[off + 2])) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[off + 3]));
}

unsigned be16(std::string_view b, std::size_t off) {
  return (static_cast<unsigned>(static_cast<unsigned char>(b[off])) << 8) |
         static_cast<unsigned>(static_cast<unsigned char>(b[off + 1]));
}

unsigned byte(std::string_view b, std::size_t off) { return static_cast<unsigned char>(b[off]); }

void probe_png(std::string_view b, Probe& p) {
  // Signature (8), then the IHDR chunk: length (4), "IHDR", width (4),
  // height (4), bit depth, colour type, compression, filter, interlace.
  if (b.size() < 33 || b.substr(12, 4) != "IHDR") {
    p.damage = "damaged PNG file (no IHDR header)";
    return;
  }
  const std::uint32_t w = be32(b, 16), h = be32(b, 20);
  p.bit_depth = static_cast<int>(byte(b, 24));
  p.colour_type = static_cast<int>(byte(b, 25));
  p.interlace = static_cast<int>(byte(b, 28));
  if (w == 0 || h == 0 || w > 100000 || h > 100000) {
    p.damage = "damaged PNG file (bad image size)";
    return;
  }
  p.width = static_cast<int>(w);
  p.height = static_cast<int>(h);
}

bool is_frame_marker(unsigned marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

void probe_jpeg(std::string_view b, Probe& p) {
  // Walk the marker segments to the frame header (SOFn).
  std::size_t i = 2;
  while (i + 4 <= b.size()) {
    if (byte(b, i) != 0xFF) {
      p.damage = "damaged JPEG file";
      return;
    }
    const unsigned marker = byte(b, i + 1);
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {  // no length
      i += 2;
      continue;
    }
    const unsigned len = be16(b, i + 2);
    if (len < 2) {
      p.damage = "damaged JPEG file";
      return;
    }
    if (is_frame_marker(marker)) {
      p.frame_marker = marker;
      if (i + 9 > b.size()) {
        p.damage = "damaged JPEG file";
        return;
      }
      p.height = static_cast<int>(be16(b, i + 5));
      p.width = static_cast<int>(be16(b, i + 7));
      if (p.width == 0 || p.height == 0) {
        p.width = p.height = 0;
        p.damage = "damaged JPEG file (bad image size)";
        return;
      }
      p.components = i + 9 < b.size() ? static_cast<int>(byte(b, i + 9)) : 0;
      return;
    }
    if (marker == 0xD9 || marker == 0xDA) break;  // end of image / start of scan before a frame
    i += 2 + len;
  }
  p.damage = "damaged JPEG file (no frame header)";
}

}  // namespace

Format sniff(std::string_view b) {
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return Format::Png;
  if (b.size() >= 3 && byte(b, 0) == 0xFF && byte(b, 1) == 0xD8 && byte(b, 2) == 0xFF) return Format::Jpeg;
  return Format::Unknown;
}

std::string_view mime_type(Format format) {
  switch (format) {
    case Format::Png:
      return "image/png";
    case Format::Jpeg:
      return "image/jpeg";
    case Format::Unknown:
      break;
  }
  return {};
}

Probe probe(std::string_view bytes) {
  Probe p;
  p.format = sniff(bytes);
  if (p.format == Format::Png) probe_png(bytes, p);
  if (p.format == Format::Jpeg) probe_jpeg(bytes, p);
  if (p.format == Format::Unknown) p.damage = "not a PNG or JPEG file";
  return p;
}

}  // namespace cp::image

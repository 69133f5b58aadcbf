#include "render/image_file.h"

#include <fmt/format.h>

#include <cstdint>

namespace cp::render {

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

ImageCheck refuse(std::string why) {
  ImageCheck c;
  c.error = std::move(why);
  return c;
}

ImageCheck check_png(std::string_view b) {
  // Signature (8), then the IHDR chunk: length (4), "IHDR", width (4),
  // height (4), bit depth, colour type, compression, filter, interlace.
  if (b.size() < 33 || b.substr(12, 4) != "IHDR") return refuse("damaged PNG file (no IHDR header)");
  const std::uint32_t w = be32(b, 16), h = be32(b, 20);
  const int depth = static_cast<unsigned char>(b[24]);
  const int colour = static_cast<unsigned char>(b[25]);
  const int interlace = static_cast<unsigned char>(b[28]);
  if (w == 0 || h == 0 || w > 100000 || h > 100000) return refuse("damaged PNG file (bad image size)");
  if (depth == 16) return refuse("16-bit PNG is not supported (save it with 8 bits per channel)");
  const bool valid = (colour == 0 && (depth == 1 || depth == 2 || depth == 4 || depth == 8)) ||
                     (colour == 3 && (depth == 1 || depth == 2 || depth == 4 || depth == 8)) ||
                     ((colour == 2 || colour == 4 || colour == 6) && depth == 8);
  if (!valid) return refuse("damaged PNG file (bad bit depth or colour type)");
  if (interlace != 0) return refuse("interlaced PNG is not supported (save it without interlacing)");
  ImageCheck c;
  c.ok = true;
  c.format = ImageFormat::Png;
  c.width = static_cast<int>(w);
  c.height = static_cast<int>(h);
  return c;
}

ImageCheck check_jpeg(std::string_view b) {
  // Walk the marker segments to the frame header (SOFn).
  std::size_t i = 2;
  while (i + 4 <= b.size()) {
    if (static_cast<unsigned char>(b[i]) != 0xFF) return refuse("damaged JPEG file");
    const unsigned marker = static_cast<unsigned char>(b[i + 1]);
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
      i += 2;
      continue;
    }
    const unsigned len = be16(b, i + 2);
    if (len < 2) return refuse("damaged JPEG file");
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (marker != 0xC0 && marker != 0xC1 && marker != 0xC2)
        return refuse("unsupported JPEG type (only baseline and progressive JPEG)");
      if (i + 9 > b.size()) return refuse("damaged JPEG file");
      ImageCheck c;
      c.ok = true;
      c.format = ImageFormat::Jpeg;
      c.height = static_cast<int>(be16(b, i + 5));
      c.width = static_cast<int>(be16(b, i + 7));
      if (c.width == 0 || c.height == 0) return refuse("damaged JPEG file (bad image size)");
      const int comps = i + 9 < b.size() ? static_cast<unsigned char>(b[i + 9]) : 0;
      if (comps != 1 && comps != 3 && comps != 4) return refuse("unsupported JPEG colour space");
      return c;
    }
    if (marker == 0xD9 || marker == 0xDA) break;  // end of image / start of scan before a frame
    i += 2 + len;
  }
  return refuse("damaged JPEG file (no frame header)");
}

}  // namespace

ImageCheck check_image(std::string_view bytes) {
  ImageCheck c;
  if (bytes.size() >= 8 && bytes.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8))
    c = check_png(bytes);
  else if (bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
           static_cast<unsigned char>(bytes[1]) == 0xD8 && static_cast<unsigned char>(bytes[2]) == 0xFF)
    c = check_jpeg(bytes);
  else
    return refuse("not a PNG or JPEG file");
  // libharu decodes the whole image into memory: bound its size.
  if (c.ok && static_cast<long long>(c.width) * c.height > kMaxImagePixels)
    return refuse(fmt::format("image is too large ({}×{} pixels; the limit is {} megapixels)", c.width, c.height,
                              kMaxImagePixels / 1000000));
  return c;
}

}  // namespace cp::render

#include "render/image_file.h"

#include <fmt/format.h>

#include "core/image_probe.h"

namespace cp::render {

namespace {

ImageCheck refuse(std::string why) {
  ImageCheck c;
  c.error = std::move(why);
  return c;
}

// What libharu 2.3.0 reads of a PNG: 8 bits or less per channel, no
// interlacing.
std::string png_problem(const image::Probe& p) {
  const int depth = p.bit_depth, colour = p.colour_type;
  if (depth == 16) return "16-bit PNG is not supported (save it with 8 bits per channel)";
  const bool valid = (colour == 0 && (depth == 1 || depth == 2 || depth == 4 || depth == 8)) ||
                     (colour == 3 && (depth == 1 || depth == 2 || depth == 4 || depth == 8)) ||
                     ((colour == 2 || colour == 4 || colour == 6) && depth == 8);
  if (!valid) return "damaged PNG file (bad bit depth or colour type)";
  if (p.interlace != 0) return "interlaced PNG is not supported (save it without interlacing)";
  return {};
}

}  // namespace

ImageCheck check_image(std::string_view bytes) {
  const image::Probe p = image::probe(bytes);
  const bool jpeg = p.format == image::Format::Jpeg;
  if (jpeg && p.frame_marker != 0 && p.frame_marker != 0xC0 && p.frame_marker != 0xC1 && p.frame_marker != 0xC2)
    return refuse("unsupported JPEG type (only baseline and progressive JPEG)");
  if (!p.damage.empty()) return refuse(p.damage);
  if (jpeg && p.components != 1 && p.components != 3 && p.components != 4)
    return refuse("unsupported JPEG colour space");
  if (!jpeg)
    if (std::string why = png_problem(p); !why.empty()) return refuse(std::move(why));
  // libharu decodes the whole image into memory: bound its size.
  if (static_cast<long long>(p.width) * p.height > kMaxImagePixels)
    return refuse(fmt::format("image is too large ({}×{} pixels; the limit is {} megapixels)", p.width, p.height,
                              kMaxImagePixels / 1000000));
  ImageCheck c;
  c.ok = true;
  c.format = jpeg ? ImageFormat::Jpeg : ImageFormat::Png;
  c.width = p.width;
  c.height = p.height;
  return c;
}

}  // namespace cp::render

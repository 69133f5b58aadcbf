// Checking image files before libharu sees them: libharu 2.3.0 handles
// only some PNGs, and a bad one must give a clear error, not a crash.
#pragma once

#include <string>
#include <string_view>

namespace cp::render {

// Larger images are refused (libharu holds the decoded pixels in memory).
inline constexpr long long kMaxImagePixels = 40'000'000;

enum class ImageFormat { Png, Jpeg };

struct ImageCheck {
  bool ok = false;
  ImageFormat format = ImageFormat::Png;
  int width = 0, height = 0;  // from the header
  std::string error;          // when !ok: short, lower-case, e.g. "16-bit PNG is not supported"
};

// Looks at the header bytes: a PNG must be 8 bits or less per channel and
// not interlaced; a JPEG must start with SOI. Anything else is refused.
ImageCheck check_image(std::string_view bytes);

}  // namespace cp::render

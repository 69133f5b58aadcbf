// What an image file's header says: its format (by signature), its size in
// pixels and the fields that decide whether it can be drawn. The one
// reader of PNG and JPEG headers: layout sizes images with it, render
// checks them with it before libharu sees them, handout.html takes their
// MIME type from it.
#pragma once

#include <string>
#include <string_view>

namespace cp::image {

enum class Format { Unknown, Png, Jpeg };

struct Probe {
  Format format = Format::Unknown;
  int width = 0, height = 0;  // 0 when the header does not say (see damage)
  // PNG (IHDR): bits per sample, colour type, interlace method.
  int bit_depth = 0, colour_type = 0, interlace = 0;
  // JPEG: the frame header's marker (0xC0–0xCF but C4, C8, CC; 0 when no
  // frame header was reached) and its component count (0 when cut off).
  unsigned frame_marker = 0;
  int components = 0;
  // Non-empty when the header cannot be read, short and lower-case:
  // "damaged PNG file (no IHDR header)", "damaged JPEG file (no frame header)".
  std::string damage;

  bool ok() const { return format != Format::Unknown && damage.empty(); }
};

// The format a file's first bytes announce: the PNG signature, or a JPEG
// start-of-image marker followed by a marker.
Format sniff(std::string_view bytes);

// "image/png", "image/jpeg", or empty for Unknown.
std::string_view mime_type(Format format);

// Reads the header of `bytes` (the whole file, or at least its first
// segments). Never reads past the end.
Probe probe(std::string_view bytes);

}  // namespace cp::image

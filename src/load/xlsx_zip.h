// The zip container of an .xlsx workbook (libzip): opened from memory, one
// member read at a time, with a limit on how large a member may inflate.
#pragma once

#include <zip.h>

#include <memory>
#include <string>
#include <string_view>

namespace cp::load::xlsx {

// A part larger than this is not read: a small zip can inflate to gigabytes.
inline constexpr zip_uint64_t kMaxPartBytes = 16u * 1024u * 1024u;

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using Zip = std::unique_ptr<zip_t, ZipCloser>;

// Opens `bytes` (which must outlive the archive) as a zip archive; null when
// it is not one.
Zip open_zip(std::string_view bytes);

enum class PartStatus { Ok, Missing, TooLarge, Broken };

// The uncompressed bytes of one member.
PartStatus read_part(zip_t* z, const std::string& name, std::string& out);

}  // namespace cp::load::xlsx

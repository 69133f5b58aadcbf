// Reading the zip container of a workbook (load/xlsx_zip.h).
#include "load/xlsx_zip.h"

namespace cp::load::xlsx {

Zip open_zip(std::string_view bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!src) {
    zip_error_fini(&error);
    return nullptr;
  }
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &error);
  if (!z) zip_source_free(src);
  zip_error_fini(&error);
  return Zip(z);
}

PartStatus read_part(zip_t* z, const std::string& name, std::string& out) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(z, name.c_str(), 0, &st) != 0) return PartStatus::Missing;
  if (!(st.valid & ZIP_STAT_SIZE)) return PartStatus::Broken;
  if (st.size > kMaxPartBytes) return PartStatus::TooLarge;
  zip_file_t* f = zip_fopen(z, name.c_str(), 0);
  if (!f) return PartStatus::Broken;
  out.assign(static_cast<std::size_t>(st.size), '\0');
  zip_uint64_t got = 0;
  while (got < st.size) {
    const zip_int64_t n = zip_fread(f, out.data() + got, st.size - got);
    if (n <= 0) break;
    got += static_cast<zip_uint64_t>(n);
  }
  zip_fclose(f);
  return got == st.size ? PartStatus::Ok : PartStatus::Broken;
}

}  // namespace cp::load::xlsx

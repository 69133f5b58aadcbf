// Private temporary folders for tests.
#pragma once

#include <filesystem>
#include <string>

namespace cp::test {

// A new folder <system temp>/<prefix>-XXXXXX, readable by its owner only
// (mkdtemp), removed with everything in it when the process exits. Throws
// std::runtime_error when it cannot be made.
std::filesystem::path make_temp_dir(const std::string& prefix);

// Writes `bytes` to `path` (replacing it); REQUIREs success.
void write_file(const std::filesystem::path& path, const std::string& bytes);

}  // namespace cp::test

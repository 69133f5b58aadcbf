#include "core/file_store.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "core/sha256.h"

namespace fs = std::filesystem;
using cp::files::FileStore;
using cp::files::ReadStatus;

namespace {

fs::path write_temp(const std::string& name, const std::string& bytes) {
  const fs::path dir = fs::temp_directory_path() / "cp_test_file_store";
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << bytes;
  return dir / name;
}

}  // namespace

TEST_CASE("a file store reads each file once and hands out those bytes", "[core][files]") {
  const fs::path p = write_temp("logo.png", "first");
  FileStore store;
  const auto a = store.get(p);
  REQUIRE(a->status == ReadStatus::Ok);
  CHECK(a->bytes == "first");
  CHECK(a->sha256 == cp::sha256_hex("first"));
  std::ofstream(p, std::ios::binary) << "changed on disk";  // an edit during the build
  const auto b = store.get(p.parent_path() / "." / "logo.png");
  CHECK(b->bytes == "first");  // the bytes hashed are the bytes used
  CHECK(store.reads() == 1);
}

TEST_CASE("a file store reads a file once when many threads ask at the same time", "[core][files]") {
  const fs::path p = write_temp("shared.png", std::string(1 << 20, 'x'));
  FileStore store;
  std::vector<std::thread> threads;
  std::vector<std::string> hashes(8);
  for (std::size_t i = 0; i < hashes.size(); ++i)
    threads.emplace_back([&, i] { hashes[i] = store.get(p)->sha256; });
  for (auto& t : threads) t.join();
  CHECK(store.reads() == 1);
  for (const auto& h : hashes) CHECK(h == hashes.front());
}

TEST_CASE("a file store takes the bytes validation read without reading again", "[core][files]") {
  FileStore store;
  const fs::path p = fs::temp_directory_path() / "cp_test_file_store" / "never-on-disk.png";
  store.add(p, "validated", cp::sha256_hex("validated"));
  CHECK(store.get(p)->bytes == "validated");
  CHECK(store.reads() == 0);
  const auto missing = store.get(p.parent_path() / "missing.png");
  CHECK(missing->status == ReadStatus::NotFound);
  CHECK(store.reads() == 1);
}

TEST_CASE("read_shared keeps the caller's size limit", "[core][files]") {
  const fs::path p = write_temp("big.png", std::string(3'000'000, 'x'));
  FileStore store;
  const auto f = cp::files::read_shared(&store, p, 2'000'000);
  CHECK(f->status == ReadStatus::TooLarge);
  CHECK(f->message == "file is too large (2.9 MB; the limit is 2 MB)");
  CHECK(cp::files::read_shared(nullptr, p, 2'000'000)->message == f->message);
  CHECK(cp::files::read_shared(&store, p, 4'000'000)->bytes.size() == 3'000'000);
}

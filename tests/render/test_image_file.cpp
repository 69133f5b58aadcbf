#include "render/image_file.h"

#include <catch2/catch.hpp>

#include "render_test_util.h"

using cp::render::check_image;
using cp::render::ImageFormat;

TEST_CASE("check_image accepts 8-bit PNG and reads its size", "[render][image]") {
  const auto c = check_image(cp::test::make_png(3, 2, 8, 2, 0));
  CHECK(c.ok);
  CHECK(c.format == ImageFormat::Png);
  CHECK(c.width == 3);
  CHECK(c.height == 2);
}

TEST_CASE("check_image refuses 16-bit and interlaced PNG with a clear message", "[render][image]") {
  CHECK(check_image(cp::test::make_png(1, 1, 16, 2, 0)).error ==
        "16-bit PNG is not supported (save it with 8 bits per channel)");
  CHECK(check_image(cp::test::make_png(1, 1, 8, 2, 1)).error ==
        "interlaced PNG is not supported (save it without interlacing)");
}

TEST_CASE("check_image refuses damaged and unknown files", "[render][image]") {
  CHECK(check_image("").error == "not a PNG or JPEG file");
  CHECK(check_image("GIF89a....").error == "not a PNG or JPEG file");
  CHECK(check_image(std::string("\x89PNG\r\n\x1a\n", 8)).error == "damaged PNG file (no IHDR header)");
  CHECK(check_image(cp::test::make_png(1, 1, 3, 2, 0)).error == "damaged PNG file (bad bit depth or colour type)");
  CHECK(check_image(cp::test::make_png(0, 1, 8, 2, 0)).error == "damaged PNG file (bad image size)");
}

TEST_CASE("check_image reads JPEG frame headers", "[render][image]") {
  // SOI, an APP0 segment, then SOF0: precision 8, 20 high, 30 wide, 3 components.
  const std::string app0("\xFF\xE0\x00\x06JFIF", 8);
  const std::string sof0("\xFF\xC0\x00\x11\x08\x00\x14\x00\x1E\x03", 10);
  const std::string jpeg = std::string("\xFF\xD8", 2) + app0 + sof0 + std::string(15, '\0');
  const auto c = check_image(jpeg);
  CHECK(c.ok);
  CHECK(c.format == ImageFormat::Jpeg);
  CHECK(c.width == 30);
  CHECK(c.height == 20);

  std::string lossless = jpeg;
  lossless[app0.size() + 3] = '\xC3';
  CHECK(check_image(lossless).error == "unsupported JPEG type (only baseline and progressive JPEG)");
  CHECK(check_image(std::string("\xFF\xD8\xFF\xD9", 4)).error == "damaged JPEG file (no frame header)");
}

TEST_CASE("check_image refuses images with more pixels than the limit", "[render][image]") {
  // check_image reads the header alone (the pixels of a 50-megapixel
  // image would only slow the test).
  CHECK(check_image(cp::test::png_header(10000, 5000, 8, 2, 0)).error ==
        "image is too large (10000×5000 pixels; the limit is 40 megapixels)");
  CHECK(check_image(cp::test::png_header(8000, 5000, 8, 2, 0)).ok);
}

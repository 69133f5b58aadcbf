// A colour as the layouts give it and the frames carry it: red, green and
// blue from 0 to 1 (DeviceRGB).
#pragma once

namespace cp {

struct Color {
  double r = 0, g = 0, b = 0;
  bool operator==(const Color&) const = default;
};

}  // namespace cp

// How a step of a job, or one pack, ended: well, or with a problem that is
// the input's (exit 1) or the environment's (exit 3), where and what.
#pragma once

#include <string>

#include "app/cli.h"

namespace cp::app {

struct Outcome {
  enum class Kind { Ok, Input, Environment };
  Kind kind = Kind::Ok;
  std::string location;  // what it is about ("handout.pdf", "certificates/"); may be empty
  std::string message;   // one English line

  static Outcome input(std::string location, std::string message) {
    return {Kind::Input, std::move(location), std::move(message)};
  }
  static Outcome environment(std::string location, std::string message) {
    return {Kind::Environment, std::move(location), std::move(message)};
  }

  bool ok() const { return kind == Kind::Ok; }
  // "LOCATION: MESSAGE", or the message alone.
  std::string text() const { return location.empty() ? message : location + ": " + message; }
  int exit_status() const {
    return kind == Kind::Ok ? kExitOk : kind == Kind::Input ? kExitInput : kExitEnvironment;
  }
};

}  // namespace cp::app

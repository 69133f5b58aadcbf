// Wall and CPU time per phase of a job, for COURSEPACK_TIMINGS=1.
#pragma once

#include <sys/resource.h>

#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <vector>

namespace cp::app {

// Wall and CPU time per phase of a build, printed to stderr at the end when
// COURSEPACK_TIMINGS=1 (for benchmarks; not part of the normal output). CPU
// time counts this process's threads and the child processes (Pandoc) it
// has waited for.
class PhaseTimes {
 public:
  explicit PhaseTimes(bool on) : on_(on), last_(std::chrono::steady_clock::now()), last_cpu_(cpu_seconds()) {}
  ~PhaseTimes() {
    if (on_)
      for (const auto& [name, secs, cpu] : done_)
        std::cerr << fmt::format("timing: {:<12} {:.3f} s, cpu {:.3f} s\n", name, secs, cpu);
  }
  // Ends the phase running since the last call.
  void end(const char* name) {
    if (!on_) return;
    const auto now = std::chrono::steady_clock::now();
    const double cpu = cpu_seconds();
    done_.push_back({name, std::chrono::duration<double>(now - last_).count(), cpu - last_cpu_});
    last_ = now;
    last_cpu_ = cpu;
  }

 private:
  static double cpu_seconds() {
    double total = 0;
    for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
      rusage u{};
      if (getrusage(who, &u) != 0) continue;
      for (const timeval& t : {u.ru_utime, u.ru_stime})
        total += static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    }
    return total;
  }
  struct Phase {
    const char* name;
    double wall, cpu;
  };
  bool on_;
  std::chrono::steady_clock::time_point last_;
  double last_cpu_;
  std::vector<Phase> done_;
};

}  // namespace cp::app

// What `coursepack build` tells the user while packs are being built.
//
// Three modes: Live (stderr is a terminal: one status line rewritten in
// place with packs done/total, the pack just started, elapsed and estimated
// remaining time), Lines (not a terminal: one plain line per finished pack,
// to stdout, as a log), Quiet (--quiet: nothing; errors are reported by the
// caller). Thread-safe: workers call started() and finished() directly.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>

namespace cp::app {

class Progress {
 public:
  enum class Mode { Quiet, Lines, Live };
  // Seconds since the build started; injected so tests can pin the clock.
  using Clock = std::function<double()>;

  // `lines` receives Lines output, `live` the Live status line.
  Progress(Mode mode, std::size_t total, std::ostream& lines, std::ostream& live, Clock clock);
  // Mode from the command line and the terminal; clock from steady_clock.
  static Mode mode_for(bool quiet, bool stderr_is_terminal);
  static Clock steady_clock_since(std::chrono::steady_clock::time_point start);

  void started(const std::string& pack);
  void finished(const std::string& pack, bool ok);
  // Clears the live line so the summary starts on a clean line.
  void close();

 private:
  void draw_live(bool force);

  Mode mode_;
  std::size_t total_;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
  std::string current_;
  std::ostream& lines_;
  std::ostream& live_;
  Clock clock_;
  double last_draw_ = -1.0;
  bool drawn_ = false;
  std::mutex mutex_;
};

// "[3/26] eksjo/2023-03-14-grundutbildning  0:04 elapsed, about 0:31 left"
std::string live_progress_line(std::size_t done, std::size_t total, const std::string& current, double elapsed);

// 7 -> "0:07", 125 -> "2:05", 3725 -> "1:02:05".
std::string format_duration(double seconds);

}  // namespace cp::app

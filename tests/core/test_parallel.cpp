#include "core/parallel.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using namespace cp;

TEST_CASE("parallel_for calls every index once, however many threads") {
  for (unsigned threads : {0u, 1u, 2u, 7u, 64u}) {
    for (std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{5}, std::size_t{1000}}) {
      std::vector<std::atomic<int>> calls(count);
      parallel_for(count, threads, [&](std::size_t i) { calls[i]++; });
      for (std::size_t i = 0; i < count; ++i) {
        INFO("threads " << threads << ", count " << count << ", index " << i);
        CHECK(calls[i].load() == 1);
      }
    }
  }
}

TEST_CASE("parallel_for on one thread runs the tasks in order on the caller's thread") {
  std::vector<std::size_t> order;
  std::set<std::thread::id> ids;
  parallel_for(6, 1, [&](std::size_t i) {
    order.push_back(i);
    ids.insert(std::this_thread::get_id());
  });
  CHECK(order == std::vector<std::size_t>{0, 1, 2, 3, 4, 5});
  CHECK(ids == std::set<std::thread::id>{std::this_thread::get_id()});
}

TEST_CASE("parallel_for uses at most the threads it is given, and returns when all are done") {
  std::atomic<int> running{0}, most{0}, done{0};
  std::mutex m;
  std::set<std::thread::id> ids;
  parallel_for(40, 3, [&](std::size_t) {
    const int now = ++running;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    {
      std::lock_guard lock(m);
      ids.insert(std::this_thread::get_id());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    --running;
    ++done;
  });
  CHECK(done.load() == 40);  // nothing still running after the return
  CHECK(most.load() <= 3);
  CHECK(ids.size() <= 3);
}

TEST_CASE("parallel_for takes indexes in order as threads come free") {
  // With two threads, index k starts only after every index below it has
  // started: the first two start together, then each next one as one ends.
  std::mutex m;
  std::vector<std::size_t> started;
  parallel_for(20, 2, [&](std::size_t i) {
    std::lock_guard lock(m);
    started.push_back(i);
  });
  REQUIRE(started.size() == 20);
  std::set<std::size_t> all(started.begin(), started.end());
  CHECK(all.size() == 20);
  for (std::size_t k = 0; k < started.size(); ++k) CHECK(started[k] <= k + 1);
}

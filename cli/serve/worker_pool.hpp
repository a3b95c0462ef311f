// The connection workers of `helpmark serve`: a pool that grows with the number of open
// connections, so that idle or slow clients cannot keep the ones that send requests waiting.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>

namespace helpmark::cli::serve {

/// httplib hands each accepted connection to one task that runs until the connection closes
/// (keep-alive included), so a fixed pool of N threads is stopped by N idle clients. This pool
/// keeps `min_threads` ready and starts another thread whenever a connection arrives and none is
/// free, up to `max_threads`; past that, connections wait in order. Threads above the minimum
/// end after `idle_exit` without work, so memory returns to its resting size after a burst.
/// Thread-safe: enqueue() is called by httplib's accept loop, shutdown() once at the end.
class WorkerPool : public httplib::TaskQueue {
 public:
  WorkerPool(std::size_t min_threads, std::size_t max_threads,
             std::chrono::milliseconds idle_exit = std::chrono::seconds(30));
  ~WorkerPool() override;
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void enqueue(std::function<void()> job) override;
  /// Runs the queued jobs, then returns once every thread has ended.
  void shutdown() override;

 private:
  void start_thread();  // with mu_ held
  void work();

  const std::size_t min_threads_;
  const std::size_t max_threads_;
  const std::chrono::milliseconds idle_exit_;
  std::mutex mu_;
  std::condition_variable work_ready_;
  std::condition_variable all_ended_;
  std::deque<std::function<void()>> jobs_;
  std::size_t threads_ = 0;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

/// Lets at most `slots` requests compute at once, first come first served. Connections are many
/// and mostly wait on the network; computing is bound by the cores, and more requests computing
/// at once than cores only share them out unevenly, so the slowest wait longest (64 connections
/// on 2 cores: p99 several times the mean). Thread-safe.
class RequestGate {
 public:
  explicit RequestGate(std::size_t slots) : free_(slots == 0 ? 1 : slots) {}

  /// Holds a slot for its lifetime.
  class Pass {
   public:
    explicit Pass(RequestGate& gate) : gate_(gate) { gate_.enter(); }
    ~Pass() { gate_.leave(); }
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;

   private:
    RequestGate& gate_;
  };

 private:
  void enter();
  void leave();

  /// A request waiting for a slot; leave() hands its slot straight to the first one, so only
  /// that thread wakes (a shared condition variable woke all 60 waiters on every request).
  struct Waiter {
    std::condition_variable wake;
    bool admitted = false;
  };

  std::mutex mu_;
  std::size_t free_;
  std::deque<Waiter*> waiting_;
};

}  // namespace helpmark::cli::serve

#pragma once
// TRAINING-INTERNAL header (includes <torch/torch.h>).
//
// One rank of a data-parallel training run on LibTorch's own distributed engine: c10d's ProcessGroupGloo, met
// through a TCPStore (tcp://HOST:PORT, served by rank 0) or a FileStore (file:///shared/path). Nothing here speaks
// a protocol of its own: the collectives are Gloo's, the rendezvous is c10d's store.
//
// Failure: every collective runs under the process group's timeout, so a rank that dies (its sockets close) or
// hangs (nothing arrives) makes the others throw LostRankError instead of waiting forever. Which rank was lost is
// read from heartbeats: every rank bumps a counter in the store each second (a thread of its own); after a failed
// collective the survivor names the ranks whose counter stopped, or rank 0 when the store itself (served by rank 0)
// is gone.
#include <torch/torch.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/error.h"

namespace lunglens::core::training {

struct Rendezvous {
  enum class Kind { Tcp, File } kind = Kind::Tcp;
  std::string host;  // Tcp
  int port = 0;      // Tcp
  std::string path;  // File
};
// "tcp://HOST:PORT" or "file:///absolute/path"; InputError otherwise.
Rendezvous parseRendezvous(const std::string& url);

struct DistributedOptions {
  int world_size = 1;
  int rank = 0;
  std::string rendezvous;                // see parseRendezvous
  std::chrono::seconds timeout{40};      // every collective: a peer silent this long is lost
  std::chrono::seconds join_timeout{600};  // meeting the others (they may still be starting or reading data)
  std::size_t bucket_bytes = 4u << 20;   // gradients are all-reduced in flat buckets of about this size
};

// A peer was lost (died, hung or unreachable). Exit code 1 in the CLI (the environment, not LungLens, failed);
// the message names the rank(s) and the cause Gloo reported.
class LostRankError : public InputError {
 public:
  LostRankError(std::vector<int> ranks, const std::string& message);
  const std::vector<int>& ranks() const noexcept { return ranks_; }

 private:
  std::vector<int> ranks_;
};

class DistributedContext {
 public:
  // Meets the other ranks (blocks until all world_size have joined, up to the timeout). InputError for bad options,
  // LostRankError if the others do not come.
  static std::unique_ptr<DistributedContext> connect(const DistributedOptions& options);
  ~DistributedContext();
  DistributedContext(const DistributedContext&) = delete;
  DistributedContext& operator=(const DistributedContext&) = delete;

  int rank() const { return options_.rank; }
  int worldSize() const { return options_.world_size; }
  bool isRoot() const { return options_.rank == 0; }
  const DistributedOptions& options() const { return options_; }

  // Rank 0's values into every rank's tensors (in place; same shapes everywhere).
  void broadcast(std::vector<torch::Tensor> tensors);
  // Sums `tensors` over the ranks in place, in flat buckets of options().bucket_bytes (float32 tensors only),
  // each bucket's all-reduce started before the previous one is awaited. `extra`: a few more numbers summed in the
  // last bucket (e.g. a batch's loss and weight), returned summed.
  std::vector<double> allReduceSum(const std::vector<torch::Tensor>& tensors, const std::vector<double>& extra = {});
  // Rank 0's file (its bytes), or nullopt on every rank if rank 0 has none: checkpoints need to exist on rank 0 only.
  std::optional<std::string> readOnRoot(const std::filesystem::path& file);
  // Waits for every rank, up to `timeout` (0: options().timeout), e.g. longer while the ranks load their data.
  void barrier(std::chrono::milliseconds timeout = std::chrono::milliseconds(0));

 private:
  struct Impl;
  DistributedContext(const DistributedOptions& options, std::unique_ptr<Impl> impl);
  [[noreturn]] void fail(const std::string& during, const std::string& what);
  DistributedOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lunglens::core::training

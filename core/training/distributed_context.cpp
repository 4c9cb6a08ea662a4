// Debian's libtorch_cpu is built with Gloo (it links libgloo.so.0), but its installed headers hide the Gloo process
// group behind the build flag; the Gloo headers come from libgloo-dev (same snapshot as libgloo0).
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO
#endif
#include "core/training/distributed_context.h"

#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <thread>

namespace lunglens::core::training {

namespace fs = std::filesystem;

Rendezvous parseRendezvous(const std::string& url) {
  Rendezvous r;
  const auto bad = [&](const std::string& why) {
    return InputError("--rendezvous", "'" + url + "': " + why + " (expected tcp://HOST:PORT or file:///path)");
  };
  if (url.rfind("tcp://", 0) == 0) {
    const std::string rest = url.substr(6);
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos || colon == 0) throw bad("no host:port");
    r.kind = Rendezvous::Kind::Tcp;
    r.host = rest.substr(0, colon);
    if (r.host.size() > 2 && r.host.front() == '[' && r.host.back() == ']') r.host = r.host.substr(1, r.host.size() - 2);
    try {
      size_t used = 0;
      r.port = std::stoi(rest.substr(colon + 1), &used);
      if (used != rest.size() - colon - 1) throw bad("the port is not a number");
    } catch (const std::logic_error&) {
      throw bad("the port is not a number");
    }
    if (r.port < 1 || r.port > 65535) throw bad("the port must be in 1..65535");
    return r;
  }
  if (url.rfind("file://", 0) == 0) {
    r.kind = Rendezvous::Kind::File;
    r.path = url.substr(7);
    if (r.path.empty() || r.path.front() != '/') throw bad("the path must be absolute");
    return r;
  }
  throw bad("unknown scheme");
}

namespace {

std::string joinRanks(const std::vector<int>& ranks) {
  std::string out;
  for (int r : ranks) out += (out.empty() ? "" : ", ") + std::to_string(r);
  return out;
}

std::string firstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  return line.size() > 300 ? line.substr(0, 300) + "..." : line;
}

}  // namespace

LostRankError::LostRankError(std::vector<int> ranks, const std::string& message)
    : InputError("distributed training", message), ranks_(std::move(ranks)) {}

struct DistributedContext::Impl {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
  // Heartbeat: "hb/<rank>" += 1 every second until stopped.
  std::thread heartbeat;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  std::int64_t collectives = 0;  // this rank's count, mirrored to "op/<rank>"

  void startHeartbeat(int rank) {
    heartbeat = std::thread([this, key = "hb/" + std::to_string(rank)] {
      std::unique_lock<std::mutex> lock(mutex);
      while (!stopping) {
        lock.unlock();
        try {
          store->add(key, 1);
        } catch (const std::exception&) {
          return;  // the store is gone (rank 0 ended): nothing left to tell
        }
        lock.lock();
        wake.wait_for(lock, std::chrono::seconds(1), [this] { return stopping; });
      }
    });
  }
  void stopHeartbeat() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
    }
    wake.notify_all();
    if (heartbeat.joinable()) heartbeat.join();
  }
};

std::unique_ptr<DistributedContext> DistributedContext::connect(const DistributedOptions& o) {
  if (o.world_size < 1) throw InputError("--world-size", "must be at least 1");
  if (o.rank < 0 || o.rank >= o.world_size)
    throw InputError("--rank", std::to_string(o.rank) + " is outside 0.." + std::to_string(o.world_size - 1));
  if (o.timeout.count() < 1) throw InputError("--dist-timeout", "must be at least 1 s");
  const Rendezvous where = parseRendezvous(o.rendezvous);
  const std::chrono::milliseconds timeout = o.timeout;
  auto impl = std::make_unique<Impl>();
  try {
    c10::intrusive_ptr<c10d::Store> base;
    if (where.kind == Rendezvous::Kind::Tcp) {
      c10d::TCPStoreOptions so;
      so.port = static_cast<std::uint16_t>(where.port);
      so.isServer = o.rank == 0;  // rank 0 serves the store; the others connect to it
      so.numWorkers = static_cast<std::size_t>(o.world_size);
      so.waitWorkers = true;
      so.timeout = o.join_timeout;
      base = c10::make_intrusive<c10d::TCPStore>(where.host, so);
    } else {
      base = c10::make_intrusive<c10d::FileStore>(where.path, o.world_size);
    }
    base->setTimeout(o.join_timeout);
    impl->store = c10::make_intrusive<c10d::PrefixStore>("lunglens", base);
    impl->store->add("joined/" + std::to_string(o.rank), 1);
    std::vector<std::string> everyone;
    for (int r = 0; r < o.world_size; ++r) everyone.push_back("joined/" + std::to_string(r));
    impl->store->wait(everyone, o.join_timeout);  // all ranks are here: from now on silence means trouble
    base->setTimeout(timeout);

    auto go = c10d::ProcessGroupGloo::Options::create(timeout);
    // GLOO_SOCKET_IFNAME names the network interface as in PyTorch; a loopback rendezvous stays on loopback;
    // otherwise Gloo picks the address the host name resolves to.
    const char* ifname = std::getenv("GLOO_SOCKET_IFNAME");
    const bool loopback = where.kind == Rendezvous::Kind::Tcp &&
                          (where.host == "localhost" || where.host.rfind("127.", 0) == 0 || where.host == "::1");
    if (ifname && *ifname) go->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(ifname));
    else if (loopback) go->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    else go->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    go->threads = 2;  // two buckets in flight at once
    impl->group = c10::make_intrusive<c10d::ProcessGroupGloo>(impl->store, o.rank, o.world_size, go);
  } catch (const std::exception& e) {
    // Name who did not come, if the store still answers.
    std::vector<int> missing;
    if (impl->store) {
      for (int r = 0; r < o.world_size; ++r) {
        try {
          if (impl->store->add("joined/" + std::to_string(r), 0) == 0) missing.push_back(r);
        } catch (const std::exception&) {
          break;
        }
      }
    }
    throw LostRankError(missing, "rank " + std::to_string(o.rank) + " of " + std::to_string(o.world_size) +
                                     " could not meet the others at " + o.rendezvous + " within " +
                                     std::to_string(o.join_timeout.count()) + " s" +
                                     (missing.empty() ? "" : " (rank(s) " + joinRanks(missing) + " never joined)") +
                                     ": " + firstLine(e.what()));
  }
  impl->startHeartbeat(o.rank);
  return std::unique_ptr<DistributedContext>(new DistributedContext(o, std::move(impl)));
}

DistributedContext::DistributedContext(const DistributedOptions& options, std::unique_ptr<Impl> impl)
    : options_(options), impl_(std::move(impl)) {}

DistributedContext::~DistributedContext() {
  impl_->stopHeartbeat();
  impl_->group.reset();
  impl_->store.reset();
}

void DistributedContext::fail(const std::string& during, const std::string& what) {
  // Who stopped? Heartbeats that no longer move (dead or hung process), else collectives not reached (a rank alive
  // but stuck elsewhere). A store that no longer answers means rank 0, which serves it, is gone.
  std::vector<int> lost;
  const int me = options_.rank;
  std::string how;
  try {
    std::vector<std::int64_t> before(static_cast<size_t>(options_.world_size), 0);
    for (int r = 0; r < options_.world_size; ++r)
      if (r != me) before[static_cast<size_t>(r)] = impl_->store->add("hb/" + std::to_string(r), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(3500));
    for (int r = 0; r < options_.world_size; ++r)
      if (r != me && impl_->store->add("hb/" + std::to_string(r), 0) == before[static_cast<size_t>(r)])
        lost.push_back(r);
    how = "no heartbeat for 3.5 s";
    if (lost.empty()) {
      for (int r = 0; r < options_.world_size; ++r)
        if (r != me && impl_->store->add("op/" + std::to_string(r), 0) < impl_->collectives) lost.push_back(r);
      how = "alive but behind in the collectives (hung)";
    }
  } catch (const std::exception&) {
    lost = {0};
    how = "its rendezvous store no longer answers";
  }
  std::ostringstream message;
  message << "rank " << me << " of " << options_.world_size << ": ";
  if (lost.empty()) message << "a peer was lost";
  else message << "lost rank " << joinRanks(lost) << " (" << how << ")";
  message << " during " << during << " (timeout " << options_.timeout.count() << " s); Gloo: " << firstLine(what)
          << ". The last finished epoch's checkpoint stays resumable (--resume, same --world-size)";
  throw LostRankError(lost, message.str());
}

void DistributedContext::broadcast(std::vector<torch::Tensor> tensors) {
  // One flat tensor per dtype (Gloo broadcasts one tensor per call).
  std::vector<c10::ScalarType> types;
  for (const auto& t : tensors)
    if (std::find(types.begin(), types.end(), t.scalar_type()) == types.end()) types.push_back(t.scalar_type());
  for (const auto type : types) {
    std::vector<torch::Tensor> parts;
    for (const auto& t : tensors)
      if (t.scalar_type() == type) parts.push_back(t.detach().reshape(-1));
    std::vector<torch::Tensor> flat{torch::cat(parts)};
    ++impl_->collectives;
    try {
      impl_->store->add("op/" + std::to_string(options_.rank), 1);
      impl_->group->broadcast(flat)->wait();
    } catch (const std::exception& e) {
      fail("broadcast", e.what());
    }
    torch::NoGradGuard no_grad;
    std::int64_t offset = 0;
    for (auto& t : tensors) {
      if (t.scalar_type() != type) continue;
      const auto n = t.numel();
      t.detach().copy_(flat[0].slice(0, offset, offset + n).view(t.sizes()));
      offset += n;
    }
  }
}

std::vector<double> DistributedContext::allReduceSum(const std::vector<torch::Tensor>& tensors,
                                                     const std::vector<double>& extra) {
  // Buckets of consecutive tensors, about bucket_bytes each; the extras ride in the last one.
  const auto limit = static_cast<std::int64_t>(std::max<std::size_t>(options_.bucket_bytes / 4, 1));
  std::vector<std::vector<size_t>> buckets(1);
  std::int64_t filled = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (filled > 0 && filled + tensors[i].numel() > limit) {
      buckets.emplace_back();
      filled = 0;
    }
    buckets.back().push_back(i);
    filled += tensors[i].numel();
  }
  std::vector<std::vector<torch::Tensor>> flats;
  std::vector<c10::intrusive_ptr<c10d::Work>> works;
  std::vector<double> out;
  try {
    ++impl_->collectives;
    impl_->store->add("op/" + std::to_string(options_.rank), 1);
    for (size_t b = 0; b < buckets.size(); ++b) {
      std::vector<torch::Tensor> parts;
      for (size_t i : buckets[b]) parts.push_back(tensors[i].detach().reshape(-1).to(torch::kFloat));
      if (b + 1 == buckets.size() && !extra.empty())
        parts.push_back(torch::tensor(std::vector<float>(extra.begin(), extra.end())));
      flats.push_back({parts.empty() ? torch::zeros({1}) : torch::cat(parts)});
      works.push_back(impl_->group->allreduce(flats.back()));  // runs on Gloo's threads meanwhile
    }
    for (auto& work : works) work->wait();
  } catch (const std::exception& e) {
    fail("the gradient all-reduce", e.what());
  }
  torch::NoGradGuard no_grad;
  for (size_t b = 0; b < buckets.size(); ++b) {
    std::int64_t offset = 0;
    const torch::Tensor& flat = flats[b][0];
    for (size_t i : buckets[b]) {
      const auto n = tensors[i].numel();
      tensors[i].detach().copy_(flat.slice(0, offset, offset + n).view(tensors[i].sizes()));
      offset += n;
    }
    if (b + 1 == buckets.size())
      for (size_t k = 0; k < extra.size(); ++k) out.push_back(flat[offset + static_cast<std::int64_t>(k)].item<double>());
  }
  return out;
}

std::optional<std::string> DistributedContext::readOnRoot(const fs::path& file) {
  std::string bytes;
  std::int64_t size = -1;
  if (isRoot() && fs::is_regular_file(file)) {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!in.eof() && in.fail()) throw InputError(file.string(), "cannot read the checkpoint file");
    size = static_cast<std::int64_t>(bytes.size());
  }
  torch::Tensor n = torch::tensor({size}, torch::kLong);
  broadcast({n});
  size = n.item<std::int64_t>();
  if (size < 0) return std::nullopt;
  torch::Tensor data = isRoot() ? torch::from_blob(bytes.data(), {size}, torch::kByte).clone()
                                : torch::empty({size}, torch::kByte);
  if (size > 0) broadcast({data});
  return std::string(reinterpret_cast<const char*>(data.data_ptr<std::uint8_t>()), static_cast<size_t>(size));
}

void DistributedContext::barrier(std::chrono::milliseconds timeout) {
  ++impl_->collectives;
  try {
    impl_->store->add("op/" + std::to_string(options_.rank), 1);
    if (timeout.count() > 0) {
      // Gloo's barrier runs under the group's timeout; a longer wait is a barrier in the store.
      const std::string prefix = "barrier/" + std::to_string(impl_->collectives) + "/";
      impl_->store->add(prefix + std::to_string(options_.rank), 1);
      std::vector<std::string> keys;
      for (int r = 0; r < options_.world_size; ++r) keys.push_back(prefix + std::to_string(r));
      impl_->store->wait(keys, timeout);
    } else {
      impl_->group->barrier()->wait();
    }
  } catch (const std::exception& e) {
    fail("a barrier", e.what());
  }
}

}  // namespace lunglens::core::training

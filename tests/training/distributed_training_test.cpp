// Data-parallel training end to end (lunglens-cli train --world-size, c10d/Gloo over a FileStore rendezvous):
// 2 processes x 1 thread step exactly like 1 process with the same global batch, write the same split, and a
// rank killed mid-epoch makes the other stop non-zero naming it, after which --resume completes.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "core/training/network_factory.h"
#include "core/training/split.h"
#include "tests/common/test_paths.h"

namespace lunglens::core::training {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// lunglens-cli in a child process (stdout and stderr to `log`).
pid_t spawnCli(const std::string& arguments, const fs::path& log) {
  const std::string command = "exec " + std::string(LUNGLENS_CLI) + " " + arguments + " > '" + log.string() + "' 2>&1";
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

// The exit code, or -1 if it was killed by a signal, or -2 if it did not end within `seconds` (then it is killed).
int waitCli(pid_t pid, double seconds) {
  const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  int status = 0;
  while (Clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -2;
}

std::string readText(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class DistributedTraining : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(test::suiteScratchDir("distributed-train"));
    const pid_t pid = spawnCli("phantom-set --out '" + (*dir_ / "set").string() +
                                   "' --subjects 8 --slices 6 --size 64 --seed 11 --threads 1",
                               *dir_ / "phantom-set.log");
    ASSERT_EQ(waitCli(pid, 120), 0) << readText(*dir_ / "phantom-set.log");
  }
  static void TearDownTestSuite() { delete dir_; }

  // Common options: a small random-init ResNet18 (no dropout), no augmentation, 1 LibTorch thread per process.
  static std::string trainArgs(const std::string& out, const std::string& extra) {
    return "train --data '" + (*dir_ / "set").string() +
           "' --task diagnosis --arch resnet18 --init random --input-size 32 --no-augment --lr 1e-3 --seed 3 "
           "--threads 1 --bootstrap 10 --patience 0 --out '" + (*dir_ / out).string() + "' " + extra;
  }
  static std::string rendezvous(const std::string& name) { return "file://" + (*dir_ / name).string(); }

  static fs::path* dir_;
};
fs::path* DistributedTraining::dir_ = nullptr;

// A checkpoint's weights; no file: the initial weights `train --seed 3 --init random` starts from.
std::vector<torch::Tensor> checkpointWeights(const fs::path& file) {
  NetworkSpec spec;
  spec.architecture = Architecture::ResNet18;
  spec.num_classes = 3;
  spec.init = InitSource::Random;
  spec.seed = 3;
  auto net = createNetwork(spec);
  if (!file.empty()) {
    torch::serialize::InputArchive archive;
    archive.load_from(file.string());
    net->load(archive);
  }
  std::vector<torch::Tensor> out;
  for (const auto& p : net->parameters()) out.push_back(p.detach().clone());
  for (const auto& b : net->buffers()) out.push_back(b.detach().clone());
  return out;
}

TEST_F(DistributedTraining, TwoRanksStepLikeOneProcessWithTheSameGlobalBatch) {
  // Global batch 64 (every training slice: one step per epoch, the same batch however it is sharded), 3 steps.
  const std::string common = "--epochs 3 --warmup-epochs 1 ";
  const pid_t one = spawnCli(trainArgs("one", common + "--batch 64 --world-size 1 --rank 0 --rendezvous " +
                                                  rendezvous("rdv-one")),
                             *dir_ / "one.log");
  const pid_t r0 = spawnCli(trainArgs("two", common + "--batch 32 --world-size 2 --rank 0 --rendezvous " +
                                                 rendezvous("rdv-two")),
                            *dir_ / "two-0.log");
  const pid_t r1 = spawnCli(trainArgs("two", common + "--batch 32 --world-size 2 --rank 1 --rendezvous " +
                                                 rendezvous("rdv-two")),
                            *dir_ / "two-1.log");
  ASSERT_EQ(waitCli(one, 240), 0) << readText(*dir_ / "one.log");
  ASSERT_EQ(waitCli(r0, 240), 0) << readText(*dir_ / "two-0.log");
  ASSERT_EQ(waitCli(r1, 60), 0) << readText(*dir_ / "two-1.log");

  // Same split, written by rank 0 alone (rank 1 wrote no bundle of its own: the same --out is rank 0's).
  EXPECT_EQ(readText(*dir_ / "one" / "split.json"), readText(*dir_ / "two" / "split.json"));
  EXPECT_NE(readText(*dir_ / "two-1.log").find("rank 0 writes the bundle"), std::string::npos);

  const auto a = checkpointWeights(*dir_ / "one.checkpoints" / "last_model.pt");
  const auto b = checkpointWeights(*dir_ / "two.checkpoints" / "last_model.pt");
  const auto init = checkpointWeights({});
  ASSERT_EQ(a.size(), b.size());
  double worst = 0, moved = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    worst = std::max(worst, (a[i].to(torch::kDouble) - b[i].to(torch::kDouble)).abs().max().item<double>());
    moved = std::max(moved, (a[i].to(torch::kDouble) - init[i].to(torch::kDouble)).abs().max().item<double>());
  }
  EXPECT_LT(worst, 1e-4) << "2 x 32 vs 1 x 64 after 3 steps";
  EXPECT_GT(moved, 1e-3) << "the steps changed the weights";
  // The loss and validation numbers agree too (all-reduced validation over both ranks' shares).
  const auto h1 = nlohmann::json::parse(readText(*dir_ / "one" / "training.json")).at("history");
  const auto h2 = nlohmann::json::parse(readText(*dir_ / "two" / "training.json")).at("history");
  ASSERT_EQ(h1.size(), 3u);
  ASSERT_EQ(h2.size(), 3u);
  for (size_t e = 0; e < 3; ++e) {
    EXPECT_NEAR(h1[e].at("train_loss").get<double>(), h2[e].at("train_loss").get<double>(), 1e-4);
    EXPECT_NEAR(h1[e].at("validation_loss").get<double>(), h2[e].at("validation_loss").get<double>(), 1e-4);
  }
  const auto t2 = nlohmann::json::parse(readText(*dir_ / "two" / "training.json"));
  EXPECT_EQ(t2.at("world_size").get<int>(), 2);
  EXPECT_EQ(t2.at("global_batch").get<int>(), 64);
}

TEST_F(DistributedTraining, AKilledRankStopsTheOtherNamingItAndResumeCompletes) {
  const std::string args = "--epochs 3 --warmup-epochs 0 --batch 4 --world-size 2 ";
  const fs::path state = *dir_ / "killed.checkpoints" / "train_state.json";
  const pid_t r0 = spawnCli(trainArgs("killed", args + "--rank 0 --dist-timeout 30 --rendezvous " +
                                                    rendezvous("rdv-kill")),
                            *dir_ / "kill-0.log");
  const pid_t r1 = spawnCli(trainArgs("killed", args + "--rank 1 --dist-timeout 30 --rendezvous " +
                                                    rendezvous("rdv-kill")),
                            *dir_ / "kill-1.log");
  // Wait for a finished epoch, then kill rank 1 in the middle of the next one.
  const auto deadline = Clock::now() + std::chrono::seconds(120);
  while (!fs::exists(state) && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(fs::exists(state)) << readText(*dir_ / "kill-0.log");
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  ASSERT_EQ(kill(r1, SIGKILL), 0);
  const auto killed_at = Clock::now();
  const int code = waitCli(r0, 60);
  const double took = std::chrono::duration<double>(Clock::now() - killed_at).count();
  waitCli(r1, 5);
  const std::string log = readText(*dir_ / "kill-0.log");
  EXPECT_GT(code, 0) << log;  // exited (not killed, not timed out) non-zero
  EXPECT_LT(took, 60.0);
  EXPECT_NE(log.find("lost rank 1"), std::string::npos) << log;
  const int finished = nlohmann::json::parse(readText(state)).at("epoch").get<int>();
  ASSERT_GE(finished, 1);
  ASSERT_LT(finished, 3) << "the run ended before the kill";

  // --resume with the same world size finishes the run from the last finished epoch.
  const std::string resume = "--epochs 3 --warmup-epochs 0 --batch 4 --world-size 2 --overwrite "
                             "--resume '" + (*dir_ / "killed.checkpoints").string() + "' ";
  const pid_t s0 = spawnCli(trainArgs("killed", resume + "--rank 0 --rendezvous " + rendezvous("rdv-resume")),
                            *dir_ / "resume-0.log");
  const pid_t s1 = spawnCli(trainArgs("killed", resume + "--rank 1 --rendezvous " + rendezvous("rdv-resume")),
                            *dir_ / "resume-1.log");
  ASSERT_EQ(waitCli(s0, 300), 0) << readText(*dir_ / "resume-0.log");
  ASSERT_EQ(waitCli(s1, 60), 0) << readText(*dir_ / "resume-1.log");
  EXPECT_NE(readText(*dir_ / "resume-0.log").find("resuming after epoch " + std::to_string(finished)),
            std::string::npos);
  const auto history = nlohmann::json::parse(readText(*dir_ / "killed" / "training.json")).at("history");
  ASSERT_EQ(history.size(), 3u);
  for (size_t e = 0; e < history.size(); ++e) EXPECT_EQ(history[e].at("epoch").get<int>(), static_cast<int>(e + 1));
}

TEST_F(DistributedTraining, AHungRankIsNamedAfterTheTimeout) {
  const std::string args = "--epochs 6 --warmup-epochs 0 --batch 4 --world-size 2 --dist-timeout 5 ";
  const pid_t r0 = spawnCli(trainArgs("hung", args + "--rank 0 --rendezvous " + rendezvous("rdv-hang")),
                            *dir_ / "hang-0.log");
  const pid_t r1 = spawnCli(trainArgs("hung", args + "--rank 1 --rendezvous " + rendezvous("rdv-hang")),
                            *dir_ / "hang-1.log");
  // Once both have met and loaded their data (rank 0 prints the data line after that barrier), stop rank 1 in
  // the middle of the first epoch.
  const auto deadline = Clock::now() + std::chrono::seconds(120);
  while (readText(*dir_ / "hang-0.log").find("train: diagnosis") == std::string::npos && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_NE(readText(*dir_ / "hang-0.log").find("train: diagnosis"), std::string::npos) << readText(*dir_ / "hang-0.log");
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  ASSERT_EQ(kill(r1, SIGSTOP), 0);  // alive, silent: no socket closes, only the timeout can tell
  const auto stopped_at = Clock::now();
  const int code = waitCli(r0, 60);
  const double took = std::chrono::duration<double>(Clock::now() - stopped_at).count();
  kill(r1, SIGKILL);
  waitCli(r1, 5);
  const std::string log = readText(*dir_ / "hang-0.log");
  EXPECT_GT(code, 0) << log;
  EXPECT_LT(took, 30.0) << "5 s timeout + 3.5 s heartbeat check";
  EXPECT_NE(log.find("lost rank 1"), std::string::npos) << log;
}

}  // namespace
}  // namespace lunglens::core::training

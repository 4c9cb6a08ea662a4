// The engine on volumes made here and tiny "brightness" models (COVID probability ~1 on bright slices, ~0 on dark
// ones): focus-first streaming, re-focusing, progressive volumes, gated and on-demand manifestation, heatmaps,
// and cancelling with no result applied to the wrong series.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "core/common/error.h"
#include "core/inference/engine.h"
#include "core/inference/verdict.h"
#include "tests/common/test_paths.h"
#include "tests/inference/tiny_models.h"

namespace fs = std::filesystem;
using namespace lunglens;
using namespace lunglens::core::inference;
using Kind = EngineEvent::Kind;

namespace {

std::shared_ptr<core::volume::Volume> makeVolume(int slices, int size, int bright_from, bool ready) {
  core::volume::Geometry g;
  g.cols = g.rows = size;
  g.slices = slices;
  auto v = std::make_shared<core::volume::Volume>(g);
  for (int z = 0; z < slices; ++z) {
    std::fill(v->mutableSlice(z), v->mutableSlice(z) + g.voxelsPerSlice(), z >= bright_from ? 1000 : -1000);
    if (ready) v->markSliceReady(z);
  }
  return v;
}

struct Models {
  ModelPtr diagnosis, manifestation;
};

Models brightnessModels(int size = 32) {
  const fs::path root = test::scratchDir("engine-models");
  test::TinySpec spec;
  spec.variant = test::TinyVariant::Brightness;
  spec.size = size;
  Models m;
  m.diagnosis = Model::load(test::writeTinyBundle(root / "diagnosis", spec));
  spec.task = Task::Manifestation;
  m.manifestation = Model::load(test::writeTinyBundle(root / "manifestation", spec));
  return m;
}

// Collects events from the worker thread; the test thread waits on it.
class EventLog {
 public:
  void add(const EngineEvent& e) {
    std::lock_guard<std::mutex> lock(mutex_);
    events_.push_back(e);
    changed_.notify_all();
  }
  std::vector<EngineEvent> events() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_;
  }
  // Safety net only (a hang would otherwise block the suite): the engine should take milliseconds.
  bool waitFor(const std::function<bool(const std::vector<EngineEvent>&)>& done) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(60), [&] { return done(events_); });
  }
  static int count(const std::vector<EngineEvent>& events, Kind kind, const std::string& uid = "") {
    return static_cast<int>(std::count_if(events.begin(), events.end(), [&](const EngineEvent& e) {
      return e.kind == kind && (uid.empty() || e.series_uid == uid);
    }));
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<EngineEvent> events_;
};

}  // namespace

TEST(Engine, ScoresEverySliceFocusFirstAndGatesManifestation) {
  const Models m = brightnessModels();
  InferenceEngine engine(m.diagnosis, m.manifestation, EngineOptions{1});
  EventLog log;
  engine.setListener([&](const EngineEvent& e) { log.add(e); });
  engine.openSeries("1.2.3", makeVolume(40, 32, 30, true), 10);
  ASSERT_TRUE(engine.waitUntilIdle());
  const auto events = log.events();

  // The focus slice's score comes out first, alone, then its heatmap, then the rest by distance from the focus.
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[0].kind, Kind::Diagnosis);
  EXPECT_EQ(events[0].slice, 10);
  EXPECT_EQ(events[1].kind, Kind::DiagnosisHeatmap);
  EXPECT_EQ(events[1].slice, 10);
  EXPECT_FALSE(events[1].result.diagnosis_heatmap.empty());
  int last_distance = 0, diagnosed = 0;
  for (const auto& e : events) {
    EXPECT_EQ(e.series_uid, "1.2.3");
    if (e.kind != Kind::Diagnosis) continue;
    ++diagnosed;
    EXPECT_GE(std::abs(e.slice - 10), last_distance) << "slice " << e.slice << " out of focus order";
    last_distance = std::abs(e.slice - 10);
  }
  EXPECT_EQ(diagnosed, 40);
  EXPECT_EQ(EventLog::count(events, Kind::AllScored), 1);
  EXPECT_EQ(EventLog::count(events, Kind::Error), 0);

  // Manifestation ran exactly on the bright (COVID-positive) slices 30..39.
  const auto results = engine.results().all("1.2.3");
  ASSERT_EQ(results.size(), 40u);
  std::vector<std::vector<float>> probs;
  for (const auto& r : results) {
    ASSERT_EQ(r.diagnosis.size(), 3u);
    probs.push_back(r.diagnosis);
    if (r.slice >= 30) {
      EXPECT_GT(r.diagnosis[0], 0.99f);
      EXPECT_EQ(r.manifestation.size(), 3u) << r.slice;
    } else {
      EXPECT_LT(r.diagnosis[0], 0.01f);
      EXPECT_TRUE(r.manifestation.empty()) << r.slice;
    }
  }
  EXPECT_EQ(EventLog::count(events, Kind::Manifestation), 10);
  const auto verdict = studyVerdict(probs, m.diagnosis->manifest());
  EXPECT_EQ(verdict.verdict, "covid");
  EXPECT_NEAR(verdict.score("covid")->fraction_over_threshold, 0.25, 1e-9);
  const auto progress = engine.progress();
  EXPECT_EQ(progress.diagnosed, 40);
  EXPECT_TRUE(progress.idle);
}

TEST(Engine, MovingTheFocusReordersTheRemainingWork) {
  const Models m = brightnessModels();
  InferenceEngine engine(m.diagnosis, nullptr, EngineOptions{1});
  EventLog log;
  // Inside the first callback the worker is between batches: moving the focus there is deterministic.
  engine.setListener([&](const EngineEvent& e) {
    if (log.events().empty()) engine.setFocus(25);
    log.add(e);
  });
  engine.openSeries("s", makeVolume(30, 32, 100, true), 0);
  ASSERT_TRUE(engine.waitUntilIdle());
  std::vector<int> order;
  for (const auto& e : log.events())
    if (e.kind == Kind::Diagnosis) order.push_back(e.slice);
  ASSERT_EQ(order.size(), 30u);
  EXPECT_EQ(order[0], 0);
  EXPECT_EQ(order[1], 25);
  for (std::size_t i = 2; i < order.size(); ++i)
    EXPECT_GE(std::abs(order[i] - 25), std::abs(order[i - 1] - 25)) << "at " << i;
  // The new focus got its heatmap too.
  EXPECT_FALSE(engine.results().get("s", 25)->diagnosis_heatmap.empty());
}

TEST(Engine, TakesSlicesAsALoadingVolumePublishesThem) {
  const Models m = brightnessModels();
  InferenceEngine engine(m.diagnosis, nullptr, EngineOptions{1});
  EventLog log;
  engine.setListener([&](const EngineEvent& e) { log.add(e); });
  auto volume = makeVolume(12, 32, 100, false);
  engine.openSeries("loading", volume, 6);
  volume->markSliceReady(2);
  ASSERT_TRUE(log.waitFor([](const auto& ev) { return EventLog::count(ev, Kind::Diagnosis) >= 1; }));
  EXPECT_EQ(log.events()[0].slice, 2);  // the only slice there yet, although far from the focus
  EXPECT_EQ(engine.results().diagnosedCount("loading"), 1);
  volume->markAllReady();
  ASSERT_TRUE(engine.waitUntilIdle());
  EXPECT_EQ(engine.results().diagnosedCount("loading"), 12);
}

TEST(Engine, OnDemandManifestationAndHeatmapsForAnySlice) {
  const Models m = brightnessModels();
  EngineOptions options{1};
  options.heatmap_focus = false;
  InferenceEngine engine(m.diagnosis, m.manifestation, options);
  engine.openSeries("dark", makeVolume(8, 32, 100, true), 0);
  ASSERT_TRUE(engine.waitUntilIdle());
  EXPECT_TRUE(engine.results().get("dark", 3)->manifestation.empty());  // not gated in
  EXPECT_TRUE(engine.results().get("dark", 0)->diagnosis_heatmap.empty());
  engine.requestManifestation(3);
  engine.requestHeatmap(3, Task::Manifestation);
  engine.requestHeatmap(5, Task::Diagnosis, 1);
  ASSERT_TRUE(engine.waitUntilIdle());
  const auto r3 = *engine.results().get("dark", 3);
  EXPECT_EQ(r3.manifestation.size(), 3u);
  EXPECT_EQ(r3.manifestation_heatmap.class_name.empty(), false);
  const auto r5 = *engine.results().get("dark", 5);
  EXPECT_EQ(r5.diagnosis_heatmap.class_index, 1);
  EXPECT_EQ(r5.diagnosis_heatmap.class_name, "other_pneumonia");
  EXPECT_EQ(r5.diagnosis_heatmap.height, 16);
}

TEST(Engine, SwitchingSeriesCancelsAndNeverAppliesOldResults) {
  const Models m = brightnessModels();
  InferenceEngine engine(m.diagnosis, m.manifestation, EngineOptions{1});
  EventLog log;
  std::atomic<bool> switched{false};
  std::atomic<int> late{0};
  engine.setListener([&](const EngineEvent& e) {
    if (switched.load() && e.series_uid == "A") ++late;
    log.add(e);
    if (e.series_uid == "A") std::this_thread::sleep_for(std::chrono::milliseconds(1));  // a slow consumer
  });
  const int slices = 300;
  engine.openSeries("A", makeVolume(slices, 32, 0, true), 150);
  ASSERT_TRUE(log.waitFor([](const auto& ev) { return EventLog::count(ev, Kind::Diagnosis, "A") >= 3; }));
  engine.openSeries("B", makeVolume(20, 32, 100, true), 0);
  switched = true;
  ASSERT_TRUE(engine.waitUntilIdle());
  const auto events = log.events();
  EXPECT_EQ(late.load(), 0) << "a result for the closed series reached the listener after the switch";
  EXPECT_LT(EventLog::count(events, Kind::Diagnosis, "A"), slices) << "series A was not cancelled";
  EXPECT_EQ(EventLog::count(events, Kind::Diagnosis, "B"), 20);
  EXPECT_FALSE(engine.results().isOpen("A"));
  EXPECT_TRUE(engine.results().all("A").empty());
  EXPECT_EQ(engine.results().diagnosedCount("B"), 20);
  EXPECT_EQ(engine.openSeriesUid(), "B");

  engine.closeSeries();
  EXPECT_EQ(engine.openSeriesUid(), "");
  EXPECT_FALSE(engine.results().isOpen("B"));
  const auto before = log.events().size();
  engine.requestHeatmap(0);  // nothing open: ignored
  EXPECT_EQ(log.events().size(), before);
}

TEST(Engine, RejectsModelsOfTheWrongTask) {
  const Models m = brightnessModels();
  EXPECT_THROW(InferenceEngine(m.manifestation, nullptr), core::InputError);
  EXPECT_THROW(InferenceEngine(m.diagnosis, m.diagnosis), core::InputError);
}
